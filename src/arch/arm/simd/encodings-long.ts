import { pattern, type Encoding, type Instr } from '../decode-table.js';
import { SCRATCH_D } from '../vfp/vfp-state.js';
import { bit, size2021, unsignedBit, vd, vn } from './fields.js';
import { IntOp } from './integer.js';
import { byScalar, differentLengths, Shape } from './long.js';
import { threeSame } from './same-length.js';

/**
 * "Three registers of different lengths" (ARM ARM A7.4.2, table A7-10) and "two registers and a
 * scalar" (A7.4.3, table A7-11) integer encodings. Size 11 belongs to other encodings (VEXT, the
 * two-register miscellaneous group...), size 00 has no scalar forms; quadword operands with odd
 * register numbers are UNDEFINED.
 */

interface LongEntry {
  readonly name: string;
  readonly opcode: number;
  readonly shape: Shape;
  /** Operation for U = 0 and U = 1 (null: UNDEFINED). */
  readonly ops: readonly [IntOp | null, IntOp | null];
  /** U selects the operation, not signedness (VADDHN / VRADDHN). */
  readonly uSelects?: boolean;
  /** Only these sizes. */
  readonly sizes?: readonly number[];
}

const LONG: readonly LongEntry[] = [
  { name: 'VADDL', opcode: 0b0000, shape: Shape.Long, ops: [IntOp.Add, IntOp.Add] },
  { name: 'VADDW', opcode: 0b0001, shape: Shape.Wide, ops: [IntOp.Add, IntOp.Add] },
  { name: 'VSUBL', opcode: 0b0010, shape: Shape.Long, ops: [IntOp.Sub, IntOp.Sub] },
  { name: 'VSUBW', opcode: 0b0011, shape: Shape.Wide, ops: [IntOp.Sub, IntOp.Sub] },
  { name: 'VADDHN, VRADDHN', opcode: 0b0100, shape: Shape.NarrowHigh, ops: [IntOp.Add, IntOp.Add], uSelects: true },
  { name: 'VABAL', opcode: 0b0101, shape: Shape.Long, ops: [IntOp.AbsDiffAccumulate, IntOp.AbsDiffAccumulate] },
  { name: 'VSUBHN, VRSUBHN', opcode: 0b0110, shape: Shape.NarrowHigh, ops: [IntOp.Sub, IntOp.Sub], uSelects: true },
  { name: 'VABDL (integer)', opcode: 0b0111, shape: Shape.Long, ops: [IntOp.AbsDiff, IntOp.AbsDiff] },
  { name: 'VMLAL (integer)', opcode: 0b1000, shape: Shape.Long, ops: [IntOp.MulAccumulate, IntOp.MulAccumulate] },
  { name: 'VQDMLAL', opcode: 0b1001, shape: Shape.Long, ops: [IntOp.SatDoublingMulAccumulate, null], sizes: [1, 2] },
  { name: 'VMLSL (integer)', opcode: 0b1010, shape: Shape.Long, ops: [IntOp.MulSubtract, IntOp.MulSubtract] },
  { name: 'VQDMLSL', opcode: 0b1011, shape: Shape.Long, ops: [IntOp.SatDoublingMulSubtract, null], sizes: [1, 2] },
  { name: 'VMULL (integer)', opcode: 0b1100, shape: Shape.Long, ops: [IntOp.Mul, IntOp.Mul] },
  { name: 'VQDMULL', opcode: 0b1101, shape: Shape.Long, ops: [IntOp.SatDoublingMul, null], sizes: [1, 2] },
  { name: 'VMULL (polynomial)', opcode: 0b1110, shape: Shape.Long, ops: [IntOp.PolyMul, null], sizes: [0] },
];

function longEncoding(e: LongEntry): Encoding {
  const opcode = e.opcode.toString(2).padStart(4, '0');
  return {
    name: e.name,
    ...pattern(`1111_001u_1Dss_nnnn_dddd_${opcode}_N0M0_mmmm`),
    build: (w) => {
      const size = size2021(w);
      const u = bit(w, 24);
      const op = e.ops[u];
      if (size === 3 || op === null || op === undefined || (e.sizes !== undefined && !e.sizes.includes(size))) return null;
      const d = vd(w);
      const n = vn(w);
      const m = (((w >>> 5) & 1) << 4) | (w & 0xf);
      const wideD = e.shape !== Shape.NarrowHigh;
      const wideN = e.shape !== Shape.Long;
      const wideM = e.shape === Shape.NarrowHigh;
      if ((wideD && (d & 1) !== 0) || (wideN && (n & 1) !== 0) || (wideM && (m & 1) !== 0)) return null;
      const unsigned = e.uSelects ? true : u === 1;
      return differentLengths(e.shape, op, d, n, m, 1 << size, unsigned, e.uSelects === true && u === 1);
    },
  };
}

/** The scalar operand: Dm[index] with m = Vm<2:0> for 16-bit elements, Vm for 32-bit ones. */
function scalarOperand(w: number, size: number): { m: number; index: number } {
  const vm = w & 0xf;
  const mBit = bit(w, 5);
  return size === 1 ? { m: vm & 7, index: (mBit << 1) | (vm >>> 3) } : { m: vm, index: mBit };
}

/** A by-scalar integer entry: same length (Q = bit 24) or long (U = bit 24). */
function scalarEncoding(name: string, opcode: number, long: boolean, ops: readonly [IntOp | null, IntOp | null]): Encoding {
  const bits = opcode.toString(2).padStart(4, '0');
  return {
    name,
    ...pattern(`1111_001q_1Dss_nnnn_dddd_${bits}_N1M0_mmmm`),
    build: (w): Instr | null => {
      const size = size2021(w);
      const q = unsignedBit(w);
      if (size === 0 || size === 3) return null;
      const op = long ? ops[q ? 1 : 0] : ops[0];
      if (op === null || op === undefined) return null;
      const d = vd(w);
      const n = vn(w);
      const { m, index } = scalarOperand(w, size);
      const ebytes = 1 << size;
      if (long) {
        if ((d & 1) !== 0) return null;
        return byScalar(differentLengths(Shape.Long, op, d, n, SCRATCH_D, ebytes, q), m, index, ebytes);
      }
      if (q && ((d & 1) !== 0 || (n & 1) !== 0)) return null;
      return byScalar(threeSame(op, d, n, SCRATCH_D, q ? 2 : 1, ebytes, false), m, index, ebytes);
    },
  };
}

export const simdDifferentLengthEncodings: readonly Encoding[] = [
  ...LONG.map(longEncoding),
  scalarEncoding('VMLA (by scalar, integer)', 0b0000, false, [IntOp.MulAccumulate, null]),
  scalarEncoding('VMLS (by scalar, integer)', 0b0100, false, [IntOp.MulSubtract, null]),
  scalarEncoding('VMLAL (by scalar)', 0b0010, true, [IntOp.MulAccumulate, IntOp.MulAccumulate]),
  scalarEncoding('VMLSL (by scalar)', 0b0110, true, [IntOp.MulSubtract, IntOp.MulSubtract]),
  scalarEncoding('VQDMLAL (by scalar)', 0b0011, true, [IntOp.SatDoublingMulAccumulate, null]),
  scalarEncoding('VQDMLSL (by scalar)', 0b0111, true, [IntOp.SatDoublingMulSubtract, null]),
  scalarEncoding('VMUL (by scalar, integer)', 0b1000, false, [IntOp.Mul, null]),
  scalarEncoding('VMULL (by scalar)', 0b1010, true, [IntOp.Mul, IntOp.Mul]),
  scalarEncoding('VQDMULL (by scalar)', 0b1011, true, [IntOp.SatDoublingMul, null]),
  scalarEncoding('VQDMULH (by scalar)', 0b1100, false, [IntOp.SatDoublingMulHigh, null]),
  scalarEncoding('VQRDMULH (by scalar)', 0b1101, false, [IntOp.SatRoundingDoublingMulHigh, null]),
];
