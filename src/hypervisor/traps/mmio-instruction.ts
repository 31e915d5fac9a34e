import { pattern } from '../../arch/arm/decode-table.js';
import { plainRegister, shiftedRegister, splitImmediate } from '../../arch/arm/isa-memory/a32.js';
import { bit, bits, registerList } from '../../arch/arm/isa-memory/registers.js';
import { BlockMode } from '../../arch/arm/isa-memory/semantics-multiple.js';
import { Access, immediateOffset, indexing, type Indexing, type Offset } from '../../arch/arm/isa-memory/semantics-single.js';

/**
 * The loads and stores whose data abort has no syndrome (ARM ARM B3.13.6, ISS for a Data Abort:
 * ISV = 0 for the writeback forms, LDRD/STRD and load/store multiple), decoded from the
 * instruction so that the hypervisor can perform them against an emulated device, as a Hyp-mode
 * hypervisor reads the instruction back when HSR does not describe the access. Only the shape of
 * each access is decoded (registers, addressing, size); the CPU's own decoder is where each
 * instruction's meaning lives. Forms involving the PC (as Rt, Rn, Rm or in a list), exclusives,
 * the banked LDM/STM forms and coprocessor transfers are not decoded.
 */

/** A single load or store: LDR/STR/LDRB/STRB/LDRH/STRH/LDRSB/LDRSH, also the unprivileged ...T forms. */
export interface SingleTransfer {
  readonly kind: 'single';
  readonly name: string;
  readonly length: 2 | 4;
  readonly load: boolean;
  readonly access: Access;
  readonly t: number;
  readonly n: number;
  readonly offset: Offset;
  readonly ix: Indexing;
}

/** LDRD/STRD: two words at the address and the next, Rt then Rt2. */
export interface DualTransfer {
  readonly kind: 'dual';
  readonly name: string;
  readonly length: 4;
  readonly load: boolean;
  readonly t: number;
  readonly t2: number;
  readonly n: number;
  readonly offset: Offset;
  readonly ix: Indexing;
}

/** LDM/STM (IA, IB, DA, DB), PUSH/POP: the listed registers, lowest-numbered at the lowest address. */
export interface BlockTransfer {
  readonly kind: 'block';
  readonly name: string;
  readonly length: 2 | 4;
  readonly load: boolean;
  readonly n: number;
  readonly registers: readonly number[];
  readonly mode: BlockMode;
  readonly wback: boolean;
}

export type MmioInstruction = SingleTransfer | DualTransfer | BlockTransfer;

interface Form {
  readonly mask: number;
  readonly value: number;
  readonly decode: (word: number) => MmioInstruction | undefined;
}

function form(bitsPattern: string, decode: (word: number) => MmioInstruction | undefined): Form {
  return { ...pattern(bitsPattern), decode };
}

const PC = 15;

function single(name: string, length: 2 | 4, load: boolean, access: Access, t: number, n: number, offset: Offset, ix: Indexing): SingleTransfer | undefined {
  if (t === PC || n === PC || offset.m === PC) return undefined;
  return { kind: 'single', name, length, load, access, t, n, offset, ix };
}

function dual(name: string, load: boolean, t: number, t2: number, n: number, offset: Offset, ix: Indexing): DualTransfer | undefined {
  if (t === PC || t2 === PC || n === PC || offset.m === PC) return undefined;
  return { kind: 'dual', name, length: 4, load, t, t2, n, offset, ix };
}

function block(name: string, length: 2 | 4, load: boolean, n: number, list: number, mode: BlockMode, wback: boolean): BlockTransfer | undefined {
  if (n === PC || list === 0 || (list & (1 << PC)) !== 0) return undefined;
  return { kind: 'block', name, length, load, n, registers: Array.from(registerList(list)), mode, wback };
}

/*
 * The forms, with their ARM ARM sections:
 *   A32 (A5.3, A5.2.8, A5.5): LDR/STR (immediate, ARM; register) A8.8.63/66, A8.8.204/205; LDRB/STRB
 *   A8.8.68/70, A8.8.207/208; LDRT/STRT/LDRBT/STRBT A8.8.92/220/71/209 (P = 0, W = 1: post-indexed);
 *   LDRH/STRH A8.8.80/82, A8.8.217/218; LDRSB A8.8.84/86; LDRSH A8.8.88/90 (and their ...T forms);
 *   LDRD/STRD (immediate, register) A8.8.72/74, A8.8.210/211; LDM/LDMDA/LDMDB/LDMIB A8.8.57-60,
 *   STM/STMDA/STMDB/STMIB A8.8.199-202.
 *   T32 (A6.3.7-A6.3.10, A6.3.5, A6.3.6): the imm8 forms LDR T4 A8.8.62, LDRB T3 A8.8.67, LDRH T3
 *   A8.8.79, LDRSB T2 A8.8.84, LDRSH T2 A8.8.88, STR T4 A8.8.203, STRB T3 A8.8.206, STRH T3 A8.8.216
 *   (pre/post-indexed with writeback; the other single forms always have a syndrome); LDRD/STRD
 *   (immediate) T1 A8.8.72, A8.8.210; LDM T2, LDMDB T1, STM T2, STMDB T1.
 *   T16 (A6.2): LDM T1, STM T1 A8.8.57, A8.8.199; POP T1 A8.8.131, PUSH T1 A8.8.133.
 */

const MODE_NAMES = ['DA', 'IA', 'DB', 'IB'];

/** A32 word/byte (A5.3): B (bit 22) selects the byte forms. */
function a32WordByte(w: number, offset: Offset): MmioInstruction | undefined {
  const load = bit(w, 20) === 1;
  const byte = bit(w, 22) === 1;
  const name = `${load ? 'LDR' : 'STR'}${byte ? 'B' : ''} (${offset.m >= 0 ? 'register' : 'immediate'}) A1`;
  return single(name, 4, load, byte ? Access.Byte : Access.Word, bits(w, 15, 12), bits(w, 19, 16), offset, indexing(bit(w, 24), bit(w, 23), bit(w, 21)));
}

/** A32 extra load/store (A5.2.8) by L (bit 20) and op2 [6:5]: mnemonic and access ('dual' for LDRD/STRD). */
const EXTRA: Readonly<Record<number, readonly [string, Access | 'dual']>> = {
  0b0_01: ['STRH', Access.Half],
  0b0_10: ['LDRD', 'dual'],
  0b0_11: ['STRD', 'dual'],
  0b1_01: ['LDRH', Access.Half],
  0b1_10: ['LDRSB', Access.SignedByte],
  0b1_11: ['LDRSH', Access.SignedHalf],
};

function a32Extra(w: number): MmioInstruction | undefined {
  const shape = EXTRA[(bit(w, 20) << 2) | bits(w, 6, 5)];
  if (shape === undefined) return undefined;
  const [mnemonic, access] = shape;
  // I (bit 22): imm4H:imm4L, else Rm with bits [11:8] zero.
  const immediate = bit(w, 22) === 1;
  if (!immediate && bits(w, 11, 8) !== 0) return undefined;
  const offset = immediate ? splitImmediate(w) : plainRegister(w);
  const name = `${mnemonic} (${immediate ? 'immediate' : 'register'}) A1`;
  const p = bit(w, 24);
  const ix = indexing(p, bit(w, 23), bit(w, 21));
  const t = bits(w, 15, 12);
  const n = bits(w, 19, 16);
  // LDRD is L = 0 with op2 = 10: the load/store direction is not bit 20 there.
  if (access !== 'dual') return single(name, 4, bit(w, 20) === 1, access, t, n, offset, ix);
  // Rt even; P = 0 with W = 1 is UNPREDICTABLE (the CPU UNDEFs both).
  if ((t & 1) !== 0 || (p === 0 && bit(w, 21) === 1)) return undefined;
  return dual(name, mnemonic === 'LDRD', t, t + 1, n, offset, ix);
}

/** A32, conditional (cond != 0b1111). */
const A32: readonly Form[] = [
  form('cccc_010P_UBWL_nnnn_tttt_iiii_iiii_iiii', (w) => a32WordByte(w, immediateOffset(bits(w, 11, 0)))),
  // Bit 4 set is the media space (A5.4).
  form('cccc_011P_UBWL_nnnn_tttt_iiii_itt0_mmmm', (w) => a32WordByte(w, shiftedRegister(w))),
  form('cccc_000P_UIWL_nnnn_tttt_iiii_1oo1_iiii', a32Extra),
  // S (bit 22) set is LDM/STM (User registers) and LDM (exception return), B9.3.4-6.
  form('cccc_100P_U0WL_nnnn_rrrr_rrrr_rrrr_rrrr', (w) => {
    const load = bit(w, 20) === 1;
    const mode = bits(w, 24, 23) as BlockMode;
    return block(`${load ? 'LDM' : 'STM'}${MODE_NAMES[mode]} A1`, 4, load, bits(w, 19, 16), bits(w, 15, 0), mode, bit(w, 21) === 1);
  }),
];

/** T32 single data item by S:size, bits 24 and [22:21] of the word (A6.3.7-A6.3.10): mnemonic and access. */
const T32_SINGLE: readonly (readonly [string, Access] | undefined)[] = [
  ['B', Access.Byte], ['H', Access.Half], ['', Access.Word], undefined, ['SB', Access.SignedByte], ['SH', Access.SignedHalf],
];

/** 32-bit T32, matched on (hw1 << 16) | hw2. */
const T32: readonly Form[] = [
  // The imm8 forms, hw2 = Rt:1PUW:imm8: W = 1 pre- or post-indexed; 1100 a negative offset and
  // 1110 the ...T form, both without writeback (and so with a syndrome unless Rt is the PC).
  form('1111_100S_0ssL_nnnn_tttt_1PUW_iiii_iiii', (w) => {
    const load = bit(w, 20) === 1;
    const shape = T32_SINGLE[(bit(w, 24) << 2) | bits(w, 22, 21)];
    if (shape === undefined || (!load && bit(w, 24) === 1)) return undefined;
    const puw = bits(w, 10, 8);
    if ((puw & 1) === 0 && puw !== 0b100 && puw !== 0b110) return undefined;
    const ix = (puw & 1) === 1 ? indexing(bit(w, 10), bit(w, 9), 1) : indexing(1, bit(w, 9), 0);
    const [suffix, access] = shape;
    const name = `${load ? 'LDR' : 'STR'}${suffix} (immediate) imm8`;
    return single(name, 4, load, access, bits(w, 15, 12), bits(w, 19, 16), immediateOffset(bits(w, 7, 0)), ix);
  }),
  // P = W = 0 is the exclusive and table-branch space (A6.3.5).
  form('1110_100P_U1WL_nnnn_tttt_TTTT_iiii_iiii', (w) => {
    const p = bit(w, 24);
    const wb = bit(w, 21);
    if (p === 0 && wb === 0) return undefined;
    const load = bit(w, 20) === 1;
    return dual(`${load ? 'LDRD' : 'STRD'} (immediate) T1`, load, bits(w, 15, 12), bits(w, 11, 8), bits(w, 19, 16),
      immediateOffset(bits(w, 7, 0) << 2), { index: p === 1, add: bit(w, 23) === 1, wback: wb === 1 });
  }),
  // P:U = 01 (IA) or 10 (DB); 00 and 11 are SRS and RFE.
  form('1110_100P_U0WL_nnnn_rrrr_rrrr_rrrr_rrrr', (w) => {
    const mode = bits(w, 24, 23) as BlockMode;
    if (mode !== BlockMode.IA && mode !== BlockMode.DB) return undefined;
    const load = bit(w, 20) === 1;
    const name = `${load ? 'LDM' : 'STM'}${mode === BlockMode.IA ? ' T2' : 'DB T1'}`;
    return block(name, 4, load, bits(w, 19, 16), bits(w, 15, 0), mode, bit(w, 21) === 1);
  }),
];

/** 16-bit T32: the load/store single forms there always have a syndrome (Rt is R0-R7). */
const T16: readonly Form[] = [
  // Writeback unless the base is in the list.
  form('1100_1nnn_rrrr_rrrr', (hw) => {
    const n = bits(hw, 10, 8);
    return block('LDM T1', 2, true, n, bits(hw, 7, 0), BlockMode.IA, bit(hw, n) === 0);
  }),
  form('1100_0nnn_rrrr_rrrr', (hw) => block('STM T1', 2, false, bits(hw, 10, 8), bits(hw, 7, 0), BlockMode.IA, true)),
  // PUSH = STMDB SP! (M adds LR); POP = LDM SP! (P adds the PC, not decoded).
  form('1011_010M_rrrr_rrrr', (hw) => block('PUSH T1', 2, false, 13, bits(hw, 7, 0) | (bit(hw, 8) << 14), BlockMode.DB, true)),
  form('1011_110P_rrrr_rrrr', (hw) => block('POP T1', 2, true, 13, bits(hw, 7, 0) | (bit(hw, 8) << 15), BlockMode.IA, true)),
];

function decodeIn(forms: readonly Form[], word: number): MmioInstruction | undefined {
  for (const f of forms) if (((word & f.mask) ^ f.value) === 0) return f.decode(word);
  return undefined;
}

/** An A32 instruction word, or undefined if it is not a load/store decoded here. */
export function decodeA32(word: number): MmioInstruction | undefined {
  return word >>> 28 === 0xf ? undefined : decodeIn(A32, word);
}

/** A 16-bit T32 instruction. */
export function decodeT16(hw: number): MmioInstruction | undefined {
  return decodeIn(T16, hw);
}

/** A 32-bit T32 instruction, (hw1 << 16) | hw2. */
export function decodeT32(word: number): MmioInstruction | undefined {
  return decodeIn(T32, word);
}
