import type { CpuFeatures } from '../../../../src/arch/arm/cpu.js';
import { CODE_BASE, RAM_BASE, makeHarness, type Harness } from '../../../support/cpu-harness.js';

/** Helpers of the Advanced SIMD unit tests: a processor with NEON, D registers as 64-bit hex strings. */

export const NEON: CpuFeatures = { hasEl2: false, hasEl3: false, hasNeon: true };
export const DATA = RAM_BASE + 0x8000;
/** Where the harness vectors Undefined Instruction exceptions (VBAR + 4). */
export const UNDEF_VECTOR = RAM_BASE + 4;

export function neonHarness(thumb = false, features: CpuFeatures = NEON): Harness {
  const h = makeHarness({ thumb, features });
  h.cpu.cp15.vbar = RAM_BASE;
  return h;
}

/** Runs one instruction: an A32 word, or a T32 one given as (hw1 << 16) | hw2. Returns whether it was UNDEFINED. */
export function run(h: Harness, word: number): boolean {
  if (h.cpu.thumb) h.writeHalfwords(CODE_BASE, [word >>> 16, word & 0xffff]);
  else h.writeWords(CODE_BASE, [word]);
  h.cpu.pc = CODE_BASE;
  h.run(1);
  return h.cpu.pc === UNDEF_VECTOR;
}

export function setD(h: Harness, n: number, value: bigint): void {
  h.cpu.vfp.u64[n] = BigInt.asUintN(64, value);
}

/** D(n) as 16 hex digits. */
export function getD(h: Harness, n: number): string {
  return h.cpu.vfp.u64[n]!.toString(16).padStart(16, '0');
}

export function setBytes(h: Harness, address: number, bytes: readonly number[]): void {
  h.bus.ram.set(bytes, address - RAM_BASE);
}

export function getBytes(h: Harness, address: number, count: number): number[] {
  return Array.from(h.bus.ram.subarray(address - RAM_BASE, address - RAM_BASE + count));
}

/** Bytes 0, 1, 2, ... at DATA. */
export function countingBytes(h: Harness, count = 64): void {
  setBytes(h, DATA, Array.from({ length: count }, (_, i) => i));
}
