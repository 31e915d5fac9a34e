import type { Cpu } from './cpu.js';

/** ConditionPassed() for a 4-bit condition code (ARM ARM A8.3, table A8-1). */
export function conditionPassed(cpu: Cpu, cond: number): boolean {
  let result: boolean;
  switch (cond >>> 1) {
    case 0: result = cpu.zf === 1; break; // EQ / NE
    case 1: result = cpu.cf === 1; break; // CS / CC
    case 2: result = cpu.nf === 1; break; // MI / PL
    case 3: result = cpu.vf === 1; break; // VS / VC
    case 4: result = cpu.cf === 1 && cpu.zf === 0; break; // HI / LS
    case 5: result = cpu.nf === cpu.vf; break; // GE / LT
    case 6: result = cpu.nf === cpu.vf && cpu.zf === 0; break; // GT / LE
    default: return true; // AL, and 0b1111 which is "always" where it is a condition at all
  }
  return (cond & 1) === 1 ? !result : result;
}

/** ITAdvance() (A2.5.2): the ITSTATE after an instruction of an IT block. */
export function itAdvance(it: number): number {
  return (it & 7) === 0 ? 0 : (it & 0xe0) | ((it << 1) & 0x1f);
}
