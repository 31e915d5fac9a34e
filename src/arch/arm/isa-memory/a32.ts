import { SRType, decodeImmShiftAmount, decodeImmShiftType } from '../alu.js';
import { noOperation } from '../isa-control/semantics-hint.js';
import { pattern, type Encoding, type Instr } from '../decode-table.js';
import { bit, bits } from './registers.js';
import { clearExclusive, loadExclusive, loadExclusiveDual, storeExclusive, storeExclusiveDual } from './semantics-exclusive.js';
import {
  BlockMode, loadMultiple, loadMultipleExceptionReturn, loadMultipleUser, returnFromException, srsModeValid, storeMultiple,
  storeReturnState,
} from './semantics-multiple.js';
import {
  Access, immediateOffset, indexing, loadDual, loadSingle, registerOffset, storeDual, storeSingle, swap,
  type Indexing, type Offset, type StoreAccess,
} from './semantics-single.js';

/**
 * A32 load/store encodings (ARM ARM A5.3 "Load/store word and unsigned byte", A5.2.8 "Extra
 * load/store instructions", A5.2.10 "Synchronization primitives", A5.5 "Branch, branch with link,
 * and block data transfer", A5.7 "Memory hints, Advanced SIMD instructions, and miscellaneous
 * instructions"). Builders only extract fields; where the ARM ARM says UNPREDICTABLE the choice is
 * QEMU 7.2's: execute as its decoder does, or return null (UNDEFINED) where it UNDEFs.
 */

function encoding(name: string, bitsPattern: string, build: (word: number) => Instr | null): Encoding {
  return { name, ...pattern(bitsPattern), build };
}

/** Post-indexed with writeback: the addressing of the unprivileged ...T forms. */
function postIndexed(u: number): Indexing {
  return { index: false, add: u === 1, wback: true };
}

/** Rm shifted by imm5 (A8.4.3 DecodeImmShift), for the word/byte register forms. */
export function shiftedRegister(word: number): Offset {
  const type = bits(word, 6, 5);
  const imm5 = bits(word, 11, 7);
  return registerOffset(bits(word, 3, 0), decodeImmShiftType(type, imm5), decodeImmShiftAmount(type, imm5));
}

/** imm4H:imm4L of the extra load/store immediate forms. */
export function splitImmediate(word: number): Offset {
  return immediateOffset((bits(word, 11, 8) << 4) | bits(word, 3, 0));
}

export const plainRegister = (word: number): Offset => registerOffset(bits(word, 3, 0), SRType.LSL, 0);

type OffsetOf = (word: number) => Offset;
const imm12 = (word: number): Offset => immediateOffset(bits(word, 11, 0));

/** LDR/LDRB/STR/STRB and the halfword/signed loads and stores, normal or unprivileged. */
function single(name: string, bitsPattern: string, access: Access, load: boolean, unprivileged: boolean, offsetOf: OffsetOf): Encoding {
  return encoding(name, bitsPattern, (w) => {
    const p = bit(w, 24);
    const wb = bit(w, 21);
    // P == 0 && W == 1 is the unprivileged form, decoded by its own entry.
    if (!unprivileged && p === 0 && wb === 1) return null;
    const ix = unprivileged ? postIndexed(bit(w, 23)) : indexing(p, bit(w, 23), wb);
    const t = bits(w, 15, 12);
    const n = bits(w, 19, 16);
    if (load) return loadSingle(access, unprivileged, t, n, offsetOf(w), ix);
    return storeSingle(access as StoreAccess, unprivileged, t, n, offsetOf(w), ix);
  });
}

/** LDRD/STRD: Rt must be even (QEMU UNDEFs odd Rt); there is no unprivileged form (P == 0, W == 1). */
function dual(name: string, bitsPattern: string, load: boolean, offsetOf: OffsetOf): Encoding {
  return encoding(name, bitsPattern, (w) => {
    const p = bit(w, 24);
    const wb = bit(w, 21);
    const t = bits(w, 15, 12);
    if ((p === 0 && wb === 1) || (t & 1) !== 0) return null;
    const ix = indexing(p, bit(w, 23), wb);
    const n = bits(w, 19, 16);
    return load ? loadDual(t, t + 1, n, offsetOf(w), ix) : storeDual(t, t + 1, n, offsetOf(w), ix);
  });
}

const WORD_BYTE: readonly Encoding[] = [
  single('STR (immediate, ARM) A1', 'cccc_010P_U0W0_nnnn_tttt_iiii_iiii_iiii', Access.Word, false, false, imm12),
  single('STRB (immediate, ARM) A1', 'cccc_010P_U1W0_nnnn_tttt_iiii_iiii_iiii', Access.Byte, false, false, imm12),
  single('LDR (immediate, ARM) A1', 'cccc_010P_U0W1_nnnn_tttt_iiii_iiii_iiii', Access.Word, true, false, imm12),
  single('LDR (literal) A1', 'cccc_0101_U001_1111_tttt_iiii_iiii_iiii', Access.Word, true, false, imm12),
  single('LDRB (immediate, ARM) A1', 'cccc_010P_U1W1_nnnn_tttt_iiii_iiii_iiii', Access.Byte, true, false, imm12),
  single('LDRB (literal) A1', 'cccc_0101_U101_1111_tttt_iiii_iiii_iiii', Access.Byte, true, false, imm12),
  single('STR (register) A1', 'cccc_011P_U0W0_nnnn_tttt_iiii_itt0_mmmm', Access.Word, false, false, shiftedRegister),
  single('STRB (register) A1', 'cccc_011P_U1W0_nnnn_tttt_iiii_itt0_mmmm', Access.Byte, false, false, shiftedRegister),
  single('LDR (register, ARM) A1', 'cccc_011P_U0W1_nnnn_tttt_iiii_itt0_mmmm', Access.Word, true, false, shiftedRegister),
  single('LDRB (register) A1', 'cccc_011P_U1W1_nnnn_tttt_iiii_itt0_mmmm', Access.Byte, true, false, shiftedRegister),
  single('STRT A1', 'cccc_0100_U010_nnnn_tttt_iiii_iiii_iiii', Access.Word, false, true, imm12),
  single('STRT A2', 'cccc_0110_U010_nnnn_tttt_iiii_itt0_mmmm', Access.Word, false, true, shiftedRegister),
  single('STRBT A1', 'cccc_0100_U110_nnnn_tttt_iiii_iiii_iiii', Access.Byte, false, true, imm12),
  single('STRBT A2', 'cccc_0110_U110_nnnn_tttt_iiii_itt0_mmmm', Access.Byte, false, true, shiftedRegister),
  single('LDRT A1', 'cccc_0100_U011_nnnn_tttt_iiii_iiii_iiii', Access.Word, true, true, imm12),
  single('LDRT A2', 'cccc_0110_U011_nnnn_tttt_iiii_itt0_mmmm', Access.Word, true, true, shiftedRegister),
  single('LDRBT A1', 'cccc_0100_U111_nnnn_tttt_iiii_iiii_iiii', Access.Byte, true, true, imm12),
  single('LDRBT A2', 'cccc_0110_U111_nnnn_tttt_iiii_itt0_mmmm', Access.Byte, true, true, shiftedRegister),
];

/** The halfword and signed forms: [mnemonic, op2 bits 7:4, access]. */
const EXTRA_LOADS: readonly [string, string, Access][] = [
  ['LDRH', '1011', Access.Half],
  ['LDRSB', '1101', Access.SignedByte],
  ['LDRSH', '1111', Access.SignedHalf],
];

const EXTRA: Encoding[] = [
  single('STRH (register) A1', 'cccc_000P_U0W0_nnnn_tttt_0000_1011_mmmm', Access.Half, false, false, plainRegister),
  single('STRH (immediate, ARM) A1', 'cccc_000P_U1W0_nnnn_tttt_iiii_1011_iiii', Access.Half, false, false, splitImmediate),
  single('STRHT A1', 'cccc_0000_U110_nnnn_tttt_iiii_1011_iiii', Access.Half, false, true, splitImmediate),
  single('STRHT A2', 'cccc_0000_U010_nnnn_tttt_0000_1011_mmmm', Access.Half, false, true, plainRegister),
  dual('LDRD (register) A1', 'cccc_000P_U0W0_nnnn_tttt_0000_1101_mmmm', true, plainRegister),
  dual('LDRD (immediate) A1', 'cccc_000P_U1W0_nnnn_tttt_iiii_1101_iiii', true, splitImmediate),
  dual('LDRD (literal) A1', 'cccc_0001_U100_1111_tttt_iiii_1101_iiii', true, splitImmediate),
  dual('STRD (register) A1', 'cccc_000P_U0W0_nnnn_tttt_0000_1111_mmmm', false, plainRegister),
  dual('STRD (immediate) A1', 'cccc_000P_U1W0_nnnn_tttt_iiii_1111_iiii', false, splitImmediate),
];
for (const [mnemonic, op2, access] of EXTRA_LOADS) {
  EXTRA.push(
    single(`${mnemonic} (register) A1`, `cccc_000P_U0W1_nnnn_tttt_0000_${op2}_mmmm`, access, true, false, plainRegister),
    single(`${mnemonic} (immediate, ARM) A1`, `cccc_000P_U1W1_nnnn_tttt_iiii_${op2}_iiii`, access, true, false, splitImmediate),
    single(`${mnemonic} (literal) A1`, `cccc_0001_U101_1111_tttt_iiii_${op2}_iiii`, access, true, false, splitImmediate),
    single(`${mnemonic}T A1`, `cccc_0000_U111_nnnn_tttt_iiii_${op2}_iiii`, access, true, true, splitImmediate),
    single(`${mnemonic}T A2`, `cccc_0000_U011_nnnn_tttt_0000_${op2}_mmmm`, access, true, true, plainRegister),
  );
}

/** LDREX*: QEMU UNDEFs Rt or Rn = PC (UNPREDICTABLE). */
function loadEx(name: string, bitsPattern: string, size: 1 | 2 | 4 | 8): Encoding {
  return encoding(name, bitsPattern, (w) => {
    const n = bits(w, 19, 16);
    const t = bits(w, 15, 12);
    if (n === 15 || t === 15) return null;
    if (size !== 8) return loadExclusive(size, t, n, 0);
    return (t & 1) !== 0 || t === 14 ? null : loadExclusiveDual(t, t + 1, n);
  });
}

/** STREX*: QEMU UNDEFs a PC operand and Rd overlapping Rn, Rt or Rt2 (UNPREDICTABLE). */
function storeEx(name: string, bitsPattern: string, size: 1 | 2 | 4 | 8): Encoding {
  return encoding(name, bitsPattern, (w) => {
    const n = bits(w, 19, 16);
    const d = bits(w, 15, 12);
    const t = bits(w, 3, 0);
    if (n === 15 || d === 15 || t === 15 || d === n || d === t) return null;
    if (size !== 8) return storeExclusive(size, d, t, n, 0);
    return (t & 1) !== 0 || t === 14 || d === t + 1 ? null : storeExclusiveDual(d, t, t + 1, n);
  });
}

const SYNCHRONIZATION: readonly Encoding[] = [
  encoding('SWP, SWPB A1', 'cccc_0001_0B00_nnnn_tttt_0000_1001_mmmm', (w) =>
    swap(bit(w, 22) === 1, bits(w, 15, 12), bits(w, 3, 0), bits(w, 19, 16))),
  loadEx('LDREX A1', 'cccc_0001_1001_nnnn_tttt_1111_1001_1111', 4),
  loadEx('LDREXB A1', 'cccc_0001_1101_nnnn_tttt_1111_1001_1111', 1),
  loadEx('LDREXH A1', 'cccc_0001_1111_nnnn_tttt_1111_1001_1111', 2),
  loadEx('LDREXD A1', 'cccc_0001_1011_nnnn_tttt_1111_1001_1111', 8),
  storeEx('STREX A1', 'cccc_0001_1000_nnnn_dddd_1111_1001_tttt', 4),
  storeEx('STREXB A1', 'cccc_0001_1100_nnnn_dddd_1111_1001_tttt', 1),
  storeEx('STREXH A1', 'cccc_0001_1110_nnnn_dddd_1111_1001_tttt', 2),
  storeEx('STREXD A1', 'cccc_0001_1010_nnnn_dddd_1111_1001_tttt', 8),
];

/**
 * LDM/STM and their User-register and exception-return forms (A8.8.57-60, A8.8.197-200, B9.3.5-6).
 * QEMU UNDEFs an empty list, Rn = PC, and (ARMv7) LDM writeback with the base in the list.
 */
function blockTransfer(name: string, bitsPattern: string, load: boolean, banked: boolean): Encoding {
  return encoding(name, bitsPattern, (w) => {
    const n = bits(w, 19, 16);
    const list = bits(w, 15, 0);
    const wback = bit(w, 21) === 1;
    const mode = bits(w, 24, 23) as BlockMode;
    if (n === 15 || list === 0) return null;
    if (!load) return storeMultiple(n, list, mode, wback, banked);
    if (wback && ((list >>> n) & 1) !== 0) return null;
    if (!banked) return loadMultiple(n, list, mode, wback);
    if ((list & 0x8000) !== 0) return loadMultipleExceptionReturn(n, list, mode, wback);
    return wback ? null : loadMultipleUser(n, list, mode);
  });
}

const BLOCK: readonly Encoding[] = [
  blockTransfer('STMDA (STMED) A1', 'cccc_1000_00W0_nnnn_rrrr_rrrr_rrrr_rrrr', false, false),
  blockTransfer('STM (STMIA, STMEA) A1', 'cccc_1000_10W0_nnnn_rrrr_rrrr_rrrr_rrrr', false, false),
  blockTransfer('STMDB (STMFD) A1', 'cccc_1001_00W0_nnnn_rrrr_rrrr_rrrr_rrrr', false, false),
  blockTransfer('STMIB (STMFA) A1', 'cccc_1001_10W0_nnnn_rrrr_rrrr_rrrr_rrrr', false, false),
  blockTransfer('LDMDA (LDMFA) A1', 'cccc_1000_00W1_nnnn_rrrr_rrrr_rrrr_rrrr', true, false),
  blockTransfer('LDM (LDMIA, LDMFD) A1', 'cccc_1000_10W1_nnnn_rrrr_rrrr_rrrr_rrrr', true, false),
  blockTransfer('LDMDB (LDMEA) A1', 'cccc_1001_00W1_nnnn_rrrr_rrrr_rrrr_rrrr', true, false),
  blockTransfer('LDMIB (LDMED) A1', 'cccc_1001_10W1_nnnn_rrrr_rrrr_rrrr_rrrr', true, false),
  blockTransfer('STM (User registers) A1', 'cccc_100P_U1W0_nnnn_rrrr_rrrr_rrrr_rrrr', false, true),
  blockTransfer('LDM (User registers) A1', 'cccc_100P_U1W1_nnnn_0rrr_rrrr_rrrr_rrrr', true, true),
  blockTransfer('LDM (exception return) A1', 'cccc_100P_U1W1_nnnn_1rrr_rrrr_rrrr_rrrr', true, true),
];

/** The unconditional space (cond = 1111): hints, CLREX, SRS, RFE (A5.7). */
const UNCONDITIONAL: readonly Encoding[] = [
  encoding('PLD, PLDW (immediate) A1', '1111_0101_UR01_nnnn_1111_iiii_iiii_iiii', () => noOperation()),
  encoding('PLD (literal) A1', '1111_0101_U101_1111_1111_iiii_iiii_iiii', () => noOperation()),
  encoding('PLD, PLDW (register) A1', '1111_0111_UR01_nnnn_1111_iiii_itt0_mmmm', () => noOperation()),
  encoding('PLI (immediate, literal) A1', '1111_0100_U101_nnnn_1111_iiii_iiii_iiii', () => noOperation()),
  encoding('PLI (register) A1', '1111_0110_U101_nnnn_1111_iiii_itt0_mmmm', () => noOperation()),
  // A5.7.1: unallocated memory hints behave as NOPs (QEMU treats them as PLDW).
  encoding('Unallocated memory hint (immediate)', '1111_0100_x001_xxxx_xxxx_xxxx_xxxx_xxxx', () => noOperation()),
  encoding('Unallocated memory hint (register)', '1111_0110_x001_xxxx_xxxx_xxxx_xxx0_xxxx', () => noOperation()),
  encoding('CLREX A1', '1111_0101_0111_1111_1111_0000_0001_1111', () => clearExclusive),
  encoding('SRS A1', '1111_100P_U1W0_1101_0000_0101_000m_mmmm', (w) => {
    const mode = bits(w, 4, 0);
    return srsModeValid(mode) ? storeReturnState(mode, bits(w, 24, 23) as BlockMode, bit(w, 21) === 1) : null;
  }),
  encoding('RFE A1', '1111_100P_U0W1_nnnn_0000_1010_0000_0000', (w) =>
    returnFromException(bits(w, 19, 16), bits(w, 24, 23) as BlockMode, bit(w, 21) === 1)),
];

export const a32Encodings: readonly Encoding[] = [...WORD_BYTE, ...EXTRA, ...SYNCHRONIZATION, ...BLOCK, ...UNCONDITIONAL];
