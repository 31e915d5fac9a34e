import { UnknownAccessLog } from '../unknown-access-log.js';
import type { MmioDevice } from '../mmio-device.js';
import { GIC_INTERNAL, GIC_SGI_COUNT } from './constants.js';
import type { Gic } from './gic.js';

/**
 * The GICv2 distributor register map (ARM IHI 0048B 4.1.2, table 4-1), byte-granular as QEMU's
 * arm_gic: a word access is four byte accesses, except GICD_SGIR (write-only, whole word).
 * Bit-per-interrupt registers cover 8 interrupts per byte; IPRIORITYR/ITARGETSR one per byte;
 * ICFGR four per byte. The accessing CPU picks the bank of SGIs/PPIs (`currentCpu`).
 */
export const enum Gicd {
  CTLR = 0x000,
  TYPER = 0x004,
  IIDR = 0x008,
  IGROUPR = 0x080,
  ISENABLER = 0x100,
  ICENABLER = 0x180,
  ISPENDR = 0x200,
  ICPENDR = 0x280,
  ISACTIVER = 0x300,
  ICACTIVER = 0x380,
  IPRIORITYR = 0x400,
  ITARGETSR = 0x800,
  ICFGR = 0xc00,
  SGIR = 0xf00,
  CPENDSGIR = 0xf10,
  SPENDSGIR = 0xf20,
  ID = 0xfd0,
}

/** GICD_IIDR as QEMU's GIC reports it: ProductID 0, Variant 0, Revision 0... implementer ARM (0x43b). */
const GICD_IIDR = 0x0000043b;
/** Identification registers at 0xFD0-0xFFC, one byte per word (QEMU gic_id_gicv2: ArchRev 2 in PIDR2). */
const ID_BYTES = [0x04, 0x00, 0x00, 0x00, 0x90, 0xb4, 0x2b, 0x00, 0x0d, 0xf0, 0x05, 0xb1];

export class GicDistributor implements MmioDevice {
  readonly name = 'gic-distributor';
  /** The CPU making the access (0 on a uniprocessor board). */
  currentCpu: () => number = () => 0;
  private readonly unknownAccesses: UnknownAccessLog;

  constructor(
    private readonly gic: Gic,
    log: (message: string) => void = () => {},
  ) {
    this.unknownAccesses = new UnknownAccessLog('gic-distributor', log);
  }

  read(offset: number, size: 1 | 2 | 4): number {
    let value = 0;
    for (let i = 0; i < size; i++) value |= this.readByte(offset + i) << (8 * i);
    return value >>> 0;
  }

  write(offset: number, size: 1 | 2 | 4, value: number): void {
    if (offset === Gicd.SGIR) {
      if (size === 4) this.gic.sendSgi(this.currentCpu(), value);
      else this.unknown(offset, 'write', size);
      return;
    }
    for (let i = 0; i < size; i++) this.writeByte(offset + i, (value >>> (8 * i)) & 0xff);
    this.gic.update();
  }

  /** First interrupt ID a byte of a bit-per-interrupt register at `base` covers, or -1 if none exists. */
  private bitIrq(offset: number, base: number): number {
    const id = (offset - base) * 8;
    return id < this.gic.interruptCount ? id : -1;
  }

  private readByte(offset: number): number {
    const gic = this.gic;
    const cpu = this.currentCpu();
    if (offset < 0x080) {
      if (offset < 4) return offset === 0 ? gic.distributorControl : 0;
      if (offset < 8) {
        // TYPER (4.3.2): ITLinesNumber [4:0], CPUNumber [7:5], SecurityExtn [10] = 0.
        const typer = (gic.interruptCount / 32 - 1) | ((gic.cpuCount - 1) << 5);
        return (typer >>> (8 * (offset - 4))) & 0xff;
      }
      if (offset < 12) return (GICD_IIDR >>> (8 * (offset - 8))) & 0xff;
      return this.unknown(offset, 'read', 1);
    }
    if (offset < 0x400) {
      const region = offset & ~0x7f;
      const id = this.bitIrq(offset & 0x7f, 0);
      if (id < 0) return this.unknown(offset, 'read', 1);
      let bits = 0;
      for (let i = 0; i < 8; i++) {
        const s = gic.slot(cpu, id + i);
        let on: boolean;
        switch (region) {
          case Gicd.IGROUPR: on = gic.group[s] !== 0; break;
          case Gicd.ISENABLER: case Gicd.ICENABLER: on = gic.enabled[s] !== 0; break;
          case Gicd.ISPENDR: case Gicd.ICPENDR: on = gic.isPending(s); break;
          default: on = gic.active[s] !== 0; break;
        }
        if (on) bits |= 1 << i;
      }
      return bits;
    }
    if (offset < 0x800) {
      const id = offset - Gicd.IPRIORITYR;
      return id < gic.interruptCount ? gic.priority[gic.slot(cpu, id)]! : this.unknown(offset, 'read', 1);
    }
    if (offset < 0xc00) {
      const id = offset - Gicd.ITARGETSR;
      if (id >= gic.interruptCount) return this.unknown(offset, 'read', 1);
      // A uniprocessor GIC reads these as zero (4.3.12, QEMU); SGIs/PPIs read as this CPU.
      if (gic.cpuCount === 1) return 0;
      return id < GIC_INTERNAL ? 1 << cpu : gic.spiTargets[id - GIC_INTERNAL]!;
    }
    if (offset < 0xf00) {
      const id = (offset - Gicd.ICFGR) * 4;
      if (id >= gic.interruptCount) return this.unknown(offset, 'read', 1);
      let bits = 0;
      for (let i = 0; i < 4; i++) if (gic.edgeTriggered[gic.slot(cpu, id + i)] !== 0) bits |= 2 << (2 * i);
      return bits;
    }
    if (offset >= Gicd.CPENDSGIR && offset < Gicd.SPENDSGIR + 16) {
      const sgi = (offset - Gicd.CPENDSGIR) & 0xf;
      return gic.sgiSources[cpu * GIC_SGI_COUNT + sgi]!;
    }
    if (offset >= Gicd.ID && offset < 0x1000) return (offset & 3) === 0 ? ID_BYTES[(offset - Gicd.ID) >>> 2]! : 0;
    return this.unknown(offset, 'read', 1);
  }

  private writeByte(offset: number, value: number): void {
    const gic = this.gic;
    const cpu = this.currentCpu();
    if (offset < 0x080) {
      if (offset === Gicd.CTLR) gic.distributorControl = value & 3;
      else if (offset >= 4) this.unknown(offset, 'write', 1); // TYPER, IIDR: read-only
      return;
    }
    if (offset < 0x400) {
      const region = offset & ~0x7f;
      const id = this.bitIrq(offset & 0x7f, 0);
      if (id < 0) {
        this.unknown(offset, 'write', 1);
        return;
      }
      for (let i = 0; i < 8; i++) {
        const s = gic.slot(cpu, id + i);
        const set = (value >>> i) & 1;
        if (region === Gicd.IGROUPR) {
          gic.group[s] = set;
          continue;
        }
        if (set === 0) continue;
        // SGIs cannot be disabled, nor set or cleared pending here (4.3.5, 4.3.7: SPENDSGIR does that).
        switch (region) {
          case Gicd.ISENABLER: gic.enabled[s] = 1; break;
          case Gicd.ICENABLER: if (id + i >= GIC_SGI_COUNT) gic.enabled[s] = 0; break;
          case Gicd.ISPENDR: if (id + i >= GIC_SGI_COUNT) gic.pendingLatch[s] = 1; break;
          case Gicd.ICPENDR: if (id + i >= GIC_SGI_COUNT) gic.pendingLatch[s] = 0; break;
          case Gicd.ISACTIVER: gic.active[s] = 1; break;
          default: gic.active[s] = 0; break;
        }
      }
      return;
    }
    if (offset < 0x800) {
      const id = offset - Gicd.IPRIORITYR;
      if (id < gic.interruptCount) gic.priority[gic.slot(cpu, id)] = value;
      else this.unknown(offset, 'write', 1);
      return;
    }
    if (offset < 0xc00) {
      const id = offset - Gicd.ITARGETSR;
      if (id >= gic.interruptCount) this.unknown(offset, 'write', 1);
      // SGI/PPI targets are read-only; a uniprocessor GIC ignores writes (targets are CPU 0).
      else if (id >= GIC_INTERNAL && gic.cpuCount > 1) gic.spiTargets[id - GIC_INTERNAL] = value & ((1 << gic.cpuCount) - 1);
      return;
    }
    if (offset < 0xf00) {
      const id = (offset - Gicd.ICFGR) * 4;
      if (id >= gic.interruptCount) {
        this.unknown(offset, 'write', 1);
        return;
      }
      // SGIs stay edge-triggered (4.3.13); Int_config[0] is reserved in GICv2.
      for (let i = 0; i < 4; i++) {
        if (id + i < GIC_SGI_COUNT) continue;
        gic.edgeTriggered[gic.slot(cpu, id + i)] = (value >>> (2 * i + 1)) & 1;
      }
      return;
    }
    if (offset >= Gicd.CPENDSGIR && offset < Gicd.SPENDSGIR + 16) {
      const sgi = (offset - Gicd.CPENDSGIR) & 0xf;
      const at = cpu * GIC_SGI_COUNT + sgi;
      const sources = offset < Gicd.SPENDSGIR ? gic.sgiSources[at]! & ~value : gic.sgiSources[at]! | value;
      gic.sgiSources[at] = sources & ((1 << gic.cpuCount) - 1);
      gic.pendingLatch[gic.slot(cpu, sgi)] = gic.sgiSources[at] !== 0 ? 1 : 0;
      return;
    }
    this.unknown(offset, 'write', 1);
  }

  /** Unknown or reserved offsets read as zero and ignore writes; each is logged once. */
  private unknown(offset: number, access: 'read' | 'write', size: number): number {
    this.unknownAccesses.report(access, offset, size);
    return 0;
  }
}
