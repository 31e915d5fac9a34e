import type { Cpu } from '../cpu.js';
import type { Instr } from '../decode-table.js';
import { FaultStatus, GuestAbort } from '../guest-abort.js';
import { simdEnabled } from './enable.js';
import { replicate, writeLane } from './lanes.js';

/**
 * Advanced SIMD element and structure loads and stores (ARM ARM A7.7; VLD1-VLD4, VST1-VST4 in
 * their multiple-structure, single-lane and all-lanes forms). Elements are accessed one by one
 * in the order of the pseudocode, each in the data endianness (bytes are endianness-free); a
 * 64-bit element is two words, the high one first on big-endian data. Loads stage every element
 * before writing a register, so an abort leaves the registers as they were. The `align` field's
 * alignment is checked on the first address (A3.2.1: Advanced SIMD alignment faults whatever
 * SCTLR.A says); SCTLR.A also checks each element's natural alignment.
 */

/** Element values of a load in flight: at most 32 elements, or 4 registers of 64-bit words. */
const staged = new Uint32Array(64);

/** Where the next element goes after `e` elements (n elements per structure, interleaved). */
export interface StructureShape {
  /** Registers per structure element (the `regs` of VLD1; 1 for VLD2-4 except VLD2 with 4 registers). */
  readonly registers: number;
  /** Elements per structure (n of VLDn). */
  readonly interleave: number;
  /** Register number step between the elements of one structure (inc). */
  readonly spacing: number;
}

function checkAlignment(address: number, alignment: number, isWrite: boolean): void {
  if ((address & (alignment - 1)) !== 0) throw new GuestAbort(false, FaultStatus.Alignment, address >>> 0, isWrite);
}

function loadElement(cpu: Cpu, address: number, ebytes: number, slot: number): void {
  if (ebytes === 1) staged[slot] = cpu.mem.load8(address);
  else if (ebytes === 2) staged[slot] = cpu.mem.load16(address);
  else if (ebytes === 4) staged[slot] = cpu.mem.load32(address);
  else {
    if ((address & 7) !== 0 && cpu.cp15.alignmentCheck) checkAlignment(address, 8, false);
    const first = cpu.mem.load32(address);
    const second = cpu.mem.load32((address + 4) | 0);
    const big = cpu.bigEndianData === 1;
    staged[slot] = big ? second : first;
    staged[slot + 1] = big ? first : second;
  }
}

/** Stores element `e` of D(reg). */
function storeElement(cpu: Cpu, address: number, ebytes: number, reg: number, e: number): void {
  const v = cpu.vfp;
  if (ebytes === 1) cpu.mem.store8(address, v.u8[8 * reg + e]!);
  else if (ebytes === 2) cpu.mem.store16(address, v.u16[4 * reg + e]!);
  else if (ebytes === 4) cpu.mem.store32(address, v.u32[2 * reg + e]!);
  else {
    if ((address & 7) !== 0 && cpu.cp15.alignmentCheck) checkAlignment(address, 8, true);
    const big = cpu.bigEndianData === 1;
    cpu.mem.store32(address, v.rawWords[2 * reg + (big ? 1 : 0)]!);
    cpu.mem.store32((address + 4) | 0, v.rawWords[2 * reg + (big ? 0 : 1)]!);
  }
}

/** Writes a staged element (slot as loadElement filled it) to element `e` of D(reg). */
function commitElement(cpu: Cpu, ebytes: number, slot: number, reg: number, e: number): void {
  const v = cpu.vfp;
  if (ebytes === 8) {
    v.u32[2 * reg] = staged[slot]!;
    v.u32[2 * reg + 1] = staged[slot + 1]!;
  } else {
    writeLane(v, reg, e, ebytes, staged[slot]!);
  }
}

/**
 * Post-indexing: Rm = 15 none, Rm = 13 by the bytes transferred, otherwise by R[m]. Writeback to
 * the PC (Rn = 15, UNPREDICTABLE) branches to the PC value read plus the increment, as in QEMU.
 */
function writeBack(cpu: Cpu, n: number, m: number, bytes: number): void {
  if (m === 15) return;
  const value = (cpu.r[n]! + (m === 13 ? bytes : cpu.r[m]!)) | 0;
  if (n === 15) cpu.branchWritePc(value);
  else cpu.r[n] = value;
}

/**
 * VLDn/VSTn (multiple n-element structures): `registers` groups of 8 / ebytes structures, each
 * element j of a structure to D(d + group + j * spacing), in memory order.
 */
export function multipleStructures(
  load: boolean, d: number, shape: StructureShape, ebytes: number, alignment: number, n: number, m: number,
): Instr {
  const { registers, interleave, spacing } = shape;
  const lanes = 8 / ebytes;
  const slotStep = ebytes === 8 ? 2 : 1;
  return (cpu) => {
    if (!simdEnabled(cpu)) return cpu.undefinedInstruction();
    const start = cpu.r[n]!;
    checkAlignment(start, alignment, !load);
    let address = start;
    let slot = 0;
    for (let g = 0; g < registers; g++) {
      for (let e = 0; e < lanes; e++) {
        for (let j = 0; j < interleave; j++) {
          if (load) loadElement(cpu, address, ebytes, slot);
          else storeElement(cpu, address, ebytes, d + g + j * spacing, e);
          address = (address + ebytes) | 0;
          slot += slotStep;
        }
      }
    }
    if (load) {
      slot = 0;
      for (let g = 0; g < registers; g++) {
        for (let e = 0; e < lanes; e++) {
          for (let j = 0; j < interleave; j++) {
            commitElement(cpu, ebytes, slot, d + g + j * spacing, e);
            slot += slotStep;
          }
        }
      }
    }
    writeBack(cpu, n, m, 8 * registers * interleave);
  };
}

/** VLDn/VSTn (single n-element structure to one lane): lane `index` of D(d), D(d + inc), ... */
export function singleLane(
  load: boolean, d: number, count: number, inc: number, ebytes: number, index: number, alignment: number, n: number, m: number,
): Instr {
  return (cpu) => {
    if (!simdEnabled(cpu)) return cpu.undefinedInstruction();
    const start = cpu.r[n]!;
    checkAlignment(start, alignment, !load);
    for (let j = 0; j < count; j++) {
      const address = (start + j * ebytes) | 0;
      if (load) loadElement(cpu, address, ebytes, j);
      else storeElement(cpu, address, ebytes, d + j * inc, index);
    }
    if (load) {
      const v = cpu.vfp;
      for (let j = 0; j < count; j++) writeLane(v, d + j * inc, index, ebytes, staged[j]!);
    }
    writeBack(cpu, n, m, count * ebytes);
  };
}

/**
 * VLDn (single n-element structure to all lanes): element j replicated into D(d + j * inc);
 * VLD1 with two registers (`copies` = 2) fills D(d) and D(d + 1) with the same element.
 */
export function allLanes(d: number, count: number, inc: number, copies: number, ebytes: number, alignment: number, n: number, m: number): Instr {
  return (cpu) => {
    if (!simdEnabled(cpu)) return cpu.undefinedInstruction();
    const start = cpu.r[n]!;
    checkAlignment(start, alignment, false);
    for (let j = 0; j < count; j++) loadElement(cpu, (start + j * ebytes) | 0, ebytes, j);
    const v = cpu.vfp;
    for (let j = 0; j < count; j++) {
      for (let c = 0; c < copies; c++) replicate(v, d + j * inc + c, ebytes, staged[j]!);
    }
    writeBack(cpu, n, m, count * ebytes);
  };
}
