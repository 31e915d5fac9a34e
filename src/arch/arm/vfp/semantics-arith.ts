import type { Instr } from '../decode-table.js';
import { vfpEnabled, vfpScalarEnabled } from './enable.js';
import { beginOp, fp } from './softfloat-env.js';
import { f32Add, f32Compare, f32Div, f32Mul, f32MulAdd, f32Sqrt, f32Sub } from './softfloat-f32.js';
import { f64Add, f64Compare, f64Div, f64Mul, f64MulAdd, f64Sqrt } from './softfloat-f64.js';
import { SCRATCH_D } from './vfp-state.js';

/**
 * Semantics of the floating-point data-processing instructions (ARM ARM A7.5 and A8), shared by
 * all their encodings. Register numbers are S or D indices already decoded from the fields.
 * Each instruction checks that VFP is enabled, runs its operation under the FPSCR controls and
 * ORs the exceptions it raised into the cumulative FPSCR flags.
 */

const SIGN = 0x80000000 | 0;
const P = SCRATCH_D;
const Q = SCRATCH_D + 1;

export const enum Arith {
  Add,
  Sub,
  Mul,
  Div,
  /** VNMUL: -(n * m). */
  NegMul,
}

type F32Op = (a: number, b: number) => number;
const F32_OPS: readonly F32Op[] = [f32Add, f32Sub, f32Mul, f32Div, (a, b) => f32Mul(a, b) ^ SIGN];

/** VADD, VSUB, VMUL, VNMUL, VDIV. */
export function arithmetic(op: Arith, double: boolean, d: number, n: number, m: number): Instr {
  if (!double) {
    const f32 = F32_OPS[op]!;
    return (cpu) => {
      if (!vfpScalarEnabled(cpu)) return cpu.undefinedInstruction();
      const v = cpu.vfp;
      beginOp(v.fpscr);
      v.words[d] = f32(v.words[n]!, v.words[m]!);
      v.fpscr |= fp.flags;
    };
  }
  return (cpu) => {
    if (!vfpScalarEnabled(cpu)) return cpu.undefinedInstruction();
    const v = cpu.vfp;
    const w = v.words;
    beginOp(v.fpscr);
    switch (op) {
      case Arith.Add: f64Add(w, v.doubles, d, n, m, false); break;
      case Arith.Sub: f64Add(w, v.doubles, d, n, m, true); break;
      case Arith.Mul: f64Mul(w, v.doubles, d, n, m); break;
      case Arith.Div: f64Div(w, v.doubles, d, n, m); break;
      default:
        f64Mul(w, v.doubles, d, n, m);
        w[2 * d + 1] ^= SIGN;
    }
    v.fpscr |= fp.flags;
  };
}

/**
 * VMLA, VMLS, VNMLA, VNMLS (ARM ARM pseudocode: FPAdd of FPMul): not fused. The product is rounded, optionally
 * negated, then added to the optionally negated destination: d = (+/-)d + (+/-)(n * m).
 */
export function multiplyAccumulate(negateAddend: boolean, negateProduct: boolean, double: boolean, d: number, n: number, m: number): Instr {
  const productSign = negateProduct ? SIGN : 0;
  const addendSign = negateAddend ? SIGN : 0;
  if (!double) {
    return (cpu) => {
      if (!vfpScalarEnabled(cpu)) return cpu.undefinedInstruction();
      const v = cpu.vfp;
      const w = v.words;
      beginOp(v.fpscr);
      const product = f32Mul(w[n]!, w[m]!) ^ productSign;
      w[d] = f32Add(w[d]! ^ addendSign, product);
      v.fpscr |= fp.flags;
    };
  }
  return (cpu) => {
    if (!vfpScalarEnabled(cpu)) return cpu.undefinedInstruction();
    const v = cpu.vfp;
    const w = v.rawWords;
    beginOp(v.fpscr);
    f64Mul(w, v.doubles, P, n, m);
    w[2 * P + 1] ^= productSign;
    w[2 * Q] = w[2 * d]!;
    w[2 * Q + 1] = w[2 * d + 1]! ^ addendSign;
    f64Add(w, v.doubles, d, Q, P, false);
    v.fpscr |= fp.flags;
  };
}

/**
 * VFMA, VFMS, VFNMA, VFNMS (FPMulAdd): one rounding of (+/-)d + (+/-)n * m. The negations are
 * applied to the operands first, so a negated NaN operand propagates with its sign flipped (QEMU).
 */
export function fusedMultiplyAdd(negateAddend: boolean, negateN: boolean, double: boolean, d: number, n: number, m: number): Instr {
  const nSign = negateN ? SIGN : 0;
  const addendSign = negateAddend ? SIGN : 0;
  if (!double) {
    return (cpu) => {
      if (!vfpScalarEnabled(cpu)) return cpu.undefinedInstruction();
      const v = cpu.vfp;
      const w = v.words;
      beginOp(v.fpscr);
      w[d] = f32MulAdd(w[d]! ^ addendSign, w[n]! ^ nSign, w[m]!);
      v.fpscr |= fp.flags;
    };
  }
  return (cpu) => {
    if (!vfpScalarEnabled(cpu)) return cpu.undefinedInstruction();
    const v = cpu.vfp;
    const w = v.rawWords;
    beginOp(v.fpscr);
    w[2 * P] = w[2 * n]!;
    w[2 * P + 1] = w[2 * n + 1]! ^ nSign;
    w[2 * Q] = w[2 * d]!;
    w[2 * Q + 1] = w[2 * d + 1]! ^ addendSign;
    f64MulAdd(w, v.doubles, d, Q, P, m);
    v.fpscr |= fp.flags;
  };
}

export const enum Unary {
  Move,
  Abs,
  Neg,
  Sqrt,
}

/** VMOV (register), VABS, VNEG (sign bit only, no exceptions: FPAbs, FPNeg) and VSQRT. */
export function unary(op: Unary, double: boolean, d: number, m: number): Instr {
  // The word holding the sign: S(m) itself, or the high word of D(m).
  const dw = double ? 2 * d + 1 : d;
  const mw = double ? 2 * m + 1 : m;
  if (op === Unary.Sqrt) {
    return (cpu) => {
      if (!vfpScalarEnabled(cpu)) return cpu.undefinedInstruction();
      const v = cpu.vfp;
      beginOp(v.fpscr);
      if (double) f64Sqrt(v.words, v.doubles, d, m);
      else v.words[d] = f32Sqrt(v.words[m]!);
      v.fpscr |= fp.flags;
    };
  }
  const and = op === Unary.Abs ? 0x7fffffff : -1;
  const xor = op === Unary.Neg ? SIGN : 0;
  return (cpu) => {
    if (!vfpScalarEnabled(cpu)) return cpu.undefinedInstruction();
    const w = cpu.vfp.words;
    if (double) w[2 * d] = w[2 * m]!;
    w[dw] = (w[mw]! & and) ^ xor;
  };
}

/** VMOV (immediate) A2: the expanded constant (VFPExpandImm) as one or two words. */
export function moveImmediate(double: boolean, d: number, high: number, low: number): Instr {
  return (cpu) => {
    if (!vfpScalarEnabled(cpu)) return cpu.undefinedInstruction();
    const w = cpu.vfp.words;
    if (double) {
      w[2 * d] = low;
      w[2 * d + 1] = high;
    } else {
      w[d] = high;
    }
  };
}

/** VCMP/VCMPE (FPCompare): FPSCR.NZCV from the comparison with D/S(m), or with +0 when m < 0. */
export function compare(signalOnQuietNaN: boolean, double: boolean, d: number, m: number): Instr {
  return (cpu) => {
    if (!vfpEnabled(cpu)) return cpu.undefinedInstruction();
    const v = cpu.vfp;
    beginOp(v.fpscr);
    const nzcv = double
      ? f64Compare(v.words, v.doubles, d, m, signalOnQuietNaN)
      : f32Compare(v.words[d]!, m < 0 ? 0 : v.words[m]!, signalOnQuietNaN);
    v.fpscr = (v.fpscr & 0x0fffffff) | (nzcv << 28) | fp.flags;
  };
}
