import { UnknownAccessLog } from '../unknown-access-log.js';
import type { MmioDevice } from '../mmio-device.js';
import { GICC_CTLR_MASK } from './constants.js';
import {
  GICH_HCR_MASK, GICH_LR_COUNT, GICH_LR_MASK, GICH_VTR, GICV_MIN_ABPR, GICV_MIN_BPR, GICV_PRIORITY_MASK,
  type GicVirtualInterface,
} from './virtual-interface.js';

/** Virtual interface control register offsets (IHI 0048B 5.3, table 5-1). */
export const enum Gich {
  HCR = 0x000,
  VTR = 0x004,
  VMCR = 0x008,
  MISR = 0x010,
  EISR0 = 0x020,
  EISR1 = 0x024,
  ELRSR0 = 0x030,
  ELRSR1 = 0x034,
  APR = 0x0f0,
  LR0 = 0x100,
  /** End of the 64 LR slots; those beyond GICH_LR_COUNT are RAZ/WI. */
  LR_END = 0x200,
}

// GICH_VMCR fields (5.3.4): the guest's GICV_CTLR [9:0], GICV_ABPR [20:18], GICV_BPR [23:21],
// GICV_PMR bits [7:3] in [31:27].
const VMCR_ABP_SHIFT = 18;
const VMCR_BP_SHIFT = 21;
const VMCR_PRIMASK_SHIFT = 27;

/**
 * GICH, the virtual interface control registers (IHI 0048B 5.3), word accesses, banked for the
 * CPU making the access (`currentCpu`) as QEMU virt maps its one "this CPU" GICH frame at
 * 0x08030000 (QEMU also creates per-CPU alias frames, but the virt board does not map them).
 */
export class GicHypervisorInterface implements MmioDevice {
  readonly name = 'gic-hypervisor-interface';
  currentCpu: () => number = () => 0;
  private readonly unknownAccesses: UnknownAccessLog;

  constructor(
    private readonly virtual: GicVirtualInterface,
    log: (message: string) => void = () => {},
  ) {
    this.unknownAccesses = new UnknownAccessLog('gic-hypervisor-interface', log);
  }

  read(offset: number, size: 1 | 2 | 4): number {
    if (size !== 4) return this.unknown(offset, 'read', size);
    const v = this.virtual;
    const cpu = this.currentCpu();
    switch (offset) {
      case Gich.HCR: return v.hypervisorControl[cpu]!;
      case Gich.VTR: return GICH_VTR;
      case Gich.VMCR: return this.virtualMachineControl(cpu);
      case Gich.MISR: return v.maintenanceStatus(cpu);
      case Gich.EISR0: return v.endOfInterruptStatus(cpu);
      case Gich.ELRSR0: return v.emptyListStatus(cpu);
      // With four LRs, EISR1 and ELRSR1 (LRs 32-63) hold nothing.
      case Gich.EISR1: case Gich.ELRSR1: return 0;
      case Gich.APR: return v.activePriorities[cpu]!;
    }
    if (offset >= Gich.LR0 && offset < Gich.LR_END && (offset & 3) === 0) {
      const n = (offset - Gich.LR0) >>> 2;
      return n < GICH_LR_COUNT ? v.listRegisters[cpu * GICH_LR_COUNT + n]! : 0;
    }
    return this.unknown(offset, 'read', size);
  }

  write(offset: number, size: 1 | 2 | 4, value: number): void {
    if (size !== 4) {
      this.unknown(offset, 'write', size);
      return;
    }
    const v = this.virtual;
    const cpu = this.currentCpu();
    switch (offset) {
      case Gich.HCR: v.hypervisorControl[cpu] = value & GICH_HCR_MASK; break;
      case Gich.VMCR: this.setVirtualMachineControl(cpu, value); break;
      case Gich.APR: v.activePriorities[cpu] = value; break;
      case Gich.VTR: case Gich.MISR: case Gich.EISR0: case Gich.EISR1: case Gich.ELRSR0: case Gich.ELRSR1: return; // read-only
      default:
        if (offset >= Gich.LR0 && offset < Gich.LR_END && (offset & 3) === 0) {
          const n = (offset - Gich.LR0) >>> 2;
          if (n >= GICH_LR_COUNT) return;
          v.listRegisters[cpu * GICH_LR_COUNT + n] = value & GICH_LR_MASK;
        } else {
          this.unknown(offset, 'write', size);
          return;
        }
    }
    v.update(cpu);
  }

  /** GICH_VMCR read: the guest's virtual CPU interface state, for a world switch (5.3.4). */
  private virtualMachineControl(cpu: number): number {
    const v = this.virtual;
    return (
      v.control[cpu]! |
      (v.aliasedBinaryPoint[cpu]! << VMCR_ABP_SHIFT) |
      (v.binaryPoint[cpu]! << VMCR_BP_SHIFT) |
      ((v.priorityMask[cpu]! >>> 3) << VMCR_PRIMASK_SHIFT)
    ) >>> 0;
  }

  /** GICH_VMCR write: restores the guest's GICV_CTLR, ABPR, BPR and PMR, with their minimums. */
  private setVirtualMachineControl(cpu: number, value: number): void {
    const v = this.virtual;
    v.control[cpu] = value & GICC_CTLR_MASK;
    v.aliasedBinaryPoint[cpu] = Math.max((value >>> VMCR_ABP_SHIFT) & 7, GICV_MIN_ABPR);
    v.binaryPoint[cpu] = Math.max((value >>> VMCR_BP_SHIFT) & 7, GICV_MIN_BPR);
    v.priorityMask[cpu] = ((value >>> VMCR_PRIMASK_SHIFT) << 3) & GICV_PRIORITY_MASK;
  }

  /** Unknown or reserved offsets read as zero and ignore writes; each is logged once. */
  private unknown(offset: number, access: 'read' | 'write', size: number): number {
    this.unknownAccesses.report(access, offset, size);
    return 0;
  }
}
