import type { Cpu } from '../cpu.js';
import { GuestAbort } from '../guest-abort.js';
import { isT32Wide } from '../thumb-width.js';
import { HSR_IL, ISS_ISV, ISS_SAS_SHIFT, ISS_SRT_SHIFT, ISS_SSE } from './syndrome.js';

/**
 * The instruction part of a data abort's HSR (B3.13.6 "ISS encoding for a Data Abort"): when the
 * faulting instruction is a single-register load or store without writeback, ISV = 1 with
 * SAS[23:22] (access size), SSE[21] (sign extension) and SRT[19:16] (the transfer register), and
 * IL from the instruction's length; otherwise 0 (ISV = 0, IL clear as for a v7 processor). The
 * forms are those QEMU 7.2 gives a syndrome (translate.c disas_set_da_iss via make_issinfo): LDR,
 * LDRB, LDRH, LDRSB, LDRSH, STR, STRB, STRH with offset addressing (P = 1, W = 0), literal forms
 * included, never with Rt = PC; LDRD/STRD, exclusives, multiples and VFP transfers have none.
 * Decoded when the abort is taken, from the instruction at cpu.pc, so that loads and stores
 * themselves do no syndrome bookkeeping.
 */
export function loadStoreSyndrome(cpu: Cpu): number {
  try {
    if (cpu.thumb === 0) return a32Syndrome(cpu.mem.fetch32(cpu.pc));
    const hw1 = cpu.mem.fetch16(cpu.pc);
    if (isT32Wide(hw1)) return t32Syndrome(hw1, cpu.mem.fetch16(cpu.pc + 2));
    return t16Syndrome(hw1);
  } catch (e) {
    if (e instanceof GuestAbort) return 0; // the instruction is no longer readable: no syndrome
    throw e;
  }
}

/** SAS: 0 byte, 1 halfword, 2 word. */
function syndrome(size: number, signed: boolean, t: number, is16Bit: boolean): number {
  if (t === 15) return 0;
  return ISS_ISV | (size << ISS_SAS_SHIFT) | (signed ? ISS_SSE : 0) | (t << ISS_SRT_SHIFT) | (is16Bit ? 0 : HSR_IL);
}

/** A32: LDR/STR{B} (A5.3) and the extra load/store instructions LDRH/STRH/LDRSB/LDRSH (A5.2.8). */
export function a32Syndrome(w: number): number {
  if (w >>> 28 === 0xf) return 0;
  const offsetAddressing = (w & (1 << 24)) !== 0 && (w & (1 << 21)) === 0;
  if (!offsetAddressing) return 0;
  const t = (w >>> 12) & 0xf;
  const load = (w & (1 << 20)) !== 0;
  if (((w >>> 26) & 3) === 1) {
    if ((w & (1 << 25)) !== 0 && (w & (1 << 4)) !== 0) return 0; // media instructions
    return syndrome((w & (1 << 22)) !== 0 ? 0 : 2, false, t, false);
  }
  if (((w >>> 25) & 7) !== 0 || (w & 0x90) !== 0x90) return 0;
  switch ((w >>> 5) & 3) {
    case 1: return syndrome(1, false, t, false); // STRH, LDRH
    case 2: return load ? syndrome(0, true, t, false) : 0; // LDRSB (LDRD has none)
    case 3: return load ? syndrome(1, true, t, false) : 0; // LDRSH (STRD has none)
    default: return 0;
  }
}

/** T16: load/store single data item (A6.2.4) and LDR (literal). */
export function t16Syndrome(hw: number): number {
  const t = hw & 7;
  switch (hw >>> 12) {
    case 0b0101: {
      // Register offset: STR, STRH, STRB, LDRSB, LDR, LDRH, LDRB, LDRSH.
      const op = (hw >>> 9) & 7;
      const size = [2, 1, 0, 0, 2, 1, 0, 1][op]!;
      return syndrome(size, op === 3 || op === 7, t, true);
    }
    case 0b0110: return syndrome(2, false, t, true);
    case 0b0111: return syndrome(0, false, t, true);
    case 0b1000: return syndrome(1, false, t, true);
    case 0b1001: return syndrome(2, false, (hw >>> 8) & 7, true); // SP-relative
    case 0b0100: return (hw & 0x0800) !== 0 ? syndrome(2, false, (hw >>> 8) & 7, true) : 0; // LDR (literal)
    default: return 0;
  }
}

/**
 * T32: load/store single data item (A6.3.7-A6.3.10), hw1 = 1111_100s_uzzl_nnnn: imm12 and literal
 * forms, imm8 forms with P = 1 and W = 0 (the unprivileged LDRT forms included, as QEMU), and the
 * register-offset form.
 */
export function t32Syndrome(hw1: number, hw2: number): number {
  if ((hw1 & 0xfe00) !== 0xf800) return 0;
  const size = (hw1 >>> 5) & 3;
  const signed = (hw1 & 0x100) !== 0;
  const load = (hw1 & 0x10) !== 0;
  if (size === 3 || (signed && !load)) return 0;
  const t = hw2 >>> 12;
  const literalOrImm12 = (hw1 & 0x80) !== 0 || (load && (hw1 & 0xf) === 0xf);
  if (!literalOrImm12) {
    const imm8 = (hw2 & 0x800) !== 0;
    if (imm8 ? (hw2 & 0x500) !== 0x400 : (hw2 & 0xfc0) !== 0) return 0;
  }
  return syndrome(size, signed, t, false);
}
