import type { Instr } from '../decode-table.js';
import { exactToF32, f16ToF32, f32ToF16, f32ToFixed, fixedValue } from '../vfp/softfloat-convert.js';
import {
  beginOp, FLAG_IDC, FLAG_IOC, FPSCR_AHP, FPSCR_DN, FPSCR_FZ, f32Value, flushInput32, fp, isNaN32, nanKind32, processNaNs32,
} from '../vfp/softfloat-env.js';
import { f32Add, f32Div, f32Mul, f32MulAdd, f32Sub } from '../vfp/softfloat-f32.js';
import type { VfpState } from '../vfp/vfp-state.js';
import { simdEnabled } from './enable.js';

/**
 * Advanced SIMD single-precision arithmetic (ARM ARM A8: VADD ... VRSQRTS (floating-point), the
 * compares, VABS/VNEG, the conversions). Advanced SIMD arithmetic ignores the FPSCR controls and
 * uses the "standard FPSCR value" (A2.7.x StandardFPSCRValue: flush-to-zero, default NaN, round
 * to nearest, FPSCR.AHP kept); the exceptions it raises still accumulate in FPSCR.
 */

const SIGN = 0x80000000 | 0;
const ONE_POINT_FIVE = 0x3fc00000;
const TWO = 0x40000000;
const THREE = 0x40400000;

export function beginStandard(v: VfpState): void {
  beginOp((v.fpscr & FPSCR_AHP) | FPSCR_DN | FPSCR_FZ);
}

export const enum FloatOp {
  Add,
  Sub,
  Mul,
  /** d + n * m, rounded twice (VMLA) */
  MulAccumulate,
  /** d - n * m, rounded twice (VMLS) */
  MulSubtract,
  /** d + n * m fused (VFMA) */
  FusedMulAdd,
  /** d - n * m fused (VFMS) */
  FusedMulSub,
  AbsDiff,
  Max,
  Min,
  CompareEq,
  CompareGe,
  CompareGt,
  AbsCompareGe,
  AbsCompareGt,
  /** 2 - n * m (VRECPS) */
  ReciprocalStep,
  /** (3 - n * m) / 2 (VRSQRTS) */
  ReciprocalSqrtStep,
}

/** FPMax/FPMin (ARMv7: NaNs propagate; max(+0, -0) = +0, min = -0). */
function maxMin(a: number, b: number, max: boolean): number {
  a = flushInput32(a);
  b = flushInput32(b);
  if (isNaN32(a) || isNaN32(b)) return processNaNs32(a, b);
  const x = f32Value(a);
  const y = f32Value(b);
  if (x === y) return max ? a & b : a | b; // equal values: only zeros of both signs differ
  return (x > y) === max ? a : b;
}

/** FPCompareEQ/GE/GT: NaNs are unordered; only EQ is quiet on quiet NaNs. */
function compare(op: FloatOp, a: number, b: number): number {
  a = flushInput32(a);
  b = flushInput32(b);
  if (isNaN32(a) || isNaN32(b)) {
    if (op !== FloatOp.CompareEq || nanKind32(a) === 2 || nanKind32(b) === 2) fp.flags |= FLAG_IOC;
    return 0;
  }
  const x = f32Value(a);
  const y = f32Value(b);
  const r = op === FloatOp.CompareEq ? x === y : op === FloatOp.CompareGe ? x >= y : x > y;
  return r ? -1 : 0;
}

const isInfinity = (a: number): boolean => (a & 0x7fffffff) === 0x7f800000;
const isZeroOrDenormal = (a: number): boolean => (a & 0x7f800000) === 0;

/** VRECPS/VRSQRTS: infinity times zero gives the exact answer for 2 - 0 (3 - 0) (QEMU helper_recps_f32). */
function step(a: number, b: number, sqrt: boolean): number {
  if ((isInfinity(a) && isZeroOrDenormal(b)) || (isInfinity(b) && isZeroOrDenormal(a))) {
    if ((a & 0x7fffffff) !== 0 && (b & 0x7fffffff) !== 0) fp.flags |= FLAG_IDC;
    return sqrt ? ONE_POINT_FIVE : TWO;
  }
  const product = f32Mul(a, b);
  return sqrt ? f32Div(f32Sub(THREE, product), TWO) : f32Sub(TWO, product);
}

export function floatLane(op: FloatOp, d: number, n: number, m: number): number {
  switch (op) {
    case FloatOp.Add: return f32Add(n, m);
    case FloatOp.Sub: return f32Sub(n, m);
    case FloatOp.Mul: return f32Mul(n, m);
    case FloatOp.MulAccumulate: return f32Add(d, f32Mul(n, m));
    case FloatOp.MulSubtract: return f32Sub(d, f32Mul(n, m));
    case FloatOp.FusedMulAdd: return f32MulAdd(d, n, m);
    case FloatOp.FusedMulSub: return f32MulAdd(d, n ^ SIGN, m);
    case FloatOp.AbsDiff: return f32Sub(n, m) & 0x7fffffff;
    case FloatOp.Max: return maxMin(n, m, true);
    case FloatOp.Min: return maxMin(n, m, false);
    case FloatOp.AbsCompareGe: return compare(FloatOp.CompareGe, n & 0x7fffffff, m & 0x7fffffff);
    case FloatOp.AbsCompareGt: return compare(FloatOp.CompareGt, n & 0x7fffffff, m & 0x7fffffff);
    case FloatOp.ReciprocalStep: return step(n, m, false);
    case FloatOp.ReciprocalSqrtStep: return step(n, m, true);
    default: return compare(op, n, m);
  }
}

/** The three-register single-precision operations, lane by lane over `regs` D registers. */
export function threeSameFloat(op: FloatOp, d: number, n: number, m: number, regs: number): Instr {
  return (cpu) => {
    if (!simdEnabled(cpu)) return cpu.undefinedInstruction();
    const v = cpu.vfp;
    const w = v.rawWords;
    beginStandard(v);
    for (let e = 2 * d, i = 2 * n, k = 2 * m; e < 2 * (d + regs); e++, i++, k++) w[e] = floatLane(op, w[e]!, w[i]!, w[k]!);
    v.fpscr |= fp.flags;
  };
}

/** VPADD, VPMAX, VPMIN (floating-point): Dd = op(Dn[0], Dn[1]), op(Dm[0], Dm[1]). */
export function pairwiseFloat(op: FloatOp, d: number, n: number, m: number): Instr {
  return (cpu) => {
    if (!simdEnabled(cpu)) return cpu.undefinedInstruction();
    const v = cpu.vfp;
    const w = v.words;
    beginStandard(v);
    const low = floatLane(op, 0, w[2 * n]!, w[2 * n + 1]!);
    const high = floatLane(op, 0, w[2 * m]!, w[2 * m + 1]!);
    w[2 * d] = low;
    w[2 * d + 1] = high;
    v.fpscr |= fp.flags;
  };
}

export const enum FloatUnary {
  Abs,
  Neg,
  CompareGtZero,
  CompareGeZero,
  CompareEqZero,
  CompareLeZero,
  CompareLtZero,
}

function unaryLane(op: FloatUnary, a: number): number {
  switch (op) {
    case FloatUnary.Abs: return a & 0x7fffffff;
    case FloatUnary.Neg: return a ^ SIGN;
    case FloatUnary.CompareGtZero: return compare(FloatOp.CompareGt, a, 0);
    case FloatUnary.CompareGeZero: return compare(FloatOp.CompareGe, a, 0);
    case FloatUnary.CompareEqZero: return compare(FloatOp.CompareEq, a, 0);
    case FloatUnary.CompareLeZero: return compare(FloatOp.CompareGe, 0, a);
    default: return compare(FloatOp.CompareGt, 0, a);
  }
}

/** VABS, VNEG (bit operations: no flags, NaNs kept) and the compares with zero. */
export function unaryFloat(op: FloatUnary, d: number, m: number, regs: number): Instr {
  return (cpu) => {
    if (!simdEnabled(cpu)) return cpu.undefinedInstruction();
    const v = cpu.vfp;
    const w = v.words;
    beginStandard(v);
    for (let i = 0; i < 2 * regs; i++) w[2 * d + i] = unaryLane(op, w[2 * m + i]!);
    v.fpscr |= fp.flags;
  };
}

/**
 * VCVT between single precision and 32-bit fixed point (`fractionBits` 0: integers): to fixed
 * rounds towards zero and saturates, from fixed rounds to nearest (standard FPSCR).
 */
export function convertFixed(toFixed: boolean, unsigned: boolean, fractionBits: number, d: number, m: number, regs: number): Instr {
  return (cpu) => {
    if (!simdEnabled(cpu)) return cpu.undefinedInstruction();
    const v = cpu.vfp;
    const w = v.words;
    beginStandard(v);
    for (let i = 0; i < 2 * regs; i++) {
      const a = w[2 * m + i]!;
      w[2 * d + i] = toFixed ? f32ToFixed(a, fractionBits, unsigned, 32, true) : exactToF32(fixedValue(a, fractionBits, unsigned, 32));
    }
    v.fpscr |= fp.flags;
  };
}

const halves = new Uint16Array(4);
const singles = new Int32Array(4);

/** VCVT.F16.F32 Dd, Qm (`toHalf`) and VCVT.F32.F16 Qd, Dm. */
export function convertHalf(toHalf: boolean, d: number, m: number): Instr {
  return (cpu) => {
    if (!simdEnabled(cpu)) return cpu.undefinedInstruction();
    const v = cpu.vfp;
    beginStandard(v);
    if (toHalf) {
      for (let i = 0; i < 4; i++) halves[i] = f32ToF16(v.words[2 * m + i]!);
      for (let i = 0; i < 4; i++) v.u16[4 * d + i] = halves[i]!;
    } else {
      for (let i = 0; i < 4; i++) singles[i] = f16ToF32(v.u16[4 * m + i]!);
      for (let i = 0; i < 4; i++) v.words[2 * d + i] = singles[i]!;
    }
    v.fpscr |= fp.flags;
  };
}
