import type { Cpu } from '../cpu.js';
import type { Instr } from '../decode-table.js';
import { FaultStatus, GuestAbort } from '../guest-abort.js';

/**
 * Load/store exclusive (ARM ARM A8.8.75-78 LDREX*, A8.8.212-215 STREX*, A8.8.32 CLREX) with the
 * local exclusive monitor of A3.4.1 in cpu.exclusiveAddress (-1: Open Access) and
 * cpu.exclusiveSize. Exclusive accesses must be naturally aligned, doublewords included (A3.2.1).
 */

/** Alignment fault unless `address` is a multiple of `size` (A3.2.1: exclusives always check). */
function checkAlignment(address: number, size: number, isWrite: boolean): void {
  if ((address & (size - 1)) !== 0) throw new GuestAbort(false, FaultStatus.Alignment, address >>> 0, isWrite);
}

function markExclusive(cpu: Cpu, address: number, size: number): void {
  cpu.exclusiveAddress = address >>> 0;
  cpu.exclusiveSize = size;
}

/** LDREX/LDREXB/LDREXH (size 4/1/2): loads R[t] and tags the address. */
export function loadExclusive(size: 1 | 2 | 4, t: number, n: number, imm: number): Instr {
  return (cpu) => {
    const address = (cpu.r[n]! + imm) | 0;
    checkAlignment(address, size, false);
    const value = size === 4 ? cpu.mem.load32(address) : size === 2 ? cpu.mem.load16(address) : cpu.mem.load8(address);
    markExclusive(cpu, address, size);
    cpu.r[t] = value;
  };
}

/** LDREXD: R[t] from the lower word, R[t2] from the upper one, whatever the endianness. */
export function loadExclusiveDual(t: number, t2: number, n: number): Instr {
  return (cpu) => {
    const address = cpu.r[n]!;
    checkAlignment(address, 8, false);
    const low = cpu.mem.load32(address);
    const high = cpu.mem.load32(address + 4);
    markExclusive(cpu, address, 8);
    cpu.r[t] = low;
    cpu.r[t2] = high;
  };
}

/** ExclusiveMonitorsPass() (A3.4.5), then the monitor returns to Open Access whatever the outcome. */
function monitorPasses(cpu: Cpu, address: number, size: number): boolean {
  const pass = cpu.exclusiveAddress === address >>> 0 && cpu.exclusiveSize === size;
  cpu.exclusiveAddress = -1;
  return pass;
}

/** STREX/STREXB/STREXH: stores R[t] and writes 0 to R[d] if the monitor passes, else writes 1. */
export function storeExclusive(size: 1 | 2 | 4, d: number, t: number, n: number, imm: number): Instr {
  return (cpu) => {
    const address = (cpu.r[n]! + imm) | 0;
    checkAlignment(address, size, true);
    const value = cpu.r[t]!;
    if (!monitorPasses(cpu, address, size)) {
      cpu.r[d] = 1;
      return;
    }
    if (size === 4) cpu.mem.store32(address, value);
    else if (size === 2) cpu.mem.store16(address, value);
    else cpu.mem.store8(address, value);
    cpu.r[d] = 0;
  };
}

/** STREXD: R[t] to the lower word, R[t2] to the upper one. */
export function storeExclusiveDual(d: number, t: number, t2: number, n: number): Instr {
  return (cpu) => {
    const address = cpu.r[n]!;
    checkAlignment(address, 8, true);
    const low = cpu.r[t]!;
    const high = cpu.r[t2]!;
    if (!monitorPasses(cpu, address, 8)) {
      cpu.r[d] = 1;
      return;
    }
    cpu.mem.store32(address, low);
    cpu.mem.store32(address + 4, high);
    cpu.r[d] = 0;
  };
}

/** CLREX: ClearExclusiveLocal() (A8.8.32). */
export const clearExclusive: Instr = (cpu) => {
  cpu.exclusiveAddress = -1;
};
