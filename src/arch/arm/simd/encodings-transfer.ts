import { pattern, type Encoding, type Instr } from '../decode-table.js';
import { bit, quad, vd, vm, vn } from './fields.js';
import { coreToScalar, duplicateCore, duplicateScalar, immediate, ImmediateOp, scalarToCore } from './transfer.js';

/**
 * Advanced SIMD transfer encodings: the coprocessor-space ones (A7.8, condition field free:
 * VMOV core register <-> 8/16-bit scalar, VDUP from a core register) and, in the unconditional
 * space, VDUP (scalar) and the one-register modified immediates (A7.4.6). R15 as a transfer
 * register is UNPREDICTABLE: as a source it reads the PC value (PC + 8, + 4 in T32), as QEMU does;
 * as a destination it is UNDEFINED here.
 */

function enc(name: string, bits: string, build: (w: number) => Instr | null): Encoding {
  return { name, ...pattern(bits), build };
}

/** opc1:opc2 ([22:21], [6:5]) of the scalar VMOVs: lane size in bytes and index; null for 32-bit (VFP) or UNDEFINED. */
function scalarLane(w: number): { ebytes: number; index: number } | null {
  const opc = (((w >>> 21) & 3) << 2) | ((w >>> 5) & 3);
  if ((opc & 8) !== 0) return { ebytes: 1, index: opc & 7 };
  if ((opc & 1) !== 0) return { ebytes: 2, index: opc >>> 1 };
  return null;
}

/** AdvSIMDExpandImm (A7.4.6) as the low and high words of the 64-bit constant; null if UNDEFINED. */
export function expandImmediate(op: number, cmode: number, imm8: number): { low: number; high: number } | null {
  let imm32: number;
  switch (cmode >>> 1) {
    case 0: imm32 = imm8; break;
    case 1: imm32 = imm8 << 8; break;
    case 2: imm32 = imm8 << 16; break;
    case 3: imm32 = imm8 << 24; break;
    case 4: imm32 = imm8 * 0x00010001; break;
    case 5: imm32 = imm8 * 0x01000100; break;
    case 6: imm32 = (cmode & 1) === 0 ? (imm8 << 8) | 0xff : (imm8 << 16) | 0xffff; break;
    default:
      if ((cmode & 1) === 0 && op === 0) {
        imm32 = imm8 * 0x01010101;
        break;
      }
      if ((cmode & 1) === 0) {
        // Each bit of imm8 becomes a byte of ones or zeros.
        let low = 0;
        let high = 0;
        for (let i = 0; i < 4; i++) {
          if (((imm8 >>> i) & 1) !== 0) low |= 0xff << (8 * i);
          if (((imm8 >>> (i + 4)) & 1) !== 0) high |= 0xff << (8 * i);
        }
        return { low, high };
      }
      if (op === 1) return null;
      // VFPExpandImm for single precision: a:NOT(b):bbbbb:cdefgh:Zeros(19).
      imm32 = ((imm8 & 0x80) << 24) | ((imm8 & 0x40) !== 0 ? 0x3e000000 : 0x40000000) | ((imm8 & 0x3f) << 19);
  }
  return { low: imm32 | 0, high: imm32 | 0 };
}

function modifiedImmediate(w: number): Instr | null {
  const cmode = (w >>> 8) & 0xf;
  const op = bit(w, 5);
  const q = quad(w);
  const d = vd(w);
  if (q && (d & 1) !== 0) return null;
  const imm8 = (bit(w, 24) << 7) | (((w >>> 16) & 7) << 4) | (w & 0xf);
  const value = expandImmediate(op, cmode, imm8);
  if (value === null) return null;
  const regs = q ? 2 : 1;
  // cmode 0xx1 and 10x1: VORR (op 0) / VBIC (op 1); otherwise VMOV, or VMVN for op 1 except cmode 1110.
  if ((cmode & 1) === 1 && cmode < 12) return immediate(op === 0 ? ImmediateOp.Or : ImmediateOp.BitClear, d, regs, value.low, value.high);
  if (op === 1 && cmode !== 14) return immediate(ImmediateOp.Move, d, regs, ~value.low, ~value.high);
  return immediate(ImmediateOp.Move, d, regs, value.low, value.high);
}

export const simdCoprocessorEncodings: readonly Encoding[] = [
  enc('VMOV (ARM core register to scalar) A1 (8, 16-bit)', 'cccc_1110_0ii0_dddd_tttt_1011_Dii1_0000', (w) => {
    const lane = scalarLane(w);
    if (lane === null) return null;
    return coreToScalar(vn(w), lane.index, lane.ebytes, (w >>> 12) & 0xf);
  }),
  enc('VMOV (scalar to ARM core register) A1 (8, 16-bit)', 'cccc_1110_uii1_nnnn_tttt_1011_Nii1_0000', (w) => {
    const lane = scalarLane(w);
    const t = (w >>> 12) & 0xf;
    if (lane === null || t === 15) return null;
    return scalarToCore(vn(w), lane.index, lane.ebytes, bit(w, 23) === 1, t);
  }),
  enc('VDUP (ARM core register) A1', 'cccc_1110_1bq0_dddd_tttt_1011_D0e1_0000', (w) => {
    const be = (bit(w, 22) << 1) | bit(w, 5);
    const q = bit(w, 21) === 1;
    const d = vn(w);
    if (be === 3 || (q && (d & 1) !== 0)) return null;
    return duplicateCore(d, q ? 2 : 1, be === 0 ? 4 : be === 1 ? 2 : 1, (w >>> 12) & 0xf);
  }),
];

export const simdTransferEncodings: readonly Encoding[] = [
  enc('VDUP (scalar) A1', '1111_0011_1D11_iiii_dddd_1100_0QM0_mmmm', (w) => {
    const imm4 = (w >>> 16) & 0xf;
    const q = quad(w);
    const d = vd(w);
    if (q && (d & 1) !== 0) return null;
    const ebytes = (imm4 & 1) !== 0 ? 1 : (imm4 & 2) !== 0 ? 2 : (imm4 & 4) !== 0 ? 4 : 0;
    if (ebytes === 0) return null;
    return duplicateScalar(d, q ? 2 : 1, ebytes, vm(w), imm4 >>> (ebytes === 1 ? 1 : ebytes === 2 ? 2 : 3));
  }),
  enc('VMOV, VMVN, VORR, VBIC (immediate) A1', '1111_001i_1D00_0iii_dddd_cccc_0Qo1_iiii', modifiedImmediate),
];
