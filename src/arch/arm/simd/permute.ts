import type { Instr } from '../decode-table.js';
import { simdEnabled } from './enable.js';
import { readLane, writeLane } from './lanes.js';

/**
 * Element permutations (ARM ARM A8: VSWP, VTRN, VUZP, VZIP, VEXT, VTBL, VTBX). A Q register is
 * addressed as its first D register, so its elements continue across the pair.
 */

/** Elements of the operands, staged: two Q registers of bytes, or four D registers of a table. */
const first = new Uint32Array(16);
const second = new Uint32Array(16);
const table = new Uint8Array(32);

/** VSWP: exchange D/Q(d) and D/Q(m). */
export function swap(d: number, m: number, regs: number): Instr {
  return (cpu) => {
    if (!simdEnabled(cpu)) return cpu.undefinedInstruction();
    const w = cpu.vfp.words;
    for (let i = 0; i < 2 * regs; i++) {
      const t = w[2 * d + i]!;
      w[2 * d + i] = w[2 * m + i]!;
      w[2 * m + i] = t;
    }
  };
}

export const enum Permutation {
  /** VTRN: element 2e+1 of d exchanged with element 2e of m. */
  Transpose,
  /** VUZP: d gets the even elements of m:d, m the odd ones. */
  Unzip,
  /** VZIP: d:m gets the elements of d and m interleaved. */
  Zip,
}

/**
 * With Dd = Dm the result is UNKNOWN; QEMU's is kept: its 32-bit VTRN swaps the two words of each
 * pair (it writes only the lanes that move, Dm's first), the other forms leave Dd's result.
 */
export function permute(kind: Permutation, d: number, m: number, regs: number, ebytes: number): Instr {
  const lanes = (8 * regs) / ebytes;
  return (cpu) => {
    if (!simdEnabled(cpu)) return cpu.undefinedInstruction();
    const v = cpu.vfp;
    for (let e = 0; e < lanes; e++) {
      first[e] = readLane(v, d, e, ebytes);
      second[e] = readLane(v, m, e, ebytes);
    }
    if (kind === Permutation.Transpose && ebytes === 4) {
      for (let e = 0; e < lanes; e += 2) {
        writeLane(v, m, e, 4, first[e + 1]!);
        writeLane(v, d, e + 1, 4, second[e]!);
      }
      return;
    }
    for (let e = 0; e < lanes; e++) {
      let x: number;
      let y: number;
      if (kind === Permutation.Transpose) {
        x = (e & 1) === 0 ? first[e]! : second[e - 1]!;
        y = (e & 1) === 0 ? first[e + 1]! : second[e]!;
      } else if (kind === Permutation.Unzip) {
        // Element i of the concatenation m:d is d's below `lanes`, m's above.
        x = 2 * e < lanes ? first[2 * e]! : second[2 * e - lanes]!;
        y = 2 * e + 1 < lanes ? first[2 * e + 1]! : second[2 * e + 1 - lanes]!;
      } else {
        const half = e >>> 1;
        x = (e & 1) === 0 ? first[half]! : second[half]!;
        y = (e & 1) === 0 ? first[half + lanes / 2]! : second[half + lanes / 2]!;
      }
      writeLane(v, m, e, ebytes, y);
      writeLane(v, d, e, ebytes, x);
    }
  };
}

/** VEXT: bytes `imm`.. of the concatenation Vm:Vn (Vn the low part). */
export function extract(d: number, n: number, m: number, regs: number, imm: number): Instr {
  const bytes = 8 * regs;
  return (cpu) => {
    if (!simdEnabled(cpu)) return cpu.undefinedInstruction();
    const v = cpu.vfp;
    for (let i = 0; i < bytes; i++) {
      const k = i + imm;
      first[i] = k < bytes ? v.u8[8 * n + k]! : v.u8[8 * m + k - bytes]!;
    }
    for (let i = 0; i < bytes; i++) v.u8[8 * d + i] = first[i]!;
  };
}

/** VTBL/VTBX: each byte of Dm indexes the table D(n)..D(n + len - 1); out of range gives 0 (VTBL) or keeps Dd (VTBX). */
export function tableLookup(d: number, n: number, len: number, m: number, extension: boolean): Instr {
  return (cpu) => {
    if (!simdEnabled(cpu)) return cpu.undefinedInstruction();
    const v = cpu.vfp;
    for (let i = 0; i < 8 * len; i++) table[i] = v.u8[8 * n + i]!;
    for (let i = 0; i < 8; i++) first[i] = v.u8[8 * m + i]!;
    for (let i = 0; i < 8; i++) {
      const index = first[i]!;
      if (index < 8 * len) v.u8[8 * d + i] = table[index]!;
      else if (!extension) v.u8[8 * d + i] = 0;
    }
  };
}
