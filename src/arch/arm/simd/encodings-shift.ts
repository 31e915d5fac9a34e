import { pattern, type Encoding, type Instr } from '../decode-table.js';
import { bit, quad, unsignedBit, vd, vm } from './fields.js';
import { shiftImmediate, ShiftKind, shiftLong, shiftNarrow } from './shift.js';

/**
 * "Two registers and a shift amount" encodings (ARM ARM A7.4.4, table A7-12), A32 form
 * 1111_001U_1Dii_iiii_dddd_AAAA_LQM1_mmmm. L:imm6 gives the element size (the highest set bit)
 * and the shift: right shifts are 2 * esize - imm6 (64 - imm6 for L = 1), left shifts
 * imm6 - esize. L:imm6 = 0000xxx is the one-register modified immediate space.
 */

interface ShiftFields {
  readonly ebytes: number;
  readonly right: number;
  readonly left: number;
  readonly unsigned: boolean;
  readonly q: boolean;
  readonly d: number;
  readonly m: number;
}

function fields(w: number): ShiftFields | null {
  const imm6 = (w >>> 16) & 0x3f;
  const long = bit(w, 7) === 1;
  const ebytes = long ? 8 : (imm6 & 0x20) !== 0 ? 4 : (imm6 & 0x10) !== 0 ? 2 : (imm6 & 0x08) !== 0 ? 1 : 0;
  if (ebytes === 0) return null;
  return {
    ebytes,
    right: (long ? 64 : 16 * ebytes) - imm6,
    left: long ? imm6 : imm6 - 8 * ebytes,
    unsigned: unsignedBit(w),
    q: quad(w),
    d: vd(w),
    m: vm(w),
  };
}

function entry(name: string, opcode: number, build: (f: ShiftFields) => Instr | null): Encoding {
  const bits = opcode.toString(2).padStart(4, '0');
  return { name, ...pattern(`1111_001u_1Dii_iiii_dddd_${bits}_LQM1_mmmm`), build: (w) => {
    const f = fields(w);
    return f === null ? null : build(f);
  } };
}

/** A same-length shift: Q operands must be even registers. */
function sameLength(name: string, opcode: number, build: (f: ShiftFields, regs: number) => Instr | null): Encoding {
  return entry(name, opcode, (f) => (f.q && ((f.d | f.m) & 1) !== 0 ? null : build(f, f.q ? 2 : 1)));
}

/** The narrowing shifts: Qm even, L = 0 (no 64-bit results). */
function narrow(name: string, opcode: number, build: (f: ShiftFields) => Instr | null): Encoding {
  return entry(name, opcode, (f) => (f.ebytes === 8 || (f.m & 1) !== 0 ? null : build(f)));
}

export const simdShiftEncodings: readonly Encoding[] = [
  sameLength('VSHR', 0b0000, (f, regs) => shiftImmediate(ShiftKind.Plain, f.d, f.m, regs, f.ebytes, -f.right, f.unsigned, false)),
  sameLength('VSRA', 0b0001, (f, regs) => shiftImmediate(ShiftKind.Accumulate, f.d, f.m, regs, f.ebytes, -f.right, f.unsigned, false)),
  sameLength('VRSHR', 0b0010, (f, regs) => shiftImmediate(ShiftKind.Plain, f.d, f.m, regs, f.ebytes, -f.right, f.unsigned, true)),
  sameLength('VRSRA', 0b0011, (f, regs) => shiftImmediate(ShiftKind.Accumulate, f.d, f.m, regs, f.ebytes, -f.right, f.unsigned, true)),
  sameLength('VSRI', 0b0100, (f, regs) => (f.unsigned ? shiftImmediate(ShiftKind.Insert, f.d, f.m, regs, f.ebytes, -f.right, true, false) : null)),
  sameLength('VSHL (immediate), VSLI', 0b0101, (f, regs) =>
    shiftImmediate(f.unsigned ? ShiftKind.Insert : ShiftKind.Plain, f.d, f.m, regs, f.ebytes, f.left, true, false)),
  sameLength('VQSHLU (immediate)', 0b0110, (f, regs) =>
    (f.unsigned ? shiftImmediate(ShiftKind.Saturate, f.d, f.m, regs, f.ebytes, f.left, false, false, true) : null)),
  sameLength('VQSHL (immediate)', 0b0111, (f, regs) => shiftImmediate(ShiftKind.Saturate, f.d, f.m, regs, f.ebytes, f.left, f.unsigned, false)),
  // 1000: U = 0 VSHRN/VRSHRN (Q selects rounding), U = 1 VQSHRUN/VQRSHRUN from signed elements.
  narrow('VSHRN, VRSHRN, VQSHRUN, VQRSHRUN', 0b1000, (f) => shiftNarrow(f.d, f.m, f.ebytes, f.right, false, f.q, f.unsigned, f.unsigned)),
  narrow('VQSHRN, VQRSHRN', 0b1001, (f) => shiftNarrow(f.d, f.m, f.ebytes, f.right, f.unsigned, f.q, true, false)),
  entry('VSHLL, VMOVL', 0b1010, (f) => (f.q || f.ebytes === 8 || (f.d & 1) !== 0 ? null : shiftLong(f.d, f.m, f.ebytes, f.left, f.unsigned))),
];
