import type { Cpu, HypVector } from '../cpu.js';
import { Mode, bankOf } from '../modes.js';

/**
 * Software that occupies PL2 natively (ARCHITECTURE.md, "PL2 boundary"): instead of entering the
 * Hyp vector at HVBAR, the processor calls it for every exception taken to Hyp mode, after the
 * architectural entry (B1.8.3: Hyp mode, HSR, ELR_hyp, SPSR_hyp, HDFAR/HIFAR/HPFAR written, A/I/F
 * masked). It sees only what Hyp-mode code sees, through the Pl2Port, and must leave the
 * processor returned to a guest (Pl2Port.returnToGuest) or powered off (PSCI CPU_OFF).
 */
export interface Pl2Software {
  hypTrap(port: Pl2Port, vector: HypVector): void;
}

/** A 32-bit CP15 register by its MRC/MCR coordinates (opc1, CRn, CRm, opc2), as Pl2Port.readCp15/writeCp15 take them. */
export type Cp15RegisterName = readonly [opc1: number, crn: number, crm: number, opc2: number];

/** The CP15 registers a Hyp hypervisor programs or reads for its guests (ARM ARM B4.1, by name). */
export const CP15: Readonly<Record<'MIDR' | 'SCTLR' | 'TTBCR' | 'DFSR' | 'IFSR' | 'DFAR' | 'IFAR' | 'ATS12NSOPR' | 'VBAR' | 'VPIDR' | 'VMPIDR' | 'HCR' | 'VTCR' | 'CNTHCTL', Cp15RegisterName>> = {
  MIDR: [0, 0, 0, 0],
  SCTLR: [0, 1, 0, 0],
  TTBCR: [0, 2, 0, 2],
  DFSR: [0, 5, 0, 0],
  IFSR: [0, 5, 0, 1],
  DFAR: [0, 6, 0, 0],
  IFAR: [0, 6, 0, 2],
  /** B4.2.4: stages 1 and 2 of the PL1&0 translation as a PL1 read, the outcome in PAR. */
  ATS12NSOPR: [0, 7, 8, 4],
  VBAR: [0, 12, 0, 0],
  VPIDR: [4, 0, 0, 0],
  VMPIDR: [4, 0, 0, 5],
  HCR: [4, 1, 1, 0],
  VTCR: [4, 2, 1, 2],
  CNTHCTL: [4, 14, 1, 0],
};

/** The bank of 64-bit CP15 registers a Hyp hypervisor writes with MCRR (opc1, CRm). */
export interface Cp15Register64Name {
  readonly opc1: number;
  readonly crm: number;
}

/** VTTBR (B4.1.159): MCRR p15, 6, <Rt>, <Rt2>, c2. */
export const VTTBR_REGISTER: Cp15Register64Name = { opc1: 6, crm: 2 };
/** PAR (B4.1.112), its 64-bit format: MRRC/MCRR p15, 0, <Rt>, <Rt2>, c7. */
export const PAR_REGISTER: Cp15Register64Name = { opc1: 0, crm: 7 };
/** CNTVOFF (B4.1.35): MCRR p15, 4, <Rt>, <Rt2>, c14. */
export const CNTVOFF_REGISTER: Cp15Register64Name = { opc1: 4, crm: 14 };

/**
 * The guest's own CP15 state, which a hypervisor saves and restores when it switches vCPUs on one
 * processor (ARM ARM B4.1, by name; KVM/ARM's and Xen's 32-bit context switch hold the same set):
 * system control, coprocessor access, translation regime, fault status and address, memory
 * attributes, context ID and thread IDs, vectors, cache selection, the PL1 timer controls and
 * the virtual timer's control. Written back in this order, the 64-bit ones after.
 */
export const GUEST_CP15_CONTEXT: readonly Cp15RegisterName[] = [
  [0, 1, 0, 0], // SCTLR
  [0, 1, 0, 1], // ACTLR
  [0, 1, 0, 2], // CPACR
  [0, 2, 0, 2], // TTBCR
  [0, 3, 0, 0], // DACR
  [0, 5, 0, 0], // DFSR
  [0, 5, 0, 1], // IFSR
  [0, 6, 0, 0], // DFAR
  [0, 6, 0, 2], // IFAR
  [0, 10, 2, 0], // PRRR / MAIR0
  [0, 10, 2, 1], // NMRR / MAIR1
  [0, 12, 0, 0], // VBAR
  [0, 13, 0, 1], // CONTEXTIDR
  [0, 13, 0, 2], // TPIDRURW
  [0, 13, 0, 3], // TPIDRURO
  [0, 13, 0, 4], // TPIDRPRW
  [2, 0, 0, 0], // CSSELR
  [0, 14, 1, 0], // CNTKCTL
];
/** The guest's 64-bit CP15 state (MRRC/MCRR): TTBR0, TTBR1 (B4.1.154-155), PAR (B4.1.112), CNTV_CVAL (B4.1.34). */
export const GUEST_CP15_CONTEXT_64: readonly Cp15Register64Name[] = [
  { opc1: 0, crm: 2 },
  { opc1: 1, crm: 2 },
  { opc1: 0, crm: 7 },
  { opc1: 3, crm: 14 },
];
/** A vCPU's VFP registers as Pl2Port.saveVfp keeps them: D0-D31 as 64 words. */
export interface VfpContext {
  fpexc: number;
  fpscr: number;
  readonly d: Int32Array;
}
/** CNTV_CTL (B4.1.33): MRC/MCR p15, 0, <Rt>, c14, c3, 1. */
export const CNTV_CTL_REGISTER: Cp15RegisterName = [0, 14, 3, 1];
/** CNTHP_CTL (B4.1.27) and CNTHP_CVAL (B4.1.28): the Hyp timer, the hypervisor's own. */
export const CNTHP_CTL_REGISTER: Cp15RegisterName = [4, 14, 2, 1];
export const CNTHP_CVAL_REGISTER: Cp15Register64Name = { opc1: 6, crm: 14 };

/**
 * What Hyp-mode code can do on one processor: read the trap's syndrome registers, read and write
 * the registers of the mode the guest was in (SPSR_hyp.M), read and write CP15 registers as MRC/MCR
 * in Hyp mode would (with the same side effects), return to the guest with ERET, charge the
 * cycles its own work takes (virtual time).
 */
export class Pl2Port {
  constructor(private readonly cpu: Cpu) {}

  /** Which processor of the machine this is (MPIDR.Aff0). */
  get processorIndex(): number {
    return this.cpu.cp15.mpidr & 0xff;
  }

  get hsr(): number {
    return this.cpu.cp15.hsr;
  }

  get hdfar(): number {
    return this.cpu.cp15.hdfar;
  }

  get hifar(): number {
    return this.cpu.cp15.hifar;
  }

  /** The faulting IPA of a stage 2 abort: HPFAR[31:4] = IPA[39:12] (B4.1.70), page offset from HDFAR. */
  get faultIpa(): number {
    return ((this.cpu.cp15.hpfar >>> 4) * 0x1000) + (this.cpu.cp15.hdfar & 0xfff);
  }

  /** The same for a stage 2 prefetch abort, its page offset from HIFAR. */
  get instructionFaultIpa(): number {
    return ((this.cpu.cp15.hpfar >>> 4) * 0x1000) + (this.cpu.cp15.hifar & 0xfff);
  }

  get elr(): number {
    return this.cpu.elrHyp >>> 0;
  }

  set elr(address: number) {
    this.cpu.elrHyp = address | 0;
  }

  /** SPSR_hyp: the guest's CPSR at the trap, restored by returnToGuest. */
  get spsr(): number {
    return this.cpu.getSpsr() >>> 0;
  }

  set spsr(value: number) {
    this.cpu.writeSpsrByInstruction(value, 0xf);
  }

  /** R0-R14 as the guest's mode (SPSR_hyp.M) sees them; Hyp shares R0-R12 (except FIQ's R8-R12). */
  guestRegister(n: number): number {
    return this.cpu.readRegisterOfMode(n, this.spsr & 0x1f);
  }

  setGuestRegister(n: number, value: number): void {
    this.cpu.writeRegisterOfMode(n, this.spsr & 0x1f, value | 0);
  }

  /** MSR banked (B9.3.10): R8-R14 and the SPSR of another mode, as exception injection needs them. */
  setRegisterOfMode(n: number, mode: Mode, value: number): void {
    this.cpu.writeRegisterOfMode(n, mode, value | 0);
  }

  setSpsrOfMode(mode: Mode, value: number): void {
    this.cpu.writeBankedSpsr(mode, value | 0);
  }

  /** MRC p15 from Hyp mode; 0 for a register that does not exist. */
  readCp15(opc1: number, crn: number, crm: number, opc2: number): number {
    const reg = this.cpu.cp15.lookup(opc1, crn, crm, opc2);
    return reg?.read === undefined ? 0 : reg.read(this.cpu.cp15, this.cpu) >>> 0;
  }

  /** MCR p15 from Hyp mode (ignored for a register that does not exist or is read-only). */
  writeCp15(opc1: number, crn: number, crm: number, opc2: number, value: number): void {
    this.cpu.cp15.lookup(opc1, crn, crm, opc2)?.write?.(this.cpu.cp15, this.cpu, value | 0);
  }

  /** MRRC p15 from Hyp mode: [bits 31:0, bits 63:32]; zeros for a register that does not exist. */
  readCp15Pair(register: Cp15Register64Name): readonly [low: number, high: number] {
    const cp15 = this.cpu.cp15;
    const reg = cp15.lookup64(register.opc1, register.crm);
    if (reg?.read === undefined) return [0, 0];
    reg.read(cp15, this.cpu);
    return [cp15.low >>> 0, cp15.high >>> 0];
  }

  /** MCRR p15 from Hyp mode: `low` is bits [31:0], `high` bits [63:32]. */
  writeCp15Pair(register: Cp15Register64Name, low: number, high: number): void {
    this.cpu.cp15.lookup64(register.opc1, register.crm)?.write?.(this.cpu.cp15, this.cpu, low | 0, high | 0);
  }

  /** ERET from Hyp mode (B9.3.3): to ELR_hyp in the state SPSR_hyp holds. */
  returnToGuest(): void {
    this.cpu.exceptionReturn(this.cpu.elrHyp, this.cpu.getSpsr());
  }

  /**
   * Starts a guest: ERET to `entry` in `mode` (ARM state, A/I/F masked, as a reset leaves a
   * processor) with `registers` in R0-R3.
   */
  enterGuest(entry: number, mode: Mode, registers: readonly number[]): void {
    this.elr = entry;
    this.spsr = mode | 0x1c0;
    for (let i = 0; i < registers.length; i++) this.setGuestRegister(i, registers[i]!);
    this.returnToGuest();
  }

  /**
   * A warm reset of this processor (B1.9.1), as a reset controller gives Hyp-mode software: every
   * register to its reset value, Hyp mode, interrupts masked. The hypervisor then programs its
   * own state again and enters a guest, which starts as from power-on.
   */
  resetProcessor(): void {
    this.cpu.reset();
  }

  /** WFI after the return to the guest: the processor waits until an interrupt is asserted (B1.8.13). */
  waitForInterrupt(): void {
    this.cpu.waitingForInterrupt = true;
  }

  /** Adds the cycles the hypervisor's own work takes to this processor's virtual time. */
  charge(cycles: number): void {
    this.cpu.instructionCount += cycles;
    this.cpu.stallCycles += cycles;
  }

  /** Cycles of this processor so far: instructions executed plus cycles charged. */
  get cycleCount(): number {
    return this.cpu.instructionCount;
  }

  /** Instructions this processor executed so far (Cpu.executedInstructions). */
  get executedInstructions(): number {
    return this.cpu.executedInstructions;
  }

  /** MRS banked (B9.3.9): R8-R14 of another mode (R0-R7 are common to all modes). */
  registerOfMode(n: number, mode: Mode): number {
    return this.cpu.readRegisterOfMode(n, mode);
  }

  /** The SPSR of `mode` (MRS banked). */
  spsrOfMode(mode: Mode): number {
    return this.cpu.bankedSpsr[bankOf(mode)]! >>> 0;
  }

  /** VMRS/VSTM from Hyp mode with HCPTR clear (B1.11.6): FPEXC, FPSCR and D0-D31 into `into`. */
  saveVfp(into: VfpContext): void {
    const vfp = this.cpu.vfp;
    into.fpexc = vfp.fpexc;
    into.fpscr = vfp.fpscr;
    into.d.set(vfp.words);
  }

  /** VLDM/VMSR: the VFP state `saveVfp` saved. */
  restoreVfp(from: VfpContext): void {
    const vfp = this.cpu.vfp;
    vfp.words.set(from.d);
    vfp.fpscr = from.fpscr;
    vfp.fpexc = from.fpexc;
  }
}
