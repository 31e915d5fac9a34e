import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  GICC_CTLR, GICC_EOIR, GICC_IAR, GICC_PMR, GICD_CTLR, GICD_ICENABLER, GICD_ISACTIVER, GICD_ISENABLER, LR_HW, lrId, lrState,
  physicalGic, vm,
} from './physical-gic.js';

const VTIMER_PPI = 11;
const VTIMER_ID = 27;

/** The hypervisor takes the physical virtual-timer PPI with GICC_CTLR.EOImode = 1: acknowledge, priority drop only. */
function takePhysicalTimer(p: ReturnType<typeof physicalGic>) {
  p.gicd.write(GICD_CTLR, 4, 1);
  p.gicd.write(GICD_ISENABLER, 4, 1 << VTIMER_ID);
  p.gicc.write(GICC_CTLR, 4, 1 | (1 << 9));
  p.gicc.write(GICC_PMR, 4, 0xff);
  p.gic.ppiLine(0, VTIMER_PPI).set(true);
  assert.equal(p.lines[0]!.irq, true);
  assert.equal(p.gicc.read(GICC_IAR, 4), VTIMER_ID);
  p.gicc.write(GICC_EOIR, 4, VTIMER_ID);
  p.gic.ppiLine(0, VTIMER_PPI).set(false); // the guest's timer handler will reprogram the timer
}

const physicalActive = (p: ReturnType<typeof physicalGic>) => ((p.gicd.read(GICD_ISACTIVER, 4) >>> VTIMER_ID) & 1) === 1;

test('vgic: a forwarded physical PPI 27 goes in an LR with HW = 1; the guest\'s EOI through GICV deactivates the physical one', () => {
  const p = physicalGic();
  const { vgic, enable, bit } = vm();
  takePhysicalTimer(p);
  assert.equal(physicalActive(p), true, 'EOImode = 1: still active after the priority drop');
  enable(0, VTIMER_ID, 0xa0);
  p.guestEnable();
  vgic.forwardHardware(0, VTIMER_ID);
  vgic.flush(0, p.port);
  const lr = p.lr(0);
  assert.equal((lr & LR_HW) >>> 0, LR_HW);
  assert.equal((lr >>> 10) & 0x3ff, VTIMER_ID, 'PhysicalID');
  assert.equal(lrId(lr), VTIMER_ID);
  assert.equal(lrState(lr), 1);
  assert.equal(p.ack(), VTIMER_ID);
  assert.equal(physicalActive(p), true);
  p.eoi(VTIMER_ID);
  assert.equal(physicalActive(p), false, 'deactivated through the LR');
  vgic.sync(0, p.port);
  assert.equal(bit(GICD_ISACTIVER, VTIMER_ID), false);
  vgic.flush(0, p.port);
  assert.deepEqual(p.lrs(), [0, 0, 0, 0]);
});

test('vgic: a forwarded interrupt obeys the guest\'s GICD enable: disabled, it waits and the physical one stays active', () => {
  const p = physicalGic();
  const { vgic, gicd, enable } = vm();
  takePhysicalTimer(p);
  enable(0, VTIMER_ID, 0xa0);
  gicd(0).write(GICD_ICENABLER, 1 << VTIMER_ID);
  p.guestEnable();
  vgic.forwardHardware(0, VTIMER_ID);
  vgic.flush(0, p.port);
  assert.deepEqual(p.lrs(), [0, 0, 0, 0]);
  assert.equal(physicalActive(p), true);
  vgic.sync(0, p.port);
  gicd(0).write(GICD_ISENABLER, 1 << VTIMER_ID);
  vgic.flush(0, p.port);
  assert.equal((p.lr(0) & LR_HW) >>> 0, LR_HW);
  assert.equal(p.ack(), VTIMER_ID);
  p.eoi(VTIMER_ID);
  assert.equal(physicalActive(p), false);
});

test('vgic: SGIs cannot be forwarded', () => {
  const { vgic } = vm();
  assert.throws(() => vgic.forwardHardware(0, 3), RangeError);
});
