import { Gic, GicCpuInterface, GicDistributor } from '../../../src/hw/gic/index.js';
import { UNCONNECTED } from '../../../src/hw/interrupt-line.js';
import { VirtualGic } from '../../../src/hypervisor/vgic/index.js';
import type { GichPort } from '../../../src/hypervisor/vgic/index.js';

// Register offsets: GICD (ARM IHI 0048B table 4-1), GICC/GICV (tables 4-2, 5-8), GICH (table 5-1).
export const GICD_CTLR = 0x000, GICD_TYPER = 0x004, GICD_ISENABLER = 0x100, GICD_ICENABLER = 0x180, GICD_ISPENDR = 0x200;
export const GICD_ISACTIVER = 0x300, GICD_IPRIORITYR = 0x400, GICD_ITARGETSR = 0x800, GICD_ICFGR = 0xc00, GICD_SGIR = 0xf00;
export const GICC_CTLR = 0x00, GICC_PMR = 0x04, GICC_IAR = 0x0c, GICC_EOIR = 0x10;
export const GICH_HCR = 0x000, GICH_VMCR = 0x008, GICH_MISR = 0x010, GICH_EISR0 = 0x020, GICH_APR = 0x0f0;
const GICH_LR0 = 0x100;
export const HCR_EN = 1 << 0, HCR_UIE = 1 << 1, MISR_EOI = 1 << 0, MISR_U = 1 << 1;
export const LR_HW = 0x80000000;
export const lrState = (lr: number) => (lr >>> 28) & 3;
export const lrId = (lr: number) => lr & 0x3ff;
export const MAINTENANCE_ID = 25;

/** The board's GIC with the virtualization extensions, its physical CPUs' lines recorded. */
export function physicalGic(cpus = 2) {
  const lines = Array.from({ length: cpus }, () => ({ irq: false, virq: false }));
  const gic = new Gic(
    cpus,
    288,
    lines.map((l) => ({
      irq: { set: (v: boolean) => { l.irq = v; } },
      fiq: UNCONNECTED,
      virq: { set: (v: boolean) => { l.virq = v; } },
      vfiq: UNCONNECTED,
    })),
    { virtualization: true },
  );
  const gich = gic.hypervisorInterface!;
  const gicv = gic.virtualCpuInterface!;
  const gicd = new GicDistributor(gic);
  const gicc = new GicCpuInterface(gic);
  let cpu = 0;
  gich.currentCpu = gicv.currentCpu = gicd.currentCpu = gicc.currentCpu = () => cpu;
  /** The GICH frame of the physical CPU the hypervisor runs on. */
  const port: GichPort = { read: (offset) => gich.read(offset, 4), write: (offset, value) => gich.write(offset, 4, value) };
  return {
    gic, gicd, gicc, gicv, port, lines,
    onCpu: (n: number) => { cpu = n; },
    lr: (n: number) => gich.read(GICH_LR0 + 4 * n, 4),
    lrs: () => [0, 1, 2, 3].map((n) => gich.read(GICH_LR0 + 4 * n, 4)),
    /** The guest, through GICV: enables Group 0 with the widest priority mask. */
    guestEnable: () => {
      gicv.write(GICC_CTLR, 4, 1);
      gicv.write(GICC_PMR, 4, 0xff);
    },
    ack: () => gicv.read(GICC_IAR, 4),
    eoi: (value: number) => gicv.write(GICC_EOIR, 4, value),
  };
}

/** A VM's vGIC recording its kicks, and the guest's GICD as vCPU `vcpu` reaches it. */
export function vm(vcpus = 1, interrupts = 288) {
  const kicks: number[] = [];
  const vgic = new VirtualGic(vcpus, interrupts, { kick: (vcpu) => kicks.push(vcpu) });
  const gicd = (vcpu: number) => ({
    read: (offset: number) => {
      vgic.currentVcpu = vcpu;
      return vgic.distributor.read(offset, 4);
    },
    write: (offset: number, value: number) => {
      vgic.currentVcpu = vcpu;
      vgic.distributor.write(offset, 4, value);
    },
    writeByte: (offset: number, value: number) => {
      vgic.currentVcpu = vcpu;
      vgic.distributor.write(offset, 1, value);
    },
  });
  /** The guest enables interrupt `id` (Group 0) at `priority` in its distributor. */
  const enable = (vcpu: number, id: number, priority: number) => {
    const d = gicd(vcpu);
    d.write(GICD_CTLR, 1);
    d.writeByte(GICD_IPRIORITYR + id, priority);
    d.write(GICD_ISENABLER + 4 * (id >>> 5), 1 << (id & 31));
  };
  const bit = (offset: number, id: number, vcpu = 0) => ((gicd(vcpu).read(offset + 4 * (id >>> 5)) >>> (id & 31)) & 1) === 1;
  return { vgic, kicks, gicd, enable, bit };
}
