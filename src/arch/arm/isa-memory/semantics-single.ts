import { shiftCSource, SRType } from '../alu.js';
import type { Instr } from '../decode-table.js';
import { callingSource, Effects } from '../semantics-call.js';
import { writeResultSource } from '../isa-data/semantics-dp.js';
import { baseValueSource, writeRegister } from './registers.js';

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

/** The load of one access as a source expression (LDR and friends permit unaligned addresses unless SCTLR.A is set, A3.2.1, as cpu.mem.load* does). */
function readSource(access: Access, unprivileged: boolean, address: string): string {
  const form = unprivileged ? 'Unprivileged' : '';
  switch (access) {
    case Access.Word: return `cpu.mem.load32${form}(${address})`;
    case Access.Byte: return `cpu.mem.load8${form}(${address})`;
    case Access.Half: return `cpu.mem.load16${form}(${address})`;
    case Access.SignedByte: return `(cpu.mem.load8${form}(${address}) << 24) >> 24`;
    case Access.SignedHalf: return `(cpu.mem.load16${form}(${address}) << 16) >> 16`;
  }
}

/** The store method's size by StoreAccess (Word, Byte, Half). */
const STORE_SIZES = ['32', '8', '16'];

/** What decides how a load or store computes its address, besides its operands. */
interface AddressShape {
  /** The offset is Rm shifted (by `type`), else an immediate. */
  readonly registerOffset: boolean;
  readonly type: SRType;
  readonly ix: Indexing;
  /** Rn is the PC (the literal forms: Align(PC, 4), and a writeback is a branch). */
  readonly pcBase: boolean;
}

/** What decides a single load's or store's source, besides its operands. */
interface SingleShape extends AddressShape {
  readonly load: boolean;
  readonly access: Access;
  readonly unprivileged: boolean;
  /** Rt is the PC: a load writes it with LoadWritePC (A2.3.1). */
  readonly pcTarget: boolean;
}

/**
 * The statements that compute `ls_offsetAddress` (A8.5: Rn plus or minus the offset) from the
 * operands [n, m, amount, imm], the expression of the address accessed (that, or Rn itself
 * when post-indexed), and the writeback statement.
 */
function addressSource({ registerOffset, type, ix, pcBase }: AddressShape, [n, m, amount, imm]: readonly string[]) {
  const lines = [`const ls_base = ${baseValueSource(n!, pcBase)};`];
  if (registerOffset) lines.push(`const ls_m = r[${m}];`, shiftCSource(type, 'ls_m', amount!, 'cpu.cf', 'ls_offset'));
  else lines.push(`const ls_offset = ${imm};`);
  lines.push(`const ls_offsetAddress = (ls_base ${ix.add ? '+' : '-'} ls_offset) | 0;`);
  return {
    lines,
    address: ix.index ? 'ls_offsetAddress' : 'ls_base',
    writeback: pcBase ? 'cpu.branchWritePc(ls_offsetAddress);' : `r[${n}] = ls_offsetAddress;`,
  };
}

/** The address shape of an offset and indexing, with base register `n`. */
function addressShape(n: number, offset: Offset, ix: Indexing): AddressShape {
  const registerOffset = offset.m >= 0;
  return { registerOffset, type: registerOffset ? offset.type : SRType.LSL, ix, pcBase: n === 15 };
}

/** The operands [n, m, amount, imm] addressSource reads. */
function addressOperands(n: number, offset: Offset): number[] {
  return offset.m >= 0 ? [n, offset.m, offset.amount, 0] : [n, 0, 0, offset.imm];
}

function addressKey({ registerOffset, type, ix, pcBase }: AddressShape): string {
  return `${registerOffset}/${type}/${ix.index}/${ix.add}/${ix.wback}/${pcBase}`;
}

/**
 * A single load or store as source (semantics-call.ts), operands [t, n, m, amount, imm]. With
 * writeback the base is written before Rt, as QEMU does, so Rt wins when t == n. A writeback to
 * the PC, UNPREDICTABLE, is a branch without interworking as QEMU's store_reg makes it.
 */
function singleSource(shape: SingleShape, [t, ...addressOperandNames]: readonly string[]): string {
  const { load, access, unprivileged, ix, pcTarget } = shape;
  const { lines, address, writeback } = addressSource(shape, addressOperandNames);
  if (load) {
    lines.push(`const ls_value = ${readSource(access, unprivileged, address)};`);
    if (ix.wback) lines.push(writeback);
    lines.push(pcTarget ? 'cpu.loadWritePc(ls_value);' : `r[${t}] = ls_value;`);
  } else {
    lines.push(`cpu.mem.store${STORE_SIZES[access]}${unprivileged ? 'Unprivileged' : ''}(${address}, r[${t}]);`);
    if (ix.wback) lines.push(writeback);
  }
  return lines.join('\n');
}

function single(load: boolean, access: Access, unprivileged: boolean, t: number, n: number, offset: Offset, ix: Indexing): Instr {
  // Written out, not spread: every shape then has the engine's one layout, which the accesses to
  // it (here and in singleSource) find at once; spread, each decode ran them through the runtime.
  const { registerOffset, type, pcBase } = addressShape(n, offset, ix);
  const shape: SingleShape = { registerOffset, type, ix, pcBase, load, access, unprivileged, pcTarget: load && t === 15 };
  const key = `single/${load}/${access}/${unprivileged}/${addressKey(shape)}/${shape.pcTarget}`;
  // A writeback to a PC base (UNPREDICTABLE) writes the PC as well as, or instead of, the load.
  const effects = ix.wback && shape.pcBase ? Effects.Any : shape.pcTarget ? Effects.WritesPc : load ? Effects.ReadsMemory : Effects.WritesMemory;
  return callingSource(key, (names) => singleSource(shape, names), [t, ...addressOperands(n, offset)], effects);
}

/**
 * LDR/LDRB/LDRH/LDRSB/LDRSH (immediate, literal, register) and LDRT/LDRBT/LDRHT/LDRSBT/LDRSHT.
 */
export function loadSingle(access: Access, unprivileged: boolean, t: number, n: number, offset: Offset, ix: Indexing): Instr {
  return single(true, access, unprivileged, t, n, offset, ix);
}

/** STR/STRB/STRH (immediate, register) and STRT/STRBT/STRHT. Stores of the PC store PC+8 / PC+4. */
export type StoreAccess = Access.Word | Access.Byte | Access.Half;

export function storeSingle(
  access: StoreAccess, unprivileged: boolean, t: number, n: number, offset: Offset, ix: Indexing,
): Instr {
  return single(false, access, unprivileged, t, n, offset, ix);
}

/**
 * LDRD and STRD as source, operands [t, t2, n, m, amount, imm]: two word-aligned words (A3.2.1).
 * A load reads both words before it writes a register, then, as in QEMU, writes Rt, Rt2 and the
 * base in that order. A register write to the PC, UNPREDICTABLE, is a branch (writeResultSource).
 */
function dual(load: boolean, t: number, t2: number, n: number, offset: Offset, ix: Indexing): Instr {
  const shape = addressShape(n, offset, ix);
  const writesPc = (load && (t === 15 || t2 === 15)) || (ix.wback && n === 15);
  const key = `dual/${load}/${addressKey(shape)}/${load && t === 15}/${load && t2 === 15}`;
  return callingSource(key, ([rt, rt2, ...addressOperandNames]) => {
    const { lines, address, writeback } = addressSource(shape, addressOperandNames);
    if (load) {
      lines.push(
        `const ld_low = cpu.mem.load32Aligned(${address});`,
        `const ld_high = cpu.mem.load32Aligned((${address} + 4) | 0);`,
        writeResultSource(t === 15, rt!, 'ld_low'),
        writeResultSource(t2 === 15, rt2!, 'ld_high'),
      );
    } else {
      lines.push(`cpu.mem.store32Aligned(${address}, r[${rt}]);`, `cpu.mem.store32Aligned((${address} + 4) | 0, r[${rt2}]);`);
    }
    if (ix.wback) lines.push(writeback);
    return lines.join('\n');
  }, [t, t2, ...addressOperands(n, offset)], writesPc ? Effects.Any : load ? Effects.ReadsMemory : Effects.WritesMemory);
}

/** LDRD (immediate, literal, register), A8.8.72-74. */
export function loadDual(t: number, t2: number, n: number, offset: Offset, ix: Indexing): Instr {
  return dual(true, t, t2, n, offset, ix);
}

/** STRD (immediate, register), A8.8.209-210. Stores of the PC store PC+8 / PC+4. */
export function storeDual(t: number, t2: number, n: number, offset: Offset, ix: Indexing): Instr {
  return dual(false, t, t2, n, offset, ix);
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
