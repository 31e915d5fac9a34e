import { UNCONNECTED, type InterruptLine } from '../interrupt-line.js';
import {
  GIC_INTERNAL, GIC_SGI_COUNT, GICC_CTLR_ACK_CTL, GICC_CTLR_CBPR, GICC_CTLR_EN_GRP0, GICC_CTLR_EN_GRP1, GICC_CTLR_EOIMODE,
  GICC_CTLR_FIQ_EN, IDLE_PRIORITY, SPURIOUS, SPURIOUS_GROUP1,
} from './constants.js';
import { GicHypervisorInterface } from './hypervisor-interface.js';
import { GicVirtualCpuInterface } from './virtual-cpu-interface.js';
import { GIC_MAINTENANCE_PPI, GicVirtualInterface } from './virtual-interface.js';

export * from './constants.js';

/** QEMU's GIC_MIN_BPR (no Security Extensions): group priority is at least bits [7:1]. */
export const GIC_MIN_BPR = 0;
export const GIC_MIN_ABPR = GIC_MIN_BPR + 1;
/** 128 preemption levels with the minimum binary point 0 → four 32-bit GICC_APRn. */
export const GIC_APR_COUNT = 4;

/** A GIC's state by name (versioned), for snapshots: copies of the typed arrays plus GICD_CTLR. */
export interface GicSnapshot {
  readonly version: 1;
  readonly cpuCount: number;
  readonly interruptCount: number;
  readonly distributorControl: number;
  readonly arrays: Readonly<Record<string, Uint8Array | Uint16Array | Uint32Array>>;
}

export interface GicOutputs {
  readonly irq: InterruptLine;
  readonly fiq: InterruptLine;
  /** The virtual CPU interface's outputs (with the virtualization extensions): the CPU's vIRQ and vFIQ. */
  readonly virq?: InterruptLine;
  readonly vfiq?: InterruptLine;
}

export interface GicOptions {
  /**
   * The GICv2 virtualization extensions (IHI 0048B chapter 5), as QEMU's
   * has-virtualization-extensions: GICH and GICV, vIRQ/vFIQ outputs, the maintenance interrupt.
   */
  readonly virtualization?: boolean;
  /** Where the GICH/GICV register maps report unsupported accesses. */
  readonly log?: (message: string) => void;
}

/**
 * A GICv2 (ARM IHI 0048B) without the Security Extensions, as QEMU's `arm_gic` (revision 2,
 * security_extn off) that the virt board instantiates: interrupt grouping exists (IGROUPR,
 * EnableGrp0/1, FIQEn, AckCtl), every access sees the one security state.
 *
 * This module holds the state and the prioritisation; the register maps are `GicDistributor`
 * and `GicCpuInterface`. State lives in typed arrays so a snapshot is a copy of them. SGIs and
 * PPIs (IDs 0-31) are banked per CPU: their per-interrupt state is at `cpu * 32 + id`; SPIs at
 * `cpuCount * 32 + (id - 32)`.
 *
 * With the virtualization extensions (`GicOptions.virtualization`) it also holds each CPU
 * interface's virtual interface (`virtualInterface`) and its register maps `hypervisorInterface`
 * (GICH) and `virtualCpuInterface` (GICV); each CPU's maintenance interrupt is its PPI 9.
 */
export class Gic {
  readonly interruptCount: number;
  /** Per-interrupt state (see the class comment for the index). */
  readonly enabled: Uint8Array;
  /** The pending latch (edge, software set, SGIs); a level interrupt is also pending while its line is high. */
  readonly pendingLatch: Uint8Array;
  readonly active: Uint8Array;
  readonly lineLevel: Uint8Array;
  /** 1 = edge-triggered (GICD_ICFGR Int_config[1]). */
  readonly edgeTriggered: Uint8Array;
  readonly group: Uint8Array;
  readonly priority: Uint8Array;
  /** SPI targets (GICD_ITARGETSR), one byte of CPU bits per SPI. */
  readonly spiTargets: Uint8Array;
  /** Pending SGIs by source: [cpu * 16 + sgi] = bit per source CPU (GICD_SPENDSGIR). */
  readonly sgiSources: Uint8Array;

  /** Distributor GICD_CTLR. */
  distributorControl = 0;
  /** Per-CPU interface registers. */
  readonly cpuControl: Uint32Array;
  readonly priorityMask: Uint16Array;
  readonly binaryPoint: Uint8Array;
  readonly aliasedBinaryPoint: Uint8Array;
  /**
   * Active priorities, GIC_APR_COUNT words per CPU: bit n = preemption level n has an active
   * interrupt. Group 0 in GICC_APRn, Group 1 in GICC_NSAPRn, as QEMU keeps them.
   */
  readonly activePriorities: Uint32Array;
  readonly group1ActivePriorities: Uint32Array;
  /** Derived: highest pending interrupt the CPU interface may signal (HPPIR), SPURIOUS if none. */
  readonly currentPending: Uint16Array;
  private readonly irqLevel: Uint8Array;
  private readonly fiqLevel: Uint8Array;
  /** The virtualization extensions' state and register maps; undefined without them. */
  readonly virtualInterface: GicVirtualInterface | undefined;
  readonly hypervisorInterface: GicHypervisorInterface | undefined;
  readonly virtualCpuInterface: GicVirtualCpuInterface | undefined;

  constructor(
    readonly cpuCount: number,
    interruptCount: number,
    private readonly outputs: readonly GicOutputs[],
    options: GicOptions = {},
  ) {
    if (cpuCount < 1 || cpuCount > 8) throw new RangeError(`GIC: ${cpuCount} CPUs (1-8 supported)`);
    if (interruptCount % 32 !== 0 || interruptCount < 32 || interruptCount > 1020) throw new RangeError(`GIC: ${interruptCount} interrupts`);
    this.interruptCount = interruptCount;
    const slots = cpuCount * GIC_INTERNAL + (interruptCount - GIC_INTERNAL);
    this.enabled = new Uint8Array(slots);
    this.pendingLatch = new Uint8Array(slots);
    this.active = new Uint8Array(slots);
    this.lineLevel = new Uint8Array(slots);
    this.edgeTriggered = new Uint8Array(slots);
    this.group = new Uint8Array(slots);
    this.priority = new Uint8Array(slots);
    this.spiTargets = new Uint8Array(interruptCount - GIC_INTERNAL);
    this.sgiSources = new Uint8Array(cpuCount * GIC_SGI_COUNT);
    this.cpuControl = new Uint32Array(cpuCount);
    this.priorityMask = new Uint16Array(cpuCount);
    this.binaryPoint = new Uint8Array(cpuCount);
    this.aliasedBinaryPoint = new Uint8Array(cpuCount);
    this.activePriorities = new Uint32Array(cpuCount * GIC_APR_COUNT);
    this.group1ActivePriorities = new Uint32Array(cpuCount * GIC_APR_COUNT);
    this.currentPending = new Uint16Array(cpuCount);
    this.irqLevel = new Uint8Array(cpuCount);
    this.fiqLevel = new Uint8Array(cpuCount);
    if (options.virtualization === true) {
      const virtualOutputs = Array.from({ length: cpuCount }, (_, cpu) => ({
        virq: outputs[cpu]?.virq ?? UNCONNECTED,
        vfiq: outputs[cpu]?.vfiq ?? UNCONNECTED,
        maintenance: this.ppiLine(cpu, GIC_MAINTENANCE_PPI),
      }));
      this.virtualInterface = new GicVirtualInterface(cpuCount, virtualOutputs, (cpu, id) => this.deactivateFromListRegister(cpu, id));
      this.hypervisorInterface = new GicHypervisorInterface(this.virtualInterface, options.log);
      this.virtualCpuInterface = new GicVirtualCpuInterface(this.virtualInterface, options.log);
    }
    this.reset();
  }

  reset(): void {
    for (const a of [this.enabled, this.pendingLatch, this.active, this.lineLevel, this.edgeTriggered, this.group, this.priority]) a.fill(0);
    this.spiTargets.fill(0);
    this.sgiSources.fill(0);
    // SGIs are always enabled and edge-triggered (IHI 0048B 4.3.5, 4.3.13), as QEMU resets them.
    for (let cpu = 0; cpu < this.cpuCount; cpu++) {
      for (let id = 0; id < GIC_SGI_COUNT; id++) {
        this.enabled[cpu * GIC_INTERNAL + id] = 1;
        this.edgeTriggered[cpu * GIC_INTERNAL + id] = 1;
      }
    }
    // A uniprocessor GIC targets every SPI at its one CPU.
    if (this.cpuCount === 1) this.spiTargets.fill(1);
    this.distributorControl = 0;
    this.cpuControl.fill(0);
    this.priorityMask.fill(0);
    this.binaryPoint.fill(GIC_MIN_BPR);
    this.aliasedBinaryPoint.fill(GIC_MIN_ABPR);
    this.activePriorities.fill(0);
    this.group1ActivePriorities.fill(0);
    this.currentPending.fill(SPURIOUS);
    this.update();
    this.virtualInterface?.reset();
  }

  private stateArrays(): Record<string, Uint8Array | Uint16Array | Uint32Array> {
    return {
      enabled: this.enabled, pendingLatch: this.pendingLatch, active: this.active, lineLevel: this.lineLevel,
      edgeTriggered: this.edgeTriggered, group: this.group, priority: this.priority, spiTargets: this.spiTargets,
      sgiSources: this.sgiSources, cpuControl: this.cpuControl, priorityMask: this.priorityMask, binaryPoint: this.binaryPoint,
      aliasedBinaryPoint: this.aliasedBinaryPoint, activePriorities: this.activePriorities,
      group1ActivePriorities: this.group1ActivePriorities,
      ...Object.fromEntries(Object.entries(this.virtualInterface?.stateArrays() ?? {}).map(([name, a]) => [`virtual.${name}`, a])),
    };
  }

  snapshot(): GicSnapshot {
    const arrays: Record<string, Uint8Array | Uint16Array | Uint32Array> = {};
    for (const [name, a] of Object.entries(this.stateArrays())) arrays[name] = a.slice();
    return { version: 1, cpuCount: this.cpuCount, interruptCount: this.interruptCount, distributorControl: this.distributorControl, arrays };
  }

  /** Restores a snapshot of a GIC of the same shape, then re-drives the outputs. */
  restore(snapshot: GicSnapshot): void {
    if (snapshot.version !== 1 || snapshot.cpuCount !== this.cpuCount || snapshot.interruptCount !== this.interruptCount) {
      throw new RangeError(`GIC snapshot (v${snapshot.version}, ${snapshot.cpuCount} CPUs, ${snapshot.interruptCount} interrupts) does not fit this GIC`);
    }
    const arrays = Object.entries(this.stateArrays());
    for (const [name, a] of arrays) {
      const saved = snapshot.arrays[name];
      if (saved === undefined || saved.length !== a.length) throw new RangeError(`GIC snapshot: ${name} missing or of the wrong size`);
    }
    // A snapshot with the virtualization extensions' state does not fit a GIC without them.
    const extra = Object.keys(snapshot.arrays).find((name) => !arrays.some(([own]) => own === name));
    if (extra !== undefined) throw new RangeError(`GIC snapshot: ${extra} has no place in this GIC`);
    for (const [name, a] of arrays) a.set(snapshot.arrays[name]!);
    this.distributorControl = snapshot.distributorControl;
    this.update();
    this.virtualInterface?.redrive();
  }

  /** Index of interrupt `id`'s state as seen by `cpu`. */
  slot(cpu: number, id: number): number {
    return id < GIC_INTERNAL ? cpu * GIC_INTERNAL + id : this.cpuCount * GIC_INTERNAL + id - GIC_INTERNAL;
  }

  /** Pending as the GIC defines it: latched, or a level-sensitive interrupt whose line is asserted. */
  isPending(slot: number): boolean {
    return this.pendingLatch[slot] !== 0 || (this.edgeTriggered[slot] === 0 && this.lineLevel[slot] !== 0);
  }

  // ---- Inputs ---------------------------------------------------------------------------------

  /** A line for SPI `spi` (interrupt ID 32 + spi). */
  spiLine(spi: number): InterruptLine {
    const id = GIC_INTERNAL + spi;
    if (id >= this.interruptCount) throw new RangeError(`GIC: SPI ${spi} beyond ${this.interruptCount} interrupts`);
    return { set: (level) => this.setLine(this.slot(0, id), level) };
  }

  /** A line for PPI `ppi` (interrupt ID 16 + ppi) of `cpu`. */
  ppiLine(cpu: number, ppi: number): InterruptLine {
    return { set: (level) => this.setLine(this.slot(cpu, 16 + ppi), level) };
  }

  private setLine(slot: number, level: boolean): void {
    const value = level ? 1 : 0;
    if (this.lineLevel[slot] === value) return;
    this.lineLevel[slot] = value;
    // A rising edge latches an edge-triggered interrupt (IHI 0048B 3.2.4); a level one is pending
    // for as long as the line stays asserted (isPending).
    if (value !== 0 && this.edgeTriggered[slot] !== 0) this.pendingLatch[slot] = 1;
    this.update();
  }

  // ---- Priority and signalling (IHI 0048B 3.3) ------------------------------------------------

  /** The group priority of `priority` for `cpu`'s binary point and the interrupt's group (3.3.3). */
  groupPriority(cpu: number, priority: number, group: number): number {
    let bpr = this.binaryPoint[cpu]!;
    if (group === 1 && (this.cpuControl[cpu]! & GICC_CTLR_CBPR) === 0) bpr = this.aliasedBinaryPoint[cpu]! - 1;
    return priority & ((0xff << (bpr + 1)) & 0xff);
  }

  /** GICC_RPR: the group priority of the highest-priority active level, or idle (0xff) (4.4.6). */
  runningPriority(cpu: number): number {
    for (let i = 0; i < GIC_APR_COUNT; i++) {
      const bits = this.activePriorities[cpu * GIC_APR_COUNT + i]! | this.group1ActivePriorities[cpu * GIC_APR_COUNT + i]!;
      if (bits !== 0) return (i * 32 + (31 - Math.clz32(bits & -bits))) << (GIC_MIN_BPR + 1);
    }
    return IDLE_PRIORITY;
  }

  /** Recomputes each CPU's highest pending interrupt and its IRQ/FIQ outputs. */
  update(): void {
    for (let cpu = 0; cpu < this.cpuCount; cpu++) {
      this.currentPending[cpu] = SPURIOUS;
      let irq = 0;
      let fiq = 0;
      const ctlr = this.cpuControl[cpu]!;
      if ((this.distributorControl & 3) !== 0 && (ctlr & (GICC_CTLR_EN_GRP0 | GICC_CTLR_EN_GRP1)) !== 0) {
        let bestPriority = IDLE_PRIORITY;
        let best = SPURIOUS;
        const cpuBit = 1 << cpu;
        for (let id = 0; id < this.interruptCount; id++) {
          const s = this.slot(cpu, id);
          if (this.enabled[s] === 0 || this.active[s] !== 0 || !this.isPending(s)) continue;
          if (id >= GIC_INTERNAL && (this.spiTargets[id - GIC_INTERNAL]! & cpuBit) === 0) continue;
          if (this.priority[s]! < bestPriority) {
            bestPriority = this.priority[s]!;
            best = id;
          }
        }
        if (bestPriority < this.priorityMask[cpu]!) {
          this.currentPending[cpu] = best;
          const s = this.slot(cpu, best);
          const group = this.group[s]!;
          if (this.groupPriority(cpu, bestPriority, group) < this.runningPriority(cpu)) {
            if ((this.distributorControl >>> group) & 1 && (ctlr >>> group) & 1) {
              if (group === 0 && (ctlr & GICC_CTLR_FIQ_EN) !== 0) fiq = 1;
              else irq = 1;
            }
          }
        }
      }
      if (this.irqLevel[cpu] !== irq) {
        this.irqLevel[cpu] = irq;
        this.outputs[cpu]?.irq.set(irq !== 0);
      }
      if (this.fiqLevel[cpu] !== fiq) {
        this.fiqLevel[cpu] = fiq;
        this.outputs[cpu]?.fiq.set(fiq !== 0);
      }
    }
  }

  // ---- CPU interface operations (IHI 0048B 3.2, 4.4) ------------------------------------------

  /** GICC_IAR read: acknowledge the highest pending interrupt (3.2.1). */
  acknowledge(cpu: number): number {
    const id = this.currentPending[cpu]!;
    if (id === SPURIOUS) return SPURIOUS;
    const s = this.slot(cpu, id);
    const group = this.group[s]!;
    const groupPriority = this.groupPriority(cpu, this.priority[s]!, group);
    if (groupPriority >= this.runningPriority(cpu)) return SPURIOUS;
    // Without Security Extensions GICC_IAR acknowledges Group 0, and Group 1 only with AckCtl (4.4.4).
    if (group === 1 && (this.cpuControl[cpu]! & GICC_CTLR_ACK_CTL) === 0) return SPURIOUS_GROUP1;
    let result = id;
    if (id < GIC_SGI_COUNT) {
      // An SGI pending from several sources is acknowledged once per source, lowest first; the
      // source CPU is reported in bits [12:10] (4.4.4).
      const sources = this.sgiSources[cpu * GIC_SGI_COUNT + id]!;
      const source = sources === 0 ? 0 : 31 - Math.clz32(sources & -sources);
      const rest = sources & ~(1 << source);
      this.sgiSources[cpu * GIC_SGI_COUNT + id] = rest;
      if (rest === 0) this.pendingLatch[s] = 0;
      result = id | (source << 10);
    } else {
      this.pendingLatch[s] = 0;
    }
    this.active[s] = 1;
    const level = groupPriority >>> (GIC_MIN_BPR + 1);
    const apr = group === 0 ? this.activePriorities : this.group1ActivePriorities;
    apr[cpu * GIC_APR_COUNT + (level >>> 5)]! |= 1 << (level & 31);
    this.update();
    return result;
  }

  /** GICC_EOIR / GICC_AEOIR write: priority drop, and deactivation unless EOImode is set (3.2.2). */
  endOfInterrupt(cpu: number, value: number): void {
    const id = value & 0x3ff;
    if (id >= this.interruptCount) return; // spurious IDs and IDs that do not exist are ignored
    const s = this.slot(cpu, id);
    // Priority drop: clear the highest-priority active level of the interrupt's group. Software
    // must nest IAR reads and EOIR writes, so that level is the interrupt's own (3.2.2).
    const apr = this.group[s] === 0 ? this.activePriorities : this.group1ActivePriorities;
    for (let i = 0; i < GIC_APR_COUNT; i++) {
      const at = cpu * GIC_APR_COUNT + i;
      const bits = apr[at]!;
      if (bits !== 0) {
        apr[at] = bits & (bits - 1);
        break;
      }
    }
    if ((this.cpuControl[cpu]! & GICC_CTLR_EOIMODE) === 0) this.active[s] = 0;
    this.update();
  }

  /** GICC_DIR write: deactivation on its own, meaningful with EOImode set (4.4.15). */
  deactivate(cpu: number, value: number): void {
    const id = value & 0x3ff;
    if (id >= this.interruptCount) return;
    if ((this.cpuControl[cpu]! & GICC_CTLR_EOIMODE) === 0) return; // UNPREDICTABLE: QEMU ignores it
    this.active[this.slot(cpu, id)] = 0;
    this.update();
  }

  /**
   * Deactivation of physical interrupt `id` of `cpu` when the guest deactivates a list register
   * with HW = 1 (IHI 0048B 5.3.9, as a GICC_DIR write). SGIs cannot be forwarded this way:
   * UNPREDICTABLE, ignored as QEMU does, and so are IDs that do not exist.
   */
  private deactivateFromListRegister(cpu: number, id: number): void {
    if (id < GIC_SGI_COUNT || id >= this.interruptCount) return;
    this.active[this.slot(cpu, id)] = 0;
    this.update();
  }

  /** GICD_SGIR write (4.3.15): TargetListFilter, CPUTargetList, SGIINTID; `source` is the writer. */
  sendSgi(source: number, value: number): void {
    const sgi = value & 0xf;
    let targets: number;
    switch ((value >>> 24) & 3) {
      case 0: targets = (value >>> 16) & 0xff; break;
      case 1: targets = ((1 << this.cpuCount) - 1) & ~(1 << source); break;
      case 2: targets = 1 << source; break;
      default: return; // reserved
    }
    for (let cpu = 0; cpu < this.cpuCount; cpu++) {
      if ((targets & (1 << cpu)) === 0) continue;
      this.sgiSources[cpu * GIC_SGI_COUNT + sgi]! |= 1 << source;
      this.pendingLatch[cpu * GIC_INTERNAL + sgi] = 1;
    }
    this.update();
  }
}
