import { pattern, type Encoding, type Instr } from '../decode-table.js';
import {
  Arith, Unary, arithmetic, compare, fusedMultiplyAdd, moveImmediate, multiplyAccumulate, unary,
} from './semantics-arith.js';
import { convertHalf, convertPrecision, fromFixedPoint, toFixedPoint } from './semantics-convert.js';
import { loadStoreMultiple, loadStoreSingle } from './semantics-memory.js';
import { isKnownSysReg, moveCorePair, moveCoreWord, vmrs, vmsr } from './semantics-transfer.js';

/**
 * VFPv4-D32 encodings (ARM ARM A7.5 "Floating-point data-processing instructions", A7.6
 * "Extension register load/store instructions", A7.8 "8, 16, and 32-bit transfer between ARM
 * core and extension registers", A7.9 "64-bit transfers"), in A32 form with the condition free.
 * Field letters: D/N/M register extension bits, s = sz (1: double), o/u/r/x/E/T = op bits.
 * Advanced SIMD encodings are absent, hence UNDEFINED.
 */

const isDouble = (w: number): boolean => ((w >>> 8) & 1) === 1;

/** Vd:D for singles, D:Vd for doubles (A7.3 "Register encoding"). */
function regD(w: number, double: boolean): number {
  return double ? (((w >>> 22) & 1) << 4) | ((w >>> 12) & 0xf) : (((w >>> 12) & 0xf) << 1) | ((w >>> 22) & 1);
}

function regN(w: number, double: boolean): number {
  return double ? (((w >>> 7) & 1) << 4) | ((w >>> 16) & 0xf) : (((w >>> 16) & 0xf) << 1) | ((w >>> 7) & 1);
}

function regM(w: number, double: boolean): number {
  return double ? (((w >>> 5) & 1) << 4) | (w & 0xf) : ((w & 0xf) << 1) | ((w >>> 5) & 1);
}

function enc(name: string, bits: string, build: (word: number) => Instr | null): Encoding {
  return { name, ...pattern(bits), build };
}

function threeRegister(name: string, bits: string, make: (double: boolean, d: number, n: number, m: number) => Instr): Encoding {
  return enc(name, bits, (w) => {
    const double = isDouble(w);
    return make(double, regD(w, double), regN(w, double), regM(w, double));
  });
}

function twoRegister(name: string, bits: string, op: Unary): Encoding {
  return enc(name, bits, (w) => unary(op, isDouble(w), regD(w, isDouble(w)), regM(w, isDouble(w))));
}

/** VFPExpandImm (A7.5.1) as the high word of the single or double constant. */
function expandImmediateHigh(imm8: number, double: boolean): number {
  const a = (imm8 >>> 7) & 1;
  const b = (imm8 >>> 6) & 1;
  const cd = (imm8 >>> 4) & 3;
  const efgh = imm8 & 0xf;
  if (double) return (a << 31) | ((b ? 0x0ff : 0x100) << 22) | (cd << 20) | (efgh << 16);
  return (a << 31) | ((b ? 0x1f : 0x20) << 25) | (cd << 23) | (efgh << 19);
}

const dataProcessing: Encoding[] = [
  threeRegister('VMLA (floating-point) A2', 'cccc_1110_0D00_nnnn_dddd_101s_N0M0_mmmm', (s, d, n, m) => multiplyAccumulate(false, false, s, d, n, m)),
  threeRegister('VMLS (floating-point) A2', 'cccc_1110_0D00_nnnn_dddd_101s_N1M0_mmmm', (s, d, n, m) => multiplyAccumulate(false, true, s, d, n, m)),
  threeRegister('VNMLS A1', 'cccc_1110_0D01_nnnn_dddd_101s_N0M0_mmmm', (s, d, n, m) => multiplyAccumulate(true, false, s, d, n, m)),
  threeRegister('VNMLA A1', 'cccc_1110_0D01_nnnn_dddd_101s_N1M0_mmmm', (s, d, n, m) => multiplyAccumulate(true, true, s, d, n, m)),
  threeRegister('VMUL (floating-point) A2', 'cccc_1110_0D10_nnnn_dddd_101s_N0M0_mmmm', (s, d, n, m) => arithmetic(Arith.Mul, s, d, n, m)),
  threeRegister('VNMUL A2', 'cccc_1110_0D10_nnnn_dddd_101s_N1M0_mmmm', (s, d, n, m) => arithmetic(Arith.NegMul, s, d, n, m)),
  threeRegister('VADD (floating-point) A2', 'cccc_1110_0D11_nnnn_dddd_101s_N0M0_mmmm', (s, d, n, m) => arithmetic(Arith.Add, s, d, n, m)),
  threeRegister('VSUB (floating-point) A2', 'cccc_1110_0D11_nnnn_dddd_101s_N1M0_mmmm', (s, d, n, m) => arithmetic(Arith.Sub, s, d, n, m)),
  threeRegister('VDIV A1', 'cccc_1110_1D00_nnnn_dddd_101s_N0M0_mmmm', (s, d, n, m) => arithmetic(Arith.Div, s, d, n, m)),
  // VFNMA/VFNMS: d = -d + (-n or n) * m; VFMA/VFMS: d = d + (n or -n) * m.
  threeRegister('VFNMS A1', 'cccc_1110_1D01_nnnn_dddd_101s_N0M0_mmmm', (s, d, n, m) => fusedMultiplyAdd(true, false, s, d, n, m)),
  threeRegister('VFNMA A1', 'cccc_1110_1D01_nnnn_dddd_101s_N1M0_mmmm', (s, d, n, m) => fusedMultiplyAdd(true, true, s, d, n, m)),
  threeRegister('VFMA A2', 'cccc_1110_1D10_nnnn_dddd_101s_N0M0_mmmm', (s, d, n, m) => fusedMultiplyAdd(false, false, s, d, n, m)),
  threeRegister('VFMS A2', 'cccc_1110_1D10_nnnn_dddd_101s_N1M0_mmmm', (s, d, n, m) => fusedMultiplyAdd(false, true, s, d, n, m)),
  enc('VMOV (immediate) A2', 'cccc_1110_1D11_iiii_dddd_101s_0000_iiii', (w) => {
    const double = isDouble(w);
    const high = expandImmediateHigh(((w >>> 12) & 0xf0) | (w & 0xf), double);
    return moveImmediate(double, regD(w, double), high, 0);
  }),
  twoRegister('VMOV (register) A2', 'cccc_1110_1D11_0000_dddd_101s_01M0_mmmm', Unary.Move),
  twoRegister('VABS A2', 'cccc_1110_1D11_0000_dddd_101s_11M0_mmmm', Unary.Abs),
  twoRegister('VNEG A2', 'cccc_1110_1D11_0001_dddd_101s_01M0_mmmm', Unary.Neg),
  twoRegister('VSQRT A1', 'cccc_1110_1D11_0001_dddd_101s_11M0_mmmm', Unary.Sqrt),
  // Half-precision conversions exist for singles only before ARMv8 (sz = 0).
  enc('VCVTB, VCVTT A1', 'cccc_1110_1D11_001o_dddd_1010_T1M0_mmmm', (w) =>
    convertHalf(((w >>> 16) & 1) === 1, ((w >>> 7) & 1) === 1, regD(w, false), regM(w, false))),
  enc('VCMP, VCMPE A1', 'cccc_1110_1D11_0100_dddd_101s_E1M0_mmmm', (w) =>
    compare(((w >>> 7) & 1) === 1, isDouble(w), regD(w, isDouble(w)), regM(w, isDouble(w)))),
  // Bits [5] and [3:0] are (0); QEMU makes the instruction UNDEFINED when they are not.
  enc('VCMP, VCMPE A2', 'cccc_1110_1D11_0101_dddd_101s_E100_0000', (w) =>
    compare(((w >>> 7) & 1) === 1, isDouble(w), regD(w, isDouble(w)), -1)),
  enc('VCVT (between double-precision and single-precision) A1', 'cccc_1110_1D11_0111_dddd_101s_11M0_mmmm', (w) => {
    const fromDouble = isDouble(w);
    return convertPrecision(!fromDouble, regD(w, !fromDouble), regM(w, fromDouble));
  }),
  enc('VCVT, VCVTR (between floating-point and integer) A1 (to floating-point)', 'cccc_1110_1D11_1000_dddd_101s_o1M0_mmmm', (w) => {
    const unsigned = ((w >>> 7) & 1) === 0;
    return fromFixedPoint(isDouble(w), regD(w, isDouble(w)), regM(w, false), 0, unsigned, 32, false, false);
  }),
  enc('VCVT, VCVTR (between floating-point and integer) A1 (to integer)', 'cccc_1110_1D11_110u_dddd_101s_r1M0_mmmm', (w) => {
    const unsigned = ((w >>> 16) & 1) === 0;
    const towardZero = ((w >>> 7) & 1) === 1;
    return toFixedPoint(isDouble(w), regD(w, false), regM(w, isDouble(w)), 0, unsigned, 32, towardZero, false);
  }),
  enc('VCVT (between floating-point and fixed-point) A1', 'cccc_1110_1D11_1o1u_dddd_101s_x1i0_iiii', (w) => {
    const double = isDouble(w);
    const toFixed = ((w >>> 18) & 1) === 1;
    const unsigned = ((w >>> 16) & 1) === 1;
    const size = ((w >>> 7) & 1) === 1 ? 32 : 16;
    // A negative count (16-bit with imm > 16) is UNPREDICTABLE; QEMU scales by it, as here.
    const fractionBits = size - (((w & 0xf) << 1) | ((w >>> 5) & 1));
    const d = regD(w, double);
    if (toFixed) return toFixedPoint(double, d, d, fractionBits, unsigned, size, true, double);
    return fromFixedPoint(double, d, d, fractionBits, unsigned, size, double, true);
  }),
];

const transfers: Encoding[] = [
  enc('VMOV (between ARM core register and single-precision register) A1', 'cccc_1110_000o_nnnn_tttt_1010_N001_0000', (w) => {
    const t = (w >>> 12) & 0xf;
    if (t === 15) return null; // UNPREDICTABLE
    return moveCoreWord(((w >>> 20) & 1) === 1, regN(w, false), t);
  }),
  enc('VMOV (ARM core register to scalar) A1', 'cccc_1110_00x0_dddd_tttt_1011_D001_0000', (w) => {
    const t = (w >>> 12) & 0xf;
    if (t === 15) return null;
    return moveCoreWord(false, 2 * regN(w, true) + ((w >>> 21) & 1), t);
  }),
  enc('VMOV (scalar to ARM core register) A1', 'cccc_1110_00x1_nnnn_tttt_1011_N001_0000', (w) => {
    const t = (w >>> 12) & 0xf;
    if (t === 15) return null;
    return moveCoreWord(true, 2 * regN(w, true) + ((w >>> 21) & 1), t);
  }),
  enc('VMOV (between two ARM core registers and two single-precision registers) A1', 'cccc_1100_010o_TTTT_tttt_1010_00M1_mmmm', (w) =>
    corePair(w, regM(w, false), regM(w, false) === 31)),
  enc('VMOV (between two ARM core registers and a doubleword extension register) A1', 'cccc_1100_010o_TTTT_tttt_1011_00M1_mmmm', (w) =>
    corePair(w, 2 * regM(w, true), false)),
  enc('VMRS A1', 'cccc_1110_1111_rrrr_tttt_1010_0001_0000', (w) => {
    const reg = (w >>> 16) & 0xf;
    const t = (w >>> 12) & 0xf;
    // Rt = 15 other than with FPSCR is UNPREDICTABLE; QEMU copies bits [31:28] to the flags, as here.
    if (!isKnownSysReg(reg)) return null;
    return vmrs(reg, t);
  }),
  enc('VMSR A1', 'cccc_1110_1110_rrrr_tttt_1010_0001_0000', (w) => {
    const reg = (w >>> 16) & 0xf;
    const t = (w >>> 12) & 0xf;
    // Rt = 15 is UNPREDICTABLE; QEMU writes the PC value as read by the instruction, as here.
    if (!isKnownSysReg(reg)) return null;
    return vmsr(reg, t);
  }),
];

function corePair(w: number, firstWord: number, invalid: boolean): Instr | null {
  const toCore = ((w >>> 20) & 1) === 1;
  const t = (w >>> 12) & 0xf;
  const t2 = (w >>> 16) & 0xf;
  // UNPREDICTABLE: S31 as the first of a pair, or the PC, are UNDEFINED here; with Rt = Rt2 QEMU
  // writes both (the second wins), as here.
  if (invalid || t === 15 || t2 === 15) return null;
  return moveCorePair(toCore, firstWord, t, t2);
}

/** VLDR/VSTR: imm32 = imm8 * 4 added or subtracted per U. */
function single(load: boolean): (w: number) => Instr {
  return (w) => {
    const double = isDouble(w);
    const offset = (w & 0xff) << 2;
    const d = regD(w, double);
    return loadStoreSingle(load, double ? 2 * d : d, double ? 2 : 1, (w >>> 16) & 0xf, ((w >>> 23) & 1) === 1 ? offset : -offset);
  };
}

/** VLDM/VSTM/VPUSH/VPOP: increment after (U = 1) or decrement before, W = writeback. */
function multiple(load: boolean): (w: number) => Instr | null {
  return (w) => {
    const double = isDouble(w);
    const n = (w >>> 16) & 0xf;
    const writeback = ((w >>> 21) & 1) === 1;
    const imm8 = w & 0xff;
    const d = regD(w, double);
    const registers = double ? imm8 >>> 1 : imm8;
    // UNPREDICTABLE register lists and PC writeback: UNDEFINED, as QEMU chooses.
    if (registers === 0 || d + registers > 32 || (double && registers > 16) || (n === 15 && writeback)) return null;
    const add = ((w >>> 23) & 1) === 1;
    return loadStoreMultiple(load, add, writeback, n, double ? 2 * d : d, double ? 2 * registers : registers, double, imm8 << 2);
  };
}

const loadStore: Encoding[] = [
  enc('VLDR A1/A2', 'cccc_1101_UD01_nnnn_dddd_101s_iiii_iiii', single(true)),
  enc('VSTR A1/A2', 'cccc_1101_UD00_nnnn_dddd_101s_iiii_iiii', single(false)),
  enc('VLDM A1/A2 (increment after)', 'cccc_1100_1DW1_nnnn_dddd_101s_iiii_iiii', multiple(true)),
  enc('VLDM A1/A2 (decrement before)', 'cccc_1101_0D11_nnnn_dddd_101s_iiii_iiii', multiple(true)),
  enc('VSTM A1/A2 (increment after)', 'cccc_1100_1DW0_nnnn_dddd_101s_iiii_iiii', multiple(false)),
  enc('VSTM A1/A2 (decrement before)', 'cccc_1101_0D10_nnnn_dddd_101s_iiii_iiii', multiple(false)),
  enc('VPOP A1/A2', 'cccc_1100_1D11_1101_dddd_101s_iiii_iiii', multiple(true)),
  enc('VPUSH A1/A2', 'cccc_1101_0D10_1101_dddd_101s_iiii_iiii', multiple(false)),
];

export const vfpEncodingTable: readonly Encoding[] = [...dataProcessing, ...transfers, ...loadStore];
