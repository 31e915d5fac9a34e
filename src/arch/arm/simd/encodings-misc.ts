import { pattern, type Encoding, type Instr } from '../decode-table.js';
import { bit, quad, vd, vm, vn } from './fields.js';
import { moveNarrow, Narrow, pairwiseLong, reverse, Unary, unaryInteger } from './misc.js';
import { extract, permute, Permutation, swap, tableLookup } from './permute.js';
import { shiftLong } from './shift.js';

/**
 * Integer "two registers, miscellaneous" encodings (ARM ARM A7.4.5, table A7-13), A32 form
 * 1111_0011_1D11_ssAA_dddd_0BBB_BQM0_mmmm with A = [17:16] and B = [10:6]; and VEXT, VTBL/VTBX
 * (A7.4). The UNDEFINED sizes are QEMU 7.2's.
 */

export interface MiscFields {
  readonly size: number;
  readonly d: number;
  readonly m: number;
  readonly q: boolean;
  readonly regs: number;
}

/** An entry for A and B[10:7]; Q operands must be even unless the instruction has a D-sized side (`checkQ` false). */
export function misc(name: string, a: number, b4: number, build: (f: MiscFields, w: number) => Instr | null, checkQ = true): Encoding {
  const bits = `1111_0011_1D11_ss${a.toString(2).padStart(2, '0')}_dddd_0${b4.toString(2).padStart(4, '0')}_QM0_mmmm`;
  return { name, ...pattern(bits), build: (w) => {
    const q = quad(w);
    const f = { size: (w >>> 18) & 3, d: vd(w), m: vm(w), q, regs: q ? 2 : 1 };
    if (checkQ && q && ((f.d | f.m) & 1) !== 0) return null;
    return build(f, w);
  } };
}

function unary(name: string, a: number, b4: number, op: Unary, maxSize: number, onlyByte = false): Encoding {
  return misc(name, a, b4, (f) => (f.size > maxSize || (onlyByte && f.size !== 0) ? null : unaryInteger(op, f.d, f.m, f.regs, 1 << f.size)));
}

function permutation(name: string, b4: number, kind: Permutation): Encoding {
  return misc(name, 0b10, b4, (f) => {
    // VUZP.32 and VZIP.32 on D registers are VTRN.32 (UNDEFINED as these encodings, as in QEMU).
    if (f.size === 3 || (kind !== Permutation.Transpose && !f.q && f.size === 2)) return null;
    return permute(kind, f.d, f.m, f.regs, 1 << f.size);
  });
}

export const simdMiscEncodings: readonly Encoding[] = [
  misc('VREV64', 0b00, 0b0000, (f) => (f.size === 3 ? null : reverse(f.d, f.m, f.regs, 1 << f.size, 8))),
  misc('VREV32', 0b00, 0b0001, (f) => (f.size >= 2 ? null : reverse(f.d, f.m, f.regs, 1 << f.size, 4))),
  misc('VREV16', 0b00, 0b0010, (f) => (f.size >= 1 ? null : reverse(f.d, f.m, f.regs, 1, 2))),
  misc('VPADDL (signed)', 0b00, 0b0100, (f) => (f.size === 3 ? null : pairwiseLong(f.d, f.m, f.regs, 1 << f.size, false, false))),
  misc('VPADDL (unsigned)', 0b00, 0b0101, (f) => (f.size === 3 ? null : pairwiseLong(f.d, f.m, f.regs, 1 << f.size, true, false))),
  unary('VCLS', 0b00, 0b1000, Unary.CountLeadingSign, 2),
  unary('VCLZ', 0b00, 0b1001, Unary.CountLeadingZeros, 2),
  unary('VCNT', 0b00, 0b1010, Unary.CountOnes, 0, true),
  unary('VMVN (register)', 0b00, 0b1011, Unary.Not, 0, true),
  misc('VPADAL (signed)', 0b00, 0b1100, (f) => (f.size === 3 ? null : pairwiseLong(f.d, f.m, f.regs, 1 << f.size, false, true))),
  misc('VPADAL (unsigned)', 0b00, 0b1101, (f) => (f.size === 3 ? null : pairwiseLong(f.d, f.m, f.regs, 1 << f.size, true, true))),
  unary('VQABS', 0b00, 0b1110, Unary.SatAbs, 2),
  unary('VQNEG', 0b00, 0b1111, Unary.SatNeg, 2),
  unary('VCGT (immediate #0)', 0b01, 0b0000, Unary.CompareGtZero, 2),
  unary('VCGE (immediate #0)', 0b01, 0b0001, Unary.CompareGeZero, 2),
  unary('VCEQ (immediate #0)', 0b01, 0b0010, Unary.CompareEqZero, 2),
  unary('VCLE (immediate #0)', 0b01, 0b0011, Unary.CompareLeZero, 2),
  unary('VCLT (immediate #0)', 0b01, 0b0100, Unary.CompareLtZero, 2),
  unary('VABS', 0b01, 0b0110, Unary.Abs, 2),
  unary('VNEG', 0b01, 0b0111, Unary.Neg, 2),
  misc('VSWP', 0b10, 0b0000, (f) => (f.size !== 0 ? null : swap(f.d, f.m, f.regs))),
  permutation('VTRN', 0b0001, Permutation.Transpose),
  permutation('VUZP', 0b0010, Permutation.Unzip),
  permutation('VZIP', 0b0011, Permutation.Zip),
  // B = 0100x: VMOVN (Q = 0), VQMOVUN (Q = 1); 0101x: VQMOVN signed (Q = 0) / unsigned (Q = 1).
  misc('VMOVN, VQMOVUN', 0b10, 0b0100, (f) =>
    (f.size === 3 || (f.m & 1) !== 0 ? null : moveNarrow(f.q ? Narrow.SignedToUnsigned : Narrow.Truncate, f.d, f.m, 1 << f.size)), false),
  misc('VQMOVN', 0b10, 0b0101, (f) =>
    (f.size === 3 || (f.m & 1) !== 0 ? null : moveNarrow(f.q ? Narrow.Unsigned : Narrow.Signed, f.d, f.m, 1 << f.size)), false),
  misc('VSHLL (maximum shift)', 0b10, 0b0110, (f) =>
    (f.q || f.size === 3 || (f.d & 1) !== 0 ? null : shiftLong(f.d, f.m, 1 << f.size, 8 << f.size, false)), false),
];

function other(name: string, bits: string, build: (w: number) => Instr | null): Encoding {
  return { name, ...pattern(bits), build };
}

export const simdPermuteEncodings: readonly Encoding[] = [
  other('VEXT', '1111_0010_1D11_nnnn_dddd_iiii_NQM0_mmmm', (w) => {
    const q = quad(w);
    const imm = (w >>> 8) & 0xf;
    const d = vd(w);
    const n = vn(w);
    const m = vm(w);
    if ((!q && imm > 7) || (q && ((d | n | m) & 1) !== 0)) return null;
    return extract(d, n, m, q ? 2 : 1, imm);
  }),
  other('VTBL, VTBX', '1111_0011_1D11_nnnn_dddd_10ll_NxM0_mmmm', (w) => {
    const len = ((w >>> 8) & 3) + 1;
    const n = vn(w);
    if (n + len > 32) return null;
    return tableLookup(vd(w), n, len, vm(w), bit(w, 6) === 1);
  }),
];
