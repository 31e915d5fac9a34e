import { pattern, type DecodeContext, type Encoding, type Instr } from '../decode-table.js';

/** Bits hi..lo of an instruction word, as an unsigned number. */
export function bits(word: number, hi: number, lo: number): number {
  return (word >>> lo) & (2 ** (hi - lo + 1) - 1);
}

/** Bit n of an instruction word. */
export function bit(word: number, n: number): number {
  return (word >>> n) & 1;
}

/** An encoding from the ARM ARM's name and bit diagram (see pattern()). */
export function encoding(name: string, diagram: string, build: (word: number, ctx: DecodeContext) => Instr | null): Encoding {
  const { mask, value } = pattern(diagram);
  return { name, mask, value, build };
}
