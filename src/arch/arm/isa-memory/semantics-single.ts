import { shift, type SRType } from '../alu.js';
import type { Cpu } from '../cpu.js';
import type { Instr } from '../decode-table.js';
import { callingSemantics } from '../semantics-call.js';
import { baseValue, writeLoaded, writeRegister } from './registers.js';

/**
 * Single and dual register loads and stores (ARM ARM A8.8: LDR, LDRB, LDRH, LDRSB, LDRSH, STR,
 * STRB, STRH, the unprivileged ...T forms, LDRD, STRD) and SWP/SWPB, written once for A32 and T32.
 * Tables extract the fields; these builders return the instruction with its operands fixed.
 */

/** What a single load or store transfers. */
export const enum Access {
  Word = 0,
  Byte = 1,
  Half = 2,
  SignedByte = 3,
  SignedHalf = 4,
}

/**
 * The offset of an addressing mode (A5.2.2, A6.3.x): Rm shifted by a constant when `m >= 0`, else
 * the immediate `imm`. Built at decode time.
 */
export interface Offset {
  readonly m: number;
  readonly type: SRType;
  readonly amount: number;
  readonly imm: number;
}

export function immediateOffset(imm: number): Offset {
  return { m: -1, type: 0 as SRType, amount: 0, imm };
}

export function registerOffset(m: number, type: SRType, amount: number): Offset {
  return { m, type, amount, imm: 0 };
}

/** Addressing: offset/pre-indexed (index), add or subtract, base writeback (A8.5). */
export interface Indexing {
  readonly index: boolean;
  readonly add: boolean;
  readonly wback: boolean;
}

/** Decodes P, U, W as the ARM ARM does: index = P, add = U, wback = P == 0 || W == 1. */
export function indexing(p: number, u: number, w: number): Indexing {
  return { index: p === 1, add: u === 1, wback: p === 0 || w === 1 };
}

export const OFFSET_ADD: Indexing = { index: true, add: true, wback: false };

type Reader = (cpu: Cpu, address: number) => number;
type Writer = (cpu: Cpu, address: number, value: number) => void;

// LDR and friends permit unaligned addresses unless SCTLR.A is set (A3.2.1), as cpu.mem.load* does.
const READERS: readonly Reader[] = [
  (cpu, a) => cpu.mem.load32(a),
  (cpu, a) => cpu.mem.load8(a),
  (cpu, a) => cpu.mem.load16(a),
  (cpu, a) => (cpu.mem.load8(a) << 24) >> 24,
  (cpu, a) => (cpu.mem.load16(a) << 16) >> 16,
];
const UNPRIVILEGED_READERS: readonly Reader[] = [
  (cpu, a) => cpu.mem.load32Unprivileged(a),
  (cpu, a) => cpu.mem.load8Unprivileged(a),
  (cpu, a) => cpu.mem.load16Unprivileged(a),
  (cpu, a) => (cpu.mem.load8Unprivileged(a) << 24) >> 24,
  (cpu, a) => (cpu.mem.load16Unprivileged(a) << 16) >> 16,
];
const WRITERS: readonly Writer[] = [
  (cpu, a, v) => cpu.mem.store32(a, v),
  (cpu, a, v) => cpu.mem.store8(a, v),
  (cpu, a, v) => cpu.mem.store16(a, v),
];
const UNPRIVILEGED_WRITERS: readonly Writer[] = [
  (cpu, a, v) => cpu.mem.store32Unprivileged(a, v),
  (cpu, a, v) => cpu.mem.store8Unprivileged(a, v),
  (cpu, a, v) => cpu.mem.store16Unprivileged(a, v),
];

/** The offset's value: imm32, or Shift(R[m], type, amount, APSR.C) (A8.8.x "(register)" forms). */
function offsetValue(cpu: Cpu, m: number, type: SRType, amount: number, imm: number): number {
  return m < 0 ? imm : shift(cpu.r[m]!, type, amount, cpu.cf);
}

/**
 * LDR/LDRB/LDRH/LDRSB/LDRSH (immediate, literal, register) and LDRT/LDRBT/LDRHT/LDRSBT/LDRSHT.
 * With writeback the base is written before Rt, as QEMU does, so Rt wins when t == n.
 */
export function loadSingle(access: Access, unprivileged: boolean, t: number, n: number, offset: Offset, ix: Indexing): Instr {
  const read = (unprivileged ? UNPRIVILEGED_READERS : READERS)[access]!;
  const { m, type, amount, imm } = offset;
  const { index, add, wback } = ix;
  if (!wback && m < 0 && t !== 15 && n !== 15 && access === Access.Word && !unprivileged) {
    // The most frequent shape, LDR Rt, [Rn, #imm], without the general path's branches.
    return callingSemantics(loadWordImmediate, t, n, add ? imm : -imm);
  }
  if (!wback) return callingSemantics(loadOffset, read, t, n, m, type, amount, imm, add);
  return callingSemantics(loadWriteback, read, t, n, m, type, amount, imm, add, index);
}

function loadWordImmediate(cpu: Cpu, t: number, n: number, signedOffset: number): void {
  cpu.r[t] = cpu.mem.load32(cpu.r[n]! + signedOffset);
}

function loadOffset(cpu: Cpu, read: Reader, t: number, n: number, m: number, type: SRType, amount: number, imm: number, add: boolean): void {
  const o = offsetValue(cpu, m, type, amount, imm);
  const base = baseValue(cpu, n);
  writeLoaded(cpu, t, read(cpu, add ? base + o : base - o));
}

function loadWriteback(
  cpu: Cpu, read: Reader, t: number, n: number, m: number, type: SRType, amount: number, imm: number, add: boolean, index: boolean,
): void {
  const o = offsetValue(cpu, m, type, amount, imm);
  const base = baseValue(cpu, n);
  const offsetAddress = (add ? base + o : base - o) | 0;
  const value = read(cpu, index ? offsetAddress : base);
  writeRegister(cpu, n, offsetAddress);
  writeLoaded(cpu, t, value);
}

/** STR/STRB/STRH (immediate, register) and STRT/STRBT/STRHT. Stores of the PC store PC+8 / PC+4. */
export type StoreAccess = Access.Word | Access.Byte | Access.Half;

export function storeSingle(
  access: StoreAccess, unprivileged: boolean, t: number, n: number, offset: Offset, ix: Indexing,
): Instr {
  const write = (unprivileged ? UNPRIVILEGED_WRITERS : WRITERS)[access]!;
  const { m, type, amount, imm } = offset;
  const { index, add, wback } = ix;
  if (!wback && m < 0 && n !== 15 && access === Access.Word && !unprivileged) {
    return callingSemantics(storeWordImmediate, t, n, add ? imm : -imm);
  }
  return callingSemantics(storeGeneral, write, t, n, m, type, amount, imm, add, index, wback);
}

function storeWordImmediate(cpu: Cpu, t: number, n: number, signedOffset: number): void {
  cpu.mem.store32(cpu.r[n]! + signedOffset, cpu.r[t]!);
}

function storeGeneral(
  cpu: Cpu, write: Writer, t: number, n: number, m: number, type: SRType, amount: number, imm: number, add: boolean, index: boolean, wback: boolean,
): void {
  const o = offsetValue(cpu, m, type, amount, imm);
  const base = baseValue(cpu, n);
  const offsetAddress = (add ? base + o : base - o) | 0;
  write(cpu, index ? offsetAddress : base, cpu.r[t]!);
  if (wback) writeRegister(cpu, n, offsetAddress);
}

/**
 * LDRD (immediate, literal, register), A8.8.72-74: two word-aligned words (A3.2.1), both loaded
 * before any register is written. As in QEMU, Rt then Rt2 are written, then the base.
 */
export function loadDual(t: number, t2: number, n: number, offset: Offset, ix: Indexing): Instr {
  const { m, type, amount, imm } = offset;
  const { index, add, wback } = ix;
  return (cpu) => {
    const o = offsetValue(cpu, m, type, amount, imm);
    const base = baseValue(cpu, n);
    const offsetAddress = (add ? base + o : base - o) | 0;
    const address = index ? offsetAddress : base;
    const low = cpu.mem.load32Aligned(address);
    const high = cpu.mem.load32Aligned(address + 4);
    writeRegister(cpu, t, low);
    writeRegister(cpu, t2, high);
    if (wback) writeRegister(cpu, n, offsetAddress);
  };
}

/** STRD (immediate, register), A8.8.209-210: two word-aligned words. */
export function storeDual(t: number, t2: number, n: number, offset: Offset, ix: Indexing): Instr {
  const { m, type, amount, imm } = offset;
  const { index, add, wback } = ix;
  return (cpu) => {
    const o = offsetValue(cpu, m, type, amount, imm);
    const base = baseValue(cpu, n);
    const offsetAddress = (add ? base + o : base - o) | 0;
    const address = index ? offsetAddress : base;
    const low = cpu.r[t]!;
    const high = cpu.r[t2]!;
    cpu.mem.store32Aligned(address, low);
    cpu.mem.store32Aligned(address + 4, high);
    if (wback) writeRegister(cpu, n, offsetAddress);
  };
}

/**
 * SWP/SWPB (A8.8.229): load then store at R[n]; the word form requires alignment, as QEMU's
 * MO_ALIGN atomic exchange does. QEMU 7.2 executes SWP for every v7 core (SCTLR.SW not modelled).
 */
export function swap(byte: boolean, t: number, t2: number, n: number): Instr {
  if (byte) {
    return (cpu) => {
      const address = cpu.r[n]!;
      const newValue = cpu.r[t2]!;
      const old = cpu.mem.load8(address);
      cpu.mem.store8(address, newValue);
      writeRegister(cpu, t, old);
    };
  }
  return (cpu) => {
    const address = cpu.r[n]!;
    const newValue = cpu.r[t2]!;
    const old = cpu.mem.load32Aligned(address);
    cpu.mem.store32Aligned(address, newValue);
    writeRegister(cpu, t, old);
  };
}

/** PLD, PLDW, PLI and the unallocated memory hints: no architectural effect (A8.8.126-130). */
export const preload: Instr = () => {};
