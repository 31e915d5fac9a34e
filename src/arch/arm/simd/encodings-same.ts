import { pattern, type Encoding, type Instr } from '../decode-table.js';
import { Bitwise, bitwise } from './bitwise.js';
import { quad, quadAligned, size2021, unsignedBit, vd, vm, vn } from './fields.js';
import { IntOp } from './integer.js';
import { pairwiseOp, threeSame } from './same-length.js';

/**
 * Integer "three registers of the same length" encodings (ARM ARM A7.4.1, table A7-9), A32 form
 * 1111_001U_0Dss_nnnn_dddd_AAAA_NQMB_mmmm; the UNDEFINED sizes are QEMU 7.2's.
 */

export interface SameFields {
  readonly unsigned: boolean;
  readonly size: number;
  readonly d: number;
  readonly n: number;
  readonly m: number;
  readonly q: boolean;
  readonly regs: number;
}

/** An entry for opcode A [11:8] and B [4]; `build` sees the decoded fields, Q alignment checked. */
export function same(name: string, a: number, b: number, build: (f: SameFields) => Instr | null): Encoding {
  const opcode = a.toString(2).padStart(4, '0');
  return {
    name,
    ...pattern(`1111_001u_0Dss_nnnn_dddd_${opcode}_NQM${b}_mmmm`),
    build: (w) => {
      const q = quad(w);
      const f = { unsigned: unsignedBit(w), size: size2021(w), d: vd(w), n: vn(w), m: vm(w), q, regs: q ? 2 : 1 };
      if (!quadAligned(q, f.d, f.n, f.m)) return null;
      return build(f);
    },
  };
}

/** An element-wise operation; signedness from U when `signed`, `maxSize` the largest size allowed. */
function elementwise(name: string, a: number, b: number, op: IntOp, maxSize: number, swapOperands = false): Encoding {
  return same(name, a, b, (f) => {
    if (f.size > maxSize) return null;
    // The register shifts shift Vm by Vn (A8 VSHL (register): "Vd = Vm << Vn").
    const [x, y] = swapOperands ? [f.m, f.n] : [f.n, f.m];
    return threeSame(op, f.d, x, y, f.regs, 1 << f.size, f.unsigned);
  });
}

/** An entry whose U bit selects between two operations rather than signedness. */
function byU(name: string, a: number, b: number, ops: readonly [IntOp, IntOp], maxSize: number, minSize = 0): Encoding {
  return same(name, a, b, (f) => {
    if (f.size > maxSize || f.size < minSize) return null;
    return threeSame(ops[f.unsigned ? 1 : 0], f.d, f.n, f.m, f.regs, 1 << f.size, false);
  });
}

function pairwise(name: string, a: number, b: number, op: (unsigned: boolean) => IntOp | null): Encoding {
  return same(name, a, b, (f) => {
    const o = op(f.unsigned);
    if (f.q || f.size === 3 || o === null) return null;
    return pairwiseOp(o, f.d, f.n, f.m, 1 << f.size, f.unsigned);
  });
}

const BITWISE: readonly Bitwise[] = [
  Bitwise.And, Bitwise.BitClear, Bitwise.Or, Bitwise.OrNot, Bitwise.Xor, Bitwise.Select, Bitwise.InsertIfTrue, Bitwise.InsertIfFalse,
];

export const simdSameLengthEncodings: readonly Encoding[] = [
  elementwise('VHADD', 0b0000, 0, IntOp.HalvingAdd, 2),
  elementwise('VQADD', 0b0000, 1, IntOp.SatAdd, 3),
  elementwise('VRHADD', 0b0001, 0, IntOp.RoundingHalvingAdd, 2),
  same('VAND, VBIC, VORR, VORN, VEOR, VBSL, VBIT, VBIF (register)', 0b0001, 1, (f) =>
    bitwise(BITWISE[(f.unsigned ? 4 : 0) + f.size]!, f.d, f.n, f.m, f.regs)),
  elementwise('VHSUB', 0b0010, 0, IntOp.HalvingSub, 2),
  elementwise('VQSUB', 0b0010, 1, IntOp.SatSub, 3),
  elementwise('VCGT (register)', 0b0011, 0, IntOp.CompareGt, 2),
  elementwise('VCGE (register)', 0b0011, 1, IntOp.CompareGe, 2),
  elementwise('VSHL (register)', 0b0100, 0, IntOp.Shift, 3, true),
  elementwise('VQSHL (register)', 0b0100, 1, IntOp.SatShift, 3, true),
  elementwise('VRSHL', 0b0101, 0, IntOp.RoundingShift, 3, true),
  elementwise('VQRSHL', 0b0101, 1, IntOp.SatRoundingShift, 3, true),
  elementwise('VMAX (integer)', 0b0110, 0, IntOp.Max, 2),
  elementwise('VMIN (integer)', 0b0110, 1, IntOp.Min, 2),
  elementwise('VABD (integer)', 0b0111, 0, IntOp.AbsDiff, 2),
  elementwise('VABA', 0b0111, 1, IntOp.AbsDiffAccumulate, 2),
  byU('VADD, VSUB (integer)', 0b1000, 0, [IntOp.Add, IntOp.Sub], 3),
  byU('VTST, VCEQ (register)', 0b1000, 1, [IntOp.Test, IntOp.CompareEq], 2),
  byU('VMLA, VMLS (integer)', 0b1001, 0, [IntOp.MulAccumulate, IntOp.MulSubtract], 2),
  same('VMUL (integer and polynomial)', 0b1001, 1, (f) => {
    if (f.size === 3 || (f.unsigned && f.size !== 0)) return null;
    return threeSame(f.unsigned ? IntOp.PolyMul : IntOp.Mul, f.d, f.n, f.m, f.regs, 1 << f.size, false);
  }),
  pairwise('VPMAX (integer)', 0b1010, 0, () => IntOp.Max),
  pairwise('VPMIN (integer)', 0b1010, 1, () => IntOp.Min),
  byU('VQDMULH, VQRDMULH', 0b1011, 0, [IntOp.SatDoublingMulHigh, IntOp.SatRoundingDoublingMulHigh], 2, 1),
  pairwise('VPADD (integer)', 0b1011, 1, (unsigned) => (unsigned ? null : IntOp.Add)),
];
