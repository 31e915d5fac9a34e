import type { Cpu } from '../cpu.js';
import { Mode, bankOf } from '../modes.js';

/**
 * Status register semantics (ARM ARM B9.3.8 MRS, B9.3.9-10 MRS/MSR (Banked register), B9.3.11-12
 * MSR, B9.3 CPS, A8.8 SETEND), shared by the A32 and T32 encodings. UNPREDICTABLE cases
 * follow QEMU 7.2 (target/arm/translate.c, op_helper.c), which treats them as UNDEFINED.
 */

/** MRS reads the CPSR with the execution state bits IT, J and T as zero (B9.3.8). */
const CPSR_READ_MASK = 0xf8ff03df;
/** CPSR/SPSR bits [23:21] are reserved: MSR to an SPSR leaves them unchanged (QEMU aarch32_cpsr_valid_mask). */
const PSR_RESERVED = 0x00e00000;

export function mrsCpsr(cpu: Cpu, d: number): void {
  cpu.r[d] = cpu.getCpsr() & CPSR_READ_MASK;
}

/** MRS Rd, SPSR: UNPREDICTABLE in User mode, UNDEFINED as in QEMU; System mode reads the usr/sys slot. */
export function mrsSpsr(cpu: Cpu, d: number): void {
  if (cpu.isUserMode()) {
    cpu.undefinedInstruction();
    return;
  }
  cpu.r[d] = cpu.getSpsr();
}

/** MSR CPSR_<fields>: CPSRWriteByInstr (B1.3.3). */
export function msrCpsr(cpu: Cpu, value: number, byteMask: number): void {
  cpu.writeCpsrByInstruction(value, byteMask);
}

/** MSR SPSR_<fields>: UNPREDICTABLE in User mode (UNDEFINED, as QEMU). */
export function msrSpsr(cpu: Cpu, value: number, byteMask: number): void {
  if (cpu.isUserMode()) {
    cpu.undefinedInstruction();
    return;
  }
  cpu.writeSpsrByInstruction((value & ~PSR_RESERVED) | (cpu.getSpsr() & PSR_RESERVED), byteMask);
}

// ---- Banked registers (B9.2.3, table B9-2) ---------------------------------------------------

/** Pseudo register numbers for banked accesses that are not R8-R14. */
export const BANKED_SPSR = 16;
export const BANKED_ELR_HYP = 17;

/**
 * Decodes R:SYSm of MRS/MSR (Banked register) into `(mode << 8) | register`, or -1 for an
 * unallocated encoding (UNPREDICTABLE: UNDEFINED). Register is 8-14, BANKED_SPSR or BANKED_ELR_HYP.
 */
export function decodeBankedRegister(r: number, sysm: number): number {
  if (r) {
    const mode = SPSR_MODES[sysm] ?? 0;
    return mode === 0 ? -1 : (mode << 8) | BANKED_SPSR;
  }
  if (sysm <= 6) return (Mode.Usr << 8) | (sysm + 8);
  if (sysm >= 8 && sysm <= 14) return (Mode.Fiq << 8) | sysm;
  const mode = LR_SP_MODES[sysm >>> 1] ?? 0;
  if (mode === 0) return -1;
  if (mode === Mode.Hyp) return (mode << 8) | (sysm & 1 ? 13 : BANKED_ELR_HYP);
  return (mode << 8) | (sysm & 1 ? 13 : 14);
}

const SPSR_MODES: Record<number, number> = {
  0x0e: Mode.Fiq, 0x10: Mode.Irq, 0x12: Mode.Svc, 0x14: Mode.Abt, 0x16: Mode.Und, 0x1c: Mode.Mon, 0x1e: Mode.Hyp,
};
const LR_SP_MODES: Record<number, number> = {
  0x8: Mode.Irq, 0x9: Mode.Svc, 0xa: Mode.Abt, 0xb: Mode.Und, 0xe: Mode.Mon, 0xf: Mode.Hyp,
};

/** Privilege level of the current mode (B1.3.1): 0 User, 2 Hyp, 3 for Monitor (as QEMU's EL3). */
function currentLevel(cpu: Cpu): number {
  switch (cpu.mode) {
    case Mode.Usr: return 0;
    case Mode.Hyp: return 2;
    case Mode.Mon: return 3;
    default: return 1;
  }
}

/**
 * BankedRegisterAccessValid() / SPSRAccessValid() (B9.3.9): the instructions exist only with the
 * Virtualization Extensions; the UNPREDICTABLE cases are UNDEFINED, with QEMU's choices
 * (msr_banked_access_decode and msr_mrs_banked_exc_checks).
 */
function bankedAccessValid(cpu: Cpu, mode: number, reg: number): boolean {
  if (!cpu.features.hasEl2 || cpu.isUserMode()) return false;
  const level = currentLevel(cpu);
  const current = cpu.mode;
  if (mode === Mode.Mon && !cpu.features.hasEl3) return false;
  if (mode === Mode.Hyp && (level < 2 || (level < 3 && reg !== BANKED_ELR_HYP))) return false;
  if (reg === BANKED_ELR_HYP) return current === Mode.Hyp || current === Mode.Mon;
  if (current === mode) return false;
  if (mode === Mode.Usr) {
    if (reg <= 12 && current !== Mode.Fiq) return false;
    if (reg === 13 && current === Mode.Sys) return false;
    if (reg === 14 && (current === Mode.Hyp || current === Mode.Sys)) return false;
  }
  if (mode === Mode.Hyp && current !== Mode.Mon) return false;
  return true;
}

/** MRS Rd, <banked_reg>. `target` is decodeBankedRegister's result. */
export function mrsBanked(cpu: Cpu, d: number, target: number): void {
  const mode = target >>> 8;
  const reg = target & 0xff;
  if (!bankedAccessValid(cpu, mode, reg)) {
    cpu.undefinedInstruction();
    return;
  }
  if (reg === BANKED_SPSR) cpu.r[d] = cpu.bankedSpsr[bankOf(mode)]!;
  else if (reg === BANKED_ELR_HYP) cpu.r[d] = cpu.elrHyp;
  else cpu.r[d] = cpu.readRegisterOfMode(reg, mode);
}

/** MSR <banked_reg>, Rn. An SPSR is written whole. */
export function msrBanked(cpu: Cpu, n: number, target: number): void {
  const mode = target >>> 8;
  const reg = target & 0xff;
  if (!bankedAccessValid(cpu, mode, reg)) {
    cpu.undefinedInstruction();
    return;
  }
  const value = cpu.r[n]!;
  if (reg === BANKED_SPSR) cpu.bankedSpsr[bankOf(mode)] = value;
  else if (reg === BANKED_ELR_HYP) cpu.elrHyp = value;
  else cpu.writeRegisterOfMode(reg, mode, value);
}

// ---- CPS and SETEND ---------------------------------------------------------------------------

/** CPS flags A, I, F as in the encodings' A:I:F field. */
export const CPS_A = 4;
export const CPS_I = 2;
export const CPS_F = 1;

/**
 * CPS<effect> <iflags>{, #mode} (B9.3 CPS): imod 0b10 enables (clears the masks), 0b11 disables;
 * no effect at PL0. The mode change goes through CPSRWriteByInstr, so invalid modes and changes
 * to or from Hyp mode are ignored as for MSR (QEMU trans_CPS / bad_mode_switch).
 */
export function changeProcessorState(cpu: Cpu, imod: number, changeMode: boolean, aif: number, mode: number): void {
  if (cpu.isUserMode()) return;
  let cpsr = cpu.getCpsr();
  if (imod & 2) {
    const bits = aif << 6;
    cpsr = imod & 1 ? cpsr | bits : cpsr & ~bits;
  }
  if (changeMode) cpsr = (cpsr & ~0x1f) | mode;
  cpu.writeCpsrByInstruction(cpsr, 3);
}

/** SETEND BE/LE: CPSR.E, permitted at PL0. */
export function setEndianness(cpu: Cpu, bigEndian: number): void {
  cpu.bigEndianData = bigEndian;
}
