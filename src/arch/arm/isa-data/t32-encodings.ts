import type { Encoding, Instr } from '../decode-table.js';
import { decodeImmShiftAmount, decodeImmShiftType, SRType, thumbExpandImm } from '../alu.js';
import { bit, bits, encoding } from './fields.js';
import { DpOp, adr, dpImmediate, dpRegister, dpRegisterShifted, movt, movw } from './semantics-dp.js';
import { t32MultiplyEncodings } from './t32-multiply-encodings.js';
import { qaddsub, saturate, saturate16 } from './semantics-saturate.js';
import { ParallelKind, ParallelOp, parallel, sel } from './semantics-parallel.js';
import { Extend, Reverse, bfi, bitfieldExtract, clz, extend, pkh, reverse } from './semantics-bits.js';

/**
 * 32-bit T32 data-processing encodings (ARM ARM A6.3.1 - A6.3.5, A6.3.12 - A6.3.17), matched on
 * (hw1 << 16) | hw2. Fields: Rn [19:16], Rd [11:8], Rm [3:0]; immediates are split as i [26],
 * imm3 [14:12], imm8 [7:0]. Should-be bits are fixed as in QEMU's t32.decode.
 */

const rn = (w: number): number => bits(w, 19, 16);
const rd = (w: number): number => bits(w, 11, 8);
const rm = (w: number): number => w & 0xf;
const setflags = (w: number): boolean => bit(w, 20) === 1;
/** i:imm3:imm8. */
const imm12 = (w: number): number => (bit(w, 26) << 11) | (bits(w, 14, 12) << 8) | (w & 0xff);
/** imm3:imm2, the shift amount or lsb of the shifted-register and bit-field forms. */
const imm5 = (w: number): number => (bits(w, 14, 12) << 2) | bits(w, 7, 6);

interface T32DpRow {
  readonly o: string;
  readonly op: DpOp;
  /** ARM ARM names of the immediate (A6.3.1) and shifted-register (A6.3.11) encodings. */
  readonly names: [string, string];
  /** TST, TEQ, CMN, CMP when Rd = PC and S = 1; MOV, MVN when Rn = PC. */
  readonly variant?: { op: DpOp; names: [string, string]; when: 'rd' | 'rn' };
}

const T32_DP: readonly T32DpRow[] = [
  { o: '0000', op: DpOp.AND, names: ['AND (immediate) T1', 'AND (register) T2'], variant: { op: DpOp.TST, names: ['TST (immediate) T1', 'TST (register) T2'], when: 'rd' } },
  { o: '0001', op: DpOp.BIC, names: ['BIC (immediate) T1', 'BIC (register) T2'] },
  { o: '0010', op: DpOp.ORR, names: ['ORR (immediate) T1', 'ORR (register) T2'], variant: { op: DpOp.MOV, names: ['MOV (immediate) T2', 'MOV (register) T3, shifts (immediate) T2'], when: 'rn' } },
  { o: '0011', op: DpOp.ORN, names: ['ORN (immediate) T1', 'ORN (register) T1'], variant: { op: DpOp.MVN, names: ['MVN (immediate) T1', 'MVN (register) T2'], when: 'rn' } },
  { o: '0100', op: DpOp.EOR, names: ['EOR (immediate) T1', 'EOR (register) T2'], variant: { op: DpOp.TEQ, names: ['TEQ (immediate) T1', 'TEQ (register) T1'], when: 'rd' } },
  { o: '1000', op: DpOp.ADD, names: ['ADD (immediate) T3', 'ADD (register) T3'], variant: { op: DpOp.CMN, names: ['CMN (immediate) T1', 'CMN (register) T2'], when: 'rd' } },
  { o: '1010', op: DpOp.ADC, names: ['ADC (immediate) T1', 'ADC (register) T2'] },
  { o: '1011', op: DpOp.SBC, names: ['SBC (immediate) T1', 'SBC (register) T2'] },
  { o: '1101', op: DpOp.SUB, names: ['SUB (immediate) T3', 'SUB (register) T2'], variant: { op: DpOp.CMP, names: ['CMP (immediate) T2', 'CMP (register) T3'], when: 'rd' } },
  { o: '1110', op: DpOp.RSB, names: ['RSB (immediate) T2', 'RSB (register) T1'] },
];

/** The immediate's value and carry out (-1: APSR.C unchanged), ThumbExpandImm_C (A6.3.2). */
function expandedImmediate(op: DpOp, w: number, allowExceptionReturn = false): Parameters<typeof dpImmediate> {
  const imm = imm12(w);
  const value = thumbExpandImm(imm);
  // Reserved patterns (UNPREDICTABLE) are executed with the value computed, as QEMU does.
  const carry = ((imm >>> 10) & 3) === 0 ? -1 : value >>> 31;
  return [op, setflags(w), rd(w), rn(w), value, carry, allowExceptionReturn];
}

/** Register operand of the shifted-register forms: DecodeImmShift(type [5:4], imm3:imm2). */
function shiftedRegister(op: DpOp, w: number, allowExceptionReturn: boolean): Instr {
  const type = bits(w, 5, 4);
  return dpRegister(op, setflags(w), rd(w), rn(w), rm(w), decodeImmShiftType(type, imm5(w)), decodeImmShiftAmount(type, imm5(w)), allowExceptionReturn);
}

function dataProcessing(): Encoding[] {
  const list: Encoding[] = [];
  for (const { o, op, names, variant } of T32_DP) {
    list.push(
      encoding(names[0], `1111_0i0${o}S_nnnn_0iii_dddd_iiii_iiii`, (w) => dpImmediate(...expandedImmediate(op, w))),
      encoding(names[1], `1110_101${o}S_nnnn_0iii_dddd_iitt_mmmm`, (w) => shiftedRegister(op, w, false)),
    );
    if (variant === undefined) continue;
    const rdIsPc = variant.when === 'rd';
    // MOVS PC (UNPREDICTABLE in T32) is an exception return in QEMU, as in A32: we do the same.
    const exceptionReturn = variant.op === DpOp.MOV;
    list.push(
      encoding(variant.names[0], rdIsPc ? `1111_0i0${o}1_nnnn_0iii_1111_iiii_iiii` : `1111_0i0${o}S_1111_0iii_dddd_iiii_iiii`, (w) =>
        dpImmediate(...expandedImmediate(variant.op, w, exceptionReturn))),
      encoding(variant.names[1], rdIsPc ? `1110_101${o}1_nnnn_0iii_1111_iitt_mmmm` : `1110_101${o}S_1111_0iii_dddd_iitt_mmmm`, (w) =>
        shiftedRegister(variant.op, w, exceptionReturn)),
    );
  }
  return list;
}

const SHIFTS = ['LSL', 'LSR', 'ASR', 'ROR'];
const QNAMES = ['QADD', 'QDADD', 'QSUB', 'QDSUB'];
const REVERSES: [string, Reverse][] = [['REV', Reverse.REV], ['REV16', Reverse.REV16], ['RBIT', Reverse.RBIT], ['REVSH', Reverse.REVSH]];
const EXTENDS = ['SXTH', 'UXTH', 'SXTB16', 'UXTB16', 'SXTB', 'UXTB'];
/** A6.3.13/A6.3.14: op1 [22:20] per operation, op2 [6:4] per prefix. */
const PARALLEL_OPS: [string, string, ParallelOp][] = [
  ['ADD8', '000', ParallelOp.ADD8], ['ADD16', '001', ParallelOp.ADD16], ['ASX', '010', ParallelOp.ASX],
  ['SUB8', '100', ParallelOp.SUB8], ['SUB16', '101', ParallelOp.SUB16], ['SAX', '110', ParallelOp.SAX],
];
const PARALLEL_PREFIXES: [string, string, ParallelKind][] = [
  ['S', '000', ParallelKind.Signed], ['Q', '001', ParallelKind.SignedSaturating], ['SH', '010', ParallelKind.SignedHalving],
  ['U', '100', ParallelKind.Unsigned], ['UQ', '101', ParallelKind.UnsignedSaturating], ['UH', '110', ParallelKind.UnsignedHalving],
];

function registerGroup(): Encoding[] {
  const list: Encoding[] = [];
  SHIFTS.forEach((name, type) => {
    list.push(encoding(`${name} (register) T2`, `1111_1010_0${type.toString(2).padStart(2, '0')}S_nnnn_1111_dddd_0000_mmmm`, (w) =>
      dpRegisterShifted(DpOp.MOV, setflags(w), rd(w), 0, rn(w), type as SRType, rm(w), false)));
  });
  EXTENDS.forEach((name, op: Extend) => {
    const o = op.toString(2).padStart(3, '0');
    list.push(
      encoding(`${name.replace('XT', 'XTA')} T1`, `1111_1010_0${o}_nnnn_1111_dddd_10rr_mmmm`, (w) => extend(op, rd(w), rn(w), rm(w), 8 * bits(w, 5, 4))),
      encoding(`${name} T2`, `1111_1010_0${o}_1111_1111_dddd_10rr_mmmm`, (w) => extend(op, rd(w), -1, rm(w), 8 * bits(w, 5, 4))),
    );
  });
  for (const [opName, o, op] of PARALLEL_OPS) {
    for (const [prefix, p, kind] of PARALLEL_PREFIXES) {
      list.push(encoding(`${prefix}${opName} T1`, `1111_1010_1${o}_nnnn_1111_dddd_0${p}_mmmm`, (w) => parallel(kind, op, rd(w), rn(w), rm(w))));
    }
  }
  QNAMES.forEach((name, i) => {
    list.push(encoding(`${name} T1`, `1111_1010_1000_nnnn_1111_dddd_10${i.toString(2).padStart(2, '0')}_mmmm`, (w) =>
      qaddsub(i >= 2, (i & 1) === 1, rd(w), rn(w), rm(w))));
  });
  // Rn [19:16] should equal Rm (CONSTRAINED UNPREDICTABLE otherwise); QEMU ignores it, as we do.
  for (const [name, kind] of REVERSES) {
    list.push(encoding(`${name} T2`, `1111_1010_1001_xxxx_1111_dddd_10${kind.toString(2).padStart(2, '0')}_mmmm`, (w) => reverse(kind, rd(w), rm(w))));
  }
  list.push(
    encoding('SEL T1', '1111_1010_1010_nnnn_1111_dddd_1000_mmmm', (w) => sel(rd(w), rn(w), rm(w))),
    encoding('CLZ T1', '1111_1010_1011_xxxx_1111_dddd_1000_mmmm', (w) => clz(rd(w), rm(w))),
  );
  return list;
}

/** Data-processing (plain binary immediate), A6.3.3. */
const plainImmediate: Encoding[] = [
  encoding('ADD (immediate) T4', '1111_0i10_0000_nnnn_0iii_dddd_iiii_iiii', (w) => dpImmediate(DpOp.ADD, false, rd(w), rn(w), imm12(w), -1, false)),
  encoding('SUB (immediate) T4', '1111_0i10_1010_nnnn_0iii_dddd_iiii_iiii', (w) => dpImmediate(DpOp.SUB, false, rd(w), rn(w), imm12(w), -1, false)),
  encoding('ADR T3', '1111_0i10_0000_1111_0iii_dddd_iiii_iiii', (w) => adr(rd(w), imm12(w))),
  encoding('ADR T2', '1111_0i10_1010_1111_0iii_dddd_iiii_iiii', (w) => adr(rd(w), -imm12(w))),
  encoding('MOV (immediate) T3', '1111_0i10_0100_iiii_0iii_dddd_iiii_iiii', (w) => movw(rd(w), (rn(w) << 12) | imm12(w))),
  encoding('MOVT T1', '1111_0i10_1100_iiii_0iii_dddd_iiii_iiii', (w) => movt(rd(w), (rn(w) << 12) | imm12(w))),
  // SSAT16/USAT16 take sat_imm from [4:0] as QEMU does ([4] is should-be-zero).
  encoding('SSAT T1', '1111_0011_00h0_nnnn_0iii_dddd_ii0s_ssss', (w) =>
    saturate(true, bits(w, 4, 0) + 1, rd(w), rn(w), bit(w, 21) ? SRType.ASR : SRType.LSL, imm5(w))),
  encoding('SSAT16 T1', '1111_0011_0010_nnnn_0000_dddd_000s_ssss', (w) => saturate16(true, bits(w, 4, 0) + 1, rd(w), rn(w))),
  encoding('USAT T1', '1111_0011_10h0_nnnn_0iii_dddd_ii0s_ssss', (w) =>
    saturate(false, bits(w, 4, 0), rd(w), rn(w), bit(w, 21) ? SRType.ASR : SRType.LSL, imm5(w))),
  encoding('USAT16 T1', '1111_0011_1010_nnnn_0000_dddd_000s_ssss', (w) => saturate16(false, bits(w, 4, 0), rd(w), rn(w))),
  encoding('SBFX T1', '1111_0011_0100_nnnn_0iii_dddd_ii0w_wwww', (w) =>
    imm5(w) + bits(w, 4, 0) + 1 > 32 ? null : bitfieldExtract(true, rd(w), rn(w), imm5(w), bits(w, 4, 0) + 1)),
  encoding('UBFX T1', '1111_0011_1100_nnnn_0iii_dddd_ii0w_wwww', (w) =>
    imm5(w) + bits(w, 4, 0) + 1 > 32 ? null : bitfieldExtract(false, rd(w), rn(w), imm5(w), bits(w, 4, 0) + 1)),
  encoding('BFI T1', '1111_0011_0110_nnnn_0iii_dddd_ii0m_mmmm', (w) => (bits(w, 4, 0) < imm5(w) ? null : bfi(rd(w), rn(w), imm5(w), bits(w, 4, 0)))),
  encoding('BFC T1', '1111_0011_0110_1111_0iii_dddd_ii0m_mmmm', (w) => (bits(w, 4, 0) < imm5(w) ? null : bfi(rd(w), -1, imm5(w), bits(w, 4, 0)))),
  encoding('PKHBT, PKHTB T1', '1110_1010_1100_nnnn_0iii_dddd_iit0_mmmm', (w) => {
    const tb = bit(w, 5) === 1;
    return pkh(tb, rd(w), rn(w), rm(w), tb ? decodeImmShiftAmount(2, imm5(w)) : imm5(w));
  }),
  // SUBS PC, LR, #imm8 T1 (B9.3.19) sits in the branches and miscellaneous control space: isa-control.
];

export const t32Encodings: readonly Encoding[] = [...dataProcessing(), ...registerGroup(), ...plainImmediate, ...t32MultiplyEncodings];
