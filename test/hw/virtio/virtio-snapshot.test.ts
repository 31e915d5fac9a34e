import assert from 'node:assert/strict';
import { test } from 'node:test';
import { VirtioRng } from '../../../src/hw/virtio/virtio-rng.js';
import { VirtioConsole } from '../../../src/hw/virtio/virtio-console.js';
import { SeededEntropySource } from '../../../src/hw/virtio/entropy-source.js';
import { VirtioSnapshotError, type VirtioMmioSnapshot } from '../../../src/hw/virtio/virtio-mmio.js';
import { REG, TestDriver } from './virtio-test-driver.js';

const roundTrip = (s: VirtioMmioSnapshot): VirtioMmioSnapshot => JSON.parse(JSON.stringify(s)) as VirtioMmioSnapshot;

test('virtio snapshot: a restored rng transport continues the same ring positions and the same random sequence', () => {
  const a = new TestDriver(new VirtioRng(new SeededEntropySource(5)));
  a.init(1);
  a.post(0, [{ in: 8 }]);
  a.post(0, [{ in: 8 }]);
  a.takeUsed(0);
  const saved = roundTrip(a.transport.saveState());

  const b = new TestDriver(new VirtioRng(new SeededEntropySource(999)));
  b.adoptGuestState(a);
  b.transport.restoreState(saved);
  assert.equal(b.status, a.status);
  const fromA = a.post(0, [{ in: 16 }]);
  const fromB = b.post(0, [{ in: 16 }]);
  assert.deepEqual(b.takeUsed(0), a.takeUsed(0));
  assert.deepEqual(b.bytes(fromB.addresses[0]!, 16), a.bytes(fromA.addresses[0]!, 16));
  assert.equal(b.irqLevel, a.irqLevel);
});

test('virtio snapshot: console input not yet delivered survives; a snapshot of another device type is refused', () => {
  const a = new TestDriver(new VirtioConsole({ write: () => {} }));
  a.init(2);
  (a.transport.device as VirtioConsole).receive(new TextEncoder().encode('queued'));
  const saved = roundTrip(a.transport.saveState());
  const b = new TestDriver(new VirtioConsole({ write: () => {} }));
  b.adoptGuestState(a);
  b.transport.restoreState(saved);
  const rx = b.post(0, [{ in: 16 }]);
  assert.deepEqual(b.takeUsed(0), [{ id: rx.head, len: 6 }]);
  assert.equal(new TextDecoder().decode(b.bytes(rx.addresses[0]!, 6)), 'queued');

  const rng = new TestDriver(new VirtioRng(new SeededEntropySource(1)));
  assert.throws(() => rng.transport.restoreState(saved), VirtioSnapshotError);
  assert.equal(rng.r(REG.Status), 0);
});
