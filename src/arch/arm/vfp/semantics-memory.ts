import type { Cpu } from '../cpu.js';
import type { Instr } from '../decode-table.js';
import { vfpEnabled } from './enable.js';

/**
 * Floating-point loads and stores (ARM ARM A7.6; VLDM, VLDR, VSTM, VSTR;
 * VPUSH/VPOP are VSTMDB/VLDMIA with SP). Accesses are word sized and must be
 * word aligned; a double is two words, the first the low half unless data is big-endian
 * (VLDR: "if BigEndian() then word1:word2"). A load reads every word before writing any
 * register, so a data abort leaves the instruction's state unchanged (precise aborts).
 */

/** Words of one VLDM in flight (at most 32 singles or 16 doubles). */
const loaded = new Int32Array(32);

/** Base address: R[n], or Align(PC, 4) for the literal forms. */
function baseOf(cpu: Cpu, n: number): number {
  return n === 15 ? cpu.r[15]! & ~3 : cpu.r[n]!;
}

/**
 * VLDR/VSTR: one S or D register at R[n] +/- offset. `first` is the index of the register's first
 * word (S index, or 2 * D index); `words` is 1 or 2.
 */
export function loadStoreSingle(load: boolean, first: number, words: number, n: number, offset: number): Instr {
  return (cpu) => {
    if (!vfpEnabled(cpu)) return cpu.undefinedInstruction();
    const address = (baseOf(cpu, n) + offset) | 0;
    const w = cpu.vfp.words;
    const swap = words === 2 && cpu.bigEndianData === 1;
    if (load) {
      const a = cpu.mem.load32Aligned(address);
      if (words === 1) {
        w[first] = a;
        return;
      }
      const b = cpu.mem.load32Aligned(address + 4);
      w[first] = swap ? b : a;
      w[first + 1] = swap ? a : b;
    } else if (words === 1) {
      cpu.mem.store32Aligned(address, w[first]!);
    } else {
      cpu.mem.store32Aligned(address, w[swap ? first + 1 : first]!);
      cpu.mem.store32Aligned(address + 4, w[swap ? first : first + 1]!);
    }
  };
}

/**
 * VLDM/VSTM (and VPUSH/VPOP): `count` words from word index `first`, increment after (`add`) or
 * decrement before, with optional writeback. `doubles`: word pairs swap on big-endian data.
 * `offsetBytes` is imm8 * 4, which is also the writeback amount (including FLDMX/FSTMX's odd word).
 */
export function loadStoreMultiple(
  load: boolean, add: boolean, writeback: boolean, n: number, first: number, count: number, doubles: boolean,
  offsetBytes: number,
): Instr {
  return (cpu) => {
    if (!vfpEnabled(cpu)) return cpu.undefinedInstruction();
    const base = baseOf(cpu, n);
    const start = add ? base : (base - offsetBytes) | 0;
    const w = cpu.vfp.words;
    const swap = doubles && cpu.bigEndianData === 1;
    if (load) {
      for (let i = 0; i < count; i++) loaded[i] = cpu.mem.load32Aligned(start + 4 * i);
      for (let i = 0; i < count; i++) w[first + i] = loaded[swap ? i ^ 1 : i]!;
    } else {
      for (let i = 0; i < count; i++) cpu.mem.store32Aligned(start + 4 * i, w[first + (swap ? i ^ 1 : i)]!);
    }
    if (writeback) cpu.r[n] = add ? (base + offsetBytes) | 0 : start;
  };
}
