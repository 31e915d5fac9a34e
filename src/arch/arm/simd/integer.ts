import { saturated, signedSat, unsignedSat } from '../alu.js';
import { smul64, umul64, wideHi, wideLo } from '../isa-data/wide-math.js';
import { absDiff64, add64, int64Hi, int64Lo, satAdd64, satDoublingMul64, satSub64, shiftByAmount64, sub64 } from './int64.js';
import { saturation } from './saturation.js';

export { saturation };

/**
 * Lane arithmetic of the Advanced SIMD integer instructions (ARM ARM A8 pseudocode of VADD ...
 * VQRDMULH), shared by their same-length, long, narrow, scalar and shift forms. Lanes of up to 32
 * bits are exact JS numbers (signed or unsigned as the instruction reads them; results are
 * truncated to the lane when stored); 64-bit lanes are (hi:lo) pairs of 32-bit words (`lane64`,
 * int64.ts), the one place where a result can exceed 2^53. Saturation sets `saturation.qc`, which the instruction ORs into FPSCR.QC.
 */

export const enum IntOp {
  Add,
  Sub,
  HalvingAdd,
  RoundingHalvingAdd,
  HalvingSub,
  SatAdd,
  SatSub,
  CompareGt,
  CompareGe,
  CompareEq,
  Test,
  Max,
  Min,
  AbsDiff,
  /** acc + |a - b| */
  AbsDiffAccumulate,
  /** VSHL, VQSHL, VRSHL, VQRSHL (register): shift a by the signed low byte of b. */
  Shift,
  SatShift,
  RoundingShift,
  SatRoundingShift,
  Mul,
  /** acc + a * b */
  MulAccumulate,
  /** acc - a * b */
  MulSubtract,
  PolyMul,
  /** (2 * a * b) >> bits, saturated (VQDMULH) */
  SatDoublingMulHigh,
  SatRoundingDoublingMulHigh,
  /** 2 * a * b, saturated (VQDMULL) */
  SatDoublingMul,
  /** acc + 2 * a * b, each step saturated (VQDMLAL) */
  SatDoublingMulAccumulate,
  SatDoublingMulSubtract,
}

/** SignedSatQ / UnsignedSatQ of an exact value to `bits` (alu.ts), QC set if it clipped. */
export function saturate(x: number, bits: number, unsigned: boolean): number {
  const result = unsigned ? unsignedSat(x, bits) : signedSat(x, bits);
  if (saturated) saturation.qc = true;
  return result;
}

/**
 * a shifted left by `shift` (right when negative, rounding if asked), exact, then saturated or
 * left for truncation (A8 VSHL/VRSHL/VQSHL/VQRSHL (register), VSHR...).
 */
export function shiftValue(a: number, shift: number, bits: number, unsigned: boolean, rounding: boolean, saturating: boolean): number {
  let v: number;
  if (shift >= 0) {
    v = a * 2 ** shift;
    if (!saturating && shift >= bits) return 0;
  } else {
    const s = -shift;
    v = Math.floor((a + (rounding ? 2 ** (s - 1) : 0)) / 2 ** s);
  }
  return saturating ? saturate(v, bits, unsigned) : v;
}

/** PolynomialMult of two 8-bit values (the low 8 bits are kept when stored). */
function polyMul(a: number, b: number): number {
  let r = 0;
  for (let i = 0; i < 8; i++) if (((b >>> i) & 1) !== 0) r ^= (a & 0xff) << i;
  return r;
}

/** High half of 2 * a * b (+ rounding) for 32-bit signed a, b; saturates only for a = b = -2^31. */
function doublingMulHigh32(a: number, b: number, rounding: boolean): number {
  if (a === -0x80000000 && b === -0x80000000) {
    saturation.qc = true;
    return 0x7fffffff;
  }
  smul64(a, b);
  const low2 = (wideLo >>> 0) * 2 + (rounding ? 0x80000000 : 0);
  return (wideHi * 2 + Math.floor(low2 / 0x100000000)) | 0;
}

/**
 * One lane of `op` for lanes of `bits` <= 32 (the result's width: 2 * esize for the long forms).
 * Comparisons return -1 (all ones) or 0.
 */
export function lane(op: IntOp, a: number, b: number, acc: number, bits: number, unsigned: boolean): number {
  switch (op) {
    case IntOp.Add: return a + b;
    case IntOp.Sub: return a - b;
    case IntOp.HalvingAdd: return Math.floor((a + b) / 2);
    case IntOp.RoundingHalvingAdd: return Math.floor((a + b + 1) / 2);
    case IntOp.HalvingSub: return Math.floor((a - b) / 2);
    case IntOp.SatAdd: return saturate(a + b, bits, unsigned);
    case IntOp.SatSub: return saturate(a - b, bits, unsigned);
    case IntOp.CompareGt: return a > b ? -1 : 0;
    case IntOp.CompareGe: return a >= b ? -1 : 0;
    case IntOp.CompareEq: return a === b ? -1 : 0;
    case IntOp.Test: return (a & b) !== 0 ? -1 : 0;
    case IntOp.Max: return a > b ? a : b;
    case IntOp.Min: return a < b ? a : b;
    case IntOp.AbsDiff: return Math.abs(a - b);
    case IntOp.AbsDiffAccumulate: return acc + Math.abs(a - b);
    case IntOp.Shift: return shiftValue(a, (b << 24) >> 24, bits, unsigned, false, false);
    case IntOp.SatShift: return shiftValue(a, (b << 24) >> 24, bits, unsigned, false, true);
    case IntOp.RoundingShift: return shiftValue(a, (b << 24) >> 24, bits, unsigned, true, false);
    case IntOp.SatRoundingShift: return shiftValue(a, (b << 24) >> 24, bits, unsigned, true, true);
    case IntOp.Mul: return bits === 32 ? Math.imul(a, b) : a * b;
    case IntOp.MulAccumulate: return bits === 32 ? (acc + Math.imul(a, b)) | 0 : acc + a * b;
    case IntOp.MulSubtract: return bits === 32 ? (acc - Math.imul(a, b)) | 0 : acc - a * b;
    case IntOp.PolyMul: return polyMul(a, b);
    case IntOp.SatDoublingMulHigh:
    case IntOp.SatRoundingDoublingMulHigh: {
      const rounding = op === IntOp.SatRoundingDoublingMulHigh;
      if (bits === 32) return doublingMulHigh32(a, b, rounding);
      return saturate(Math.floor((2 * a * b + (rounding ? 2 ** (bits - 1) : 0)) / 2 ** bits), bits, false);
    }
    case IntOp.SatDoublingMul: return saturate(2 * a * b, bits, false);
    case IntOp.SatDoublingMulAccumulate: return saturate(acc + saturate(2 * a * b, bits, false), bits, false);
    default: return saturate(acc - saturate(2 * a * b, bits, false), bits, false);
  }
}

/**
 * `lane` for 64-bit lanes (VADD.I64 ..., and the long forms of 32-bit elements), on (hi:lo) word
 * pairs; the result is left in int64Hi / int64Lo. The multiplies take 32-bit elements (their
 * low words; the long forms' operands are those elements widened).
 */
export function lane64(op: IntOp, aHi: number, aLo: number, bHi: number, bLo: number, accHi: number, accLo: number, unsigned: boolean): void {
  switch (op) {
    case IntOp.Add: add64(aHi, aLo, bHi, bLo); return;
    case IntOp.Sub: sub64(aHi, aLo, bHi, bLo); return;
    case IntOp.SatAdd: return satAdd64(aHi, aLo, bHi, bLo, unsigned);
    case IntOp.SatSub: return satSub64(aHi, aLo, bHi, bLo, unsigned);
    case IntOp.Shift: return shiftByAmount64(aHi, aLo, (bLo << 24) >> 24, unsigned, false, false);
    case IntOp.SatShift: return shiftByAmount64(aHi, aLo, (bLo << 24) >> 24, unsigned, false, true);
    case IntOp.RoundingShift: return shiftByAmount64(aHi, aLo, (bLo << 24) >> 24, unsigned, true, false);
    case IntOp.SatRoundingShift: return shiftByAmount64(aHi, aLo, (bLo << 24) >> 24, unsigned, true, true);
    case IntOp.AbsDiff: return absDiff64(aHi, aLo, bHi, bLo, unsigned);
    case IntOp.AbsDiffAccumulate:
      absDiff64(aHi, aLo, bHi, bLo, unsigned);
      add64(accHi, accLo, int64Hi, int64Lo);
      return;
    case IntOp.Mul:
    case IntOp.MulAccumulate:
    case IntOp.MulSubtract:
      if (unsigned) umul64(aLo, bLo);
      else smul64(aLo, bLo);
      if (op === IntOp.Mul) add64(wideHi, wideLo, 0, 0);
      else if (op === IntOp.MulAccumulate) add64(accHi, accLo, wideHi, wideLo);
      else sub64(accHi, accLo, wideHi, wideLo);
      return;
    case IntOp.SatDoublingMul: return satDoublingMul64(aLo, bLo);
    case IntOp.SatDoublingMulAccumulate:
      satDoublingMul64(aLo, bLo);
      return satAdd64(accHi, accLo, int64Hi, int64Lo, false);
    case IntOp.SatDoublingMulSubtract:
      satDoublingMul64(aLo, bLo);
      return satSub64(accHi, accLo, int64Hi, int64Lo, false);
    default: throw new Error(`Advanced SIMD: no 64-bit lanes for operation ${op}`);
  }
}
