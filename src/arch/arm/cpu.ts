import { AccessClass, Bank, BANK_COUNT, Mode, accessClassOf, bankOf } from './modes.js';
import { Cp14 } from './cp14.js';
import { Cp15, SCTLR_EE, SCTLR_TE, SCTLR_V, UNIPROCESSOR, type ProcessorTopology } from './cp15.js';
import { PerformanceMonitors } from './performance-monitors.js';
import { HCR_AMO, HCR_FMO, HCR_IMO, HCR_TGE, HCR_VA, HCR_VF, HCR_VI } from './hyp/hcr.js';
import { HSR_UNKNOWN } from './hyp/syndrome.js';
import { defineHypRegisters } from './hyp/registers.js';
import { Pl2Port, type Pl2Software } from './hyp/pl2-port.js';
import { DataAccess } from './data-access.js';
import { TTBCR_EAE } from './mmu/fault-status.js';
import type { PhysicalBus } from './physical-bus.js';
import { VfpState } from './vfp/vfp-state.js';

/** Which optional parts of the architecture this processor instance has (set by the board). */
export interface CpuFeatures {
  /** Virtualization Extensions usable: Hyp mode, HVC (QEMU's virt has them only with virtualization=on). */
  readonly hasEl2: boolean;
  /** Security Extensions usable: Monitor mode, SMC. */
  readonly hasEl3: boolean;
  /** Advanced SIMD (NEON). */
  readonly hasNeon: boolean;
}

/** Exceptions (ARM ARM B1.8, table B1-3) with their vector offsets. */
export const enum ExceptionKind {
  Reset = 0x00,
  Undefined = 0x04,
  SupervisorCall = 0x08,
  PrefetchAbort = 0x0c,
  DataAbort = 0x10,
  HypTrap = 0x14,
  Irq = 0x18,
  Fiq = 0x1c,
  /** SMC: taken to Monitor mode at VBAR-relative offset 0x08 of MVBAR. */
  SecureMonitorCall = 0x108,
}

/** Bits of Cpu.interruptLines. */
export const INTERRUPT_IRQ = 1;
export const INTERRUPT_FIQ = 2;
/** The virtual IRQ, FIQ and abort (B1.8, virtual exceptions): HCR.VI/VF/VA, or the GIC's vIRQ/vFIQ. */
export const INTERRUPT_VIRQ = 4;
export const INTERRUPT_VFIQ = 8;
export const INTERRUPT_VABORT = 16;

/**
 * Hyp mode's vector offsets (B1.8.1, table B1-3, "Hyp vector table"). Exceptions taken to Hyp
 * mode from another mode use the Hyp Trap entry, except IRQ and FIQ.
 */
export const enum HypVector {
  Undefined = 0x04,
  /** HVC, or SVC, executed in Hyp mode. */
  Call = 0x08,
  PrefetchAbort = 0x0c,
  DataAbort = 0x10,
  /** Hyp Trap, or Hyp mode entry from a PL1 or PL0 mode. */
  Trap = 0x14,
  Irq = 0x18,
  Fiq = 0x1c,
}

/** DFSR of an asynchronous external abort (B3.13.3): short-descriptor FS 0b10110, long-descriptor 0x11. */
const ASYNC_EXTERNAL_ABORT_SHORT = 0x406;
const ASYNC_EXTERNAL_ABORT_LONG = (1 << 9) | 0x11;

/** Which instruction reaches the board's firmware (PSCI): QEMU's psci-conduit property. */
export type FirmwareConduit = 'hvc' | 'smc';

/** Called for SVC/HLT semihosting calls (ARM semihosting spec 2.1); true when handled. */
export type SemihostingHandler = (cpu: Cpu) => void;

/**
 * Firmware reached through HVC when the processor has no EL2 (QEMU's PSCI conduit on `virt`,
 * target/arm/psci.c): reads its arguments from and writes its results to the registers; the
 * processor then continues after the HVC, with no exception taken.
 */
export type FirmwareCallHandler = (cpu: Cpu) => void;

/**
 * Architectural state of one ARMv7-A processor: the register file with its banked copies, the
 * CPSR as separate fields, SPSRs, CP15, VFP, and the exclusive monitor. Instruction semantics
 * read and write these fields directly; mode changes go through setMode() so banking is right.
 *
 * Program counter convention while an instruction executes: `pc` is its address, `r[15]` reads
 * as pc+8 (A32) or pc+4 (T32), and `nextPc` is where execution continues; instructions that write
 * the PC do so through branchWritePc/bxWritePc/aluWritePc/loadWritePc.
 */
export class Cpu {
  readonly r = new Int32Array(16);
  pc = 0;
  nextPc = 0;

  // CPSR, one field per bit group (B1.3.3).
  nf = 0;
  zf = 0;
  cf = 0;
  vf = 0;
  qf = 0;
  ge = 0;
  /** ITSTATE[7:0] (A2.5.2). */
  itState = 0;
  /** CPSR.T: 1 in Thumb state. */
  thumb = 0;
  /** CPSR.E: data accesses big-endian. */
  bigEndianData = 0;
  maskA = 1;
  maskI = 1;
  maskF = 1;
  mode: number = Mode.Svc;
  /** accessClassOf(mode), kept with it for the data-access fast path. */
  accessClass: AccessClass = AccessClass.Pl1;

  /** SP, LR and SPSR of every bank; the current mode's SP/LR live in r[13]/r[14]. */
  readonly bankedSp = new Int32Array(BANK_COUNT);
  readonly bankedLr = new Int32Array(BANK_COUNT);
  readonly bankedSpsr = new Int32Array(BANK_COUNT);
  /** R8-R12 of every mode but FIQ, and FIQ's own, while the other set is in r[8..12]. */
  readonly usrHighRegs = new Int32Array(5);
  readonly fiqHighRegs = new Int32Array(5);
  /** ELR_hyp (B1.3.2). */
  elrHyp = 0;

  /** Local exclusive monitor (A3.4.1): -1 when in the Open Access state, else the tagged address. */
  exclusiveAddress = -1;
  /** Size in bytes of the tagged block, to check STREX matches its LDREX. */
  exclusiveSize = 0;

  /**
   * A Hyp Trap syndrome that an enable check (CheckVFPEnabled and HCPTR) found, for the
   * undefinedInstruction() call that follows it to take instead of the Undefined exception.
   */
  hypTrapSyndrome = 0;
  /** Set by the executor before each instruction; cleared by anything that writes ITSTATE itself. */
  itAdvance = false;
  /** WFI/WFE executed: the processor waits for an interrupt or event. */
  waitingForInterrupt = false;
  /** The wait is a WFE's: an event (SEV on any processor) ends it too, not only an interrupt. */
  waitingForEvent = false;
  /** Event register for WFE/SEV (B1.8.13). */
  eventRegister = 0;
  /**
   * SEV: sets the event register of every processor in the machine (B1.8.13). The board of a
   * multiprocessor replaces it; alone, a processor only signals itself.
   */
  signalEvent: () => void = () => {
    this.eventRegister = 1;
  };
  /**
   * Runs the 32-bit Thumb instruction at the PC that ends in the next page (MMU on), decoded in
   * `state` (a DecodeState) through this processor's translations now. Its executor sets it; a
   * translated block, which all processors of a machine share, runs such an instruction so.
   */
  runCrossingInstruction!: (state: number) => void;
  /**
   * Set when what follows the current instruction must not run from a translated block even if
   * the PC falls through: code written, instruction set or PSR restored, timer reprogrammed.
   * 1 or 0: translated blocks test it after most instructions, and the engine tests a number
   * field in one comparison where a boolean one costs a generic truth test.
   */
  blockBreak = 0;
  /** Something asked the run loop to stop (semihosting exit, debugger): 1, else 0 (a number, as blockBreak). */
  stopRequested = 0;
  /**
   * Instructions executed (including those whose condition failed), plus stallCycles: the count
   * virtual time and run budgets follow.
   */
  instructionCount = 0;
  /** Cycles charged to this processor besides instructions (work of native PL2 software: Pl2Port.charge). */
  stallCycles = 0;

  /** Instructions this processor executed: instructionCount without the charged cycles. */
  get executedInstructions(): number {
    return this.instructionCount - this.stallCycles;
  }
  /**
   * The executor's run() stops once instructionCount reaches this; the machine may lower it
   * while a run is in progress (a timer reprogrammed: re-plan at the next instruction boundary).
   */
  runUntil = 0;
  /**
   * The physical IRQ and FIQ inputs (B1.8.6): bit INTERRUPT_IRQ / INTERRUPT_FIQ set while the
   * interrupt controller asserts that line; and the virtual IRQ, FIQ and abort that Hyp mode
   * raises (INTERRUPT_VIRQ/VFIQ/VABORT). The executor tests this at instruction boundaries;
   * takePendingInterrupt() decides what is taken where.
   */
  interruptLines = 0;
  /** The GIC virtual CPU interface's vIRQ and vFIQ outputs, before HCR.VI/VF are OR-ed in. */
  private virtualIrqInput = false;
  private virtualFiqInput = false;

  readonly cp15: Cp15;
  readonly cp14 = new Cp14();
  /** The Performance Monitors (CP15 c9). */
  readonly pmu = new PerformanceMonitors();
  readonly vfp = new VfpState();
  readonly mem: DataAccess;
  semihosting: SemihostingHandler | null = null;
  /** Board firmware (PSCI) reached through `firmwareConduit`; null: none. */
  firmwareCall: FirmwareCallHandler | null = null;
  /**
   * 'hvc': an HVC from PL1 calls firmwareCall when the processor has no EL2 (with EL2, HVC is the
   * architectural Hypervisor Call). 'smc': an SMC from PL1 or Hyp mode calls it unless HCR.TSC
   * traps it, as QEMU's virt with virtualization=on (target/arm/op_helper.c helper_pre_smc).
   */
  firmwareConduit: FirmwareConduit = 'hvc';
  /** Native software occupying PL2 (the Partita hypervisor): takes every exception to Hyp mode. */
  private pl2: { readonly software: Pl2Software; readonly port: Pl2Port } | null = null;

  constructor(
    readonly bus: PhysicalBus,
    readonly features: CpuFeatures = { hasEl2: false, hasEl3: false, hasNeon: false },
    /** Which processor of the machine this is (MPIDR); a uniprocessor's by default. */
    topology: ProcessorTopology = UNIPROCESSOR,
  ) {
    this.cp15 = new Cp15(features, topology);
    // The counts grow past the engine's small-integer range (2^31) within seconds: store them as
    // doubles from the start, so that passing it does not change the object's layout then and
    // throw away all the code compiled for it (every translated block).
    this.instructionCount = this.runUntil = this.stallCycles = 0.5;
    this.instructionCount = this.runUntil = this.stallCycles = 0;
    // ISR (B4.1.96) shows the pending interrupts: A (bit 8), I (bit 7), F (bit 6); outside Hyp
    // mode, with HCR.AMO / IMO / FMO, the virtual ones instead of the physical ones.
    this.cp15.define(0, 12, 1, 0, {
      name: 'ISR',
      read: (c, cpu) => {
        const routed = cpu.mode === Mode.Hyp ? 0 : c.hcr;
        const lines = cpu.interruptLines;
        const irq = (routed & HCR_IMO) !== 0 ? INTERRUPT_VIRQ : INTERRUPT_IRQ;
        const fiq = (routed & HCR_FMO) !== 0 ? INTERRUPT_VFIQ : INTERRUPT_FIQ;
        const abort = (routed & HCR_AMO) !== 0 ? INTERRUPT_VABORT : 0;
        return ((lines & abort) !== 0 ? 0x100 : 0) | ((lines & irq) !== 0 ? 0x80 : 0) | ((lines & fiq) !== 0 ? 0x40 : 0);
      },
    });
    this.pmu.install(this.cp15);
    if (features.hasEl2) defineHypRegisters(this.cp15, this);
    this.mem = new DataAccess(this, bus);
    this.reset();
  }

  /**
   * Reset state (B1.9.1): SVC mode, interrupts masked, ARM or Thumb per SCTLR.TE; with the
   * Virtualization Extensions and no Security Extensions, Hyp mode with HSCTLR.TE/EE, as QEMU
   * starts a `virt,virtualization=on` processor (at EL2, the highest level it has).
   */
  reset(): void {
    this.r.fill(0);
    this.bankedSp.fill(0);
    this.bankedLr.fill(0);
    this.bankedSpsr.fill(0);
    this.usrHighRegs.fill(0);
    this.fiqHighRegs.fill(0);
    this.elrHyp = 0;
    this.cp15.reset();
    this.cp14.reset();
    this.pmu.reset();
    this.vfp.reset();
    this.nf = this.zf = this.cf = this.vf = this.qf = this.ge = this.itState = 0;
    const inHyp = this.features.hasEl2 && !this.features.hasEl3;
    this.mode = inHyp ? Mode.Hyp : Mode.Svc;
    this.accessClass = accessClassOf(this.mode);
    this.maskA = this.maskI = this.maskF = 1;
    const control = inHyp ? this.cp15.hsctlr : this.cp15.sctlr;
    this.thumb = (control & SCTLR_TE) !== 0 ? 1 : 0;
    this.bigEndianData = (control & SCTLR_EE) !== 0 ? 1 : 0;
    this.hypTrapSyndrome = 0;
    this.virtualInterruptsChanged(); // HCR is reset; the vIRQ/vFIQ inputs stay as driven
    this.exclusiveAddress = -1;
    this.waitingForInterrupt = false;
    this.waitingForEvent = false;
    this.eventRegister = 0;
    this.stopRequested = 0;
    this.pc = this.nextPc = 0;
  }

  // ---- Interrupt inputs (B1.8.6) --------------------------------------------------------------

  /** Drives the IRQ input (the GIC CPU interface's nIRQ). */
  setIrq(level: boolean): void {
    this.interruptLines = level ? this.interruptLines | INTERRUPT_IRQ : this.interruptLines & ~INTERRUPT_IRQ;
  }

  /** Drives the FIQ input. */
  setFiq(level: boolean): void {
    this.interruptLines = level ? this.interruptLines | INTERRUPT_FIQ : this.interruptLines & ~INTERRUPT_FIQ;
  }

  /** Drives the virtual IRQ input (the GIC virtual CPU interface's vIRQ), OR-ed with HCR.VI. */
  setVirtualIrq(level: boolean): void {
    this.virtualIrqInput = level;
    this.virtualInterruptsChanged();
  }

  /** Drives the virtual FIQ input (vFIQ), OR-ed with HCR.VF. */
  setVirtualFiq(level: boolean): void {
    this.virtualFiqInput = level;
    this.virtualInterruptsChanged();
  }

  /** Recomputes the virtual bits of interruptLines from the inputs and HCR.VI/VF/VA (B4.1.65). */
  virtualInterruptsChanged(): void {
    const hcr = this.cp15.hcr;
    const virq = this.virtualIrqInput || (hcr & HCR_VI) !== 0;
    const vfiq = this.virtualFiqInput || (hcr & HCR_VF) !== 0;
    this.interruptLines = (this.interruptLines & (INTERRUPT_IRQ | INTERRUPT_FIQ)) |
      (virq ? INTERRUPT_VIRQ : 0) | (vfiq ? INTERRUPT_VFIQ : 0) | ((hcr & HCR_VA) !== 0 ? INTERRUPT_VABORT : 0);
  }

  /**
   * At an instruction boundary (cpu.pc is the next instruction to execute), takes the highest
   * priority asserted interrupt that is not masked, in QEMU's order (arm_cpu_exec_interrupt):
   * physical FIQ, physical IRQ, virtual IRQ, virtual FIQ, virtual abort. Physical FIQ and IRQ
   * go to Hyp mode when HCR.FMO / HCR.IMO (or TGE) route them there, and CPSR.F / CPSR.I do not
   * mask them then outside Hyp mode (B1.8.6 "Asynchronous exception masking"); the virtual ones
   * are taken only outside Hyp mode with that routing, masked by CPSR.I/F/A. The preferred return
   * address is that next instruction, so LR = pc + 4 (table B1-7); ELR_hyp = pc. Returns whether
   * an exception was taken.
   */
  takePendingInterrupt(): boolean {
    const lines = this.interruptLines;
    const hcr = this.cp15.hcr;
    const inHyp = this.mode === Mode.Hyp;
    const routed = inHyp ? 0 : (hcr & HCR_TGE) !== 0 ? HCR_FMO | HCR_IMO | HCR_AMO : hcr;
    const fiq = (lines & INTERRUPT_FIQ) !== 0;
    const irq = (lines & INTERRUPT_IRQ) !== 0;
    this.nextPc = this.pc;
    if (fiq && (routed & HCR_FMO) !== 0) this.takeHypException(HypVector.Fiq, 0, this.pc);
    else if (fiq && this.maskF === 0) this.takeInterrupt(ExceptionKind.Fiq, HypVector.Fiq, inHyp);
    else if (irq && (routed & HCR_IMO) !== 0) this.takeHypException(HypVector.Irq, 0, this.pc);
    else if (irq && this.maskI === 0) this.takeInterrupt(ExceptionKind.Irq, HypVector.Irq, inHyp);
    else if (!this.takeVirtualInterrupt(lines, (hcr & HCR_TGE) !== 0 ? 0 : routed)) return false;
    this.pc = this.nextPc;
    return true;
  }

  private takeInterrupt(kind: ExceptionKind, hypVector: HypVector, inHyp: boolean): void {
    if (inHyp) this.takeHypException(hypVector, 0, this.pc);
    else this.takeException(kind);
  }

  /**
   * A virtual interrupt (B1.8, virtual exceptions): only outside Hyp mode, only with HCR.IMO/FMO/AMO (`routed`,
   * zero in Hyp mode or with HCR.TGE), masked by CPSR.I/F/A. A virtual abort is an asynchronous
   * Data Abort with DFSR = asynchronous external abort, and taking it clears HCR.VA (as QEMU's
   * EXCP_VSERROR). Returns whether one was taken.
   */
  private takeVirtualInterrupt(lines: number, routed: number): boolean {
    if ((lines & INTERRUPT_VIRQ) !== 0 && (routed & HCR_IMO) !== 0 && this.maskI === 0) {
      this.takeException(ExceptionKind.Irq);
    } else if ((lines & INTERRUPT_VFIQ) !== 0 && (routed & HCR_FMO) !== 0 && this.maskF === 0) {
      this.takeException(ExceptionKind.Fiq);
    } else if ((lines & INTERRUPT_VABORT) !== 0 && (routed & HCR_AMO) !== 0 && this.maskA === 0) {
      this.cp15.hcr &= ~HCR_VA;
      this.virtualInterruptsChanged();
      this.cp15.dfsr = (this.cp15.ttbcr & TTBCR_EAE) !== 0 ? ASYNC_EXTERNAL_ABORT_LONG : ASYNC_EXTERNAL_ABORT_SHORT;
      this.takeException(ExceptionKind.DataAbort);
    } else {
      return false;
    }
    return true;
  }

  // ---- CPSR -----------------------------------------------------------------------------------

  getCpsr(): number {
    return (
      (this.nf << 31) | (this.zf << 30) | (this.cf << 29) | (this.vf << 28) | (this.qf << 27) |
      ((this.itState & 3) << 25) | (this.ge << 16) | ((this.itState >>> 2) << 10) |
      (this.bigEndianData << 9) | (this.maskA << 8) | (this.maskI << 7) | (this.maskF << 6) |
      (this.thumb << 5) | this.mode
    );
  }

  setFlagsNZCV(nzcv: number): void {
    this.nf = (nzcv >>> 3) & 1;
    this.zf = (nzcv >>> 2) & 1;
    this.cf = (nzcv >>> 1) & 1;
    this.vf = nzcv & 1;
  }

  /** Whether `mode` names a mode this processor has (Hyp needs EL2, Monitor needs EL3). */
  isValidMode(mode: number): boolean {
    const bank = bankOf(mode);
    if (bank < 0) return false;
    if (bank === Bank.Hyp) return this.features.hasEl2;
    if (bank === Bank.Mon) return this.features.hasEl3;
    return true;
  }

  /** Whether the processor is at PL0 (B1.3.1). */
  isUserMode(): boolean {
    return this.mode === Mode.Usr;
  }

  /**
   * CPSR write by MSR (B9.3.12 "MSR (register)", B1.3.3): `byteMask` selects the fields
   * f(3)/s(2)/x(1)/c(0). At PL0 only NZCVQ, GE and E change; T, IT and J never change through MSR; a
   * change to a mode that does not exist, or into/out of Hyp mode other than by exception, is
   * ignored as QEMU does.
   */
  writeCpsrByInstruction(value: number, byteMask: number): void {
    if (byteMask & 8) {
      this.nf = (value >>> 31) & 1;
      this.zf = (value >>> 30) & 1;
      this.cf = (value >>> 29) & 1;
      this.vf = (value >>> 28) & 1;
      this.qf = (value >>> 27) & 1;
    }
    if (byteMask & 4) this.ge = (value >>> 16) & 0xf;
    // CPSR.E is writable at any privilege (B1.3.3, "the E bit is user-writable").
    if (byteMask & 2) this.bigEndianData = (value >>> 9) & 1;
    if (this.isUserMode()) return;
    if (byteMask & 2) this.maskA = (value >>> 8) & 1;
    if (byteMask & 1) {
      this.maskI = (value >>> 7) & 1;
      this.maskF = (value >>> 6) & 1;
      const newMode = value & 0x1f;
      if (newMode !== this.mode && this.isValidMode(newMode) && newMode !== Mode.Hyp && this.mode !== Mode.Hyp) {
        this.setMode(newMode);
      }
    }
  }

  /**
   * CPSR write from an SPSR on exception return (B1.8.10 "Exception return"): every field,
   * including T and ITSTATE. A return to a mode that does not exist leaves the mode unchanged.
   */
  restoreCpsrFromSpsr(spsr: number): void {
    this.nf = (spsr >>> 31) & 1;
    this.zf = (spsr >>> 30) & 1;
    this.cf = (spsr >>> 29) & 1;
    this.vf = (spsr >>> 28) & 1;
    this.qf = (spsr >>> 27) & 1;
    this.ge = (spsr >>> 16) & 0xf;
    this.itState = ((spsr >>> 25) & 3) | (((spsr >>> 10) & 0x3f) << 2);
    this.bigEndianData = (spsr >>> 9) & 1;
    this.maskA = (spsr >>> 8) & 1;
    this.maskI = (spsr >>> 7) & 1;
    this.maskF = (spsr >>> 6) & 1;
    this.thumb = (spsr >>> 5) & 1;
    this.blockBreak = 1; // the instruction set, IT state or mode may differ from here on
    const newMode = spsr & 0x1f;
    if (newMode !== this.mode && this.isValidMode(newMode)) this.setMode(newMode);
    this.itAdvance = false;
  }

  /** Exception return: CPSR from `spsr`, then continue at `address` in the restored state. */
  exceptionReturn(address: number, spsr: number): void {
    this.restoreCpsrFromSpsr(spsr);
    this.nextPc = this.thumb ? address & ~1 : address & ~3;
  }

  // ---- SPSR -----------------------------------------------------------------------------------

  /** Whether the current mode has an SPSR (not usr/sys). */
  hasSpsr(): boolean {
    return bankOf(this.mode) !== Bank.Usr;
  }

  getSpsr(): number {
    return this.bankedSpsr[bankOf(this.mode)]!;
  }

  /** The SPSR of `mode` (MSR banked, B9.3.10). */
  writeBankedSpsr(mode: number, value: number): void {
    this.bankedSpsr[bankOf(mode)] = value;
  }

  /** SPSR write by MSR with field mask f/s/x/c (B9.3.12): all bits of the selected bytes. */
  writeSpsrByInstruction(value: number, byteMask: number): void {
    let mask = 0;
    if (byteMask & 8) mask |= 0xff000000;
    if (byteMask & 4) mask |= 0x00ff0000;
    if (byteMask & 2) mask |= 0x0000ff00;
    if (byteMask & 1) mask |= 0x000000ff;
    const bank = bankOf(this.mode);
    this.bankedSpsr[bank] = (this.bankedSpsr[bank]! & ~mask) | (value & mask);
  }

  // ---- Banked registers -----------------------------------------------------------------------

  /**
   * Changes mode, swapping in that mode's banked SP, LR and (for FIQ) R8-R12. Every exception
   * entry and return comes here, and each breaks the running translated block: what follows runs
   * with other privileges, so the executor looks it up again.
   */
  setMode(newMode: number): void {
    this.blockBreak = 1;
    const oldBank = bankOf(this.mode);
    const newBank = bankOf(newMode);
    if (oldBank !== newBank) {
      this.bankedSp[oldBank] = this.r[13]!;
      // Hyp mode has no LR of its own: it uses LR_usr (B1.3.2).
      this.bankedLr[oldBank === Bank.Hyp ? Bank.Usr : oldBank] = this.r[14]!;
      if (oldBank === Bank.Fiq) {
        this.fiqHighRegs.set(this.r.subarray(8, 13));
        this.r.set(this.usrHighRegs, 8);
      } else if (newBank === Bank.Fiq) {
        this.usrHighRegs.set(this.r.subarray(8, 13));
        this.r.set(this.fiqHighRegs, 8);
      }
      this.r[13] = this.bankedSp[newBank]!;
      this.r[14] = this.bankedLr[newBank === Bank.Hyp ? Bank.Usr : newBank]!;
    }
    this.mode = newMode;
    this.accessClass = accessClassOf(newMode);
  }

  /** Reads R13/R14 or R8-R12 as seen in `mode` (for LDM/STM ^, SRS and MRS banked). */
  readRegisterOfMode(n: number, mode: number): number {
    const bank = bankOf(mode);
    const current = bankOf(this.mode);
    if (n >= 8 && n <= 12) {
      const wantFiq = bank === Bank.Fiq;
      const inFiq = current === Bank.Fiq;
      if (wantFiq === inFiq) return this.r[n]!;
      return wantFiq ? this.fiqHighRegs[n - 8]! : this.usrHighRegs[n - 8]!;
    }
    if (n === 13) return bank === current ? this.r[13]! : this.bankedSp[bank]!;
    if (n === 14) {
      const lrBank = bank === Bank.Hyp ? Bank.Usr : bank;
      const currentLrBank = current === Bank.Hyp ? Bank.Usr : current;
      return lrBank === currentLrBank ? this.r[14]! : this.bankedLr[lrBank]!;
    }
    return this.r[n]!;
  }

  writeRegisterOfMode(n: number, mode: number, value: number): void {
    const bank = bankOf(mode);
    const current = bankOf(this.mode);
    if (n >= 8 && n <= 12) {
      const wantFiq = bank === Bank.Fiq;
      const inFiq = current === Bank.Fiq;
      if (wantFiq === inFiq) this.r[n] = value;
      else if (wantFiq) this.fiqHighRegs[n - 8] = value;
      else this.usrHighRegs[n - 8] = value;
      return;
    }
    if (n === 13) {
      if (bank === current) this.r[13] = value;
      else this.bankedSp[bank] = value;
      return;
    }
    if (n === 14) {
      const lrBank = bank === Bank.Hyp ? Bank.Usr : bank;
      const currentLrBank = current === Bank.Hyp ? Bank.Usr : current;
      if (lrBank === currentLrBank) this.r[14] = value;
      else this.bankedLr[lrBank] = value;
      return;
    }
    this.r[n] = value;
  }

  // ---- Program counter writes (A2.3.1) --------------------------------------------------------

  /** BranchWritePC: a branch that stays in the current instruction set. */
  branchWritePc(address: number): void {
    this.nextPc = this.thumb ? address & ~1 : address & ~3;
  }

  /** BXWritePC: interworking branch; bit 0 selects Thumb. */
  bxWritePc(address: number): void {
    if ((address & 1) !== this.thumb) this.blockBreak = 1; // instruction set changes
    if (address & 1) {
      this.thumb = 1;
      this.nextPc = address & ~1;
    } else {
      this.thumb = 0;
      // Bit 1 set in ARM state is UNPREDICTABLE; QEMU keeps it and takes a PC alignment fault.
      this.nextPc = address;
    }
  }

  /** ALUWritePC: interworking in ARM state, a plain branch in Thumb state. */
  aluWritePc(address: number): void {
    if (this.thumb) this.branchWritePc(address);
    else this.bxWritePc(address);
  }

  /** LoadWritePC: always interworking in ARMv7. */
  loadWritePc(address: number): void {
    this.bxWritePc(address);
  }

  // ---- Exceptions (B1.8) ----------------------------------------------------------------------

  /**
   * Takes an exception to a PL1 mode (B1.8.3 "Exception entry"): saves CPSR to the target mode's
   * SPSR, sets LR from the preferred return address plus the table B1-7 offset, masks interrupts,
   * and continues at the vector. Uses `pc` (the current instruction) and `nextPc`.
   */
  takeException(kind: ExceptionKind): void {
    const cpsr = this.getCpsr();
    let newMode: number;
    let lr: number;
    switch (kind) {
      case ExceptionKind.Undefined:
        newMode = Mode.Und;
        lr = this.pc + (this.thumb ? 2 : 4);
        break;
      case ExceptionKind.SupervisorCall:
        newMode = Mode.Svc;
        lr = this.nextPc;
        break;
      case ExceptionKind.PrefetchAbort:
        newMode = Mode.Abt;
        lr = this.pc + 4;
        break;
      case ExceptionKind.DataAbort:
        newMode = Mode.Abt;
        lr = this.pc + 8;
        break;
      case ExceptionKind.Irq:
        newMode = Mode.Irq;
        lr = this.pc + 4;
        break;
      case ExceptionKind.Fiq:
        newMode = Mode.Fiq;
        lr = this.pc + 4;
        break;
      case ExceptionKind.SecureMonitorCall:
        newMode = Mode.Mon;
        lr = this.nextPc;
        break;
      default:
        newMode = Mode.Svc;
        lr = 0;
        break;
    }
    this.setMode(newMode);
    this.bankedSpsr[bankOf(newMode)] = cpsr;
    this.r[14] = lr;
    this.maskI = 1;
    if (kind === ExceptionKind.Fiq || kind === ExceptionKind.Reset) this.maskF = 1;
    if (kind !== ExceptionKind.Undefined && kind !== ExceptionKind.SupervisorCall && kind !== ExceptionKind.SecureMonitorCall) {
      this.maskA = 1;
    }
    this.enterVector(kind & 0xff);
  }

  /**
   * UNDEFINED instruction: the Undefined Instruction exception, taken to Hyp mode (HSR EC 0x00)
   * in Hyp mode, or from User mode with HCR.TGE (B1.14 "Routing general exceptions to Hyp
   * mode"). A trap that CheckVFPEnabled found (hypTrapSyndrome) is taken instead, to Hyp mode
   * with that syndrome (in Hyp mode itself through the Undefined entry, as QEMU's EXCP_UDEF).
   */
  undefinedInstruction(): void {
    const trap = this.hypTrapSyndrome;
    if (trap !== 0) {
      this.hypTrapSyndrome = 0;
      this.takeHypException(HypVector.Undefined, trap, this.pc);
    } else if (this.mode === Mode.Hyp || this.routesToHyp()) {
      this.takeHypException(HypVector.Undefined, HSR_UNKNOWN, this.pc);
    } else {
      this.takeException(ExceptionKind.Undefined);
    }
  }

  /**
   * Whether an exception that would be taken to a PL1 mode is taken to Hyp mode instead:
   * from User mode with HCR.TGE set (B4.1.65 HCR.TGE; HCR is zero without EL2).
   */
  routesToHyp(): boolean {
    return (this.cp15.hcr & HCR_TGE) !== 0 && this.mode === Mode.Usr;
  }

  /**
   * Enters Hyp mode (B1.8 "Exception entry", EnterHypMode()): SPSR_hyp = CPSR, ELR_hyp = the
   * preferred return address, CPSR.A, I and F set, T and E from HSCTLR.TE / HSCTLR.EE, IT
   * cleared, and HSR = `hsr` (IRQ and FIQ leave HSR). From another mode every exception but IRQ
   * and FIQ uses the Hyp Trap entry (table B1-3), as QEMU arm_cpu_do_interrupt_aarch32_hyp.
   */
  takeHypException(vector: HypVector, hsr: number, preferredReturn: number): void {
    const cpsr = this.getCpsr();
    const fromHyp = this.mode === Mode.Hyp;
    if (vector !== HypVector.Irq && vector !== HypVector.Fiq) this.cp15.hsr = hsr;
    this.setMode(Mode.Hyp);
    this.bankedSpsr[Bank.Hyp] = cpsr;
    this.elrHyp = preferredReturn;
    this.maskA = this.maskI = this.maskF = 1;
    const hsctlr = this.cp15.hsctlr;
    this.enterAt(hsctlr, this.cp15.hvbar + (fromHyp || vector >= HypVector.Trap ? vector : HypVector.Trap));
    if (this.pl2 !== null) this.pl2.software.hypTrap(this.pl2.port, vector);
  }

  /** Installs native PL2 software (or none): from now on it takes the exceptions to Hyp mode instead of HVBAR's vectors. */
  installPl2Software(software: Pl2Software | null): void {
    this.pl2 = software === null ? null : { software, port: new Pl2Port(this) };
  }

  private enterVector(offset: number): void {
    const sctlr = this.cp15.sctlr;
    const base = (sctlr & SCTLR_V) !== 0 ? 0xffff0000 : this.cp15.vbar;
    this.enterAt(sctlr, base + offset);
  }

  /** The entry common to every exception: state from a system control register's TE and EE bits. */
  private enterAt(control: number, address: number): void {
    this.thumb = (control & SCTLR_TE) !== 0 ? 1 : 0;
    this.bigEndianData = (control & SCTLR_EE) !== 0 ? 1 : 0;
    this.itState = 0;
    this.itAdvance = false;
    this.waitingForInterrupt = false;
    this.waitingForEvent = false;
    // Exception entry clears the local exclusive monitor (A3.4.1 / ClearExclusiveLocal).
    this.exclusiveAddress = -1;
    this.nextPc = address | 0;
  }
}
