import { OUTSIDE_IT, type DecodeContext } from '../../../../src/arch/arm/decode-table.js';
import { a32ConditionalTable, a32UnconditionalTable, t16Table, t32Table } from '../../../../src/arch/arm/instruction-sets.js';
import { CODE_BASE, RAM_BASE, makeHarness, type Harness } from '../../../support/cpu-harness.js';

/** Where the load/store tests keep their data: inside the harness RAM, away from the code. */
export const DATA = 0x40002000;
/** First address past the harness RAM (1 MiB at RAM_BASE): accesses there take an external abort. */
export const RAM_END = RAM_BASE + (1 << 20);

/** A32 code at CODE_BASE. */
export function arm(words: readonly number[]): Harness {
  const h = makeHarness();
  h.writeWords(CODE_BASE, words);
  return h;
}

/** T32 code (halfwords, a 32-bit instruction as its two halves) at CODE_BASE. */
export function thumb(halfwords: readonly number[]): Harness {
  const h = makeHarness({ thumb: true });
  h.writeHalfwords(CODE_BASE, halfwords);
  return h;
}

export function readWord(h: Harness, address: number): number {
  return new DataView(h.bus.ram.buffer).getUint32(address - RAM_BASE, true);
}

export function writeData(h: Harness, address: number, words: readonly number[]): void {
  const view = new DataView(h.bus.ram.buffer);
  words.forEach((w, i) => view.setUint32(address - RAM_BASE + 4 * i, w >>> 0, true));
}

/** Register value as an unsigned number, for comparisons with hex literals. */
export function reg(h: Harness, n: number): number {
  return h.cpu.r[n]! >>> 0;
}

/** The words 0x03020100, 0x07060504, ... : byte i of DATA is i, then a few signed patterns. */
export const DATA_WORDS = [0x03020100, 0x07060504, 0x0b0a0908, 0x0f0e0d0c, 0x8180ff7f, 0xdeadbeef, 0x12345678, 0x9abcdef0];

export { CODE_BASE };


/** Whether an encoding decodes (false: UNDEFINED), straight from the decode tables. */
export function decodesA32(word: number, ctx: DecodeContext = OUTSIDE_IT): boolean {
  const table = word >>> 28 === 0xf ? a32UnconditionalTable : a32ConditionalTable;
  return table.decode(word, ctx) !== null;
}

export function decodesT16(halfword: number, ctx: DecodeContext = OUTSIDE_IT): boolean {
  return t16Table.decode(halfword, ctx) !== null;
}

/** A 32-bit T32 instruction given as its two halfwords. */
export function decodesT32(hw1: number, hw2: number, ctx: DecodeContext = OUTSIDE_IT): boolean {
  return t32Table.decode((hw1 << 16) | hw2, ctx) !== null;
}

/** An A32 harness with DATA_WORDS at DATA and the given registers set. */
export function armWithData(words: readonly number[], registers: Record<number, number>): Harness {
  return withData(arm(words), registers);
}

/** A T32 harness with DATA_WORDS at DATA and the given registers set. */
export function thumbWithData(halfwords: readonly number[], registers: Record<number, number>): Harness {
  return withData(thumb(halfwords), registers);
}

function withData(h: Harness, registers: Record<number, number>): Harness {
  writeData(h, DATA, DATA_WORDS);
  for (const [n, v] of Object.entries(registers)) h.cpu.r[Number(n)] = v;
  return h;
}
