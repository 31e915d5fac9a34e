import type { Cpu } from './cpu.js';

/** A decoded instruction, ready to run: its operands are fixed at decode time. */
export type Instr = (cpu: Cpu) => void;

/** What decoding may depend on besides the instruction's bits. */
export interface DecodeContext {
  /** Inside an IT block (T32 16-bit data-processing instructions then do not set flags). */
  readonly inItBlock: boolean;
  /** The last instruction of an IT block (where a branch is permitted). */
  readonly lastInItBlock: boolean;
}

export const OUTSIDE_IT: DecodeContext = { inItBlock: false, lastInItBlock: false };

/**
 * One encoding of the ARM ARM's instruction tables: the bits where `word & mask === value`, and a
 * builder that reads the operand fields and returns the instruction. A builder returns null when a
 * constraint of the encoding fails ("SEE ..." another encoding, or UNDEFINED), so that less
 * specific entries are tried next; if none matches, the word is UNDEFINED.
 *
 * For T32, 32-bit instructions are matched as (hw1 << 16) | hw2 and 16-bit ones as hw1.
 */
export interface Encoding {
  readonly name: string;
  readonly mask: number;
  readonly value: number;
  readonly build: (word: number, ctx: DecodeContext) => Instr | null;
}

function popcount(x: number): number {
  let n = 0;
  for (let v = x >>> 0; v !== 0; v &= v - 1) n++;
  return n;
}

/**
 * An instruction set's encodings, tried most specific first (more fixed bits wins; ties keep
 * table order). Lookup is bucketed on `bucketBits` so a decode scans only plausible entries.
 */
export class DecodeTable {
  private readonly buckets: Encoding[][];
  private readonly bucketShift: number;
  private readonly bucketMask: number;

  constructor(
    readonly name: string,
    encodings: readonly Encoding[],
    bucketShift: number,
    bucketBits: number,
  ) {
    this.bucketShift = bucketShift;
    this.bucketMask = (1 << bucketBits) - 1;
    const ordered = encodings
      .map((e, i) => ({ e, i, n: popcount(e.mask) }))
      .sort((a, b) => b.n - a.n || a.i - b.i)
      .map((x) => x.e);
    this.buckets = [];
    const fieldMask = this.bucketMask << bucketShift;
    for (let b = 0; b <= this.bucketMask; b++) {
      const bucketValue = (b << bucketShift) >>> 0;
      this.buckets.push(
        ordered.filter((e) => (((e.value ^ bucketValue) & e.mask & fieldMask) >>> 0) === 0),
      );
    }
  }

  /** The instruction for `word`, or null if it is UNDEFINED in this set. */
  decode(word: number, ctx: DecodeContext): Instr | null {
    const bucket = this.buckets[(word >>> this.bucketShift) & this.bucketMask]!;
    for (const e of bucket) {
      if (((word & e.mask) ^ e.value) === 0) {
        const instr = e.build(word, ctx);
        if (instr !== null) return instr;
      }
    }
    return null;
  }

  /** Name of the first matching encoding whose builder accepts `word` (for disassembly and tests). */
  encodingName(word: number, ctx: DecodeContext): string | null {
    const bucket = this.buckets[(word >>> this.bucketShift) & this.bucketMask]!;
    for (const e of bucket) {
      if (((word & e.mask) ^ e.value) === 0 && e.build(word, ctx) !== null) return e.name;
    }
    return null;
  }

  /** Pairs of encodings with identical mask and value: always a table mistake. */
  static duplicates(encodings: readonly Encoding[]): string[] {
    const seen = new Map<string, string>();
    const found: string[] = [];
    for (const e of encodings) {
      const key = `${e.mask >>> 0}:${e.value >>> 0}`;
      const other = seen.get(key);
      if (other !== undefined) found.push(`${other} / ${e.name}`);
      else seen.set(key, e.name);
    }
    return found;
  }
}

/** Helper for writing encodings from the ARM ARM's bit diagrams: '0', '1' fixed, anything else free. */
export function pattern(bits: string): { mask: number; value: number } {
  const clean = bits.replace(/[\s_|]/g, '');
  if (clean.length !== 32 && clean.length !== 16) throw new Error(`pattern must have 16 or 32 bits: ${bits}`);
  let mask = 0;
  let value = 0;
  for (const ch of clean) {
    mask = (mask << 1) >>> 0;
    value = (value << 1) >>> 0;
    if (ch === '0' || ch === '1') {
      mask |= 1;
      if (ch === '1') value |= 1;
    }
  }
  return { mask: mask | 0, value: value | 0 };
}
