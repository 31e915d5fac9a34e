import { SRType } from '../alu.js';
import { pattern, type DecodeContext, type Encoding, type Instr } from '../decode-table.js';
import { bit, bits, pcLoadAllowed } from './registers.js';
import { BlockMode, loadMultiple, storeMultiple } from './semantics-multiple.js';
import {
  Access, OFFSET_ADD, immediateOffset, loadSingle, registerOffset, storeSingle, type StoreAccess,
} from './semantics-single.js';

/**
 * 16-bit T32 load/store encodings (ARM ARM A6.2.4 "Load/store single data item", A6.2 LDR
 * (literal), LDM/STM, A6.2.5 PUSH/POP). All are offset addressing without writeback except
 * LDM/STM/PUSH/POP.
 */

function encoding(name: string, bitsPattern: string, build: (hw: number, ctx: DecodeContext) => Instr | null): Encoding {
  return { name, ...pattern(bitsPattern), build };
}

/** [name, op bits 11:9, access, load] of the register-offset group `0101 ooo mmm nnn ttt`. */
const REGISTER_FORMS: readonly [string, string, Access, boolean][] = [
  ['STR (register) T1', '000', Access.Word, false],
  ['STRH (register) T1', '001', Access.Half, false],
  ['STRB (register) T1', '010', Access.Byte, false],
  ['LDRSB (register) T1', '011', Access.SignedByte, true],
  ['LDR (register, Thumb) T1', '100', Access.Word, true],
  ['LDRH (register) T1', '101', Access.Half, true],
  ['LDRB (register) T1', '110', Access.Byte, true],
  ['LDRSH (register) T1', '111', Access.SignedHalf, true],
];

/** [name, opcode bits 15:11, access, load, scale] of `ooooo iiiii nnn ttt`. */
const IMMEDIATE_FORMS: readonly [string, string, Access, boolean, number][] = [
  ['STR (immediate, Thumb) T1', '01100', Access.Word, false, 4],
  ['LDR (immediate, Thumb) T1', '01101', Access.Word, true, 4],
  ['STRB (immediate, Thumb) T1', '01110', Access.Byte, false, 1],
  ['LDRB (immediate, Thumb) T1', '01111', Access.Byte, true, 1],
  ['STRH (immediate, Thumb) T1', '10000', Access.Half, false, 2],
  ['LDRH (immediate, Thumb) T1', '10001', Access.Half, true, 2],
];

function single(access: Access, load: boolean, t: number, n: number, imm: number): Instr {
  if (load) return loadSingle(access, false, t, n, immediateOffset(imm), OFFSET_ADD);
  return storeSingle(access as StoreAccess, false, t, n, immediateOffset(imm), OFFSET_ADD);
}

const encodings: Encoding[] = [
  // Align(PC, 4) + imm8 * 4 (A8.8.64).
  encoding('LDR (literal) T1', '0100_1ttt_iiii_iiii', (hw) =>
    single(Access.Word, true, bits(hw, 10, 8), 15, bits(hw, 7, 0) << 2)),
  encoding('STR (immediate, Thumb) T2', '1001_0ttt_iiii_iiii', (hw) => single(Access.Word, false, bits(hw, 10, 8), 13, bits(hw, 7, 0) << 2)),
  encoding('LDR (immediate, Thumb) T2', '1001_1ttt_iiii_iiii', (hw) => single(Access.Word, true, bits(hw, 10, 8), 13, bits(hw, 7, 0) << 2)),
  // LDM T1: writeback unless the base is in the list (A8.8.57). QEMU UNDEFs an empty list.
  encoding('LDM (LDMIA, LDMFD) T1', '1100_1nnn_rrrr_rrrr', (hw) => {
    const n = bits(hw, 10, 8);
    const list = bits(hw, 7, 0);
    return list === 0 ? null : loadMultiple(n, list, BlockMode.IA, ((list >>> n) & 1) === 0);
  }),
  encoding('STM (STMIA, STMEA) T1', '1100_0nnn_rrrr_rrrr', (hw) => {
    const list = bits(hw, 7, 0);
    return list === 0 ? null : storeMultiple(bits(hw, 10, 8), list, BlockMode.IA, true, false);
  }),
  encoding('PUSH T1', '1011_010M_rrrr_rrrr', (hw) => {
    const list = bits(hw, 7, 0) | (bit(hw, 8) << 14);
    return list === 0 ? null : storeMultiple(13, list, BlockMode.DB, true, false);
  }),
  encoding('POP T1', '1011_110P_rrrr_rrrr', (hw, ctx) => {
    const list = bits(hw, 7, 0) | (bit(hw, 8) << 15);
    if (list === 0 || (bit(hw, 8) === 1 && !pcLoadAllowed(ctx))) return null;
    return loadMultiple(13, list, BlockMode.IA, true);
  }),
];
for (const [name, op, access, load] of REGISTER_FORMS) {
  encodings.push(encoding(name, `0101_${op}m_mmnn_nttt`, (hw) => {
    const offset = registerOffset(bits(hw, 8, 6), SRType.LSL, 0);
    const t = bits(hw, 2, 0);
    const n = bits(hw, 5, 3);
    if (load) return loadSingle(access, false, t, n, offset, OFFSET_ADD);
    return storeSingle(access as StoreAccess, false, t, n, offset, OFFSET_ADD);
  }));
}
for (const [name, opcode, access, load, scale] of IMMEDIATE_FORMS) {
  encodings.push(encoding(name, `${opcode}_iiiii_nnn_ttt`, (hw) =>
    single(access, load, bits(hw, 2, 0), bits(hw, 5, 3), bits(hw, 10, 6) * scale)));
}

export const t16Encodings: readonly Encoding[] = encodings;
