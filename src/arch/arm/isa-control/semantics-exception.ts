import { ExceptionKind, HypVector, type Cpu } from '../cpu.js';
import { FaultStatus, GuestAbort } from '../guest-abort.js';
import { takeAbortToHyp } from '../hyp/aborts.js';
import { HCR_TSC } from '../hyp/hcr.js';
import { ExceptionClass, HSR_SECURE_MONITOR_CALL, hsrCall } from '../hyp/syndrome.js';
import { Mode } from '../modes.js';

/**
 * Exception-generating and exception-return semantics (ARM ARM SVC, BKPT, UDF, and
 * B9.3 SMC, HVC, ERET, SUBS PC, LR), shared by A32 and T32.
 */

/** Semihosting call numbers (ARM semihosting spec 2.1): SVC in A32 / T16, HLT in A32 / T16. */
export const SEMIHOSTING_SVC_A32 = 0x123456;
export const SEMIHOSTING_SVC_T16 = 0xab;
export const SEMIHOSTING_HLT_A32 = 0xf000;
export const SEMIHOSTING_HLT_T16 = 0x3c;

/**
 * Runs the semihosting handler for a semihosting trap, as QEMU 7.2 does (EXCP_SEMIHOST): only
 * when a handler is installed and not from User mode (QEMU's default: no userspace semihosting).
 * The PC already points past the instruction, where QEMU resumes. Returns whether it ran.
 */
function trySemihosting(cpu: Cpu): boolean {
  const handler = cpu.semihosting;
  if (handler === null || cpu.isUserMode()) return false;
  handler(cpu);
  return true;
}

/**
 * SVC #imm: a semihosting call for the semihosting immediate, else the Supervisor Call exception;
 * in Hyp mode, or from User mode with HCR.TGE, taken to Hyp mode with HSR EC 0x11 and imm[15:0]
 * (B1.14, B3.13.6), its length from the instruction's size.
 */
export function supervisorCall(cpu: Cpu, imm: number, isSemihostingImmediate: boolean): void {
  if (isSemihostingImmediate && trySemihosting(cpu)) return;
  if (cpu.mode === Mode.Hyp || cpu.routesToHyp()) {
    cpu.takeHypException(HypVector.Call, hsrCall(ExceptionClass.SupervisorCall, imm, cpu.nextPc - cpu.pc === 2), cpu.nextPc);
  } else {
    cpu.takeException(ExceptionKind.SupervisorCall);
  }
}

/**
 * HLT #imm (ARMv8 AArch32, A-profile QEMU semihosting): external halting debug is not
 * implemented, so it is UNDEFINED except for the semihosting immediate (QEMU gen_hlt).
 */
export function halt(cpu: Cpu, isSemihostingImmediate: boolean): void {
  if (isSemihostingImmediate && trySemihosting(cpu)) return;
  cpu.undefinedInstruction();
}

/** IFSR for a debug event (B3.13.3, short-descriptor and long-descriptor formats): short-descriptor FS 0b00010, or LPAE 0x22 with LPAE bit. */
const IFSR_DEBUG_SHORT = 0x2;
const IFSR_DEBUG_LONG = (1 << 9) | 0x22;
const TTBCR_EAE = 1 << 31;

/**
 * BKPT #imm: a debug exception taken as a Prefetch Abort (B1.9.7: halting debug is disabled),
 * with IFSR = debug event and IFAR cleared (UNKNOWN architecturally; QEMU
 * helper_exception_bkpt_insn sets vaddress = 0). LR is the BKPT address + 4. In Hyp mode, or from
 * User mode with HCR.TGE, the Prefetch Abort is taken to Hyp mode (debug event fault status).
 */
export function breakpoint(cpu: Cpu): void {
  if (cpu.mode === Mode.Hyp || cpu.routesToHyp()) {
    takeAbortToHyp(cpu, new GuestAbort(true, FaultStatus.Debug, 0, false));
    return;
  }
  cpu.cp15.ifsr = (cpu.cp15.ttbcr & TTBCR_EAE) !== 0 ? IFSR_DEBUG_LONG : IFSR_DEBUG_SHORT;
  cpu.cp15.ifar = 0;
  cpu.takeException(ExceptionKind.PrefetchAbort);
}

/** UDF #imm: permanently UNDEFINED. */
export function permanentlyUndefined(cpu: Cpu): void {
  cpu.undefinedInstruction();
}

/**
 * SMC #imm4 (B9.3 SMC; QEMU helper_pre_smc): UNDEFINED at PL0, and without the Security
 * Extensions unless the board's firmware is on the SMC conduit (QEMU then treats its PSCI as EL3
 * firmware). From a PL1 mode HCR.TSC traps it to Hyp mode (HSR EC 0x13, preferred return the SMC
 * itself). Otherwise the firmware call, or the Secure Monitor Call exception.
 */
export function secureMonitorCall(cpu: Cpu): void {
  const firmware = cpu.firmwareConduit === 'smc' ? cpu.firmwareCall : null;
  if (cpu.isUserMode() || (!cpu.features.hasEl3 && firmware === null)) {
    cpu.undefinedInstruction();
  } else if ((cpu.cp15.hcr & HCR_TSC) !== 0 && cpu.mode !== Mode.Hyp && cpu.mode !== Mode.Mon) {
    cpu.takeHypException(HypVector.Trap, HSR_SECURE_MONITOR_CALL, cpu.pc);
  } else if (firmware !== null) {
    firmware(cpu);
  } else {
    cpu.takeException(ExceptionKind.SecureMonitorCall);
  }
}

/**
 * HVC #imm16 (B9.3 HVC): UNDEFINED at PL0. With the Virtualization Extensions, the Hypervisor
 * Call exception: HSR EC 0x12 with imm16, ELR_hyp = the next instruction, through the Hyp Trap
 * entry from a PL1 mode or the HVC entry in Hyp mode (HCR.HCD does not exist in ARMv7: QEMU's
 * v7VE HCR keeps it zero). Without them UNDEFINED, unless board firmware owns the HVC conduit:
 * then, as QEMU 7.2 (helper_pre_hvc / arm_is_psci_call), an HVC is a firmware (PSCI) call, handled
 * without an exception.
 */
export function hypervisorCall(cpu: Cpu, imm16: number): void {
  const firmware = cpu.firmwareConduit === 'hvc' ? cpu.firmwareCall : null;
  if (cpu.isUserMode()) {
    cpu.undefinedInstruction();
  } else if (cpu.features.hasEl2) {
    cpu.takeHypException(HypVector.Call, hsrCall(ExceptionClass.HypervisorCall, imm16, false), cpu.nextPc);
  } else if (firmware !== null) {
    firmware(cpu);
  } else {
    cpu.undefinedInstruction();
  }
}

/**
 * Exception return with the current mode's SPSR (B1.8.10). A return into Hyp mode from another
 * mode is an illegal return (B1.8.10 "Exception return to Hyp mode ... UNPREDICTABLE"); as QEMU
 * (bad_mode_switch) the mode stays and the other fields are restored.
 */
function returnFromException(cpu: Cpu, address: number): void {
  let spsr = cpu.getSpsr();
  if ((spsr & 0x1f) === Mode.Hyp && cpu.mode !== Mode.Hyp && cpu.mode !== Mode.Mon) {
    spsr = (spsr & ~0x1f) | cpu.mode;
  }
  cpu.exceptionReturn(address, spsr);
}

/**
 * ERET (B9.3): UNDEFINED at PL0; in Hyp mode returns to ELR_hyp with SPSR_hyp; in the other
 * PL1 modes it behaves as SUBS PC, LR, #0, as QEMU 7.2 does for a V7VE processor (trans_ERET).
 */
export function exceptionReturn(cpu: Cpu): void {
  if (cpu.isUserMode()) {
    cpu.undefinedInstruction();
    return;
  }
  returnFromException(cpu, cpu.mode === Mode.Hyp ? cpu.elrHyp : cpu.r[14]!);
}

/**
 * SUBS PC, LR, #imm8 (B9.3 "SUBS PC, LR (Thumb)"): exception return to LR - imm8. UNPREDICTABLE in User mode
 * and UNDEFINED in Hyp mode: both UNDEFINED, as QEMU (ALUExceptionReturn in trans_SUB_rri); in Hyp
 * mode that is an Undefined Instruction exception taken to Hyp mode.
 */
export function subtractPcLr(cpu: Cpu, imm8: number): void {
  if (cpu.isUserMode() || cpu.mode === Mode.Hyp) {
    cpu.undefinedInstruction();
    return;
  }
  returnFromException(cpu, (cpu.r[14]! - imm8) | 0);
}
