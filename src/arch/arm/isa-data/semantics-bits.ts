import type { Instr } from '../decode-table.js';
import { ror, shift, SRType } from '../alu.js';
import { writeResult } from './semantics-dp.js';

/**
 * Packing, extension, reversal and bit-field instructions (ARM ARM A4.4.6 - A4.4.8, A5.4.3):
 * PKHBT/PKHTB, [SU]XT[A](B|H|B16), REV/REV16/REVSH/RBIT, CLZ, BFC/BFI, SBFX/UBFX.
 */

/** PKHBT / PKHTB (A8.8.125): `tb` takes the top of Rn and the ASR-shifted bottom of Rm. */
export function pkh(tb: boolean, rd: number, rn: number, rm: number, amount: number): Instr {
  if (tb) {
    return (cpu) => writeResult(cpu, rd, (cpu.r[rn]! & 0xffff0000) | (shift(cpu.r[rm]!, SRType.ASR, amount, 0) & 0xffff));
  }
  return (cpu) => writeResult(cpu, rd, (cpu.r[rn]! & 0xffff) | (shift(cpu.r[rm]!, SRType.LSL, amount, 0) & 0xffff0000));
}

/** The extend operations; the values are the T32 op field of SXTAH ... UXTAB (A6.3.15). */
export const enum Extend {
  SXTH = 0,
  UXTH = 1,
  SXTB16 = 2,
  UXTB16 = 3,
  SXTB = 4,
  UXTB = 5,
}

/**
 * SXTB ... UXTAH (A8.8.221 - 227, 271 - 277): Rm rotated right by `rotation` bits, extended, and
 * added to Rn when rn >= 0 (the A forms; rn = -1 for the plain ones). The B16 forms work on the
 * halfwords separately.
 */
export function extend(kind: Extend, rd: number, rn: number, rm: number, rotation: number): Instr {
  switch (kind) {
    case Extend.SXTB:
      return rn < 0
        ? (cpu) => writeResult(cpu, rd, (ror(cpu.r[rm]!, rotation) << 24) >> 24)
        : (cpu) => writeResult(cpu, rd, (cpu.r[rn]! + ((ror(cpu.r[rm]!, rotation) << 24) >> 24)) | 0);
    case Extend.UXTB:
      return rn < 0
        ? (cpu) => writeResult(cpu, rd, ror(cpu.r[rm]!, rotation) & 0xff)
        : (cpu) => writeResult(cpu, rd, (cpu.r[rn]! + (ror(cpu.r[rm]!, rotation) & 0xff)) | 0);
    case Extend.SXTH:
      return rn < 0
        ? (cpu) => writeResult(cpu, rd, (ror(cpu.r[rm]!, rotation) << 16) >> 16)
        : (cpu) => writeResult(cpu, rd, (cpu.r[rn]! + ((ror(cpu.r[rm]!, rotation) << 16) >> 16)) | 0);
    case Extend.UXTH:
      return rn < 0
        ? (cpu) => writeResult(cpu, rd, ror(cpu.r[rm]!, rotation) & 0xffff)
        : (cpu) => writeResult(cpu, rd, (cpu.r[rn]! + (ror(cpu.r[rm]!, rotation) & 0xffff)) | 0);
    case Extend.SXTB16:
    case Extend.UXTB16: {
      const signed = kind === Extend.SXTB16;
      return (cpu) => {
        const rotated = ror(cpu.r[rm]!, rotation);
        let low = signed ? (rotated << 24) >> 24 : rotated & 0xff;
        let high = signed ? (rotated << 8) >> 24 : (rotated >>> 16) & 0xff;
        if (rn >= 0) {
          const n = cpu.r[rn]!;
          low += n;
          high += n >>> 16;
        }
        writeResult(cpu, rd, (low & 0xffff) | (high << 16));
      };
    }
  }
}

/** The byte-reversal operations; the values are the T32 op field (A6.3.16). */
export const enum Reverse {
  REV = 0,
  REV16 = 1,
  RBIT = 2,
  REVSH = 3,
}

function reverseBits(x: number): number {
  x = ((x >>> 1) & 0x55555555) | ((x & 0x55555555) << 1);
  x = ((x >>> 2) & 0x33333333) | ((x & 0x33333333) << 2);
  x = ((x >>> 4) & 0x0f0f0f0f) | ((x & 0x0f0f0f0f) << 4);
  x = ((x >>> 8) & 0x00ff00ff) | ((x & 0x00ff00ff) << 8);
  return (x >>> 16) | (x << 16);
}

/** REV, REV16, RBIT, REVSH (A8.8.144, 145, 143, 146). */
export function reverse(kind: Reverse, rd: number, rm: number): Instr {
  switch (kind) {
    case Reverse.REV:
      return (cpu) => {
        const m = cpu.r[rm]!;
        writeResult(cpu, rd, (m << 24) | ((m & 0xff00) << 8) | ((m >>> 8) & 0xff00) | (m >>> 24));
      };
    case Reverse.REV16:
      return (cpu) => {
        const m = cpu.r[rm]!;
        writeResult(cpu, rd, ((m & 0x00ff00ff) << 8) | ((m >>> 8) & 0x00ff00ff));
      };
    case Reverse.RBIT:
      return (cpu) => writeResult(cpu, rd, reverseBits(cpu.r[rm]!));
    case Reverse.REVSH:
      return (cpu) => {
        const m = cpu.r[rm]!;
        writeResult(cpu, rd, ((m << 24) >> 16) | ((m >>> 8) & 0xff));
      };
  }
}

/** CLZ (A8.8.33). */
export function clz(rd: number, rm: number): Instr {
  return (cpu) => writeResult(cpu, rd, Math.clz32(cpu.r[rm]!));
}

/** BFC (rn = -1) and BFI (A8.8.20, 21): bits lsb..msb of Rd from the bottom of Rn (or zero). */
export function bfi(rd: number, rn: number, lsb: number, msb: number): Instr {
  const width = msb - lsb + 1;
  const mask = (width === 32 ? -1 : ((1 << width) - 1) << lsb) | 0;
  if (rn < 0) return (cpu) => writeResult(cpu, rd, cpu.r[rd]! & ~mask);
  return (cpu) => writeResult(cpu, rd, (cpu.r[rd]! & ~mask) | ((cpu.r[rn]! << lsb) & mask));
}

/** SBFX / UBFX (A8.8.164, 239): `width` bits of Rn from `lsb`, sign- or zero-extended. */
export function bitfieldExtract(signed: boolean, rd: number, rn: number, lsb: number, width: number): Instr {
  const up = 32 - lsb - width;
  const down = 32 - width;
  if (signed) return (cpu) => writeResult(cpu, rd, (cpu.r[rn]! << up) >> down);
  return (cpu) => writeResult(cpu, rd, (cpu.r[rn]! << up) >>> down | 0);
}
