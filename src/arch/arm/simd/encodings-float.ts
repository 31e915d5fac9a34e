import { pattern, type Encoding, type Instr } from '../decode-table.js';
import { SCRATCH_D } from '../vfp/vfp-state.js';
import { same } from './encodings-same.js';
import { misc } from './encodings-misc.js';
import { estimate } from './estimate.js';
import { bit, quad, unsignedBit, vd, vm, vn } from './fields.js';
import { convertFixed, convertHalf, FloatOp, FloatUnary, pairwiseFloat, threeSameFloat, unaryFloat } from './float.js';
import { byScalar } from './long.js';

/**
 * Single-precision Advanced SIMD encodings: the floating-point rows of the three-registers-same
 * (A7.4.1), by-scalar (A7.4.3), shift (fixed-point VCVT, A7.4.4) and miscellaneous (A7.4.5)
 * tables. sz = 1 (half precision) is UNDEFINED before ARMv8; bit [21] selects between the two
 * operations of a row.
 */

/** A three-register row: [op for bit 21 = 0, op for bit 21 = 1] for U = 0 and U = 1. */
function floatRow(name: string, a: number, b: number, ops: readonly [readonly (FloatOp | null)[], readonly (FloatOp | null)[]]): Encoding {
  return same(name, a, b, (f) => {
    if ((f.size & 1) !== 0) return null;
    const op = ops[f.unsigned ? 1 : 0]![f.size >>> 1] ?? null;
    return op === null ? null : threeSameFloat(op, f.d, f.n, f.m, f.regs);
  });
}

function floatScalar(name: string, opcode: number, op: FloatOp): Encoding {
  const bits = opcode.toString(2).padStart(4, '0');
  return {
    name,
    ...pattern(`1111_001q_1Dss_nnnn_dddd_${bits}_N1M0_mmmm`),
    build: (w): Instr | null => {
      const q = unsignedBit(w);
      const d = vd(w);
      const n = vn(w);
      if (((w >>> 20) & 3) !== 2 || (q && ((d | n) & 1) !== 0)) return null;
      return byScalar(threeSameFloat(op, d, n, SCRATCH_D, q ? 2 : 1), w & 0xf, bit(w, 5), 4);
    },
  };
}

function floatMisc(name: string, a: number, b4: number, build: (d: number, m: number, regs: number) => Instr): Encoding {
  return misc(name, a, b4, (f) => (f.size !== 2 ? null : build(f.d, f.m, f.regs)));
}

const unary = (op: FloatUnary) => (d: number, m: number, regs: number): Instr => unaryFloat(op, d, m, regs);

export const simdFloatEncodings: readonly Encoding[] = [
  floatRow('VFMA, VFMS (Advanced SIMD)', 0b1100, 1, [[FloatOp.FusedMulAdd, FloatOp.FusedMulSub], [null, null]]),
  same('VADD, VSUB, VPADD, VABD (floating-point)', 0b1101, 0, (f) => {
    if ((f.size & 1) !== 0) return null;
    if (!f.unsigned) return threeSameFloat(f.size === 0 ? FloatOp.Add : FloatOp.Sub, f.d, f.n, f.m, f.regs);
    if (f.size !== 0) return threeSameFloat(FloatOp.AbsDiff, f.d, f.n, f.m, f.regs);
    return f.q ? null : pairwiseFloat(FloatOp.Add, f.d, f.n, f.m);
  }),
  same('VMLA, VMLS, VMUL (floating-point)', 0b1101, 1, (f) => {
    if ((f.size & 1) !== 0 || (f.unsigned && f.size !== 0)) return null;
    const op = f.unsigned ? FloatOp.Mul : f.size === 0 ? FloatOp.MulAccumulate : FloatOp.MulSubtract;
    return threeSameFloat(op, f.d, f.n, f.m, f.regs);
  }),
  floatRow('VCEQ, VCGE, VCGT (register, floating-point)', 0b1110, 0, [[FloatOp.CompareEq, null], [FloatOp.CompareGe, FloatOp.CompareGt]]),
  floatRow('VACGE, VACGT', 0b1110, 1, [[null, null], [FloatOp.AbsCompareGe, FloatOp.AbsCompareGt]]),
  same('VMAX, VMIN, VPMAX, VPMIN (floating-point)', 0b1111, 0, (f) => {
    if ((f.size & 1) !== 0) return null;
    const op = f.size === 0 ? FloatOp.Max : FloatOp.Min;
    if (f.unsigned) return f.q ? null : pairwiseFloat(op, f.d, f.n, f.m);
    return threeSameFloat(op, f.d, f.n, f.m, f.regs);
  }),
  floatRow('VRECPS, VRSQRTS', 0b1111, 1, [[FloatOp.ReciprocalStep, FloatOp.ReciprocalSqrtStep], [null, null]]),
  floatScalar('VMLA (by scalar, floating-point)', 0b0001, FloatOp.MulAccumulate),
  floatScalar('VMLS (by scalar, floating-point)', 0b0101, FloatOp.MulSubtract),
  floatScalar('VMUL (by scalar, floating-point)', 0b1001, FloatOp.Mul),
  floatMisc('VCGT (immediate #0, floating-point)', 0b01, 0b1000, unary(FloatUnary.CompareGtZero)),
  floatMisc('VCGE (immediate #0, floating-point)', 0b01, 0b1001, unary(FloatUnary.CompareGeZero)),
  floatMisc('VCEQ (immediate #0, floating-point)', 0b01, 0b1010, unary(FloatUnary.CompareEqZero)),
  floatMisc('VCLE (immediate #0, floating-point)', 0b01, 0b1011, unary(FloatUnary.CompareLeZero)),
  floatMisc('VCLT (immediate #0, floating-point)', 0b01, 0b1100, unary(FloatUnary.CompareLtZero)),
  floatMisc('VABS (floating-point)', 0b01, 0b1110, unary(FloatUnary.Abs)),
  floatMisc('VNEG (floating-point)', 0b01, 0b1111, unary(FloatUnary.Neg)),
  floatMisc('VRECPE (unsigned)', 0b11, 0b1000, (d, m, regs) => estimate(false, false, d, m, regs)),
  floatMisc('VRSQRTE (unsigned)', 0b11, 0b1001, (d, m, regs) => estimate(true, false, d, m, regs)),
  floatMisc('VRECPE (floating-point)', 0b11, 0b1010, (d, m, regs) => estimate(false, true, d, m, regs)),
  floatMisc('VRSQRTE (floating-point)', 0b11, 0b1011, (d, m, regs) => estimate(true, true, d, m, regs)),
  floatMisc('VCVT (floating-point from signed integer)', 0b11, 0b1100, (d, m, regs) => convertFixed(false, false, 0, d, m, regs)),
  floatMisc('VCVT (floating-point from unsigned integer)', 0b11, 0b1101, (d, m, regs) => convertFixed(false, true, 0, d, m, regs)),
  floatMisc('VCVT (signed integer from floating-point)', 0b11, 0b1110, (d, m, regs) => convertFixed(true, false, 0, d, m, regs)),
  floatMisc('VCVT (unsigned integer from floating-point)', 0b11, 0b1111, (d, m, regs) => convertFixed(true, true, 0, d, m, regs)),
  misc('VCVT (half-precision from single-precision)', 0b10, 0b1100, (f) =>
    (f.q || f.size !== 1 || (f.m & 1) !== 0 ? null : convertHalf(true, f.d, f.m)), false),
  misc('VCVT (single-precision from half-precision)', 0b10, 0b1110, (f) =>
    (f.q || f.size !== 1 || (f.d & 1) !== 0 ? null : convertHalf(false, f.d, f.m)), false),
  {
    name: 'VCVT (between floating-point and fixed-point, Advanced SIMD)',
    ...pattern('1111_001u_1Dii_iiii_dddd_111o_0QM1_mmmm'),
    build: (w) => {
      const imm6 = (w >>> 16) & 0x3f;
      const q = quad(w);
      const d = vd(w);
      const m = vm(w);
      // imm6 = 0xxxxx is UNDEFINED (or the modified immediate space).
      if ((imm6 & 0x20) === 0 || (q && ((d | m) & 1) !== 0)) return null;
      return convertFixed(bit(w, 8) === 1, unsignedBit(w), 64 - imm6, d, m, q ? 2 : 1);
    },
  },
];
