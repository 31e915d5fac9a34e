import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Gic, GicCpuInterface, GicDistributor, SPURIOUS, SPURIOUS_GROUP1 } from '../../../src/hw/gic/index.js';

// GICH offsets (ARM IHI 0048B table 5-1), GICV = GICC layout (table 5-8), GICD (table 4-1).
const GICH_HCR = 0x000, GICH_VTR = 0x004, GICH_VMCR = 0x008, GICH_MISR = 0x010, GICH_EISR0 = 0x020, GICH_EISR1 = 0x024;
const GICH_ELRSR0 = 0x030, GICH_ELRSR1 = 0x034, GICH_APR = 0x0f0, GICH_LR0 = 0x100;
const GICV_CTLR = 0x00, GICV_PMR = 0x04, GICV_BPR = 0x08, GICV_IAR = 0x0c, GICV_EOIR = 0x10, GICV_RPR = 0x14, GICV_HPPIR = 0x18;
const GICV_ABPR = 0x1c, GICV_APR0 = 0xd0, GICV_IIDR = 0xfc, GICV_DIR = 0x1000;
const GICD_CTLR = 0x000, GICD_TYPER = 0x004, GICD_ISENABLER = 0x100, GICD_ISPENDR = 0x200, GICD_ISACTIVER = 0x300, GICD_ICFGR = 0xc00;
const GICC_CTLR = 0x00, GICC_PMR = 0x04, GICC_IAR = 0x0c, GICC_IIDR = 0xfc;

// HCR bits and MISR causes (5.3.2, 5.3.5).
const EN = 1 << 0, UIE = 1 << 1, LRENPIE = 1 << 2, NPIE = 1 << 3, VGRP0EIE = 1 << 4, VGRP0DIE = 1 << 5, VGRP1EIE = 1 << 6, VGRP1DIE = 1 << 7;
const MISR_EOI = 1 << 0, MISR_U = 1 << 1, MISR_LRENP = 1 << 2, MISR_NP = 1 << 3;
const MISR_VGRP0E = 1 << 4, MISR_VGRP0D = 1 << 5, MISR_VGRP1E = 1 << 6, MISR_VGRP1D = 1 << 7;
const MAINTENANCE_ID = 25;

/** A GICH_LR value (5.3.9) built from its fields. */
function lr(fields: { id: number; priority?: number; state?: 'pending' | 'active' | 'both'; group1?: boolean; eoi?: boolean; hw?: number; cpuId?: number }): number {
  const state = { pending: 1, active: 2, both: 3 }[fields.state ?? 'pending'];
  let value = fields.id | (((fields.priority ?? 0) >>> 3) << 23) | (state << 28);
  if (fields.group1 === true) value |= 1 << 30;
  if (fields.hw !== undefined) value |= (1 << 31) | (fields.hw << 10);
  else {
    if (fields.eoi === true) value |= 1 << 19;
    value |= (fields.cpuId ?? 0) << 10;
  }
  return value >>> 0;
}

const lrState = (value: number) => (value >>> 28) & 3;

function makeVirtualGic(cpus = 1) {
  const lines = Array.from({ length: cpus }, () => ({ irq: false, fiq: false, virq: false, vfiq: false }));
  const logs: string[] = [];
  const gic = new Gic(
    cpus,
    64,
    lines.map((l) => ({
      irq: { set: (v: boolean) => { l.irq = v; } },
      fiq: { set: (v: boolean) => { l.fiq = v; } },
      virq: { set: (v: boolean) => { l.virq = v; } },
      vfiq: { set: (v: boolean) => { l.vfiq = v; } },
    })),
    { virtualization: true, log: (m) => logs.push(m) },
  );
  const gich = gic.hypervisorInterface!;
  const gicv = gic.virtualCpuInterface!;
  const dist = new GicDistributor(gic);
  const cpuIf = new GicCpuInterface(gic);
  let cpu = 0;
  gich.currentCpu = gicv.currentCpu = dist.currentCpu = cpuIf.currentCpu = () => cpu;
  const onCpu = (n: number) => { cpu = n; };
  /** The hypervisor enables the virtual interface, the guest its Group 0 interrupts with the widest mask. */
  const enable = () => {
    gich.write(GICH_HCR, 4, EN);
    gicv.write(GICV_CTLR, 4, 1);
    gicv.write(GICV_PMR, 4, 0xff);
  };
  /** The maintenance interrupt as the distributor sees it: ID 25 pending for the current CPU. */
  const maintenancePending = () => ((dist.read(GICD_ISPENDR, 4) >>> MAINTENANCE_ID) & 1) === 1;
  return { gic, gich, gicv, dist, cpuIf, lines, logs, onCpu, enable, maintenancePending };
}

test('gic-virt: without the option there is no GICH, GICV nor virtual state; GICD_TYPER and GICC_IIDR are the same either way', () => {
  const plain = new Gic(2, 64, []);
  assert.equal(plain.hypervisorInterface, undefined);
  assert.equal(plain.virtualCpuInterface, undefined);
  assert.equal(plain.virtualInterface, undefined);
  assert.equal(Object.keys(plain.snapshot().arrays).some((name) => name.startsWith('virtual.')), false);
  const virt = new Gic(2, 64, [], { virtualization: true });
  for (const [name, gic] of [['plain', plain], ['virt', virt]] as const) {
    assert.equal(new GicDistributor(gic).read(GICD_TYPER, 4), 1 | (1 << 5), name);
    assert.equal(new GicCpuInterface(gic).read(GICC_IIDR, 4), 0x0002043b, name);
  }
});

test('gic-virt: GICH_VTR reads 4 list registers and 5 priority/preemption bits (0x90000003, QEMU); reset state', () => {
  const { gich, gicv } = makeVirtualGic();
  assert.equal(gich.read(GICH_VTR, 4), 0x90000003);
  assert.equal(gich.read(GICH_HCR, 4), 0);
  // VMCR at reset: BPR 2 [23:21], ABPR 3 [20:18], everything else 0.
  assert.equal(gich.read(GICH_VMCR, 4), (2 << 21) | (3 << 18));
  assert.equal(gich.read(GICH_ELRSR0, 4), 0xf, 'all four LRs empty');
  assert.equal(gich.read(GICH_ELRSR1, 4), 0);
  assert.equal(gich.read(GICH_EISR0, 4), 0);
  assert.equal(gicv.read(GICV_IIDR, 4), 0x0002043b);
  assert.equal(gicv.read(GICV_RPR, 4), 0xff);
  assert.equal(gicv.read(GICV_IAR, 4), SPURIOUS);
});

test('gic-virt: list registers keep their implemented bits only; LR4-LR63 and reserved HCR bits are RAZ/WI', () => {
  const { gich } = makeVirtualGic();
  gich.write(GICH_LR0 + 12, 4, 0xffffffff);
  assert.equal(gich.read(GICH_LR0 + 12, 4), 0xff8fffff, 'bits [22:20] reserved');
  gich.write(GICH_LR0 + 16, 4, 0x10000020);
  assert.equal(gich.read(GICH_LR0 + 16, 4), 0);
  gich.write(GICH_HCR, 4, 0xffffffff);
  assert.equal(gich.read(GICH_HCR, 4), 0xf80000ff);
  gich.write(GICH_VTR, 4, 0);
  assert.equal(gich.read(GICH_VTR, 4), 0x90000003);
});

test('gic-virt: the guest acknowledges a pending LR through GICV_IAR (LR pending → active, APR bit) and its EOI empties it', () => {
  const { gich, gicv, lines, enable } = makeVirtualGic();
  enable();
  gich.write(GICH_LR0, 4, lr({ id: 40, priority: 0xa0 }));
  assert.equal(lines[0]!.virq, true);
  assert.equal(lines[0]!.irq, false, 'the physical IRQ is not involved');
  assert.equal(gich.read(GICH_ELRSR0, 4), 0b1110);
  assert.equal(gicv.read(GICV_HPPIR, 4), 40);
  assert.equal(gicv.read(GICV_IAR, 4), 40);
  assert.equal(lrState(gich.read(GICH_LR0, 4)), 2, 'active');
  assert.equal(lines[0]!.virq, false);
  assert.equal(gicv.read(GICV_RPR, 4), 0xa0);
  // Preemption level = priority >> 3: 0xa0 → bit 20 of GICH_APR, which GICV_APR0 aliases.
  assert.equal(gich.read(GICH_APR, 4), 1 << 20);
  assert.equal(gicv.read(GICV_APR0, 4), 1 << 20);
  assert.equal(gicv.read(GICV_IAR, 4), SPURIOUS, 'nothing else pending');
  gicv.write(GICV_EOIR, 4, 40);
  assert.equal(gich.read(GICH_LR0, 4) >>> 28 & 3, 0, 'invalid');
  assert.equal(gich.read(GICH_APR, 4), 0);
  assert.equal(gicv.read(GICV_RPR, 4), 0xff);
  assert.equal(gich.read(GICH_ELRSR0, 4), 0xf);
});

test('gic-virt: the virtual priority mask hides LRs at or below it; GICV_PMR keeps 5 bits', () => {
  const { gich, gicv, lines, enable } = makeVirtualGic();
  enable();
  assert.equal(gicv.read(GICV_PMR, 4), 0xf8);
  gicv.write(GICV_PMR, 4, 0xa0);
  gich.write(GICH_LR0, 4, lr({ id: 50, priority: 0xa0 }));
  assert.equal(lines[0]!.virq, false);
  assert.equal(gicv.read(GICV_HPPIR, 4), SPURIOUS);
  assert.equal(gicv.read(GICV_IAR, 4), SPURIOUS);
  gicv.write(GICV_PMR, 4, 0xa8);
  assert.equal(lines[0]!.virq, true);
  assert.equal(gicv.read(GICV_IAR, 4), 50);
  // Disabled interface (GICH_HCR.En = 0): nothing is signalled, whatever the LRs hold.
  gich.write(GICH_LR0 + 4, 4, lr({ id: 51, priority: 0x10 }));
  assert.equal(lines[0]!.virq, true);
  gich.write(GICH_HCR, 4, 0);
  assert.equal(lines[0]!.virq, false);
  assert.equal(gicv.read(GICV_IAR, 4), SPURIOUS);
});

test('gic-virt: preemption by group priority with GICH_APR: equal priority waits, higher preempts; EOIs unwind the levels', () => {
  const { gich, gicv, lines, enable } = makeVirtualGic();
  enable();
  gich.write(GICH_LR0, 4, lr({ id: 60, priority: 0x80 }));
  assert.equal(gicv.read(GICV_IAR, 4), 60);
  gich.write(GICH_LR0 + 4, 4, lr({ id: 61, priority: 0x80 }));
  assert.equal(lines[0]!.virq, false, 'same priority does not preempt');
  assert.equal(gicv.read(GICV_HPPIR, 4), 61);
  assert.equal(gicv.read(GICV_IAR, 4), SPURIOUS);
  gich.write(GICH_LR0 + 8, 4, lr({ id: 62, priority: 0x40 }));
  assert.equal(lines[0]!.virq, true, 'higher priority preempts');
  assert.equal(gicv.read(GICV_IAR, 4), 62);
  assert.equal(gich.read(GICH_APR, 4), (1 << 16) | (1 << 8));
  assert.equal(gicv.read(GICV_RPR, 4), 0x40);
  gicv.write(GICV_EOIR, 4, 62);
  assert.equal(gicv.read(GICV_RPR, 4), 0x80);
  gicv.write(GICV_EOIR, 4, 60);
  assert.equal(gicv.read(GICV_RPR, 4), 0xff);
  assert.equal(gicv.read(GICV_IAR, 4), 61);
  // A binary point of 4 makes 0x40 and 0x50 one group priority ([7:5]): no preemption between them.
  gicv.write(GICV_BPR, 4, 4);
  gich.write(GICH_LR0, 4, lr({ id: 63, priority: 0x40 }));
  gicv.write(GICV_EOIR, 4, 61);
  gich.write(GICH_LR0 + 4, 4, lr({ id: 64, priority: 0x50 }));
  assert.equal(gicv.read(GICV_IAR, 4), 63);
  assert.equal(gicv.read(GICV_IAR, 4), SPURIOUS);
  gicv.write(GICV_BPR, 4, 0);
  assert.equal(gicv.read(GICV_BPR, 4), 2, 'minimum virtual binary point');
  gicv.write(GICV_ABPR, 4, 0);
  assert.equal(gicv.read(GICV_ABPR, 4), 3);
});

test('gic-virt: the hypervisor restores the running priority by writing GICH_APR (a world switch)', () => {
  const { gich, gicv, lines, enable } = makeVirtualGic();
  enable();
  gich.write(GICH_APR, 4, 1 << 4); // priority 0x20 active
  gich.write(GICH_LR0, 4, lr({ id: 70, priority: 0x20 }));
  assert.equal(gicv.read(GICV_RPR, 4), 0x20);
  assert.equal(lines[0]!.virq, false);
  gich.write(GICH_APR, 4, 0);
  assert.equal(lines[0]!.virq, true);
});

test('gic-virt: EOImode 1: GICV_EOIR only drops priority, GICV_DIR deactivates; DIR without EOImode is ignored', () => {
  const { gich, gicv, enable } = makeVirtualGic();
  enable();
  gich.write(GICH_LR0, 4, lr({ id: 80, priority: 0x60 }));
  assert.equal(gicv.read(GICV_IAR, 4), 80);
  gicv.write(GICV_DIR, 4, 80);
  assert.equal(lrState(gich.read(GICH_LR0, 4)), 2, 'EOImode 0: DIR ignored');
  gicv.write(GICV_EOIR, 4, 80);
  gicv.write(GICV_CTLR, 4, 1 | (1 << 9));
  assert.equal(gicv.read(GICV_CTLR, 4), 1 | (1 << 9));
  gich.write(GICH_LR0, 4, lr({ id: 81, priority: 0x60 }));
  assert.equal(gicv.read(GICV_IAR, 4), 81);
  gicv.write(GICV_EOIR, 4, 81);
  assert.equal(gicv.read(GICV_RPR, 4), 0xff, 'priority dropped');
  assert.equal(lrState(gich.read(GICH_LR0, 4)), 2, 'still active');
  gicv.write(GICV_DIR, 4, 81);
  assert.equal(lrState(gich.read(GICH_LR0, 4)), 0);
  assert.equal(gich.read(GICH_HCR, 4) >>> 27, 0);
  gicv.write(GICV_DIR, 4, 82); // in no LR
  assert.equal(gich.read(GICH_HCR, 4) >>> 27, 1, 'EOICount');
});

test('gic-virt: a pending-and-active LR is not signalled again; its EOI leaves it pending', () => {
  const { gich, gicv, lines, enable } = makeVirtualGic();
  enable();
  gich.write(GICH_LR0, 4, lr({ id: 90, priority: 0x60, state: 'both' }));
  assert.equal(lines[0]!.virq, false);
  gich.write(GICH_APR, 4, 1 << 12);
  gicv.write(GICV_EOIR, 4, 90);
  assert.equal(lrState(gich.read(GICH_LR0, 4)), 1);
  assert.equal(lines[0]!.virq, true);
});

test('gic-virt: an LR with HW = 1 deactivates its physical interrupt in the distributor when the guest completes it', () => {
  const { gich, gicv, dist, cpuIf, gic, enable } = makeVirtualGic();
  dist.write(GICD_CTLR, 4, 1);
  cpuIf.write(GICC_CTLR, 4, 1);
  cpuIf.write(GICC_PMR, 4, 0xff);
  dist.write(GICD_ICFGR + 8, 4, 2 << 2); // ID 33 edge-triggered
  dist.write(GICD_ISENABLER + 4, 4, 1 << 1);
  const line = gic.spiLine(1);
  line.set(true);
  line.set(false);
  // The hypervisor takes the physical interrupt, drops its priority (EOImode 1) and hands it to the guest.
  cpuIf.write(GICC_CTLR, 4, 1 | (1 << 9));
  assert.equal(cpuIf.read(GICC_IAR, 4), 33);
  cpuIf.write(0x10, 4, 33);
  assert.equal((dist.read(GICD_ISACTIVER + 4, 4) >>> 1) & 1, 1);
  enable();
  gich.write(GICH_LR0, 4, lr({ id: 33, priority: 0x80, hw: 33 }));
  assert.equal(gicv.read(GICV_IAR, 4), 33);
  assert.equal((dist.read(GICD_ISACTIVER + 4, 4) >>> 1) & 1, 1, 'still active while the guest handles it');
  // Edge again while active: pending-and-active; the deactivation makes it signal again.
  line.set(true);
  line.set(false);
  assert.equal(cpuIf.read(GICC_IAR, 4), SPURIOUS);
  gicv.write(GICV_EOIR, 4, 33);
  assert.equal((dist.read(GICD_ISACTIVER + 4, 4) >>> 1) & 1, 0, 'physical interrupt deactivated');
  assert.equal(gich.read(GICH_ELRSR0, 4) & 1, 1, 'an HW LR is free once invalid');
  assert.equal(cpuIf.read(GICC_IAR, 4), 33);
});

test('gic-virt: HW = 1 with an SGI as PhysicalID deactivates nothing (UNPREDICTABLE, ignored as QEMU)', () => {
  const { gich, gicv, dist, enable } = makeVirtualGic();
  dist.write(GICD_ISACTIVER, 4, 1 << 3);
  enable();
  gich.write(GICH_LR0, 4, lr({ id: 40, priority: 0x80, hw: 3 }));
  assert.equal(gicv.read(GICV_IAR, 4), 40);
  gicv.write(GICV_EOIR, 4, 40);
  assert.equal(lrState(gich.read(GICH_LR0, 4)), 0);
  assert.equal(dist.read(GICD_ISACTIVER, 4), 1 << 3);
});

test('gic-virt: MISR.EOI: an LR with EOI = 1 completed by the guest sets its EISR bit (not ELRSR) and raises the maintenance interrupt', () => {
  const { gich, gicv, dist, cpuIf, lines, enable, maintenancePending } = makeVirtualGic();
  dist.write(GICD_CTLR, 4, 1);
  dist.write(GICD_ISENABLER, 4, 1 << MAINTENANCE_ID);
  cpuIf.write(GICC_CTLR, 4, 1);
  cpuIf.write(GICC_PMR, 4, 0xff);
  enable();
  gich.write(GICH_LR0 + 8, 4, lr({ id: 41, priority: 0x80, eoi: true }));
  assert.equal(gich.read(GICH_MISR, 4), 0);
  assert.equal(maintenancePending(), false);
  assert.equal(gicv.read(GICV_IAR, 4), 41);
  gicv.write(GICV_EOIR, 4, 41);
  assert.equal(gich.read(GICH_EISR0, 4), 1 << 2);
  assert.equal(gich.read(GICH_EISR1, 4), 0);
  assert.equal(gich.read(GICH_ELRSR0, 4), 0b1011, 'awaiting maintenance: not empty');
  assert.equal(gich.read(GICH_MISR, 4), MISR_EOI);
  assert.equal(maintenancePending(), true);
  assert.equal(lines[0]!.irq, true, 'the hypervisor is interrupted');
  assert.equal(cpuIf.read(GICC_IAR, 4), MAINTENANCE_ID);
  // The hypervisor empties the LR: the level-sensitive maintenance interrupt goes away.
  gich.write(GICH_LR0 + 8, 4, 0);
  assert.equal(gich.read(GICH_MISR, 4), 0);
  assert.equal(maintenancePending(), false);
  assert.equal(gich.read(GICH_ELRSR0, 4), 0xf);
});

test('gic-virt: MISR.U (UIE: at most one valid LR) and MISR.NP (NPIE: no pending LR)', () => {
  const { gich, gicv, enable, maintenancePending } = makeVirtualGic();
  enable();
  gich.write(GICH_HCR, 4, EN | UIE);
  assert.equal(gich.read(GICH_MISR, 4), MISR_U, 'no valid LR');
  assert.equal(maintenancePending(), true);
  gich.write(GICH_LR0, 4, lr({ id: 32, priority: 0x80 }));
  assert.equal(gich.read(GICH_MISR, 4), MISR_U, 'one valid LR');
  gich.write(GICH_LR0 + 4, 4, lr({ id: 33, priority: 0x80, state: 'active' }));
  assert.equal(gich.read(GICH_MISR, 4), 0, 'two valid LRs');
  assert.equal(maintenancePending(), false);
  gich.write(GICH_HCR, 4, EN | NPIE);
  assert.equal(gich.read(GICH_MISR, 4), 0, 'LR0 pending');
  assert.equal(gicv.read(GICV_IAR, 4), 32);
  assert.equal(gich.read(GICH_MISR, 4), MISR_NP, 'only active LRs left');
  assert.equal(maintenancePending(), true);
});

test('gic-virt: MISR.LRENP: EOIs of interrupts in no LR count in GICH_HCR.EOICount (mod 32)', () => {
  const { gich, gicv, enable } = makeVirtualGic();
  enable();
  gich.write(GICH_HCR, 4, EN | LRENPIE);
  gicv.write(GICV_EOIR, 4, 99);
  assert.equal(gich.read(GICH_HCR, 4) >>> 27, 0, 'no active priority to drop: not counted (QEMU)');
  gich.write(GICH_APR, 4, 1 << 10);
  gicv.write(GICV_EOIR, 4, 99);
  assert.equal(gich.read(GICH_HCR, 4) >>> 27, 1);
  assert.equal(gich.read(GICH_APR, 4), 0, 'priority dropped');
  assert.equal(gich.read(GICH_MISR, 4), MISR_LRENP);
  gicv.write(GICV_EOIR, 4, 1023);
  assert.equal(gich.read(GICH_HCR, 4) >>> 27, 1, 'spurious ID ignored');
  // The hypervisor acknowledges by writing EOICount back to 0.
  gich.write(GICH_HCR, 4, EN | LRENPIE);
  assert.equal(gich.read(GICH_MISR, 4), 0);
  // 31 + 1 wraps to 0.
  gich.write(GICH_HCR, 4, (EN | (31 << 27)) >>> 0);
  gicv.write(GICV_CTLR, 4, 1 | (1 << 9));
  gicv.write(GICV_DIR, 4, 5);
  assert.equal(gich.read(GICH_HCR, 4), EN);
});

test('gic-virt: MISR.VGrp0E/D and VGrp1E/D follow GICV_CTLR.EnableGrp0/1, each under its HCR enable', () => {
  const { gich, gicv } = makeVirtualGic();
  gich.write(GICH_HCR, 4, EN | VGRP0EIE | VGRP0DIE | VGRP1EIE | VGRP1DIE);
  assert.equal(gich.read(GICH_MISR, 4), MISR_VGRP0D | MISR_VGRP1D);
  gicv.write(GICV_CTLR, 4, 1);
  assert.equal(gich.read(GICH_MISR, 4), MISR_VGRP0E | MISR_VGRP1D);
  gicv.write(GICV_CTLR, 4, 3);
  assert.equal(gich.read(GICH_MISR, 4), MISR_VGRP0E | MISR_VGRP1E);
  gich.write(GICH_HCR, 4, EN | VGRP1DIE);
  assert.equal(gich.read(GICH_MISR, 4), 0);
});

test('gic-virt: the maintenance interrupt is asserted only while GICH_HCR.En is set', () => {
  const { gich, maintenancePending } = makeVirtualGic();
  gich.write(GICH_HCR, 4, UIE);
  assert.equal(gich.read(GICH_MISR, 4), MISR_U);
  assert.equal(maintenancePending(), false);
  gich.write(GICH_HCR, 4, UIE | EN);
  assert.equal(maintenancePending(), true);
  gich.write(GICH_HCR, 4, UIE);
  assert.equal(maintenancePending(), false);
});

test('gic-virt: Group 0 LRs signal vFIQ when GICV_CTLR.FIQEn; Group 1 needs EnableGrp1 and AckCtl to be acknowledged', () => {
  const { gich, gicv, lines, enable } = makeVirtualGic();
  enable();
  gicv.write(GICV_CTLR, 4, 1 | (1 << 3));
  gich.write(GICH_LR0, 4, lr({ id: 45, priority: 0x80 }));
  assert.equal(lines[0]!.vfiq, true);
  assert.equal(lines[0]!.virq, false);
  assert.equal(gicv.read(GICV_IAR, 4), 45);
  assert.equal(lines[0]!.vfiq, false);
  gicv.write(GICV_EOIR, 4, 45);
  gich.write(GICH_LR0, 4, lr({ id: 46, priority: 0x80, group1: true }));
  assert.equal(lines[0]!.virq, false, 'Group 1 not enabled');
  assert.equal(lines[0]!.vfiq, false);
  gicv.write(GICV_CTLR, 4, 3 | (1 << 3));
  assert.equal(lines[0]!.virq, true, 'Group 1 is an IRQ even with FIQEn');
  assert.equal(lines[0]!.vfiq, false);
  assert.equal(gicv.read(GICV_HPPIR, 4), SPURIOUS_GROUP1);
  assert.equal(gicv.read(GICV_IAR, 4), SPURIOUS_GROUP1);
  gicv.write(GICV_CTLR, 4, 3 | (1 << 2));
  assert.equal(gicv.read(GICV_IAR, 4), 46);
});

test('gic-virt: a virtual SGI reports the LR CPUID as its source in GICV_IAR[12:10]', () => {
  const { gich, gicv, enable } = makeVirtualGic();
  enable();
  gich.write(GICH_LR0, 4, lr({ id: 5, priority: 0x80, cpuId: 3 }));
  assert.equal(gicv.read(GICV_IAR, 4), 5 | (3 << 10));
  gicv.write(GICV_EOIR, 4, 5 | (3 << 10));
  assert.equal(lrState(gich.read(GICH_LR0, 4)), 0);
});

test('gic-virt: GICH_VMCR is the alias of GICV_CTLR, PMR [7:3], BPR and ABPR', () => {
  const { gich, gicv, lines } = makeVirtualGic();
  gich.write(GICH_VMCR, 4, ((0x14 << 27) | (4 << 21) | (5 << 18) | 0x21f) >>> 0);
  assert.equal(gicv.read(GICV_CTLR, 4), 0x21f);
  assert.equal(gicv.read(GICV_PMR, 4), 0xa0);
  assert.equal(gicv.read(GICV_BPR, 4), 4);
  assert.equal(gicv.read(GICV_ABPR, 4), 5);
  gicv.write(GICV_PMR, 4, 0xff);
  assert.equal(gich.read(GICH_VMCR, 4), ((0x1f << 27) | (4 << 21) | (5 << 18) | 0x21f) >>> 0);
  gich.write(GICH_VMCR, 4, 0);
  assert.equal(gicv.read(GICV_BPR, 4), 2, 'minimums apply');
  assert.equal(gicv.read(GICV_ABPR, 4), 3);
  assert.equal(lines[0]!.virq, false);
});

test('gic-virt: GICH and GICV are banked per CPU; each CPU gets its own vIRQ and maintenance interrupt (PPI 9)', () => {
  const { gich, gicv, lines, onCpu, maintenancePending } = makeVirtualGic(2);
  onCpu(1);
  gich.write(GICH_HCR, 4, EN | UIE);
  gicv.write(GICV_CTLR, 4, 1);
  gicv.write(GICV_PMR, 4, 0xff);
  gich.write(GICH_LR0, 4, lr({ id: 48, priority: 0x80 }));
  assert.equal(lines[1]!.virq, true);
  assert.equal(maintenancePending(), true);
  onCpu(0);
  assert.equal(lines[0]!.virq, false);
  assert.equal(maintenancePending(), false, 'CPU 0 maintenance interrupt');
  assert.equal(gich.read(GICH_LR0, 4), 0);
  assert.equal(gich.read(GICH_HCR, 4), 0);
  assert.equal(gicv.read(GICV_IAR, 4), SPURIOUS);
  onCpu(1);
  assert.equal(gicv.read(GICV_IAR, 4), 48);
  assert.equal(lines[1]!.virq, false);
});

test('gic-virt: a snapshot carries the virtual interface state and restoring re-drives vIRQ', () => {
  const a = makeVirtualGic();
  a.enable();
  a.gich.write(GICH_LR0, 4, lr({ id: 52, priority: 0x40 }));
  a.gich.write(GICH_LR0 + 4, 4, lr({ id: 53, priority: 0x80 }));
  assert.equal(a.gicv.read(GICV_IAR, 4), 52);
  const snapshot = a.gic.snapshot();
  const b = makeVirtualGic();
  b.gic.restore(snapshot);
  assert.equal(b.gich.read(GICH_LR0 + 4, 4), lr({ id: 53, priority: 0x80 }));
  assert.equal(b.gicv.read(GICV_RPR, 4), 0x40);
  b.gicv.write(GICV_EOIR, 4, 52);
  assert.equal(b.lines[0]!.virq, true);
  assert.equal(b.gicv.read(GICV_IAR, 4), 53);
  assert.throws(() => new Gic(1, 64, []).restore(snapshot), RangeError, 'a GIC without the extensions does not fit');
});

test('gic-virt: unknown GICH/GICV offsets and non-word accesses read as zero and are logged once', () => {
  const { gich, gicv, logs } = makeVirtualGic();
  assert.equal(gich.read(0x40, 4), 0);
  gich.write(0x40, 4, 1);
  assert.equal(gich.read(GICH_HCR, 1), 0);
  assert.equal(gicv.read(0x800, 4), 0);
  assert.equal(gicv.read(GICV_APR0 + 4, 4), 0, 'GICV_APR1: RAZ');
  gicv.write(GICV_APR0 + 4, 4, 1);
  assert.equal(gicv.read(GICV_APR0, 4), 0);
  assert.equal(logs.length, 4);
});
