import { UnknownAccessLog } from '../unknown-access-log.js';
import type { MmioDevice } from '../mmio-device.js';
import { Gicc, GICC_CTLR_MASK, GICC_IIDR } from './constants.js';
import { GICV_MIN_ABPR, GICV_MIN_BPR, GICV_PRIORITY_MASK, type GicVirtualInterface } from './virtual-interface.js';

/**
 * GICV, the virtual CPU interface (IHI 0048B 5.6): the GICC register layout, for the guest of the
 * CPU making the access (`currentCpu`). The guest acknowledges and completes the virtual
 * interrupts the hypervisor put in its list registers. Unlike GICC, priorities have 5 bits
 * (GICV_PMR [7:3]), the binary points are at least 2 and 3, and there is one active priorities
 * register, GICV_APR0, the alias of GICH_APR; GICV_APR1-3 and GICV_NSAPRn read as zero.
 */
export class GicVirtualCpuInterface implements MmioDevice {
  readonly name = 'gic-virtual-cpu-interface';
  currentCpu: () => number = () => 0;
  private readonly unknownAccesses: UnknownAccessLog;

  constructor(
    private readonly virtual: GicVirtualInterface,
    log: (message: string) => void = () => {},
  ) {
    this.unknownAccesses = new UnknownAccessLog('gic-virtual-cpu-interface', log);
  }

  read(offset: number, size: 1 | 2 | 4): number {
    if (size !== 4) return this.unknown(offset, 'read', size);
    const v = this.virtual;
    const cpu = this.currentCpu();
    switch (offset) {
      case Gicc.CTLR: return v.control[cpu]!;
      case Gicc.PMR: return v.priorityMask[cpu]!;
      case Gicc.BPR: return v.binaryPoint[cpu]!;
      case Gicc.IAR: return v.acknowledge(cpu);
      case Gicc.RPR: return Math.min(v.runningPriority(cpu), 0xff);
      case Gicc.HPPIR: return v.highestPending(cpu);
      case Gicc.ABPR: return v.aliasedBinaryPoint[cpu]!;
      case Gicc.APR: return v.activePriorities[cpu]!;
      case Gicc.IIDR: return GICC_IIDR;
      // As in GicCpuInterface: the Group 1 aliases belong to a GIC with Security Extensions.
      case Gicc.AIAR: case Gicc.AHPPIR: return 0;
      case Gicc.EOIR: case Gicc.AEOIR: case Gicc.DIR: return 0; // write-only
    }
    if (this.isUnimplementedPriorityRegister(offset)) return 0;
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
      case Gicc.CTLR: v.control[cpu] = value & GICC_CTLR_MASK; break;
      case Gicc.PMR: v.priorityMask[cpu] = value & GICV_PRIORITY_MASK; break;
      case Gicc.BPR: v.binaryPoint[cpu] = Math.max(value & 7, GICV_MIN_BPR); break;
      case Gicc.ABPR: v.aliasedBinaryPoint[cpu] = Math.max(value & 7, GICV_MIN_ABPR); break;
      case Gicc.APR: v.activePriorities[cpu] = value; break;
      case Gicc.EOIR: v.endOfInterrupt(cpu, value); return;
      case Gicc.DIR: v.deactivate(cpu, value); return;
      case Gicc.AEOIR: case Gicc.IAR: case Gicc.RPR: case Gicc.HPPIR: case Gicc.AIAR: case Gicc.AHPPIR: case Gicc.IIDR: return;
      default:
        if (!this.isUnimplementedPriorityRegister(offset)) this.unknown(offset, 'write', size);
        return;
    }
    v.update(cpu);
  }

  /** GICV_APR1-3 and GICV_NSAPR0-3: 32 virtual preemption levels fit GICV_APR0 (RAZ/WI). */
  private isUnimplementedPriorityRegister(offset: number): boolean {
    return (offset > Gicc.APR && offset < Gicc.APR + 16 && (offset & 3) === 0) || (offset >= Gicc.NSAPR && offset < Gicc.NSAPR + 16 && (offset & 3) === 0);
  }

  /** Unknown or reserved offsets read as zero and ignore writes; each is logged once. */
  private unknown(offset: number, access: 'read' | 'write', size: number): number {
    this.unknownAccesses.report(access, offset, size);
    return 0;
  }
}
