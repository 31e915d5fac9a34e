import type { Instr } from '../decode-table.js';
import { vfpEnabled } from './enable.js';
import { beginOp, fp } from './softfloat-env.js';
import {
  exactToF32, f16ToF32, f32ToF16, f32ToF64, f32ToFixed, f64ToF32, f64ToFixed, fixedValue,
} from './softfloat-convert.js';

/**
 * Semantics of the VCVT family (ARM ARM A8, "VCVT ..."). Integers are fixed-point values with
 * no fraction bits; float-to-integer conversions round towards zero (VCVT) or in the FPSCR mode
 * (VCVTR), float-to-fixed always towards zero, integer-to-float in the FPSCR mode and
 * fixed-to-float to nearest.
 */

/** VCVT (between double-precision and single-precision): F64.F32 when `toDouble`. */
export function convertPrecision(toDouble: boolean, d: number, m: number): Instr {
  return (cpu) => {
    if (!vfpEnabled(cpu)) return cpu.undefinedInstruction();
    const v = cpu.vfp;
    beginOp(v.fpscr);
    if (toDouble) f32ToF64(v.words, v.doubles, d, v.words[m]!);
    else v.words[d] = f64ToF32(v.words, v.doubles, m);
    v.fpscr |= fp.flags;
  };
}

/**
 * VCVT/VCVTR (between floating-point and integer) towards an integer, and VCVT (between
 * floating-point and fixed-point) towards fixed point: Sd (integer) or the same register (fixed).
 * `d` is an S index for integer results; for fixed-point doubles, the D index (result extended
 * to 64 bits).
 */
export function toFixedPoint(
  double: boolean, d: number, m: number, fractionBits: number, unsigned: boolean, size: number,
  towardZero: boolean, wideResult: boolean,
): Instr {
  return (cpu) => {
    if (!vfpEnabled(cpu)) return cpu.undefinedInstruction();
    const v = cpu.vfp;
    beginOp(v.fpscr);
    const r = double
      ? f64ToFixed(v.words, v.doubles, m, fractionBits, unsigned, size, towardZero)
      : f32ToFixed(v.words[m]!, fractionBits, unsigned, size, towardZero);
    if (wideResult) {
      v.words[2 * d] = r;
      v.words[2 * d + 1] = unsigned || r >= 0 ? 0 : -1;
    } else {
      v.words[d] = r;
    }
    v.fpscr |= fp.flags;
  };
}

const FPSCR_RMODE = 0x00c00000;

/**
 * VCVT from integer (source Sm) or fixed point (source and destination the same register) to
 * floating point. Integers round in the FPSCR mode; fixed point always to nearest (FixedToFP
 * with round_to_nearest in "VCVT (between floating-point and fixed-point)", as QEMU's
 * *_round_to_nearest helpers). `m` is an S index, or for fixed-point doubles the D index whose
 * low word is used.
 */
export function fromFixedPoint(
  double: boolean, d: number, m: number, fractionBits: number, unsigned: boolean, size: number, sourceIsDouble: boolean,
  roundToNearest: boolean,
): Instr {
  return (cpu) => {
    if (!vfpEnabled(cpu)) return cpu.undefinedInstruction();
    const v = cpu.vfp;
    const value = fixedValue(v.words[sourceIsDouble ? 2 * m : m]!, fractionBits, unsigned, size);
    if (double) {
      v.doubles[d] = value; // exact: at most 32 significant bits
      return;
    }
    beginOp(roundToNearest ? v.fpscr & ~FPSCR_RMODE : v.fpscr);
    v.words[d] = exactToF32(value);
    v.fpscr |= fp.flags;
  };
}

/**
 * VCVTB, VCVTT (between half-precision and single-precision): the half is bits [15:0]
 * (B) or [31:16] (T) of the S register; a half result leaves the other half of Sd unchanged.
 */
export function convertHalf(toHalf: boolean, top: boolean, d: number, m: number): Instr {
  const shift = top ? 16 : 0;
  return (cpu) => {
    if (!vfpEnabled(cpu)) return cpu.undefinedInstruction();
    const v = cpu.vfp;
    const w = v.words;
    beginOp(v.fpscr);
    if (toHalf) {
      const h = f32ToF16(w[m]!);
      w[d] = (w[d]! & ~(0xffff << shift)) | (h << shift);
    } else {
      w[d] = f16ToF32((w[m]! >>> shift) & 0xffff);
    }
    v.fpscr |= fp.flags;
  };
}
