import type { InterruptLine } from '../interrupt-line.js';
import {
  FIRST_SPECIAL_ID, GIC_SGI_COUNT, GICC_CTLR_ACK_CTL, GICC_CTLR_CBPR, GICC_CTLR_EN_GRP0, GICC_CTLR_EN_GRP1,
  GICC_CTLR_EOIMODE, GICC_CTLR_FIQ_EN, IDLE_PRIORITY, SPURIOUS, SPURIOUS_GROUP1,
} from './constants.js';

/** List registers per CPU interface: 4, as QEMU's GICv2 (arm_gic_common_realize: num_lrs = 4). */
export const GICH_LR_COUNT = 4;
/** The maintenance interrupt: PPI 9 (interrupt ID 25) of each CPU, as QEMU virt's ARCH_GIC_MAINT_IRQ. */
export const GIC_MAINTENANCE_PPI = 9;

// GICH_HCR (IHI 0048B 5.3.2).
export const GICH_HCR_EN = 1 << 0;
export const GICH_HCR_UIE = 1 << 1;
export const GICH_HCR_LRENPIE = 1 << 2;
export const GICH_HCR_NPIE = 1 << 3;
export const GICH_HCR_VGRP0EIE = 1 << 4;
export const GICH_HCR_VGRP0DIE = 1 << 5;
export const GICH_HCR_VGRP1EIE = 1 << 6;
export const GICH_HCR_VGRP1DIE = 1 << 7;
export const GICH_HCR_EOICOUNT_SHIFT = 27;
/** The implemented GICH_HCR bits: the enables and EOICount [31:27]; [26:8] are reserved. */
export const GICH_HCR_MASK = 0xf80000ff;

// GICH_MISR (5.3.5).
export const GICH_MISR_EOI = 1 << 0;
export const GICH_MISR_U = 1 << 1;
export const GICH_MISR_LRENP = 1 << 2;
export const GICH_MISR_NP = 1 << 3;
export const GICH_MISR_VGRP0E = 1 << 4;
export const GICH_MISR_VGRP0D = 1 << 5;
export const GICH_MISR_VGRP1E = 1 << 6;
export const GICH_MISR_VGRP1D = 1 << 7;

// GICH_LR<n> (5.3.9): VirtualID [9:0], PhysicalID [19:10] (HW = 1) or CPUID [12:10] and EOI [19]
// (HW = 0), Priority [27:23], State [29:28], Grp1 [30], HW [31].
export const GICH_LR_VIRTUAL_ID = 0x3ff;
export const GICH_LR_PHYSICAL_ID_SHIFT = 10;
export const GICH_LR_CPUID_SHIFT = 10;
export const GICH_LR_EOI = 1 << 19;
export const GICH_LR_PRIORITY_SHIFT = 23;
export const GICH_LR_STATE_SHIFT = 28;
export const GICH_LR_STATE_PENDING = 1;
export const GICH_LR_STATE_ACTIVE = 2;
export const GICH_LR_GRP1 = 1 << 30;
export const GICH_LR_HW = 0x80000000;
/** Bits [22:20] are reserved (RAZ/WI), as QEMU's GICH_LR_MASK. */
export const GICH_LR_MASK = 0xff8fffff;

/** The virtual CPU interface keeps 5 priority bits: priorities and the priority mask are bits [7:3]. */
export const GICV_PRIORITY_BITS = 5;
export const GICV_PRIORITY_MASK = (0xff << (8 - GICV_PRIORITY_BITS)) & 0xff;
/** With 5 priority bits the smallest binary point that still splits them is 2 (QEMU GIC_VIRT_MIN_BPR). */
export const GICV_MIN_BPR = 7 - GICV_PRIORITY_BITS;
export const GICV_MIN_ABPR = GICV_MIN_BPR + 1;
/** GICH_VTR (5.3.3): ListRegs [5:0] = count - 1, PREbits [28:26] and PRIbits [31:29] = 5 bits - 1. */
export const GICH_VTR = ((GICH_LR_COUNT - 1) | ((GICV_PRIORITY_BITS - 1) << 26) | ((GICV_PRIORITY_BITS - 1) << 29)) >>> 0;

const NO_ENTRY = -1;

export interface GicVirtualOutputs {
  readonly virq: InterruptLine;
  readonly vfiq: InterruptLine;
  /** The owning CPU's maintenance interrupt input (its PPI GIC_MAINTENANCE_PPI). */
  readonly maintenance: InterruptLine;
}

/**
 * The GICv2 virtualization extensions (IHI 0048B chapter 5), as QEMU's arm_gic with
 * has-virtualization-extensions: per CPU interface, the hypervisor's control state (GICH_HCR,
 * GICH_APR, GICH_LR0-3) and the virtual CPU interface the guest sees through GICV (its CTLR, PMR,
 * BPR, ABPR). The register maps are `GicHypervisorInterface` and `GicVirtualCpuInterface`; this
 * holds the state, prioritises the list registers, drives each CPU's vIRQ/vFIQ and its maintenance
 * interrupt. Virtual interrupts exist only in the list registers: the guest acknowledging one
 * moves its LR from pending to active, its EOI or DIR deactivates it, and an LR with HW = 1 then
 * deactivates the physical interrupt it names (`deactivatePhysical`).
 */
export class GicVirtualInterface {
  /** GICH_HCR per CPU. */
  readonly hypervisorControl: Uint32Array;
  /** GICH_LR<n> of `cpu` at `cpu * GICH_LR_COUNT + n`. */
  readonly listRegisters: Uint32Array;
  /** GICH_APR (also GICV_APR0): bit n = virtual preemption level n (priority n << 3) is active. */
  readonly activePriorities: Uint32Array;
  /** GICV_CTLR, GICV_PMR, GICV_BPR, GICV_ABPR (GICH_VMCR is their alias, 5.3.4). */
  readonly control: Uint32Array;
  readonly priorityMask: Uint8Array;
  readonly binaryPoint: Uint8Array;
  readonly aliasedBinaryPoint: Uint8Array;
  /** Derived: the LR whose interrupt GICV_HPPIR/IAR would return, NO_ENTRY if none. */
  private readonly currentEntry: Int8Array;
  private readonly virqLevel: Uint8Array;
  private readonly vfiqLevel: Uint8Array;
  private readonly maintenanceLevel: Uint8Array;

  constructor(
    readonly cpuCount: number,
    /** One per CPU interface. */
    private readonly outputs: readonly GicVirtualOutputs[],
    /** Deactivates physical interrupt `id` as `cpu` sees it (an HW = 1 LR's PhysicalID, 5.3.9). */
    private readonly deactivatePhysical: (cpu: number, id: number) => void,
  ) {
    this.hypervisorControl = new Uint32Array(cpuCount);
    this.listRegisters = new Uint32Array(cpuCount * GICH_LR_COUNT);
    this.activePriorities = new Uint32Array(cpuCount);
    this.control = new Uint32Array(cpuCount);
    this.priorityMask = new Uint8Array(cpuCount);
    this.binaryPoint = new Uint8Array(cpuCount);
    this.aliasedBinaryPoint = new Uint8Array(cpuCount);
    this.currentEntry = new Int8Array(cpuCount);
    this.virqLevel = new Uint8Array(cpuCount);
    this.vfiqLevel = new Uint8Array(cpuCount);
    this.maintenanceLevel = new Uint8Array(cpuCount);
    this.reset();
  }

  reset(): void {
    this.hypervisorControl.fill(0);
    this.listRegisters.fill(0);
    this.activePriorities.fill(0);
    this.control.fill(0);
    this.priorityMask.fill(0);
    this.binaryPoint.fill(GICV_MIN_BPR);
    this.aliasedBinaryPoint.fill(GICV_MIN_ABPR);
    this.updateAll();
  }

  /** The state arrays by name, for the GIC's snapshot. */
  stateArrays(): Record<string, Uint8Array | Uint32Array> {
    return {
      hypervisorControl: this.hypervisorControl, listRegisters: this.listRegisters, activePriorities: this.activePriorities,
      control: this.control, priorityMask: this.priorityMask, binaryPoint: this.binaryPoint,
      aliasedBinaryPoint: this.aliasedBinaryPoint,
    };
  }

  /** Re-drives every output from the state (after a restore, whatever the lines were). */
  redrive(): void {
    this.virqLevel.fill(0xff);
    this.vfiqLevel.fill(0xff);
    this.maintenanceLevel.fill(0xff);
    this.updateAll();
  }

  private updateAll(): void {
    for (let cpu = 0; cpu < this.cpuCount; cpu++) this.update(cpu);
  }

  // ---- List register fields (5.3.9) -----------------------------------------------------------

  private static state(entry: number): number {
    return (entry >>> GICH_LR_STATE_SHIFT) & 3;
  }

  private static priority(entry: number): number {
    return ((entry >>> GICH_LR_PRIORITY_SHIFT) & 0x1f) << (8 - GICV_PRIORITY_BITS);
  }

  private static group(entry: number): number {
    return (entry & GICH_LR_GRP1) !== 0 ? 1 : 0;
  }

  /** An invalid LR with HW = 0 and EOI = 1 asks for a maintenance interrupt: its GICH_EISR bit (5.3.6). */
  private static signalsEoi(entry: number): boolean {
    return GicVirtualInterface.state(entry) === 0 && (entry & (GICH_LR_HW | GICH_LR_EOI)) === GICH_LR_EOI;
  }

  /** GICH_EISR0 (5.3.6): the LRs that finished with EOI maintenance requested. GICH_EISR1 has no LRs. */
  endOfInterruptStatus(cpu: number): number {
    let bits = 0;
    for (let n = 0; n < GICH_LR_COUNT; n++) if (GicVirtualInterface.signalsEoi(this.entry(cpu, n))) bits |= 1 << n;
    return bits;
  }

  /** GICH_ELRSR0 (5.3.7): the LRs free for a new interrupt: invalid and not awaiting EOI maintenance. */
  emptyListStatus(cpu: number): number {
    let bits = 0;
    for (let n = 0; n < GICH_LR_COUNT; n++) {
      const entry = this.entry(cpu, n);
      if (GicVirtualInterface.state(entry) === 0 && !GicVirtualInterface.signalsEoi(entry)) bits |= 1 << n;
    }
    return bits;
  }

  /** GICH_MISR (5.3.5): the maintenance interrupt's causes, each gated by its GICH_HCR enable. */
  maintenanceStatus(cpu: number): number {
    const hcr = this.hypervisorControl[cpu]!;
    const ctlr = this.control[cpu]!;
    let valid = 0;
    let pending = 0;
    for (let n = 0; n < GICH_LR_COUNT; n++) {
      const state = GicVirtualInterface.state(this.entry(cpu, n));
      if (state !== 0) valid++;
      if (state === GICH_LR_STATE_PENDING) pending++;
    }
    let misr = 0;
    if (this.endOfInterruptStatus(cpu) !== 0) misr |= GICH_MISR_EOI;
    // Underflow: none or only one LR holds a valid interrupt.
    if ((hcr & GICH_HCR_UIE) !== 0 && valid < 2) misr |= GICH_MISR_U;
    if ((hcr & GICH_HCR_LRENPIE) !== 0 && hcr >>> GICH_HCR_EOICOUNT_SHIFT !== 0) misr |= GICH_MISR_LRENP;
    // No pending: as QEMU, an LR that is active and pending does not count as pending.
    if ((hcr & GICH_HCR_NPIE) !== 0 && pending === 0) misr |= GICH_MISR_NP;
    if ((hcr & GICH_HCR_VGRP0EIE) !== 0 && (ctlr & GICC_CTLR_EN_GRP0) !== 0) misr |= GICH_MISR_VGRP0E;
    if ((hcr & GICH_HCR_VGRP0DIE) !== 0 && (ctlr & GICC_CTLR_EN_GRP0) === 0) misr |= GICH_MISR_VGRP0D;
    if ((hcr & GICH_HCR_VGRP1EIE) !== 0 && (ctlr & GICC_CTLR_EN_GRP1) !== 0) misr |= GICH_MISR_VGRP1E;
    if ((hcr & GICH_HCR_VGRP1DIE) !== 0 && (ctlr & GICC_CTLR_EN_GRP1) === 0) misr |= GICH_MISR_VGRP1D;
    return misr;
  }

  private entry(cpu: number, n: number): number {
    return this.listRegisters[cpu * GICH_LR_COUNT + n]!;
  }

  // ---- Virtual priorities (5.4.1: the virtual CPU interface prioritises as a GICC does) --------

  /** The group priority of an LR's interrupt under the virtual binary point of its group (3.3.3). */
  private groupPriority(cpu: number, entry: number): number {
    let bpr = this.binaryPoint[cpu]!;
    if (GicVirtualInterface.group(entry) === 1 && (this.control[cpu]! & GICC_CTLR_CBPR) === 0) bpr = this.aliasedBinaryPoint[cpu]! - 1;
    return GicVirtualInterface.priority(entry) & ((0xff << (bpr + 1)) & 0xff);
  }

  /** GICV_RPR: the priority of the highest active level in GICH_APR, or idle. */
  runningPriority(cpu: number): number {
    const apr = this.activePriorities[cpu]!;
    return apr === 0 ? IDLE_PRIORITY : (31 - Math.clz32(apr & -apr)) << (GICV_MIN_BPR + 1);
  }

  /** Recomputes `cpu`'s highest pending virtual interrupt, vIRQ/vFIQ and maintenance interrupt. */
  update(cpu: number): void {
    let entryIndex = NO_ENTRY;
    let virq = 0;
    let vfiq = 0;
    const hcr = this.hypervisorControl[cpu]!;
    const ctlr = this.control[cpu]!;
    if ((hcr & GICH_HCR_EN) !== 0 && (ctlr & (GICC_CTLR_EN_GRP0 | GICC_CTLR_EN_GRP1)) !== 0) {
      let bestPriority = IDLE_PRIORITY;
      let best = NO_ENTRY;
      for (let n = 0; n < GICH_LR_COUNT; n++) {
        const entry = this.entry(cpu, n);
        if (GicVirtualInterface.state(entry) !== GICH_LR_STATE_PENDING) continue;
        const priority = GicVirtualInterface.priority(entry);
        if (priority < bestPriority) {
          bestPriority = priority;
          best = n;
        }
      }
      if (best !== NO_ENTRY && bestPriority < this.priorityMask[cpu]!) {
        entryIndex = best;
        const entry = this.entry(cpu, best);
        const group = GicVirtualInterface.group(entry);
        if (this.groupPriority(cpu, entry) < this.runningPriority(cpu) && ((ctlr >>> group) & 1) !== 0) {
          // A Group 0 virtual interrupt is a vFIQ when GICV_CTLR.FIQEn is set (5.4.2).
          if (group === 0 && (ctlr & GICC_CTLR_FIQ_EN) !== 0) vfiq = 1;
          else virq = 1;
        }
      }
    }
    this.currentEntry[cpu] = entryIndex;
    const outputs = this.outputs[cpu]!;
    if (this.virqLevel[cpu] !== virq) {
      this.virqLevel[cpu] = virq;
      outputs.virq.set(virq !== 0);
    }
    if (this.vfiqLevel[cpu] !== vfiq) {
      this.vfiqLevel[cpu] = vfiq;
      outputs.vfiq.set(vfiq !== 0);
    }
    // The maintenance interrupt is level-sensitive: asserted while GICH_HCR.En and GICH_MISR != 0 (5.3.5).
    const maintenance = (hcr & GICH_HCR_EN) !== 0 && this.maintenanceStatus(cpu) !== 0 ? 1 : 0;
    if (this.maintenanceLevel[cpu] !== maintenance) {
      this.maintenanceLevel[cpu] = maintenance;
      outputs.maintenance.set(maintenance !== 0);
    }
  }

  // ---- Virtual CPU interface operations (5.4) ---------------------------------------------------

  /** GICV_HPPIR: the interrupt GICV_IAR would return, priority aside (1022 for Group 1 without AckCtl). */
  highestPending(cpu: number): number {
    const n = this.currentEntry[cpu]!;
    if (n === NO_ENTRY) return SPURIOUS;
    const entry = this.entry(cpu, n);
    if (GicVirtualInterface.group(entry) === 1 && (this.control[cpu]! & GICC_CTLR_ACK_CTL) === 0) return SPURIOUS_GROUP1;
    return entry & GICH_LR_VIRTUAL_ID;
  }

  /** GICV_IAR read: the highest pending LR becomes active and its priority level active in GICH_APR. */
  acknowledge(cpu: number): number {
    const id = this.highestPending(cpu);
    if (id >= FIRST_SPECIAL_ID) return id;
    const n = this.currentEntry[cpu]!;
    const at = cpu * GICH_LR_COUNT + n;
    const entry = this.listRegisters[at]!;
    const groupPriority = this.groupPriority(cpu, entry);
    if (groupPriority >= this.runningPriority(cpu)) return SPURIOUS;
    this.activePriorities[cpu]! |= 1 << (groupPriority >>> (GICV_MIN_BPR + 1));
    // Pending → active (5.3.9 State); an SGI reports its source from the LR's CPUID field.
    this.listRegisters[at] = (entry & ~(3 << GICH_LR_STATE_SHIFT)) | (GICH_LR_STATE_ACTIVE << GICH_LR_STATE_SHIFT);
    this.update(cpu);
    return id < GIC_SGI_COUNT ? id | (((entry >>> GICH_LR_CPUID_SHIFT) & 7) << 10) : id;
  }

  /**
   * GICV_EOIR write: priority drop (the lowest set bit of GICH_APR), and deactivation unless
   * GICV_CTLR.EOImode. With EOImode 0, an EOI that dropped a priority but names no active LR
   * increments GICH_HCR.EOICount (5.3.2), as QEMU's gic_complete_irq.
   */
  endOfInterrupt(cpu: number, value: number): void {
    const id = value & 0x3ff;
    if (id >= FIRST_SPECIAL_ID) return;
    const apr = this.activePriorities[cpu]!;
    this.activePriorities[cpu] = apr & (apr - 1);
    if ((this.control[cpu]! & GICC_CTLR_EOIMODE) === 0) {
      const n = this.activeEntry(cpu, id);
      if (n !== NO_ENTRY) this.deactivateEntry(cpu, n);
      else if (apr !== 0) this.countUnmatchedEoi(cpu);
    }
    this.update(cpu);
  }

  /** GICV_DIR write: deactivation with EOImode 1 (otherwise UNPREDICTABLE: ignored, as QEMU). */
  deactivate(cpu: number, value: number): void {
    const id = value & 0x3ff;
    if (id >= FIRST_SPECIAL_ID || (this.control[cpu]! & GICC_CTLR_EOIMODE) === 0) return;
    const n = this.activeEntry(cpu, id);
    if (n !== NO_ENTRY) this.deactivateEntry(cpu, n);
    else this.countUnmatchedEoi(cpu);
    this.update(cpu);
  }

  /** The first LR holding virtual interrupt `id` as active (or active and pending), NO_ENTRY if none. */
  private activeEntry(cpu: number, id: number): number {
    for (let n = 0; n < GICH_LR_COUNT; n++) {
      const entry = this.entry(cpu, n);
      if ((entry & GICH_LR_VIRTUAL_ID) === id && (GicVirtualInterface.state(entry) & GICH_LR_STATE_ACTIVE) !== 0) return n;
    }
    return NO_ENTRY;
  }

  /** Clears an LR's active state; with HW = 1 the physical interrupt is deactivated too (5.3.9). */
  private deactivateEntry(cpu: number, n: number): void {
    const at = cpu * GICH_LR_COUNT + n;
    const entry = this.listRegisters[at]! & ~(GICH_LR_STATE_ACTIVE << GICH_LR_STATE_SHIFT);
    this.listRegisters[at] = entry;
    if ((entry & GICH_LR_HW) !== 0) this.deactivatePhysical(cpu, (entry >>> GICH_LR_PHYSICAL_ID_SHIFT) & 0x3ff);
  }

  /** GICH_HCR.EOICount counts EOIs of interrupts not in the list registers, modulo 32 (5.3.2). */
  private countUnmatchedEoi(cpu: number): void {
    this.hypervisorControl[cpu] = this.hypervisorControl[cpu]! + (1 << GICH_HCR_EOICOUNT_SHIFT);
  }
}
