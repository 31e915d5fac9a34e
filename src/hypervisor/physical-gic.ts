import { Gicc, GICC_CTLR_EN_GRP0, GICC_CTLR_EOIMODE, Gicd, GICD_CTLR_EN_GRP0 } from '../hw/gic/index.js';
import type { GichPort } from './vgic/index.js';
import { VIRT_MEMORY_MAP, VIRT_PPI, ppiInterruptId } from '../board/virt-memory-map.js';
import type { PhysicalWords } from './stage2/stage2-table.js';

/** The SGI the hypervisor sends a physical CPU to make it exit its guest and look at its vCPU again. */
export const KICK_SGI = 0;
/** The virtual timer's PPI (INTID 27): taken by the hypervisor, forwarded to the guest with GICH_LR.HW. */
export const VIRTUAL_TIMER_INTID = ppiInterruptId(VIRT_PPI.virtualTimer);
const MAINTENANCE_INTID = ppiInterruptId(VIRT_PPI.gicMaintenance);
/** The Hyp timer's PPI (INTID 26): the VM scheduler's timer on a shared physical CPU. */
export const HYP_TIMER_INTID = ppiInterruptId(VIRT_PPI.hypTimer);

/** The priority the hypervisor gives its interrupts (all equal: it never nests them). */
const HYPERVISOR_PRIORITY = 0xa0;
/** GICC_PMR: every priority passes. */
const PRIORITY_MASK_OPEN = 0xff;

/**
 * The hypervisor's driver of the physical GICv2 (ARM IHI 0048B) of the virt board: the
 * distributor and each physical CPU's interface, banked by the CPU making the access, reached at
 * their physical addresses. Each CPU takes its KICK_SGI, the virtual timer PPI, the Hyp timer
 * PPI and the GIC maintenance PPI; EOImode = 1 separates priority drop (GICC_EOIR) from deactivation (GICC_DIR),
 * so a forwarded interrupt stays active until the guest deactivates it through its list register.
 */
export class PhysicalGic {
  private readonly distributor = VIRT_MEMORY_MAP.gicDistributor.base;
  private readonly cpuInterface = VIRT_MEMORY_MAP.gicCpuInterface.base;
  /** The GICH frame of the CPU making the access (5.3). */
  readonly gich: GichPort;

  constructor(private readonly memory: PhysicalWords) {
    const base = VIRT_MEMORY_MAP.gicHypervisor.base;
    this.gich = {
      read: (offset) => memory.read32(base + offset),
      write: (offset, value) => memory.write32(base + offset, value),
    };
  }

  /** On each physical CPU as it starts: its banked interrupts enabled, its CPU interface on. */
  initializeThisCpu(): void {
    const m = this.memory;
    m.write32(this.distributor + Gicd.CTLR, GICD_CTLR_EN_GRP0);
    const ids = [KICK_SGI, VIRTUAL_TIMER_INTID, HYP_TIMER_INTID, MAINTENANCE_INTID];
    for (const id of ids) {
      const word = this.distributor + Gicd.IPRIORITYR + (id & ~3);
      const shift = 8 * (id & 3);
      m.write32(word, (m.read32(word) & ~(0xff << shift)) | (HYPERVISOR_PRIORITY << shift));
    }
    m.write32(this.distributor + Gicd.ISENABLER, ids.reduce((bits, id) => bits | (1 << id), 0));
    m.write32(this.cpuInterface + Gicc.PMR, PRIORITY_MASK_OPEN);
    m.write32(this.cpuInterface + Gicc.CTLR, GICC_CTLR_EN_GRP0 | GICC_CTLR_EOIMODE);
  }

  /**
   * A passed-through SPI (interrupt ID `id`) goes to physical CPU `cpu` only, at the hypervisor's
   * priority, enabled (GICD_IPRIORITYR, GICD_ITARGETSR, GICD_ISENABLER: IHI 0048B 4.3.11, 4.3.12, 4.3.5).
   */
  routeSpi(id: number, cpu: number): void {
    const m = this.memory;
    const word = id & ~3;
    const shift = 8 * (id & 3);
    const priority = this.distributor + Gicd.IPRIORITYR + word;
    m.write32(priority, (m.read32(priority) & ~(0xff << shift)) | (HYPERVISOR_PRIORITY << shift));
    const targets = this.distributor + Gicd.ITARGETSR + word;
    m.write32(targets, (m.read32(targets) & ~(0xff << shift)) | ((1 << cpu) << shift));
    m.write32(this.distributor + Gicd.ISENABLER + 4 * (id >>> 5), 1 << (id & 31));
  }

  /**
   * GICD_ICACTIVER (4.3.8): a forwarded interrupt its VM will never deactivate (it is booting
   * again), or the banked virtual timer PPI of a vCPU leaving the processor, is inactive.
   */
  clearActive(id: number): void {
    this.memory.write32(this.distributor + Gicd.ICACTIVER + 4 * (id >>> 5), 1 << (id & 31));
  }

  /** GICD_ISACTIVER (4.3.7): whether interrupt `id` is active (banked for SGIs and PPIs). */
  isActive(id: number): boolean {
    return ((this.memory.read32(this.distributor + Gicd.ISACTIVER + 4 * (id >>> 5)) >>> (id & 31)) & 1) !== 0;
  }

  /** GICD_ISACTIVER (4.3.7): interrupt `id` active again (the virtual timer PPI of a vCPU coming back with it active). */
  setActive(id: number): void {
    this.memory.write32(this.distributor + Gicd.ISACTIVER + 4 * (id >>> 5), 1 << (id & 31));
  }

  /** GICC_IAR: the highest pending interrupt, acknowledged (its ID in bits [9:0]), or SPURIOUS. */
  acknowledge(): number {
    return this.memory.read32(this.cpuInterface + Gicc.IAR);
  }

  /** GICC_EOIR: priority drop only (EOImode = 1). */
  dropPriority(iar: number): void {
    this.memory.write32(this.cpuInterface + Gicc.EOIR, iar);
  }

  /** GICC_DIR: deactivation, for an interrupt the hypervisor handled itself. */
  deactivate(iar: number): void {
    this.memory.write32(this.cpuInterface + Gicc.DIR, iar);
  }

  /** GICD_SGIR with a target list: KICK_SGI to physical CPU `cpu`. */
  kick(cpu: number): void {
    this.memory.write32(this.distributor + Gicd.SGIR, (1 << (16 + cpu)) | KICK_SGI);
  }
}

