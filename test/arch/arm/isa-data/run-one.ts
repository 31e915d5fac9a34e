import { CODE_BASE, makeHarness, type Harness } from '../../../support/cpu-harness.js';

/** Initial state of a one-instruction test: registers by number, and APSR fields. */
export interface Setup {
  readonly r?: Readonly<Record<number, number>>;
  readonly nzcv?: number;
  readonly q?: number;
  readonly ge?: number;
  /** T32: run inside an IT block (ITSTATE of "IT AL" with one instruction left). */
  readonly inIt?: boolean;
}

function prepare(h: Harness, setup: Setup): void {
  for (const [n, v] of Object.entries(setup.r ?? {})) h.cpu.r[Number(n)] = v | 0;
  h.cpu.setFlagsNZCV(setup.nzcv ?? 0);
  h.cpu.qf = setup.q ?? 0;
  h.cpu.ge = setup.ge ?? 0;
  if (setup.inIt) h.cpu.itState = 0xe8;
}

/** Runs A32 words (one instruction each) from CODE_BASE. */
export function runA32(words: readonly number[], setup: Setup = {}): Harness {
  const h = makeHarness();
  h.writeWords(CODE_BASE, words);
  prepare(h, setup);
  h.run(words.length);
  return h;
}

/** Runs `count` T32 instructions given as halfwords (a 32-bit one as hw1, hw2) from `address`. */
export function runT32(halfwords: readonly number[], setup: Setup = {}, count = 1, address = CODE_BASE): Harness {
  const h = makeHarness({ thumb: true });
  h.cpu.pc = address;
  h.writeHalfwords(address, halfwords);
  prepare(h, setup);
  h.run(count);
  return h;
}

/** r[n] as an unsigned number. */
export function reg(h: Harness, n: number): number {
  return h.cpu.r[n]! >>> 0;
}

/** N, Z, C, V as a 4-bit number. */
export function nzcv(h: Harness): number {
  return (h.cpu.nf << 3) | (h.cpu.zf << 2) | (h.cpu.cf << 1) | h.cpu.vf;
}
