import { HypVector, type Cpu } from '../cpu.js';
import type { Cp15, Cp15Register, Cp15Register64 } from '../cp15.js';
import type { Instr } from '../decode-table.js';
import {
  cp14Trap, cp14Trap64, cp15Trap, cp15Trap64, isHypRegister, isHypRegister64, isTrapped, type CoprocessorTrap,
} from '../hyp/coprocessor-traps.js';
import { Mode } from '../modes.js';

/**
 * MCR / MRC / MCRR / MRRC to CP14 and CP15 (ARM ARM MCR, MRC; B3.17 / B4.1 CP15; C11 CP14).
 * A register that does not exist, or an access it does not permit (PL1 register at PL0, Hyp
 * register below Hyp mode, read of a write-only register...), is UNDEFINED (B3.17, QEMU
 * do_coproc_insn / cp_access_ok). Hyp's traps (hyp/coprocessor-traps.ts) take an access to Hyp
 * mode: at PL1 before any of those checks, as QEMU takes HSTR traps before the UNDEF for a
 * missing register (translate.c do_coproc_insn); at PL0 only an access PL0 may make.
 * Coprocessors other than 14 and 15 (10 and 11 belong to the VFP area) are UNDEFINED.
 */

/** Whether PL0 may make this access: the register's run-time control if it has one, else its flags. */
function pl0Permitted(reg: Cp15Register | Cp15Register64, cpu: Cpu, isWrite: boolean): boolean {
  if (reg.pl0Access !== undefined) return reg.pl0Access(cpu, isWrite);
  return isWrite ? reg.pl0Write === true : reg.pl0Read === true;
}

/**
 * The access checks in order: Hyp trap or UNDEFINED (either exception is taken here) or allowed.
 * `operation` is the register's read or write function, undefined when it has none.
 */
function accessAllowed(
  cpu: Cpu, reg: Cp15Register | Cp15Register64 | undefined, operation: unknown, isWrite: boolean, hypOnly: boolean,
  trap: CoprocessorTrap,
): boolean {
  const user = cpu.isUserMode();
  if (!user && isTrapped(cpu, trap)) {
    cpu.takeHypException(HypVector.Trap, trap.syndrome, cpu.pc);
    return false;
  }
  const mode = cpu.mode;
  if (reg === undefined || operation === undefined || (user && !pl0Permitted(reg, cpu, isWrite)) ||
      (hypOnly && mode !== Mode.Hyp && mode !== Mode.Mon)) {
    cpu.undefinedInstruction();
    return false;
  }
  if ((user && isTrapped(cpu, trap)) || reg.trapsToHyp?.(cpu, isWrite) === true) {
    cpu.takeHypException(HypVector.Trap, trap.syndrome, cpu.pc);
    return false;
  }
  return true;
}

/** MRC Rt, <reg>; Rt = 15 writes APSR.NZCV from value[31:28] (MRC, "APSR_nzcv" form). */
function readRegister(cpu: Cpu, cp15: Cp15, reg: Cp15Register | undefined, t: number, hypOnly: boolean, trap: CoprocessorTrap): void {
  if (!accessAllowed(cpu, reg, reg?.read, false, hypOnly, trap)) return;
  const value = reg!.read!(cp15, cpu);
  if (t === 15) cpu.setFlagsNZCV(value >>> 28);
  else cpu.r[t] = value;
}

/** MCR <reg>, Rt. Rt = 15 is UNPREDICTABLE; as QEMU, the PC value is written. */
function writeRegister(cpu: Cpu, cp15: Cp15, reg: Cp15Register | undefined, t: number, hypOnly: boolean, trap: CoprocessorTrap): void {
  if (!accessAllowed(cpu, reg, reg?.write, true, hypOnly, trap)) return;
  reg!.write!(cp15, cpu, cpu.r[t]!);
}

/**
 * The instruction for an MCR/MRC to CP15. The register is looked up on first execution and kept
 * while the processor's CP15 is the same object, so a run does no table lookup.
 */
export function cp15Access(opc1: number, crn: number, crm: number, opc2: number, t: number, isRead: boolean): Instr {
  let cp15: Cp15 | null = null;
  let reg: Cp15Register | undefined;
  let hypOnly = false;
  const trap = cp15Trap(opc1, crn, crm, opc2, t, isRead);
  return (cpu) => {
    if (cpu.cp15 !== cp15) {
      cp15 = cpu.cp15;
      reg = cp15.lookup(opc1, crn, crm, opc2);
      hypOnly = isHypRegister(opc1, crn) || reg?.hypOnly === true;
    }
    if (isRead) readRegister(cpu, cpu.cp15, reg, t, hypOnly, trap);
    else writeRegister(cpu, cpu.cp15, reg, t, hypOnly, trap);
  };
}

/** The instruction for an MCR/MRC to CP14: the debug registers are a fixed table. */
export function cp14Access(opc1: number, crn: number, crm: number, opc2: number, t: number, isRead: boolean): Instr {
  const trap = cp14Trap(opc1, crn, crm, opc2, t, isRead);
  return isRead
    ? (cpu) => readRegister(cpu, cpu.cp15, cpu.cp14.lookup(opc1, crn, crm, opc2), t, false, trap)
    : (cpu) => writeRegister(cpu, cpu.cp15, cpu.cp14.lookup(opc1, crn, crm, opc2), t, false, trap);
}

/** MCRR / MRRC: Rt holds bits [31:0], Rt2 bits [63:32] (B4.1 "64-bit registers"). */
function transfer64(cpu: Cpu, reg: Cp15Register64 | undefined, t: number, t2: number, isRead: boolean, hypOnly: boolean, trap: CoprocessorTrap): void {
  if (isRead) {
    if (!accessAllowed(cpu, reg, reg?.read, false, hypOnly, trap)) return;
    reg!.read!(cpu.cp15, cpu);
    cpu.r[t] = cpu.cp15.low;
    cpu.r[t2] = cpu.cp15.high;
  } else {
    if (!accessAllowed(cpu, reg, reg?.write, true, hypOnly, trap)) return;
    reg!.write!(cpu.cp15, cpu, cpu.r[t]!, cpu.r[t2]!);
  }
}

/**
 * MCRR / MRRC to a 64-bit CP15 register. Missing registers and forbidden PL0 accesses are
 * UNDEFINED, as for MCR/MRC.
 */
export function cp15Access64(opc1: number, crm: number, t: number, t2: number, isRead: boolean): Instr {
  let cp15: Cp15 | null = null;
  let reg: Cp15Register64 | undefined;
  const hypOnly = isHypRegister64(opc1);
  const trap = cp15Trap64(opc1, crm, t, t2, isRead);
  return (cpu) => {
    if (cpu.cp15 !== cp15) {
      cp15 = cpu.cp15;
      reg = cp15.lookup64(opc1, crm);
    }
    transfer64(cpu, reg, t, t2, isRead, hypOnly, trap);
  };
}

/**
 * MCRR / MRRC to CP14: there are no 64-bit CP14 registers here (UNDEFINED), but the 64-bit
 * DBGDRAR/DBGDSAR encodings are still trapped to Hyp mode by HDCR.TDRA.
 */
export function cp14Access64(opc1: number, crm: number, t: number, t2: number, isRead: boolean): Instr {
  const trap = cp14Trap64(opc1, crm, t, t2, isRead);
  return (cpu) => transfer64(cpu, undefined, t, t2, isRead, false, trap);
}

/** An UNDEFINED coprocessor access (missing coprocessor, MCRR/MRRC without 64-bit registers). */
export function undefinedCoprocessorAccess(cpu: Cpu): void {
  cpu.undefinedInstruction();
}
