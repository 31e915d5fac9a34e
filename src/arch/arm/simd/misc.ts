import type { Instr } from '../decode-table.js';
import { FPSCR_QC } from '../vfp/semantics-transfer.js';
import { simdEnabled } from './enable.js';
import { add64, fromNumber64, int64Hi, int64Lo, saturateToWord } from './int64.js';
import { saturate, saturation } from './integer.js';
import { high64, low64, readLane, readValue, writeLane, writeValue64 } from './lanes.js';

/**
 * The integer "two registers, miscellaneous" instructions (ARM ARM A7.4.5): VREV, VPADDL/VPADAL,
 * VCLS, VCLZ, VCNT, VMVN, VQABS, VQNEG, VABS, VNEG, the compares with zero, VMOVN/VQMOVN/VQMOVUN.
 */

export const enum Unary {
  CountLeadingSign,
  CountLeadingZeros,
  CountOnes,
  Not,
  SatAbs,
  SatNeg,
  Abs,
  Neg,
  CompareGtZero,
  CompareGeZero,
  CompareEqZero,
  CompareLeZero,
  CompareLtZero,
}

function countLeadingZeros(x: number, bits: number): number {
  return Math.clz32(x) - (32 - bits);
}

function unaryLane(op: Unary, a: number, bits: number): number {
  switch (op) {
    case Unary.CountLeadingSign: return countLeadingZeros((a < 0 ? ~a : a) & (2 ** bits - 1), bits) - 1;
    case Unary.CountLeadingZeros: return countLeadingZeros(a, bits);
    case Unary.CountOnes: {
      let n = 0;
      for (let x = a; x !== 0; x &= x - 1) n++;
      return n;
    }
    case Unary.Not: return ~a;
    case Unary.SatAbs: return saturate(Math.abs(a), bits, false);
    case Unary.SatNeg: return saturate(-a, bits, false);
    case Unary.Abs: return Math.abs(a);
    case Unary.Neg: return -a;
    case Unary.CompareGtZero: return a > 0 ? -1 : 0;
    case Unary.CompareGeZero: return a >= 0 ? -1 : 0;
    case Unary.CompareEqZero: return a === 0 ? -1 : 0;
    case Unary.CompareLeZero: return a <= 0 ? -1 : 0;
    default: return a < 0 ? -1 : 0;
  }
}

/** An element-wise unary operation; VCLZ and VCNT read unsigned elements, the others signed ones. */
export function unaryInteger(op: Unary, d: number, m: number, regs: number, ebytes: number): Instr {
  const lanes = (8 * regs) / ebytes;
  const bits = 8 * ebytes;
  const unsigned = op === Unary.CountLeadingZeros || op === Unary.CountOnes;
  return (cpu) => {
    if (!simdEnabled(cpu)) return cpu.undefinedInstruction();
    const v = cpu.vfp;
    saturation.qc = false;
    for (let e = 0; e < lanes; e++) writeLane(v, d, e, ebytes, unaryLane(op, readValue(v, m, e, ebytes, unsigned), bits));
    if (saturation.qc) v.fpscr |= FPSCR_QC;
  };
}

const staged = new Float64Array(16);

/** VREV16/32/64: the elements of each `groupBytes` group in reverse order. */
export function reverse(d: number, m: number, regs: number, ebytes: number, groupBytes: number): Instr {
  const lanes = (8 * regs) / ebytes;
  const flip = groupBytes / ebytes - 1;
  return (cpu) => {
    if (!simdEnabled(cpu)) return cpu.undefinedInstruction();
    const v = cpu.vfp;
    for (let e = 0; e < lanes; e++) staged[e] = readLane(v, m, e ^ flip, ebytes);
    for (let e = 0; e < lanes; e++) writeLane(v, d, e, ebytes, staged[e]!);
  };
}

/** VPADDL, VPADAL: adjacent pairs of elements added into elements twice as wide (accumulated into Dd). */
export function pairwiseLong(d: number, m: number, regs: number, ebytes: number, unsigned: boolean, accumulate: boolean): Instr {
  const wideLanes = (4 * regs) / ebytes;
  return (cpu) => {
    if (!simdEnabled(cpu)) return cpu.undefinedInstruction();
    const v = cpu.vfp;
    for (let e = 0; e < wideLanes; e++) {
      const sum = readValue(v, m, 2 * e, ebytes, unsigned) + readValue(v, m, 2 * e + 1, ebytes, unsigned);
      if (ebytes === 4) {
        fromNumber64(sum);
        if (accumulate) add64(int64Hi, int64Lo, high64(v, d, e), low64(v, d, e));
        writeValue64(v, d, e, int64Hi, int64Lo);
      } else writeLane(v, d, e, 2 * ebytes, sum + (accumulate ? readLane(v, d, e, 2 * ebytes) : 0));
    }
  };
}

export const enum Narrow {
  /** VMOVN */
  Truncate,
  /** VQMOVN.S */
  Signed,
  /** VQMOVN.U */
  Unsigned,
  /** VQMOVUN: signed elements to unsigned results */
  SignedToUnsigned,
}

/** VMOVN, VQMOVN, VQMOVUN: Dd (elements of `ebytes`) from the elements of Qm, twice as wide. */
export function moveNarrow(mode: Narrow, d: number, m: number, ebytes: number): Instr {
  const lanes = 8 / ebytes;
  const bits = 8 * ebytes;
  const sourceUnsigned = mode === Narrow.Unsigned || mode === Narrow.Truncate;
  const resultUnsigned = mode !== Narrow.Signed;
  return (cpu) => {
    if (!simdEnabled(cpu)) return cpu.undefinedInstruction();
    const v = cpu.vfp;
    saturation.qc = false;
    for (let e = 0; e < lanes; e++) {
      if (ebytes === 4) {
        const lo = low64(v, m, e);
        staged[e] = mode === Narrow.Truncate ? lo : saturateToWord(high64(v, m, e), lo, sourceUnsigned, resultUnsigned);
      } else {
        const a = readValue(v, m, e, 2 * ebytes, sourceUnsigned);
        staged[e] = mode === Narrow.Truncate ? a : saturate(a, bits, resultUnsigned);
      }
    }
    for (let e = 0; e < lanes; e++) writeLane(v, d, e, ebytes, staged[e]!);
    if (saturation.qc) v.fpscr |= FPSCR_QC;
  };
}
