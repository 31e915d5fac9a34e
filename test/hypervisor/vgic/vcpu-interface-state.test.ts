import assert from 'node:assert/strict';
import { test } from 'node:test';
import { GICC_CTLR, GICC_PMR, GICD_ITARGETSR, GICH_APR, GICH_HCR, GICH_VMCR, lrId, lrState, physicalGic, vm } from './physical-gic.js';

const gichState = (p: ReturnType<typeof physicalGic>) => ({
  hcr: p.port.read(GICH_HCR), vmcr: p.port.read(GICH_VMCR), apr: p.port.read(GICH_APR), lr: p.lrs(),
});

/** A two-vCPU VM on a one-CPU board: SPI 40 and 42 target vCPU 0, SPI 41 vCPU 1. */
function twoVcpusOneCpu() {
  const p = physicalGic(1);
  const v = vm(2);
  for (const [id, vcpu, priority] of [[40, 0, 0x80], [41, 1, 0x30], [42, 0, 0x90]] as const) {
    v.enable(0, id, priority);
    v.gicd(0).writeByte(GICD_ITARGETSR + id, 1 << vcpu);
    v.vgic.spiLine(id - 32).set(true);
  }
  return { p, ...v };
}

test('vgic: save/restore carries a vCPU\'s GICH state across another vCPU\'s turn; its active interrupt still completes', () => {
  const { p, vgic } = twoVcpusOneCpu();
  p.gicv.write(GICC_CTLR, 4, 1);
  p.gicv.write(GICC_PMR, 4, 0xf0);
  vgic.flush(0, p.port);
  assert.equal(p.ack(), 40);
  vgic.sync(0, p.port);
  const before = gichState(p);
  assert.notEqual(before.apr, 0, 'the guest has a priority active');
  const saved = vgic.save(0, p.port);
  assert.deepEqual({ hcr: saved.hcr, vmcr: saved.vmcr, apr: saved.apr, lr: [...saved.lr] }, before);

  vgic.restore(1, p.port);
  assert.equal(p.port.read(GICH_APR), 0, 'vCPU 1 starts with its own (empty) state');
  p.guestEnable();
  vgic.flush(1, p.port);
  assert.equal(p.ack(), 41);
  vgic.sync(1, p.port);
  vgic.save(1, p.port);

  vgic.restore(0, p.port);
  assert.deepEqual(gichState(p), before);
  assert.equal(p.gicv.read(GICC_PMR, 4), 0xf0, 'the guest\'s GICV_PMR came back through GICH_VMCR');
  vgic.spiLine(40 - 32).set(false); // vCPU 0's handler quietened its device
  vgic.flush(0, p.port);
  assert.equal(lrId(p.lr(0)), 40);
  assert.equal(lrState(p.lr(0)), 2, 'active again in an LR');
  p.eoi(40);
  assert.equal(p.port.read(GICH_APR), 0, 'the EOI found its priority and its LR');
  assert.equal(lrState(p.lr(0)), 0);
  assert.equal(p.ack(), 42);

  vgic.sync(0, p.port);
  vgic.save(0, p.port);
  vgic.restore(1, p.port);
  vgic.flush(1, p.port);
  p.eoi(41);
  assert.equal(p.port.read(GICH_APR), 0);
});

test('vgic: save/restore round-trips filled list registers', () => {
  const { p, vgic } = twoVcpusOneCpu();
  p.guestEnable();
  vgic.flush(0, p.port);
  const vcpu0 = gichState(p);
  assert.deepEqual(vcpu0.lr.map(lrId), [40, 42, 0, 0]);
  vgic.save(0, p.port);
  vgic.restore(1, p.port);
  vgic.flush(1, p.port);
  assert.deepEqual(p.lrs().map(lrId), [41, 0, 0, 0]);
  const vcpu1 = gichState(p);
  vgic.save(1, p.port);
  vgic.restore(0, p.port);
  assert.deepEqual(gichState(p), vcpu0);
  vgic.save(0, p.port);
  vgic.restore(1, p.port);
  assert.deepEqual(gichState(p), vcpu1);
});
