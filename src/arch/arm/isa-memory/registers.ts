import type { Cpu } from '../cpu.js';
import type { DecodeContext } from '../decode-table.js';

/**
 * Register reads and writes shared by the load/store semantics, with the PC rules of ARM ARM
 * A2.3.1 and the choices QEMU 7.2 makes where the architecture leaves them open.
 */

/**
 * Base register value for address computation: R[n], or Align(PC, 4) when n is the PC (the
 * literal forms, A8.8.64 and friends; in A32 the PC is already word aligned).
 */
export const baseValue = new Function(
  'cpu', 'n', `"use strict"; const r = cpu.r; return n === 15 ? ${baseValueSource('n', true)} : ${baseValueSource('n', false)};`,
) as (cpu: Cpu, n: number) => number;

/** baseValue as a source expression over `r` (semantics-call.ts), `pcBase` telling whether Rn (the expression `n`) is the PC. */
export function baseValueSource(n: string, pcBase: boolean): string {
  return pcBase ? 'r[15] & ~3' : `r[${n}]`;
}

/**
 * A plain register write (base writeback, LDRD, SWP): a write to the PC, UNPREDICTABLE in all of
 * these, is a branch without interworking as QEMU's store_reg makes it.
 */
export function writeRegister(cpu: Cpu, n: number, value: number): void {
  if (n === 15) cpu.branchWritePc(value);
  else cpu.r[n] = value;
}

/** The registers of a register list in ascending order (decode time only). */
export function registerList(list: number): Int8Array {
  const regs: number[] = [];
  for (let i = 0; i < 16; i++) if ((list >>> i) & 1) regs.push(i);
  return Int8Array.from(regs);
}

export function bitCount(x: number): number {
  let n = 0;
  for (let v = x >>> 0; v !== 0; v &= v - 1) n++;
  return n;
}

/** Bits [hi:lo] of an instruction word (decode time). */
export function bits(word: number, hi: number, lo: number): number {
  return (word >>> lo) & ((1 << (hi - lo + 1)) - 1);
}

/** Bit `n` of an instruction word, 0 or 1. */
export function bit(word: number, n: number): number {
  return (word >>> n) & 1;
}

/**
 * A T32 instruction that loads the PC inside an IT block must be the block's last instruction
 * (A8.8.x: "if t == 15 && InITBlock() && !LastInITBlock() then UNPREDICTABLE"); we UNDEF otherwise.
 */
export function pcLoadAllowed(ctx: DecodeContext): boolean {
  return !ctx.inItBlock || ctx.lastInItBlock;
}
