import { SRType } from '../alu.js';
import { noOperation } from '../isa-control/semantics-hint.js';
import { pattern, type DecodeContext, type Encoding, type Instr } from '../decode-table.js';
import { bit, bitCount, bits, pcLoadAllowed } from './registers.js';
import { clearExclusive, loadExclusive, loadExclusiveDual, storeExclusive, storeExclusiveDual } from './semantics-exclusive.js';
import { BlockMode, loadMultiple, returnFromException, srsModeValid, storeMultiple, storeReturnState } from './semantics-multiple.js';
import {
  Access, immediateOffset, loadDual, loadSingle, registerOffset, storeDual, storeSingle,
  type Indexing, type Offset, type StoreAccess,
} from './semantics-single.js';

/**
 * 32-bit T32 load/store encodings (ARM ARM A6.3.7-A6.3.11 "Load word / halfword / byte, memory
 * hints, Store single data item", A6.3.5 "Load/store dual, load/store exclusive", A6.3.6
 * "Load/store multiple"), matched on (hw1 << 16) | hw2. Where the ARM ARM says UNPREDICTABLE the
 * choice is QEMU 7.2's (t32.decode): any load with Rn = PC is the literal form, stores with
 * Rn = PC UNDEF, loads with Rt = PC in the hint rows are PLD/PLDW/PLI/NOP.
 */

function encoding(name: string, bitsPattern: string, build: (word: number, ctx: DecodeContext) => Instr | null): Encoding {
  return { name, ...pattern(bitsPattern), build };
}

const OFFSET_ADD: Indexing = { index: true, add: true, wback: false };
const OFFSET_SUB: Indexing = { index: true, add: false, wback: false };

/** One single-register load or store with its T32 encoding names; `hints` name the Rt = PC rows. */
interface SingleSpec {
  readonly op: string; // bits 24:20 of hw1: S x s s L
  readonly access: Access;
  readonly load: boolean;
  readonly imm12: string;
  readonly imm8: string;
  readonly register: string;
  readonly unprivileged: string;
  readonly literal?: string;
  readonly hint?: string;
}

const SINGLES: readonly SingleSpec[] = [
  {
    op: '0_x00_0', access: Access.Byte, load: false,
    imm12: 'STRB (immediate, Thumb) T2',
    imm8: 'STRB (immediate, Thumb) T3',
    register: 'STRB (register) T2',
    unprivileged: 'STRBT T1',
  },
  {
    op: '0_x01_0', access: Access.Half, load: false,
    imm12: 'STRH (immediate, Thumb) T2',
    imm8: 'STRH (immediate, Thumb) T3',
    register: 'STRH (register) T2',
    unprivileged: 'STRHT T1',
  },
  {
    op: '0_x10_0', access: Access.Word, load: false,
    imm12: 'STR (immediate, Thumb) T3',
    imm8: 'STR (immediate, Thumb) T4',
    register: 'STR (register) T2',
    unprivileged: 'STRT T1',
  },
  {
    op: '0_x00_1', access: Access.Byte, load: true,
    imm12: 'LDRB (immediate, Thumb) T2',
    imm8: 'LDRB (immediate, Thumb) T3',
    register: 'LDRB (register) T2',
    unprivileged: 'LDRBT T1',
    literal: 'LDRB (literal) T1',
    hint: 'PLD',
  },
  {
    op: '0_x01_1', access: Access.Half, load: true,
    imm12: 'LDRH (immediate, Thumb) T2',
    imm8: 'LDRH (immediate, Thumb) T3',
    register: 'LDRH (register) T2',
    unprivileged: 'LDRHT T1',
    literal: 'LDRH (literal) T1',
    hint: 'PLDW',
  },
  {
    op: '0_x10_1', access: Access.Word, load: true,
    imm12: 'LDR (immediate, Thumb) T3',
    imm8: 'LDR (immediate, Thumb) T4',
    register: 'LDR (register, Thumb) T2',
    unprivileged: 'LDRT T1',
    literal: 'LDR (literal) T2',
  },
  {
    op: '1_x00_1', access: Access.SignedByte, load: true,
    imm12: 'LDRSB (immediate) T1',
    imm8: 'LDRSB (immediate) T2',
    register: 'LDRSB (register) T2',
    unprivileged: 'LDRSBT T1',
    literal: 'LDRSB (literal) T1',
    hint: 'PLI',
  },
  {
    op: '1_x01_1', access: Access.SignedHalf, load: true,
    imm12: 'LDRSH (immediate) T1',
    imm8: 'LDRSH (immediate) T2',
    register: 'LDRSH (register) T2',
    unprivileged: 'LDRSHT T1',
    literal: 'LDRSH (literal) T1',
    hint: 'Unallocated memory hint',
  },
];

/** hw1 pattern `1111_100S_xssL` with bit 23 (the imm12 / U bit) fixed to `b23`. */
function prefix(op: string, b23: string): string {
  return `1111_100${op.replace('x', b23)}`;
}

function singleInstr(spec: SingleSpec, unprivileged: boolean, t: number, n: number, offset: Offset, ix: Indexing, ctx: DecodeContext): Instr | null {
  // QEMU: stores with Rn = PC UNDEF; loads with Rn = PC are the literal form (own entry).
  if (n === 15) return null;
  if (!spec.load) return storeSingle(spec.access as StoreAccess, unprivileged, t, n, offset, ix);
  if (t === 15 && !pcLoadAllowed(ctx)) return null;
  return loadSingle(spec.access, unprivileged, t, n, offset, ix);
}

function singleEncodings(spec: SingleSpec): Encoding[] {
  const out: Encoding[] = [
    encoding(spec.imm12, `${prefix(spec.op, '1')}_nnnn_tttt_iiii_iiii_iiii`, (w, ctx) =>
      singleInstr(spec, false, bits(w, 15, 12), bits(w, 19, 16), immediateOffset(bits(w, 11, 0)), OFFSET_ADD, ctx)),
    // imm8 with 1PUW: P=1 U=0 W=0 is a negative offset; W=1 pre/post-indexed; 1110 is the ...T form.
    encoding(spec.imm8, `${prefix(spec.op, '0')}_nnnn_tttt_1PUW_iiii_iiii`, (w, ctx) => {
      const puw = bits(w, 10, 8);
      let ix: Indexing;
      if ((puw & 1) === 1) ix = { index: bit(w, 10) === 1, add: bit(w, 9) === 1, wback: true };
      else if (puw === 0b100) ix = OFFSET_SUB;
      else return null;
      return singleInstr(spec, false, bits(w, 15, 12), bits(w, 19, 16), immediateOffset(bits(w, 7, 0)), ix, ctx);
    }),
    encoding(spec.unprivileged, `${prefix(spec.op, '0')}_nnnn_tttt_1110_iiii_iiii`, (w, ctx) =>
      singleInstr(spec, true, bits(w, 15, 12), bits(w, 19, 16), immediateOffset(bits(w, 7, 0)), OFFSET_ADD, ctx)),
    encoding(spec.register, `${prefix(spec.op, '0')}_nnnn_tttt_0000_00ii_mmmm`, (w, ctx) =>
      singleInstr(spec, false, bits(w, 15, 12), bits(w, 19, 16), registerOffset(bits(w, 3, 0), SRType.LSL, bits(w, 5, 4)), OFFSET_ADD, ctx)),
  ];
  if (spec.literal !== undefined) {
    // Align(PC, 4) +/- imm12 (A8.8.64); QEMU takes every Rn = PC load as this form.
    out.push(encoding(spec.literal, `${prefix(spec.op, 'U')}_1111_tttt_iiii_iiii_iiii`, (w, ctx) => {
      const t = bits(w, 15, 12);
      if (t === 15 && !pcLoadAllowed(ctx)) return null;
      return loadSingle(spec.access, false, t, 15, immediateOffset(bits(w, 11, 0)), bit(w, 23) === 1 ? OFFSET_ADD : OFFSET_SUB);
    }));
  }
  if (spec.hint !== undefined) {
    // Rt = PC in the non-writeback rows is a preload hint (A6.3.7, A6.3.8, A6.3.9): no effect.
    const hint = (): Instr => noOperation();
    out.push(
      encoding(`${spec.hint} (literal)`, `${prefix(spec.op, 'U')}_1111_1111_iiii_iiii_iiii`, hint),
      encoding(`${spec.hint} (immediate, imm12)`, `${prefix(spec.op, '1')}_nnnn_1111_iiii_iiii_iiii`, hint),
      encoding(`${spec.hint} (immediate, imm8)`, `${prefix(spec.op, '0')}_nnnn_1111_1100_iiii_iiii`, hint),
      encoding(`${spec.hint} (register)`, `${prefix(spec.op, '0')}_nnnn_1111_0000_00ii_mmmm`, hint),
    );
  }
  return out;
}

/** LDRD/STRD (immediate, literal) T1: imm8 << 2; P == 0 && W == 0 is the exclusive/table-branch space. */
function dual(name: string, bitsPattern: string, load: boolean): Encoding {
  return encoding(name, bitsPattern, (w) => {
    const p = bit(w, 24);
    const wb = bit(w, 21);
    if (p === 0 && wb === 0) return null;
    const ix: Indexing = { index: p === 1, add: bit(w, 23) === 1, wback: wb === 1 };
    const offset = immediateOffset(bits(w, 7, 0) << 2);
    const n = bits(w, 19, 16);
    // QEMU's trans_LDRD_ri_t32/STRD_ri_t32 check none of the UNPREDICTABLE register cases.
    const t = bits(w, 15, 12);
    const t2 = bits(w, 11, 8);
    return load ? loadDual(t, t2, n, offset, ix) : storeDual(t, t2, n, offset, ix);
  });
}

/** Registers QEMU rejects in T32 exclusives (ARMv7: PC, and SP in Thumb, are UNPREDICTABLE). */
const badReg = (r: number): boolean => r === 13 || r === 15;

const EXCLUSIVE: readonly Encoding[] = [
  encoding('LDREX T1', '1110_1000_0101_nnnn_tttt_1111_iiii_iiii', (w) => {
    const n = bits(w, 19, 16);
    const t = bits(w, 15, 12);
    return n === 15 || badReg(t) ? null : loadExclusive(4, t, n, bits(w, 7, 0) << 2);
  }),
  encoding('STREX T1', '1110_1000_0100_nnnn_tttt_dddd_iiii_iiii', (w) => {
    const n = bits(w, 19, 16);
    const t = bits(w, 15, 12);
    const d = bits(w, 11, 8);
    return n === 15 || badReg(t) || badReg(d) || d === n || d === t ? null : storeExclusive(4, d, t, n, bits(w, 7, 0) << 2);
  }),
  ...([['B', '0100', 1], ['H', '0101', 2]] as const).flatMap(([suffix, op, size]) => [
    encoding(`LDREX${suffix} T1`, `1110_1000_1101_nnnn_tttt_1111_${op}_1111`, (w) => {
      const n = bits(w, 19, 16);
      const t = bits(w, 15, 12);
      return n === 15 || badReg(t) ? null : loadExclusive(size, t, n, 0);
    }),
    encoding(`STREX${suffix} T1`, `1110_1000_1100_nnnn_tttt_1111_${op}_dddd`, (w) => {
      const n = bits(w, 19, 16);
      const t = bits(w, 15, 12);
      const d = bits(w, 3, 0);
      return n === 15 || badReg(t) || badReg(d) || d === n || d === t ? null : storeExclusive(size, d, t, n, 0);
    }),
  ]),
  encoding('LDREXD T1', '1110_1000_1101_nnnn_tttt_TTTT_0111_1111', (w) => {
    const n = bits(w, 19, 16);
    const t = bits(w, 15, 12);
    const t2 = bits(w, 11, 8);
    return n === 15 || badReg(t) || badReg(t2) || t === t2 ? null : loadExclusiveDual(t, t2, n);
  }),
  encoding('STREXD T1', '1110_1000_1100_nnnn_tttt_TTTT_0111_dddd', (w) => {
    const n = bits(w, 19, 16);
    const t = bits(w, 15, 12);
    const t2 = bits(w, 11, 8);
    const d = bits(w, 3, 0);
    if (n === 15 || badReg(t) || badReg(t2) || badReg(d) || d === n || d === t || d === t2) return null;
    return storeExclusiveDual(d, t, t2, n);
  }),
  encoding('CLREX T1', '1111_0011_1011_1111_1000_1111_0010_1111', () => clearExclusive),
];

/**
 * LDM/STM (IA, DB) T1/T2. QEMU 7.2 UNDEFs Rn = PC, fewer than two registers, and writeback with
 * the base in the list; a loaded PC in an IT block must be its last instruction.
 */
function blockTransfer(name: string, bitsPattern: string, load: boolean, mode: BlockMode): Encoding {
  return encoding(name, bitsPattern, (w, ctx) => {
    const n = bits(w, 19, 16);
    const list = bits(w, 15, 0);
    const wback = bit(w, 21) === 1;
    if (n === 15 || bitCount(list) < 2 || (wback && ((list >>> n) & 1) !== 0)) return null;
    if (!load) return storeMultiple(n, list, mode, wback, false);
    if ((list & 0x8000) !== 0 && !pcLoadAllowed(ctx)) return null;
    return loadMultiple(n, list, mode, wback);
  });
}

function srs(name: string, bitsPattern: string, mode: BlockMode): Encoding {
  return encoding(name, bitsPattern, (w) => {
    const target = bits(w, 4, 0);
    return srsModeValid(target) ? storeReturnState(target, mode, bit(w, 21) === 1) : null;
  });
}

function rfe(name: string, bitsPattern: string, mode: BlockMode): Encoding {
  return encoding(name, bitsPattern, (w, ctx) =>
    pcLoadAllowed(ctx) ? returnFromException(bits(w, 19, 16), mode, bit(w, 21) === 1) : null);
}

const BLOCK: readonly Encoding[] = [
  blockTransfer('STM (STMIA, STMEA) T2', '1110_1000_10W0_nnnn_rrrr_rrrr_rrrr_rrrr', false, BlockMode.IA),
  blockTransfer('STMDB (STMFD) T1', '1110_1001_00W0_nnnn_rrrr_rrrr_rrrr_rrrr', false, BlockMode.DB),
  blockTransfer('LDM (LDMIA, LDMFD) T2', '1110_1000_10W1_nnnn_rrrr_rrrr_rrrr_rrrr', true, BlockMode.IA),
  blockTransfer('LDMDB (LDMEA) T1', '1110_1001_00W1_nnnn_rrrr_rrrr_rrrr_rrrr', true, BlockMode.DB),
  srs('SRS T1', '1110_1000_00W0_1101_1100_0000_000m_mmmm', BlockMode.DB),
  srs('SRS T2', '1110_1001_10W0_1101_1100_0000_000m_mmmm', BlockMode.IA),
  rfe('RFE T1', '1110_1000_00W1_nnnn_1100_0000_0000_0000', BlockMode.DB),
  rfe('RFE T2', '1110_1001_10W1_nnnn_1100_0000_0000_0000', BlockMode.IA),
];

export const t32Encodings: readonly Encoding[] = [
  ...SINGLES.flatMap(singleEncodings),
  dual('STRD (immediate) T1', '1110_100P_U1W0_nnnn_tttt_TTTT_iiii_iiii', false),
  dual('LDRD (immediate) T1', '1110_100P_U1W1_nnnn_tttt_TTTT_iiii_iiii', true),
  dual('LDRD (literal) T1', '1110_100P_U1W1_1111_tttt_TTTT_iiii_iiii', true),
  ...EXCLUSIVE,
  ...BLOCK,
];
