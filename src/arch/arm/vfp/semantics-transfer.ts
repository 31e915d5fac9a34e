import { HypVector, type Cpu } from '../cpu.js';
import type { Instr } from '../decode-table.js';
import { HCR_TID0, HCR_TID3 } from '../hyp/hcr.js';
import { ExceptionClass, hsrRegisterTransfer } from '../hyp/syndrome.js';
import { Mode } from '../modes.js';
import { cpacrAllowsVfp, FPEXC_EN, hcptrTrapsVfp, vfpEnabled } from './enable.js';

/**
 * Transfers between the ARM core registers and the floating-point registers (ARM ARM A7.8,
 * A7.9: the VMOV forms, VMRS, VMSR) and the floating-point system registers (FPSID, FPSCR,
 * MVFR0, MVFR1, FPEXC).
 */

/** FPSID of a Cortex-A15 as QEMU models it: implementer ARM, VFPv3+ common subarchitecture v2. */
export const FPSID = 0x410430f0;
/** MVFR0: 32 double registers, single/double/divide/sqrt, no short vectors, all rounding modes. */
export const MVFR0 = 0x10110222;
/**
 * MVFR1 without Advanced SIMD: FMAC [31:28] = 1 (Linux derives HWCAP_VFPv4 from this field),
 * VFP half-precision conversion [27:24] = 1, D_NaN [7:4] = 1, FtZ [3:0] = 1; the Advanced SIMD
 * fields [23:8] are zero.
 */
export const MVFR1 = 0x11000011;
/**
 * MVFR1 with Advanced SIMD, as QEMU 7.2's cortex-a15: also half-precision conversion [23:20],
 * single-precision [19:16], integer [15:12] and load/store [11:8] Advanced SIMD.
 */
export const MVFR1_NEON = 0x11111111;

/** FPSCR bits an instruction can write (ARM ARM "FPSCR"); trap enables read as zero (QEMU, Cortex-A15). */
const FPSCR_WRITABLE = 0xf7f7009f | 0;
/** FPSCR.QC [27], the cumulative saturation flag of the Advanced SIMD saturating instructions. */
export const FPSCR_QC = 0x08000000;

export const enum SysReg {
  Fpsid = 0b0000,
  Fpscr = 0b0001,
  Mvfr1 = 0b0110,
  Mvfr0 = 0b0111,
  Fpexc = 0b1000,
}

/** Whether `reg` is a system register VMRS/VMSR may name on this processor. */
export function isKnownSysReg(reg: number): boolean {
  return reg === SysReg.Fpsid || reg === SysReg.Fpscr || reg === SysReg.Mvfr0 || reg === SysReg.Mvfr1 || reg === SysReg.Fpexc;
}

/**
 * Access check for VMRS/VMSR: FPSCR needs full CheckVFPEnabled; FPSID, MVFRx and FPEXC are
 * PL1-only (VFPv3 restricts them) and need CPACR and HCPTR but not FPEXC.EN (CheckVFPEnabled(FALSE)
 * in VMRS/VMSR).
 */
function sysRegAccessible(cpu: Cpu, reg: number): boolean {
  if (reg === SysReg.Fpscr) return vfpEnabled(cpu);
  return !cpu.isUserMode() && cpacrAllowsVfp(cpu) && !hcptrTrapsVfp(cpu);
}

/**
 * The HCR bit that traps a VMRS of an ID register from a PL1 mode (B4.1.65): TID0 for FPSID, TID3
 * for MVFR0/MVFR1 (HSR EC 0x08, checked after the access check, as QEMU check_hcr_el2_trap).
 */
function idTrapBit(reg: number): number {
  if (reg === SysReg.Fpsid) return HCR_TID0;
  return reg === SysReg.Mvfr0 || reg === SysReg.Mvfr1 ? HCR_TID3 : 0;
}

function readSysReg(cpu: Cpu, reg: number): number {
  switch (reg) {
    case SysReg.Fpsid: return FPSID;
    case SysReg.Fpscr: return cpu.vfp.fpscr;
    case SysReg.Mvfr0: return MVFR0;
    case SysReg.Mvfr1: return cpu.features.hasNeon ? MVFR1_NEON : MVFR1;
    default: return cpu.vfp.fpexc;
  }
}

/** VMRS Rt, <reg>; with Rt = 15 (APSR_nzcv) FPSCR.NZCV goes to the APSR flags. */
export function vmrs(reg: number, t: number): Instr {
  const trapBit = idTrapBit(reg);
  const syndrome = hsrRegisterTransfer(ExceptionClass.FloatingPointId, 7, reg, 0, 0, t, true);
  return (cpu) => {
    if (!sysRegAccessible(cpu, reg)) return cpu.undefinedInstruction();
    if ((cpu.cp15.hcr & trapBit) !== 0 && cpu.mode !== Mode.Hyp && cpu.mode !== Mode.Mon) {
      return cpu.takeHypException(HypVector.Trap, syndrome, cpu.pc);
    }
    const value = readSysReg(cpu, reg);
    if (t === 15) cpu.setFlagsNZCV(value >>> 28);
    else cpu.r[t] = value;
  };
}

/** VMSR <reg>, Rt. FPEXC keeps only EN (as QEMU); FPSID and the MVFRs ignore writes. */
export function vmsr(reg: number, t: number): Instr {
  return (cpu) => {
    if (!sysRegAccessible(cpu, reg)) return cpu.undefinedInstruction();
    const value = cpu.r[t]!;
    if (reg === SysReg.Fpscr) {
      cpu.vfp.fpscr = value & (cpu.features.hasNeon ? FPSCR_WRITABLE | FPSCR_QC : FPSCR_WRITABLE);
    } else if (reg === SysReg.Fpexc) {
      cpu.vfp.fpexc = value & FPEXC_EN;
    }
  };
}

/** VMOV between an ARM core register and a single (`toCore`: VMOV Rt, Sn), or a D scalar word. */
export function moveCoreWord(toCore: boolean, word: number, t: number): Instr {
  return (cpu) => {
    if (!vfpEnabled(cpu)) return cpu.undefinedInstruction();
    if (toCore) cpu.r[t] = cpu.vfp.words[word]!;
    else cpu.vfp.words[word] = cpu.r[t]!;
  };
}

/**
 * VMOV between two ARM core registers and two consecutive words: S(m), S(m+1) or the low and high
 * words of D(m) (`firstWord` is the index of the first word in both cases).
 */
export function moveCorePair(toCore: boolean, firstWord: number, t: number, t2: number): Instr {
  return (cpu) => {
    if (!vfpEnabled(cpu)) return cpu.undefinedInstruction();
    const w = cpu.vfp.words;
    if (toCore) {
      cpu.r[t] = w[firstWord]!;
      cpu.r[t2] = w[firstWord + 1]!;
    } else {
      w[firstWord] = cpu.r[t]!;
      w[firstWord + 1] = cpu.r[t2]!;
    }
  };
}
