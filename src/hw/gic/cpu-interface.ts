import { UnknownAccessLog } from '../unknown-access-log.js';
import type { MmioDevice } from '../mmio-device.js';
import { Gicc, GICC_CTLR_ACK_CTL, GICC_CTLR_MASK, GICC_IIDR, SPURIOUS, SPURIOUS_GROUP1 } from './constants.js';
import { GIC_APR_COUNT, GIC_MIN_ABPR, GIC_MIN_BPR, type Gic } from './gic.js';

/**
 * The GICv2 CPU interface register map, word accesses (4.1.3: "all registers are 32-bit"),
 * for the CPU making the access (`currentCpu`). Reads of GICC_IAR acknowledge and writes of
 * GICC_EOIR/DIR complete interrupts through the Gic.
 */
export class GicCpuInterface implements MmioDevice {
  readonly name = 'gic-cpu-interface';
  currentCpu: () => number = () => 0;
  private readonly unknownAccesses: UnknownAccessLog;

  constructor(
    private readonly gic: Gic,
    log: (message: string) => void = () => {},
  ) {
    this.unknownAccesses = new UnknownAccessLog('gic-cpu-interface', log);
  }

  read(offset: number, size: 1 | 2 | 4): number {
    if (size !== 4) return this.unknown(offset, 'read', size);
    const gic = this.gic;
    const cpu = this.currentCpu();
    switch (offset) {
      case Gicc.CTLR: return gic.cpuControl[cpu]!;
      case Gicc.PMR: return gic.priorityMask[cpu]!;
      case Gicc.BPR: return gic.binaryPoint[cpu]!;
      case Gicc.IAR: return gic.acknowledge(cpu);
      // The idle priority reads as 0xff (all priority bits implemented, 4.4.6).
      case Gicc.RPR: return Math.min(gic.runningPriority(cpu), 0xff);
      case Gicc.HPPIR: return this.highestPending(cpu);
      case Gicc.ABPR: return gic.aliasedBinaryPoint[cpu]!;
      // The Group 1 aliases are for the Non-secure view of a GIC with the Security Extensions;
      // without them QEMU's GIC reads them as zero and ignores writes.
      case Gicc.AIAR: case Gicc.AHPPIR: return 0;
      case Gicc.IIDR: return GICC_IIDR;
      case Gicc.EOIR: case Gicc.AEOIR: case Gicc.DIR: return 0; // write-only
    }
    if (offset >= Gicc.APR && offset < Gicc.APR + 4 * GIC_APR_COUNT) {
      return gic.activePriorities[cpu * GIC_APR_COUNT + ((offset - Gicc.APR) >>> 2)]!;
    }
    if (offset >= Gicc.NSAPR && offset < Gicc.NSAPR + 4 * GIC_APR_COUNT) {
      return gic.group1ActivePriorities[cpu * GIC_APR_COUNT + ((offset - Gicc.NSAPR) >>> 2)]!;
    }
    return this.unknown(offset, 'read', size);
  }

  write(offset: number, size: 1 | 2 | 4, value: number): void {
    if (size !== 4) {
      this.unknown(offset, 'write', size);
      return;
    }
    const gic = this.gic;
    const cpu = this.currentCpu();
    switch (offset) {
      case Gicc.CTLR: gic.cpuControl[cpu] = value & GICC_CTLR_MASK; break;
      // All eight priority bits are implemented (4.4.2), as in QEMU's GIC.
      case Gicc.PMR: gic.priorityMask[cpu] = value & 0xff; break;
      case Gicc.BPR: gic.binaryPoint[cpu] = Math.max(value & 7, GIC_MIN_BPR); break;
      case Gicc.ABPR: gic.aliasedBinaryPoint[cpu] = Math.max(value & 7, GIC_MIN_ABPR); break;
      case Gicc.EOIR: gic.endOfInterrupt(cpu, value); return;
      case Gicc.AEOIR: return; // see AIAR
      case Gicc.DIR: gic.deactivate(cpu, value); return;
      case Gicc.IAR: case Gicc.RPR: case Gicc.HPPIR: case Gicc.AIAR: case Gicc.AHPPIR: case Gicc.IIDR: return; // read-only
      default:
        if (offset >= Gicc.APR && offset < Gicc.APR + 4 * GIC_APR_COUNT) {
          gic.activePriorities[cpu * GIC_APR_COUNT + ((offset - Gicc.APR) >>> 2)] = value;
        } else if (offset >= Gicc.NSAPR && offset < Gicc.NSAPR + 4 * GIC_APR_COUNT) {
          gic.group1ActivePriorities[cpu * GIC_APR_COUNT + ((offset - Gicc.NSAPR) >>> 2)] = value;
        } else {
          this.unknown(offset, 'write', size);
          return;
        }
    }
    gic.update();
  }

  /** GICC_HPPIR (4.4.8): the interrupt GICC_IAR would return, priority aside. */
  private highestPending(cpu: number): number {
    const gic = this.gic;
    const id = gic.currentPending[cpu]!;
    if (id === SPURIOUS) return SPURIOUS;
    const group = gic.group[gic.slot(cpu, id)]!;
    if (group === 1 && (gic.cpuControl[cpu]! & GICC_CTLR_ACK_CTL) === 0) return SPURIOUS_GROUP1;
    return id;
  }

  /** Unknown or reserved offsets read as zero and ignore writes; each is logged once. */
  private unknown(offset: number, access: 'read' | 'write', size: number): number {
    this.unknownAccesses.report(access, offset, size);
    return 0;
  }
}
