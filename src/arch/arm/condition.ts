import type { Cpu } from './cpu.js';

/**
 * ConditionHolds() by cond[3:1] (ARM ARM A8.3, table A8-1), as source over `cpu`'s flags: a
 * translated block embeds the one its instruction needs, and conditionPassed is compiled from
 * them. Index 7 (AL, and 0b1111 where it is a condition at all) always holds. A flag is tested
 * against 0 and two flags are combined with bit operations, one comparison for the engine to
 * branch on: Linux's zImage decompressor ran about 2% faster than with `=== 1` and `&&`.
 */
const HOLDS: readonly string[] = [
  'cpu.zf !== 0', // EQ / NE
  'cpu.cf !== 0', // CS / CC
  'cpu.nf !== 0', // MI / PL
  'cpu.vf !== 0', // VS / VC
  '(cpu.cf & ~cpu.zf) !== 0', // HI / LS: C set and Z clear
  'cpu.nf === cpu.vf', // GE / LT
  '((cpu.nf ^ cpu.vf) | cpu.zf) === 0', // GT / LE: N equals V and Z clear
];

/** ConditionPassed() for a 4-bit condition code, as a source expression. */
export function conditionSource(cond: number): string {
  const holds = HOLDS[cond >>> 1];
  if (holds === undefined) return 'true';
  return (cond & 1) === 1 ? `!(${holds})` : `(${holds})`;
}

/** ConditionPassed() for a 4-bit condition code. */
export const conditionPassed = new Function(
  'cpu', 'cond',
  `"use strict"; switch (cond) { ${Array.from({ length: 16 }, (_, cond) => `case ${cond}: return ${conditionSource(cond)};`).join(' ')} } return true;`,
) as (cpu: Cpu, cond: number) => boolean;

/** ITAdvance() (A2.5.2): the ITSTATE after an instruction of an IT block. */
export function itAdvance(it: number): number {
  return (it & 7) === 0 ? 0 : (it & 0xe0) | ((it << 1) & 0x1f);
}
