import type { InterruptLine } from '../../hw/interrupt-line.js';
import { UNCONNECTED } from '../../hw/interrupt-line.js';
import type { MmioDevice } from '../../hw/mmio-device.js';
import {
  Gic, GicDistributor, Gich, Gicd, GIC_INTERNAL, GIC_SGI_COUNT, GICC_CTLR_EN_GRP0, GICC_CTLR_EN_GRP1, GICH_HCR_EN, GICH_HCR_UIE,
  GICH_LR_COUNT, GICH_LR_CPUID_SHIFT, GICH_LR_EOI, GICH_LR_GRP1, GICH_LR_HW, GICH_LR_PHYSICAL_ID_SHIFT, GICH_LR_PRIORITY_SHIFT,
  GICH_LR_STATE_ACTIVE, GICH_LR_STATE_PENDING, GICH_LR_STATE_SHIFT, GICV_PRIORITY_BITS, IDLE_PRIORITY, SPURIOUS,
} from '../../hw/gic/index.js';
import type { GichPort } from './gich-port.js';
import {
  emptyVcpuInterfaceState, restoreVcpuInterface, saveVcpuInterface, type VcpuInterfaceState,
} from './vcpu-interface-state.js';

export interface VirtualGicHooks {
  /**
   * vCPU `vcpu` has a new interrupt to deliver: it must sync and flush. It may be in its guest on
   * another physical CPU (the hypervisor sends that CPU a physical SGI) or waiting in WFI.
   */
  kick(vcpu: number): void;
}

/** Candidate ordering in `flush`: active interrupts (keyed by priority) before pending ones. */
const PENDING_KEY = 0x100;

/**
 * A VM's virtual GICv2 (ARM IHI 0048B), as KVM/ARM's vgic does it: the distributor the guest
 * sees is emulated (its accesses trap at stage 2), its CPU interface is the hardware GICV, fed
 * through the GICH list registers.
 *
 * The virtual distributor's state is an instance of the hardware `Gic` (one CPU interface per
 * vCPU) and the trapped accesses go to a `GicDistributor` on it, so GICD semantics exist once.
 * The vCPU interfaces of that `Gic` are opened fully (both groups, no priority mask): its per-vCPU
 * IRQ output then means "an interrupt is pending, enabled and targeted at this vCPU and not yet
 * in its list registers", the kick condition; the guest's own mask and running priority are GICV's.
 *
 * List registers (`flush`/`sync`): on each entry to the guest the vCPU's highest-priority
 * interrupts are put in the LRs; on each exit every LR is read back, its state folded into the
 * virtual distributor and the LR emptied, so between exit and entry the virtual distributor alone
 * holds the truth (GICD reads by the vCPU are exact). While in an LR an interrupt is marked active
 * in the virtual distributor and owned by that vCPU: it is neither signalled again nor injected
 * into another vCPU. An interrupt the guest has active is always given an LR again, so its
 * GICV_EOIR/DIR finds it.
 */
export class VirtualGic {
  /** The virtual distributor's state (for snapshots and the hypervisor's own inspection). */
  readonly distributorState: Gic;
  /** The trapped GICD frame; the access is made by `currentVcpu`. */
  readonly distributor: MmioDevice;
  /** The vCPU whose GICD access is being emulated. */
  currentVcpu = 0;
  private readonly hardwareDistributor: GicDistributor;
  /** Per interrupt slot (`Gic.slot`): vCPU + 1 whose LRs hold the interrupt, 0 if none. */
  private readonly owner: Uint8Array;
  /** Per slot: 1 = a forwarded physical interrupt of the same ID, injected with GICH_LR.HW = 1. */
  private readonly hardware: Uint8Array;
  /** Per vCPU: bit n = flush filled LR n. */
  private readonly usedLrs: Uint8Array;
  /** Per vCPU: how many interrupts the last sync left active in its LRs. */
  private readonly ownedActive: Uint8Array;
  /** Per LR of each vCPU (`vcpu * GICH_LR_COUNT + n`): the interrupt ID, and whether its pending state was latched. */
  private readonly lrId: Uint16Array;
  private readonly lrLatched: Uint8Array;
  /** Per vCPU and SGI: the source CPU of the SGI last given to the guest (GICH_LR.CPUID). */
  private readonly sgiSource: Uint8Array;
  /** flush's best candidates so far, sorted by key. */
  private readonly candidateId: Uint16Array;
  private readonly candidateKey: Uint16Array;
  private readonly interfaceStates: readonly VcpuInterfaceState[];
  /** While an operation runs, kicks are collected here and sent at its end, except to the vCPU making it. */
  private collectingKicks = false;
  private collectedKicks = 0;

  constructor(
    readonly vcpuCount: number,
    interruptCount: number,
    private readonly hooks: VirtualGicHooks,
    log: (message: string) => void = () => {},
  ) {
    const outputs = Array.from({ length: vcpuCount }, (_, vcpu) => ({
      irq: { set: (level: boolean) => this.deliverableChanged(vcpu, level) },
      fiq: UNCONNECTED,
    }));
    this.distributorState = new Gic(vcpuCount, interruptCount, outputs);
    this.openVcpuInterfaces();
    this.hardwareDistributor = new GicDistributor(this.distributorState, log);
    this.hardwareDistributor.currentCpu = () => this.currentVcpu;
    this.distributor = {
      name: 'vgic-distributor',
      read: (offset, size) => this.hardwareDistributor.read(offset, size),
      write: (offset, size, value) => this.writeDistributor(offset, size, value),
    };
    const slots = vcpuCount * GIC_INTERNAL + interruptCount - GIC_INTERNAL;
    this.owner = new Uint8Array(slots);
    this.hardware = new Uint8Array(slots);
    this.usedLrs = new Uint8Array(vcpuCount);
    this.ownedActive = new Uint8Array(vcpuCount);
    this.lrId = new Uint16Array(vcpuCount * GICH_LR_COUNT);
    this.lrLatched = new Uint8Array(vcpuCount * GICH_LR_COUNT);
    this.sgiSource = new Uint8Array(vcpuCount * GIC_SGI_COUNT);
    this.candidateId = new Uint16Array(GICH_LR_COUNT);
    this.candidateKey = new Uint16Array(GICH_LR_COUNT);
    this.interfaceStates = Array.from({ length: vcpuCount }, emptyVcpuInterfaceState);
  }

  /** The VM is reset: the distributor to its reset state, nothing in any vCPU's list registers (their last sync emptied them). */
  reset(): void {
    this.distributorState.reset();
    this.openVcpuInterfaces();
    for (const a of [this.owner, this.hardware, this.usedLrs, this.ownedActive, this.lrId, this.lrLatched, this.sgiSource]) a.fill(0);
    for (const state of this.interfaceStates) {
      state.hcr = state.vmcr = state.apr = 0;
      state.lr.fill(0);
    }
  }

  /** Both groups enabled and no priority mask in each vCPU's interface of the virtual distributor (see the class comment). */
  private openVcpuInterfaces(): void {
    const gic = this.distributorState;
    for (let vcpu = 0; vcpu < this.vcpuCount; vcpu++) {
      gic.cpuControl[vcpu] = GICC_CTLR_EN_GRP0 | GICC_CTLR_EN_GRP1;
      gic.priorityMask[vcpu] = IDLE_PRIORITY;
    }
  }

  // ---- Inputs ---------------------------------------------------------------------------------

  /** The line of SPI `spi` (interrupt ID 32 + spi), for an emulated device. */
  spiLine(spi: number): InterruptLine {
    return this.distributorState.spiLine(spi);
  }

  /** The line of PPI `ppi` (interrupt ID 16 + ppi) of vCPU `vcpu`. */
  ppiLine(vcpu: number, ppi: number): InterruptLine {
    this.checkVcpu(vcpu);
    return this.distributorState.ppiLine(vcpu, ppi);
  }

  /**
   * The hypervisor took physical interrupt `id` for `vcpu`, acknowledged it and dropped its
   * priority only (GICC_CTLR.EOImode = 1): it stays active until the guest deactivates the
   * virtual one, which an LR with HW = 1 and PhysicalID = `id` passes on (IHI 0048B 5.3.9).
   * It is pending in the virtual distributor like any other, obeying the guest's enable,
   * priority and group for `id`. SGIs cannot be forwarded (5.3.9).
   */
  forwardHardware(vcpu: number, id: number): void {
    this.checkVcpu(vcpu);
    const gic = this.distributorState;
    if (id < GIC_SGI_COUNT || id >= gic.interruptCount) throw new RangeError(`vgic: interrupt ${id} cannot be forwarded`);
    const s = gic.slot(vcpu, id);
    this.hardware[s] = 1;
    gic.pendingLatch[s] = 1;
    this.collectKicks();
    gic.update();
    this.sendKicks(vcpu);
  }

  /** Whether the virtual distributor has an interrupt to deliver to `vcpu` (what wakes a waiting vCPU). */
  hasDeliverable(vcpu: number): boolean {
    return this.distributorState.currentPending[vcpu] !== SPURIOUS;
  }

  // ---- List registers -------------------------------------------------------------------------

  /**
   * Before `vcpu` enters its guest on the physical CPU whose GICH is `gich`: its active
   * interrupts and then its highest-priority deliverable pending ones go into the LRs; when some
   * are left over, GICH_HCR.UIE asks for the underflow maintenance interrupt (5.3.2), so the
   * guest exits once it has handled all but one of them. GICH_HCR.En stays set. NPIE is not
   * used: with the LRs full of active interrupts and more pending, "no pending LR" (5.3.5) would
   * hold from the first instruction, and the vCPU would exit at once, again and again.
   */
  flush(vcpu: number, gich: GichPort): void {
    this.collectKicks();
    if (this.usedLrs[vcpu] !== 0) this.fold(vcpu, gich);
    const gic = this.distributorState;
    let count = 0;
    let leftOver = false;
    // Nothing pending for this vCPU (the virtual CPU interface found no candidate) and nothing
    // active in its LRs: no scan.
    if (gic.currentPending[vcpu] !== SPURIOUS || this.ownedActive[vcpu] !== 0) {
      const keys = this.candidateKey;
      const ids = this.candidateId;
      for (let id = 0; id < gic.interruptCount; id++) {
        const key = this.candidateOrder(vcpu, id, gic.slot(vcpu, id));
        if (key < 0) continue;
        let at: number;
        if (count < GICH_LR_COUNT) at = count++;
        else {
          leftOver = true;
          if (key >= keys[GICH_LR_COUNT - 1]!) continue;
          at = GICH_LR_COUNT - 1;
        }
        for (; at > 0 && keys[at - 1]! > key; at--) {
          keys[at] = keys[at - 1]!;
          ids[at] = ids[at - 1]!;
        }
        keys[at] = key;
        ids[at] = id;
      }
      for (let n = 0; n < count; n++) this.inject(vcpu, gich, n, ids[n]!);
    }
    this.usedLrs[vcpu] = (1 << count) - 1;
    const hcr = gich.read(Gich.HCR) & ~GICH_HCR_UIE;
    gich.write(Gich.HCR, hcr | GICH_HCR_EN | (leftOver ? GICH_HCR_UIE : 0));
    gic.update();
    this.sendKicks(vcpu);
  }

  /**
   * After `vcpu` left its guest: every LR flush filled is read back and emptied. An invalid LR
   * was deactivated by the guest (and, with HW = 1, the physical interrupt with it); an active or
   * pending one stays active or pending in the virtual distributor, where a level interrupt
   * whose line is still high is pending again by the GIC's own rules.
   */
  sync(vcpu: number, gich: GichPort): void {
    this.collectKicks();
    this.fold(vcpu, gich);
    this.sendKicks(vcpu);
  }

  /** Saves `vcpu`'s GICH state (after its sync) before another vCPU uses this physical CPU. */
  save(vcpu: number, gich: GichPort): VcpuInterfaceState {
    this.checkVcpu(vcpu);
    const state = this.interfaceStates[vcpu]!;
    saveVcpuInterface(gich, state);
    return state;
  }

  /** Puts back `vcpu`'s GICH state saved by `save` (before its flush). */
  restore(vcpu: number, gich: GichPort): void {
    this.checkVcpu(vcpu);
    restoreVcpuInterface(gich, this.interfaceStates[vcpu]!);
  }

  // ---- Internals ------------------------------------------------------------------------------

  /**
   * The order of interrupt `id` (at `s`) among `vcpu`'s LR candidates, -1 if it is none. An
   * active interrupt is one only in the LRs of the vCPU that had it (one set active through
   * GICD_ISACTIVER has no LR); a pending one must be enabled, targeted at `vcpu`, of a group the
   * distributor forwards (4.3.1), and in no other vCPU's LRs.
   */
  private candidateOrder(vcpu: number, id: number, s: number): number {
    const gic = this.distributorState;
    const owner = this.owner[s]!;
    if (gic.active[s] !== 0) return owner === vcpu + 1 ? gic.priority[s]! : -1;
    if (owner !== 0 && owner !== vcpu + 1) return -1;
    return this.isDeliverable(vcpu, id, s) ? PENDING_KEY + gic.priority[s]! : -1;
  }

  private isDeliverable(vcpu: number, id: number, s: number): boolean {
    const gic = this.distributorState;
    if (gic.enabled[s] === 0 || !gic.isPending(s)) return false;
    if (id >= GIC_INTERNAL && (gic.spiTargets[id - GIC_INTERNAL]! & (1 << vcpu)) === 0) return false;
    return ((gic.distributorControl >>> gic.group[s]!) & 1) !== 0;
  }

  /**
   * Fills LR `n` with interrupt `id` (GICH_LR fields, 5.3.9): the guest's priority in 5 bits,
   * its group, active if the guest has it active, pending if the pending state moves into the LR.
   * An SGI carries its source in CPUID and takes one source at a time; while further sources
   * wait, EOI = 1 asks for a maintenance interrupt on its deactivation. A forwarded interrupt
   * carries HW = 1 and its physical ID, and is never active and pending at once in an LR (5.3.9).
   */
  private inject(vcpu: number, gich: GichPort, n: number, id: number): void {
    const gic = this.distributorState;
    const s = gic.slot(vcpu, id);
    const at = vcpu * GICH_LR_COUNT + n;
    const active = gic.active[s] !== 0;
    let state = active ? GICH_LR_STATE_ACTIVE : 0;
    let lr = id | ((gic.priority[s]! >>> (8 - GICV_PRIORITY_BITS)) << GICH_LR_PRIORITY_SHIFT);
    if (gic.group[s] !== 0) lr |= GICH_LR_GRP1;
    this.lrLatched[at] = 0;
    if (id < GIC_SGI_COUNT) {
      const sources = vcpu * GIC_SGI_COUNT + id;
      if (!active) {
        const bits = gic.sgiSources[sources]!;
        const source = bits === 0 ? 0 : 31 - Math.clz32(bits & -bits);
        gic.sgiSources[sources] = bits & ~(1 << source);
        if (gic.sgiSources[sources] === 0) gic.pendingLatch[s] = 0;
        this.sgiSource[sources] = source;
        state = GICH_LR_STATE_PENDING;
      }
      lr |= this.sgiSource[sources]! << GICH_LR_CPUID_SHIFT;
      if (gic.sgiSources[sources] !== 0) lr |= GICH_LR_EOI;
    } else {
      const hardware = this.hardware[s] !== 0;
      if (!(active && hardware) && this.isDeliverable(vcpu, id, s)) {
        state |= GICH_LR_STATE_PENDING;
        this.lrLatched[at] = gic.pendingLatch[s]!;
        gic.pendingLatch[s] = 0;
      }
      if (hardware) lr |= GICH_LR_HW | (id << GICH_LR_PHYSICAL_ID_SHIFT);
    }
    gic.active[s] = 1;
    this.owner[s] = vcpu + 1;
    this.lrId[at] = id;
    gich.write(Gich.LR0 + 4 * n, (lr | (state << GICH_LR_STATE_SHIFT)) >>> 0);
  }

  /** sync's work: LR states back into the virtual distributor, LRs and GICH_HCR.UIE cleared. */
  private fold(vcpu: number, gich: GichPort): void {
    const gic = this.distributorState;
    const used = this.usedLrs[vcpu]!;
    let active = 0;
    for (let n = 0; n < GICH_LR_COUNT; n++) {
      if (((used >>> n) & 1) === 0) continue;
      const at = vcpu * GICH_LR_COUNT + n;
      const lr = gich.read(Gich.LR0 + 4 * n);
      gich.write(Gich.LR0 + 4 * n, 0);
      const id = this.lrId[at]!;
      const s = gic.slot(vcpu, id);
      const state = (lr >>> GICH_LR_STATE_SHIFT) & 3;
      if ((state & GICH_LR_STATE_ACTIVE) !== 0) {
        gic.active[s] = 1;
        active++;
      } else {
        gic.active[s] = 0;
        this.owner[s] = 0;
      }
      if ((state & GICH_LR_STATE_PENDING) !== 0) {
        if (id < GIC_SGI_COUNT) {
          gic.sgiSources[vcpu * GIC_SGI_COUNT + id]! |= 1 << ((lr >>> GICH_LR_CPUID_SHIFT) & 7);
          gic.pendingLatch[s] = 1;
        } else if (this.lrLatched[at] !== 0) {
          gic.pendingLatch[s] = 1;
        }
      }
      // Deactivated by the guest: a forwarded interrupt's physical one went with it.
      if (state === 0) this.hardware[s] = 0;
    }
    this.usedLrs[vcpu] = 0;
    this.ownedActive[vcpu] = active;
    // With the LRs empty an enabled underflow interrupt would fire at once (5.3.5).
    const hcr = gich.read(Gich.HCR);
    if ((hcr & GICH_HCR_UIE) !== 0) gich.write(Gich.HCR, hcr & ~GICH_HCR_UIE);
    gic.update();
  }

  /** GICD writes: after a GICD_SGIR write every target but the writer is kicked (4.3.15). */
  private writeDistributor(offset: number, size: 1 | 2 | 4, value: number): void {
    const writer = this.currentVcpu;
    this.collectKicks();
    this.hardwareDistributor.write(offset, size, value);
    if (offset === Gicd.SGIR && size === 4) {
      const sgi = value & 0xf;
      const sources = this.distributorState.sgiSources;
      for (let vcpu = 0; vcpu < this.vcpuCount; vcpu++) {
        if (((sources[vcpu * GIC_SGI_COUNT + sgi]! >>> writer) & 1) !== 0) this.collectedKicks |= 1 << vcpu;
      }
    }
    this.sendKicks(writer);
  }

  /** The virtual distributor's IRQ output of `vcpu`: rising means something new to deliver. */
  private deliverableChanged(vcpu: number, level: boolean): void {
    if (!level) return;
    if (this.collectingKicks) this.collectedKicks |= 1 << vcpu;
    else this.hooks.kick(vcpu);
  }

  private collectKicks(): void {
    this.collectingKicks = true;
  }

  /** Ends an operation by `vcpu`: it is in the hypervisor and flushes before it runs, so it needs no kick. */
  private sendKicks(vcpu: number): void {
    const kicks = this.collectedKicks & ~(1 << vcpu);
    this.collectingKicks = false;
    this.collectedKicks = 0;
    for (let target = 0; target < this.vcpuCount; target++) if (((kicks >>> target) & 1) !== 0) this.hooks.kick(target);
  }

  private checkVcpu(vcpu: number): void {
    if (!Number.isInteger(vcpu) || vcpu < 0 || vcpu >= this.vcpuCount) throw new RangeError(`vgic: no vCPU ${vcpu} (of ${this.vcpuCount})`);
  }
}
