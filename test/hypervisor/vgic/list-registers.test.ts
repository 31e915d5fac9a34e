import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  GICD_CTLR, GICD_ICENABLER, GICD_ICFGR, GICD_ISACTIVER, GICD_ISPENDR, GICD_ITARGETSR, GICH_HCR, GICH_MISR, HCR_EN, HCR_UIE,
  MAINTENANCE_ID, MISR_U, lrId, lrState, physicalGic, vm,
} from './physical-gic.js';

const SPI = 8;
const ID = 32 + SPI;

test('vgic: an SPI raised by an emulated device line reaches the guest through an LR; its EOI deactivates it at sync', () => {
  const p = physicalGic();
  const { vgic, kicks, gicd, enable, bit } = vm();
  enable(0, ID, 0xa0);
  gicd(0).write(GICD_ICFGR + 4 * (ID >>> 4), 2 << (2 * (ID & 15))); // edge-triggered
  p.guestEnable();
  vgic.spiLine(SPI).set(true);
  assert.deepEqual(kicks, [0], 'the device line kicks the vCPU it targets');
  vgic.flush(0, p.port);
  assert.equal(p.lines[0]!.virq, true);
  assert.equal(p.lines[0]!.irq, false);
  // LR0: VirtualID 40, pending, priority 0xa0 >> 3.
  assert.equal(p.lr(0), (ID | (0x14 << 23) | (1 << 28)) >>> 0);
  assert.equal(p.port.read(GICH_HCR), HCR_EN);
  assert.equal(p.ack(), ID);
  assert.equal(p.lines[0]!.virq, false);
  vgic.sync(0, p.port);
  assert.equal(bit(GICD_ISACTIVER, ID), true, 'acknowledged by the guest: active in the virtual distributor');
  assert.equal(bit(GICD_ISPENDR, ID), false);
  vgic.flush(0, p.port);
  assert.equal(lrState(p.lr(0)), 2, 'an active interrupt is given its LR again, as active');
  p.eoi(ID);
  assert.equal(lrState(p.lr(0)), 0);
  vgic.sync(0, p.port);
  assert.equal(bit(GICD_ISACTIVER, ID), false, 'deactivated');
  assert.equal(bit(GICD_ISPENDR, ID), false, 'an edge stays consumed');
  vgic.flush(0, p.port);
  assert.deepEqual(p.lrs(), [0, 0, 0, 0]);
  assert.equal(p.lines[0]!.virq, false);
});

test('vgic: a level SPI whose line is still high is pending again after the guest deactivates it', () => {
  const p = physicalGic();
  const { vgic, enable, bit } = vm();
  enable(0, ID, 0x80);
  p.guestEnable();
  const line = vgic.spiLine(SPI);
  line.set(true);
  vgic.flush(0, p.port);
  assert.equal(p.ack(), ID);
  p.eoi(ID);
  vgic.sync(0, p.port);
  assert.equal(bit(GICD_ISPENDR, ID), true, 'the line is high');
  vgic.flush(0, p.port);
  assert.equal(lrState(p.lr(0)), 1);
  assert.equal(p.ack(), ID);
  vgic.sync(0, p.port);
  line.set(false); // the guest's handler quietened the device
  vgic.flush(0, p.port);
  assert.equal(lrState(p.lr(0)), 2, 'active, no longer pending');
  p.eoi(ID);
  vgic.sync(0, p.port);
  assert.equal(bit(GICD_ISPENDR, ID), false);
  vgic.flush(0, p.port);
  assert.deepEqual(p.lrs(), [0, 0, 0, 0]);
});

test('vgic: an interrupt disabled in the virtual GICD (or of a group it does not forward) is never injected', () => {
  const p = physicalGic();
  const { vgic, gicd, enable, bit } = vm();
  enable(0, ID, 0x80);
  gicd(0).write(GICD_ICENABLER + 4, 1 << (ID & 31));
  p.guestEnable();
  vgic.spiLine(SPI).set(true);
  vgic.flush(0, p.port);
  assert.deepEqual(p.lrs(), [0, 0, 0, 0]);
  assert.equal(p.lines[0]!.virq, false);
  assert.equal(bit(GICD_ISPENDR, ID), true, 'pending in the distributor all the same');
  vgic.sync(0, p.port);
  gicd(0).write(0x100 + 4, 1 << (ID & 31)); // GICD_ISENABLER1
  gicd(0).write(GICD_CTLR, 0);
  vgic.flush(0, p.port);
  assert.deepEqual(p.lrs(), [0, 0, 0, 0], 'GICD_CTLR.EnableGrp0 = 0');
  vgic.sync(0, p.port);
  gicd(0).write(GICD_CTLR, 1);
  vgic.flush(0, p.port);
  assert.equal(lrId(p.lr(0)), ID);
});

test('vgic: six pending interrupts, four LRs: the four highest go first with underflow maintenance, the rest after sync and flush', () => {
  const p = physicalGic();
  const { vgic, enable } = vm();
  // IDs 40-45 at priorities chosen out of ID order.
  const priorities = [0x60, 0x20, 0xa0, 0x40, 0x80, 0x10];
  priorities.forEach((priority, i) => enable(0, 40 + i, priority));
  p.guestEnable();
  const lines = [0, 1, 2, 3, 4, 5].map((i) => vgic.spiLine(8 + i));
  for (const line of lines) line.set(true);
  /** The guest's handler: acknowledge, quieten the device (its line drops), EOI. */
  const handle = () => {
    const id = p.ack();
    lines[id - 40]!.set(false);
    p.eoi(id);
    return id;
  };
  vgic.flush(0, p.port);
  assert.deepEqual(p.lrs().map(lrId), [45, 41, 43, 40], 'highest priority first');
  assert.equal(p.port.read(GICH_HCR), HCR_EN | HCR_UIE);
  assert.equal(p.gic.isPending(p.gic.slot(0, MAINTENANCE_ID)), false);
  const order: number[] = [];
  for (let i = 0; i < 3; i++) order.push(handle());
  assert.equal(p.port.read(GICH_MISR) & MISR_U, MISR_U, 'one valid LR left: underflow');
  assert.equal(p.gic.isPending(p.gic.slot(0, MAINTENANCE_ID)), true, 'the maintenance interrupt is raised');
  vgic.sync(0, p.port);
  assert.equal(p.port.read(GICH_HCR), HCR_EN, 'sync leaves no underflow request on empty LRs');
  assert.equal(p.gic.isPending(p.gic.slot(0, MAINTENANCE_ID)), false);
  vgic.flush(0, p.port);
  assert.equal(p.port.read(GICH_HCR), HCR_EN, 'everything fits now');
  for (let i = 0; i < 3; i++) order.push(handle());
  assert.deepEqual(order, [45, 41, 43, 40, 44, 42]);
  assert.equal(p.ack(), 1023);
});

test('vgic: an SPI in one vCPU\'s LRs is not injected into another; still pending at sync, it is injected once', () => {
  const p = physicalGic();
  const { vgic, kicks, gicd, enable, bit } = vm(2);
  enable(0, ID, 0x80);
  gicd(0).writeByte(GICD_ITARGETSR + ID, 0b11);
  vgic.spiLine(SPI).set(true);
  assert.deepEqual(kicks, [0, 1], 'both targets are told');
  vgic.flush(0, p.port);
  assert.equal(lrId(p.lr(0)), ID);
  p.onCpu(1);
  vgic.flush(1, p.port);
  assert.deepEqual(p.lrs(), [0, 0, 0, 0], 'vCPU 0 has it');
  p.onCpu(0);
  vgic.sync(0, p.port);
  assert.equal(bit(GICD_ISPENDR, ID), true);
  assert.equal(bit(GICD_ISACTIVER, ID), false, 'not acknowledged by the guest');
  vgic.flush(0, p.port);
  vgic.flush(0, p.port);
  assert.deepEqual(p.lrs().map(lrId), [ID, 0, 0, 0]);
  assert.equal(lrState(p.lr(0)), 1);
});
