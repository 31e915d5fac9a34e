import type { Cpu } from '../cpu.js';
import type { Cp15, Cp15Register, Cp15Register64 } from '../cp15.js';
import type { Instr } from '../decode-table.js';

/**
 * MCR / MRC to CP14 and CP15 (ARM ARM MCR, MRC; B3.17 / B4.1 CP15; C11 CP14).
 * A register that does not exist, or an access it does not permit (PL1 register at PL0, read of
 * a write-only register...), is UNDEFINED (B3.17, QEMU do_coproc_insn / cp_access_ok).
 * Coprocessors other than 14 and 15 (10 and 11 belong to the VFP area) are UNDEFINED.
 */

/** Whether PL0 may make this access: the register's run-time control if it has one, else its flags. */
function pl0Permitted(reg: Cp15Register | Cp15Register64, cpu: Cpu, isWrite: boolean): boolean {
  if (reg.pl0Access !== undefined) return reg.pl0Access(cpu, isWrite);
  return isWrite ? reg.pl0Write === true : reg.pl0Read === true;
}

/** MRC Rt, <reg>; Rt = 15 writes APSR.NZCV from value[31:28] (MRC, "APSR_nzcv" form). */
function readRegister(cpu: Cpu, cp15: Cp15, reg: Cp15Register | undefined, t: number): void {
  if (reg === undefined || reg.read === undefined || (cpu.isUserMode() && !pl0Permitted(reg, cpu, false))) {
    cpu.undefinedInstruction();
    return;
  }
  const value = reg.read(cp15, cpu);
  if (t === 15) cpu.setFlagsNZCV(value >>> 28);
  else cpu.r[t] = value;
}

/** MCR <reg>, Rt. Rt = 15 is UNPREDICTABLE; as QEMU, the PC value is written. */
function writeRegister(cpu: Cpu, cp15: Cp15, reg: Cp15Register | undefined, t: number): void {
  if (reg === undefined || reg.write === undefined || (cpu.isUserMode() && !pl0Permitted(reg, cpu, true))) {
    cpu.undefinedInstruction();
    return;
  }
  reg.write(cp15, cpu, cpu.r[t]!);
}

/**
 * The instruction for an MCR/MRC to CP15. The register is looked up on first execution and kept
 * while the processor's CP15 is the same object, so a run does no table lookup.
 */
export function cp15Access(opc1: number, crn: number, crm: number, opc2: number, t: number, isRead: boolean): Instr {
  let cp15: Cp15 | null = null;
  let reg: Cp15Register | undefined;
  return (cpu) => {
    if (cpu.cp15 !== cp15) {
      cp15 = cpu.cp15;
      reg = cp15.lookup(opc1, crn, crm, opc2);
    }
    if (isRead) readRegister(cpu, cpu.cp15, reg, t);
    else writeRegister(cpu, cpu.cp15, reg, t);
  };
}

/** The instruction for an MCR/MRC to CP14: the debug registers are a fixed table. */
export function cp14Access(opc1: number, crn: number, crm: number, opc2: number, t: number, isRead: boolean): Instr {
  return isRead
    ? (cpu) => readRegister(cpu, cpu.cp15, cpu.cp14.lookup(opc1, crn, crm, opc2), t)
    : (cpu) => writeRegister(cpu, cpu.cp15, cpu.cp14.lookup(opc1, crn, crm, opc2), t);
}

/**
 * MCRR / MRRC to a 64-bit CP15 register (B4.1): Rt holds bits [31:0], Rt2 bits [63:32]. Missing
 * registers and forbidden PL0 accesses are UNDEFINED, as for MCR/MRC.
 */
export function cp15Access64(opc1: number, crm: number, t: number, t2: number, isRead: boolean): Instr {
  let cp15: Cp15 | null = null;
  let reg: Cp15Register64 | undefined;
  return (cpu) => {
    if (cpu.cp15 !== cp15) {
      cp15 = cpu.cp15;
      reg = cp15.lookup64(opc1, crm);
    }
    const user = cpu.isUserMode();
    if (isRead) {
      if (reg === undefined || reg.read === undefined || (user && !pl0Permitted(reg, cpu, false))) return cpu.undefinedInstruction();
      reg.read(cpu.cp15, cpu);
      cpu.r[t] = cpu.cp15.low;
      cpu.r[t2] = cpu.cp15.high;
    } else {
      if (reg === undefined || reg.write === undefined || (user && !pl0Permitted(reg, cpu, true))) return cpu.undefinedInstruction();
      reg.write(cpu.cp15, cpu, cpu.r[t]!, cpu.r[t2]!);
    }
  };
}

/** An UNDEFINED coprocessor access (missing coprocessor, MCRR/MRRC without 64-bit registers). */
export function undefinedCoprocessorAccess(cpu: Cpu): void {
  cpu.undefinedInstruction();
}
