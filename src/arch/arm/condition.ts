import type { Cpu } from './cpu.js';

/**
 * ConditionHolds() by cond[3:1] (ARM ARM A8.3, table A8-1), as source over `cpu`'s flags: a
 * translated block embeds the one its instruction needs, and conditionPassed is compiled from
 * them. Index 7 (AL, and 0b1111 where it is a condition at all) always holds.
 */
const HOLDS: readonly string[] = [
  'cpu.zf === 1', // EQ / NE
  'cpu.cf === 1', // CS / CC
  'cpu.nf === 1', // MI / PL
  'cpu.vf === 1', // VS / VC
  'cpu.cf === 1 && cpu.zf === 0', // HI / LS
  'cpu.nf === cpu.vf', // GE / LT
  'cpu.nf === cpu.vf && cpu.zf === 0', // GT / LE
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
