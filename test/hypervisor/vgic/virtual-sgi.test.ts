import assert from 'node:assert/strict';
import { test } from 'node:test';
import { GICD_CTLR, GICD_SGIR, GICH_EISR0, GICH_MISR, MISR_EOI, lrState, physicalGic, vm } from './physical-gic.js';

/** GICD_SGIR (IHI 0048B 4.3.15): TargetListFilter [25:24], CPUTargetList [23:16], SGIINTID [3:0]. */
const sgir = (sgi: number, targets: number, filter = 0) => (filter << 24) | (targets << 16) | sgi;

test('vgic: a virtual SGI from vCPU 0 to vCPU 1 kicks vCPU 1, whose flush delivers it with source 0', () => {
  const p = physicalGic();
  const { vgic, kicks, gicd } = vm(2);
  gicd(0).write(GICD_CTLR, 1);
  gicd(0).write(GICD_SGIR, sgir(3, 0b10));
  assert.deepEqual(kicks, [1]);
  vgic.flush(0, p.port);
  assert.deepEqual(p.lrs(), [0, 0, 0, 0], 'not for vCPU 0');
  p.onCpu(1);
  p.guestEnable();
  vgic.flush(1, p.port);
  assert.equal(p.lines[1]!.virq, true);
  assert.equal(p.ack(), 3, 'SGI 3, CPUID 0 in bits [12:10]');
  p.eoi(3);
  vgic.sync(1, p.port);
  vgic.flush(1, p.port);
  assert.deepEqual(p.lrs(), [0, 0, 0, 0]);
});

test('vgic: an SGI from vCPU 1 reports source 1; a write to the writer itself (filter 2) kicks no one', () => {
  const p = physicalGic();
  const { vgic, kicks, gicd } = vm(2);
  gicd(1).write(GICD_CTLR, 1);
  gicd(1).write(GICD_SGIR, sgir(5, 0b01));
  gicd(1).write(GICD_SGIR, sgir(6, 0, 2));
  assert.deepEqual(kicks, [0]);
  p.guestEnable();
  vgic.flush(0, p.port);
  assert.equal(p.ack(), 5 | (1 << 10));
  p.onCpu(1);
  p.guestEnable();
  vgic.flush(1, p.port);
  assert.equal(p.ack(), 6 | (1 << 10));
});

test('vgic: an SGI pending from two sources is delivered once per source, the second after an EOI maintenance interrupt', () => {
  const p = physicalGic();
  const { vgic, gicd } = vm(2);
  gicd(0).write(GICD_CTLR, 1);
  gicd(0).write(GICD_SGIR, sgir(2, 0b10));
  gicd(1).write(GICD_SGIR, sgir(2, 0, 2));
  p.onCpu(1);
  p.guestEnable();
  vgic.flush(1, p.port);
  assert.equal(p.lrs().filter((lr) => lrState(lr) !== 0).length, 1, 'one LR per SGI ID');
  assert.equal(p.ack(), 2);
  p.eoi(2);
  assert.equal(p.port.read(GICH_MISR) & MISR_EOI, MISR_EOI, 'EOI = 1 in the LR: the hypervisor learns of the deactivation');
  assert.equal(p.port.read(GICH_EISR0), 1);
  vgic.sync(1, p.port);
  assert.equal(p.port.read(GICH_MISR), 0);
  vgic.flush(1, p.port);
  assert.equal(p.ack(), 2 | (1 << 10));
  p.eoi(2 | (1 << 10));
  assert.equal(p.port.read(GICH_MISR), 0, 'no source left: no EOI maintenance');
});

test('vgic: a virtual SGI kicks its target even when the target already had an interrupt waiting', () => {
  const { vgic, kicks, gicd, enable } = vm(2);
  enable(1, 16 + 11, 0x80); // vCPU 1's PPI 11 (ID 27)
  vgic.ppiLine(1, 11).set(true);
  assert.deepEqual(kicks, [1]);
  gicd(0).write(GICD_SGIR, sgir(4, 0b10));
  assert.deepEqual(kicks, [1, 1]);
});
