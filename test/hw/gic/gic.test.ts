import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Gic, GicCpuInterface, GicDistributor, SPURIOUS, SPURIOUS_GROUP1 } from '../../../src/hw/gic/index.js';

// Offsets from ARM IHI 0048B tables 4-1 (distributor) and 4-2 (CPU interface).
const GICD_CTLR = 0x000, GICD_TYPER = 0x004, GICD_IGROUPR = 0x080, GICD_ISENABLER = 0x100, GICD_ICENABLER = 0x180;
const GICD_ISPENDR = 0x200, GICD_ICPENDR = 0x280, GICD_ISACTIVER = 0x300, GICD_IPRIORITYR = 0x400, GICD_ITARGETSR = 0x800;
const GICD_ICFGR = 0xc00, GICD_SGIR = 0xf00, GICD_SPENDSGIR = 0xf20;
const GICC_CTLR = 0x00, GICC_PMR = 0x04, GICC_BPR = 0x08, GICC_IAR = 0x0c, GICC_EOIR = 0x10, GICC_RPR = 0x14, GICC_HPPIR = 0x18;
const GICC_APR0 = 0xd0, GICC_DIR = 0x1000;

function makeGic(cpus = 1, interrupts = 288) {
  const irq = Array.from({ length: cpus }, () => false);
  const fiq = Array.from({ length: cpus }, () => false);
  const gic = new Gic(cpus, interrupts, irq.map((_, i) => ({ irq: { set: (l: boolean) => { irq[i] = l; } }, fiq: { set: (l: boolean) => { fiq[i] = l; } } })));
  const logs: string[] = [];
  const dist = new GicDistributor(gic, (m) => logs.push(m));
  const cpuIf = new GicCpuInterface(gic, (m) => logs.push(m));
  const enable = () => {
    dist.write(GICD_CTLR, 4, 1);
    cpuIf.write(GICC_CTLR, 4, 1);
    cpuIf.write(GICC_PMR, 4, 0xff);
  };
  return { gic, dist, cpuIf, irq, fiq, logs, enable };
}

test('gic: GICD_TYPER of QEMU virt (288 interrupts, 1 CPU) reads ITLinesNumber 8, CPUNumber 0, no SecurityExtn', () => {
  const { dist } = makeGic();
  assert.equal(dist.read(GICD_TYPER, 4), 0x8);
  assert.equal(makeGic(4, 288).dist.read(GICD_TYPER, 4), 0x8 | (3 << 5));
});

test('gic: SGIs are enabled and edge-triggered from reset and cannot be disabled (4.3.5, 4.3.13)', () => {
  const { dist } = makeGic();
  assert.equal(dist.read(GICD_ISENABLER, 4), 0xffff);
  dist.write(GICD_ICENABLER, 4, 0xffffffff);
  assert.equal(dist.read(GICD_ISENABLER, 4), 0xffff);
  assert.equal(dist.read(GICD_ICFGR, 4) >>> 0, 0xaaaaaaaa);
});

test('gic: a level-sensitive SPI is pending while its line is high, and signals IRQ once enabled with priority below PMR', () => {
  const { gic, dist, cpuIf, irq, enable } = makeGic();
  enable();
  const line = gic.spiLine(1); // ID 33
  line.set(true);
  assert.equal((dist.read(GICD_ISPENDR + 4, 4) >>> 1) & 1, 1);
  assert.equal(irq[0], false, 'not enabled yet');
  dist.write(GICD_IPRIORITYR + 33, 1, 0xa0);
  dist.write(GICD_ISENABLER + 4, 4, 1 << 1);
  assert.equal(irq[0], true);
  assert.equal(cpuIf.read(GICC_HPPIR, 4), 33);
  assert.equal(cpuIf.read(GICC_IAR, 4), 33);
  assert.equal(irq[0], false, 'active: no longer signalled');
  // Still pending (line high) and active: pending-and-active (3.2.4)
  assert.equal((dist.read(GICD_ISPENDR + 4, 4) >>> 1) & 1, 1);
  assert.equal((dist.read(GICD_ISACTIVER + 4, 4) >>> 1) & 1, 1);
  line.set(false);
  assert.equal((dist.read(GICD_ISPENDR + 4, 4) >>> 1) & 1, 0);
  cpuIf.write(GICC_EOIR, 4, 33);
  assert.equal(dist.read(GICD_ISACTIVER + 4, 4), 0);
  assert.equal(cpuIf.read(GICC_IAR, 4), SPURIOUS);
});

test('gic: an edge-triggered interrupt is latched by a rising edge and stays pending after the line falls', () => {
  const { gic, dist, cpuIf, enable } = makeGic();
  enable();
  dist.write(GICD_ICFGR + 8, 4, 2 << 2); // ID 33 edge
  dist.write(GICD_ISENABLER + 4, 4, 1 << 1);
  const line = gic.spiLine(1);
  line.set(true);
  line.set(false);
  assert.equal(cpuIf.read(GICC_IAR, 4), 33);
  cpuIf.write(GICC_EOIR, 4, 33);
  assert.equal(cpuIf.read(GICC_IAR, 4), SPURIOUS);
});

test('gic: priority mask: an interrupt is signalled only when its priority is higher (lower value) than PMR', () => {
  const { dist, cpuIf, irq, enable } = makeGic();
  enable();
  dist.write(GICD_IPRIORITYR + 3, 1, 0x80);
  dist.write(GICD_SGIR, 4, (2 << 24) | 3);
  assert.equal(irq[0], true);
  cpuIf.write(GICC_PMR, 4, 0x80);
  assert.equal(irq[0], false);
  assert.equal(cpuIf.read(GICC_HPPIR, 4), SPURIOUS);
  assert.equal(cpuIf.read(GICC_IAR, 4), SPURIOUS);
  cpuIf.write(GICC_PMR, 4, 0x81);
  assert.equal(cpuIf.read(GICC_IAR, 4), 3);
});

test('gic: preemption compares group priorities under the binary point (3.3.3); RPR and APR track the active level', () => {
  const { dist, cpuIf, irq, enable } = makeGic();
  enable();
  cpuIf.write(GICC_BPR, 4, 3); // group priority = bits [7:4]
  dist.write(GICD_IPRIORITYR, 4, 0x00888000 | 0x70 << 24); // SGI1 0x80, SGI2 0x88, SGI3 0x70
  dist.write(GICD_SGIR, 4, (2 << 24) | 1);
  assert.equal(cpuIf.read(GICC_IAR, 4), 1);
  assert.equal(cpuIf.read(GICC_RPR, 4), 0x80);
  // Preemption level = priority >> 1 with QEMU's minimum binary point 0: 0x80 → level 64 = APR2 bit 0.
  assert.equal(cpuIf.read(GICC_APR0 + 8, 4), 1);
  dist.write(GICD_SGIR, 4, (2 << 24) | 2);
  assert.equal(irq[0], false, 'same group priority does not preempt');
  assert.equal(cpuIf.read(GICC_HPPIR, 4), 2);
  assert.equal(cpuIf.read(GICC_IAR, 4), SPURIOUS);
  dist.write(GICD_SGIR, 4, (2 << 24) | 3);
  assert.equal(irq[0], true, 'higher group priority preempts');
  assert.equal(cpuIf.read(GICC_IAR, 4), 3);
  assert.equal(cpuIf.read(GICC_RPR, 4), 0x70);
  cpuIf.write(GICC_EOIR, 4, 3);
  assert.equal(cpuIf.read(GICC_RPR, 4), 0x80);
  cpuIf.write(GICC_EOIR, 4, 1);
  assert.equal(cpuIf.read(GICC_RPR, 4), 0xff);
  assert.equal(cpuIf.read(GICC_IAR, 4), 2);
});

test('gic: EOImode split: EOIR only drops priority, the interrupt stays active until GICC_DIR (3.2.2, 4.4.15)', () => {
  const { dist, cpuIf, enable } = makeGic();
  enable();
  cpuIf.write(GICC_CTLR, 4, 1 | (1 << 9));
  assert.equal(cpuIf.read(GICC_CTLR, 4), 1 | (1 << 9));
  dist.write(GICD_SGIR, 4, (2 << 24) | 6);
  assert.equal(cpuIf.read(GICC_IAR, 4), 6);
  cpuIf.write(GICC_EOIR, 4, 6);
  assert.equal(cpuIf.read(GICC_RPR, 4), 0xff);
  assert.equal(dist.read(GICD_ISACTIVER, 4), 1 << 6);
  dist.write(GICD_SGIR, 4, (2 << 24) | 6);
  assert.equal(cpuIf.read(GICC_IAR, 4), SPURIOUS, 'an active interrupt is not signalled again');
  cpuIf.write(GICC_DIR, 4, 6);
  assert.equal(dist.read(GICD_ISACTIVER, 4), 0);
  assert.equal(cpuIf.read(GICC_IAR, 4), 6);
});

test('gic: SGIs carry the source CPU in IAR[12:10] and are acknowledged once per source (4.4.4)', () => {
  const { gic, cpuIf, dist } = makeGic(2, 64);
  gic.distributorControl = 1;
  cpuIf.currentCpu = () => 1;
  dist.currentCpu = () => 1;
  cpuIf.write(GICC_CTLR, 4, 1);
  cpuIf.write(GICC_PMR, 4, 0xff);
  dist.currentCpu = () => 0;
  dist.write(GICD_SGIR, 4, (0 << 24) | (1 << 17) | 5); // CPU 0 → CPU 1
  dist.currentCpu = () => 1;
  dist.write(GICD_SGIR, 4, (2 << 24) | 5); // CPU 1 → itself
  assert.equal(dist.read(GICD_SPENDSGIR + 4, 4), 0b11 << 8);
  assert.equal(cpuIf.read(GICC_IAR, 4), 5 | (0 << 10));
  cpuIf.write(GICC_EOIR, 4, 5);
  assert.equal(cpuIf.read(GICC_IAR, 4), 5 | (1 << 10));
  cpuIf.currentCpu = () => 0;
  assert.equal(cpuIf.read(GICC_IAR, 4), SPURIOUS, 'CPU 0 got nothing');
});

test('gic: banked PPIs: a PPI line of CPU 1 is pending only in CPU 1 view; ITARGETSR of SGIs/PPIs reads the CPU', () => {
  const { gic, dist } = makeGic(2, 64);
  gic.ppiLine(1, 14).set(true);
  dist.currentCpu = () => 0;
  assert.equal(dist.read(GICD_ISPENDR, 4), 0);
  assert.equal(dist.read(GICD_ITARGETSR, 4), 0x01010101);
  dist.currentCpu = () => 1;
  assert.equal(dist.read(GICD_ISPENDR, 4) >>> 0, 1 << 30 >>> 0);
  assert.equal(dist.read(GICD_ITARGETSR, 4), 0x02020202);
});

test('gic: Group 1 with AckCtl 0 acknowledges as 1022; Group 0 goes to FIQ with FIQEn (4.4.1, 4.4.4)', () => {
  const { dist, cpuIf, irq, fiq, enable } = makeGic();
  enable();
  dist.write(GICD_CTLR, 4, 3);
  dist.write(GICD_IGROUPR, 4, 1 << 7);
  cpuIf.write(GICC_CTLR, 4, 3);
  dist.write(GICD_SGIR, 4, (2 << 24) | 7);
  assert.equal(irq[0], true);
  assert.equal(cpuIf.read(GICC_HPPIR, 4), SPURIOUS_GROUP1);
  assert.equal(cpuIf.read(GICC_IAR, 4), SPURIOUS_GROUP1);
  cpuIf.write(GICC_CTLR, 4, 7);
  assert.equal(cpuIf.read(GICC_IAR, 4), 7);
  cpuIf.write(GICC_EOIR, 4, 7);
  cpuIf.write(GICC_CTLR, 4, 3 | 8);
  dist.write(GICD_SGIR, 4, (2 << 24) | 8);
  assert.equal(fiq[0], true);
  assert.equal(irq[0], false);
});

test('gic: ISPENDR/ICPENDR do not touch SGIs; SPIs set and clear pending by software', () => {
  const { dist } = makeGic();
  dist.write(GICD_ISPENDR, 4, 0xffff);
  assert.equal(dist.read(GICD_ISPENDR, 4), 0);
  dist.write(GICD_ISPENDR + 4, 4, 0x300);
  assert.equal(dist.read(GICD_ISPENDR + 4, 4), 0x300);
  dist.write(GICD_ICPENDR + 4, 4, 0x100);
  assert.equal(dist.read(GICD_ISPENDR + 4, 4), 0x200);
});

test('gic: unknown offsets read as zero, ignore writes and are logged once; interrupts beyond ITLinesNumber do not exist', () => {
  const { dist, cpuIf, logs } = makeGic(1, 64);
  assert.equal(dist.read(0x040, 4), 0);
  dist.write(0x040, 4, 1);
  assert.equal(dist.read(0x040, 4), 0);
  assert.equal(cpuIf.read(0x800, 4), 0);
  assert.equal(dist.read(GICD_IPRIORITYR + 64, 1), 0);
  assert.equal(logs.filter((l) => l.includes('0x40 ')).length, 2); // one read, one write
});

test('gic: a snapshot restores pending, active and priority state into a fresh GIC, outputs included', () => {
  const a = makeGic();
  a.enable();
  a.dist.write(GICD_IPRIORITYR + 4, 1, 0x20);
  a.dist.write(GICD_SGIR, 4, (2 << 24) | 4);
  a.dist.write(GICD_SGIR, 4, (2 << 24) | 9);
  assert.equal(a.cpuIf.read(GICC_IAR, 4), 9); // priority 0 beats 0x20
  const snap = a.gic.snapshot();
  const b = makeGic();
  b.gic.restore(snap);
  assert.equal(b.cpuIf.read(GICC_RPR, 4), 0);
  assert.equal(b.dist.read(GICD_ISACTIVER, 4), 1 << 9);
  assert.equal(b.cpuIf.read(GICC_HPPIR, 4), 4);
  b.cpuIf.write(GICC_EOIR, 4, 9);
  assert.equal(b.irq[0], true);
  assert.equal(b.cpuIf.read(GICC_IAR, 4), 4);
  assert.throws(() => makeGic(2, 64).gic.restore(snap), RangeError);
});
