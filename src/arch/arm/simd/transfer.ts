import type { Instr } from '../decode-table.js';
import { simdEnabled } from './enable.js';
import { readLane, readSignedLane, replicate, writeLane } from './lanes.js';

/**
 * Advanced SIMD transfers (ARM ARM A7.8): VMOV between an ARM core register and an 8- or 16-bit
 * scalar (the 32-bit forms are floating-point instructions, vfp/semantics-transfer.ts), VDUP
 * from a core register or a scalar, and the one-register modified-immediate instructions.
 */

/** VMOV.<size> Dd[x], Rt: the low bits of R[t] into one lane. */
export function coreToScalar(d: number, index: number, ebytes: number, t: number): Instr {
  return (cpu) => {
    if (!simdEnabled(cpu)) return cpu.undefinedInstruction();
    writeLane(cpu.vfp, d, index, ebytes, cpu.r[t]!);
  };
}

/** VMOV.<dt> Rt, Dn[x]: one lane, sign- or zero-extended. */
export function scalarToCore(n: number, index: number, ebytes: number, unsigned: boolean, t: number): Instr {
  return (cpu) => {
    if (!simdEnabled(cpu)) return cpu.undefinedInstruction();
    cpu.r[t] = unsigned ? readLane(cpu.vfp, n, index, ebytes) : readSignedLane(cpu.vfp, n, index, ebytes);
  };
}

/** VDUP.<size> Dd/Qd, Rt. */
export function duplicateCore(d: number, regs: number, ebytes: number, t: number): Instr {
  return (cpu) => {
    if (!simdEnabled(cpu)) return cpu.undefinedInstruction();
    const value = cpu.r[t]!;
    for (let r = 0; r < regs; r++) replicate(cpu.vfp, d + r, ebytes, value);
  };
}

/** VDUP.<size> Dd/Qd, Dm[x] (the scalar is read before any register is written: Dd may be Dm). */
export function duplicateScalar(d: number, regs: number, ebytes: number, m: number, index: number): Instr {
  return (cpu) => {
    if (!simdEnabled(cpu)) return cpu.undefinedInstruction();
    const value = readLane(cpu.vfp, m, index, ebytes);
    for (let r = 0; r < regs; r++) replicate(cpu.vfp, d + r, ebytes, value);
  };
}

export const enum ImmediateOp {
  /** VMOV and VMVN (immediate, the constant inverted at decode time). */
  Move,
  Or,
  BitClear,
}

/** VMOV/VMVN/VORR/VBIC (immediate) with the 64-bit constant (low, high) from AdvSIMDExpandImm. */
export function immediate(op: ImmediateOp, d: number, regs: number, low: number, high: number): Instr {
  return (cpu) => {
    if (!simdEnabled(cpu)) return cpu.undefinedInstruction();
    const w = cpu.vfp.words;
    for (let i = 2 * d; i < 2 * (d + regs); i += 2) {
      if (op === ImmediateOp.Move) {
        w[i] = low;
        w[i + 1] = high;
      } else if (op === ImmediateOp.Or) {
        w[i] |= low;
        w[i + 1] |= high;
      } else {
        w[i] &= ~low;
        w[i + 1] &= ~high;
      }
    }
  };
}
