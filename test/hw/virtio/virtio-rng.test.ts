import assert from 'node:assert/strict';
import { test } from 'node:test';
import { VirtioRng } from '../../../src/hw/virtio/virtio-rng.js';
import { SeededEntropySource } from '../../../src/hw/virtio/entropy-source.js';
import { NodeCryptoEntropySource } from '../../../src/cli/host/node-entropy-source.js';
import { REG, STATUS, TestDriver } from './virtio-test-driver.js';

function randomBytes(seed: number, lengths: number[]): Uint8Array[] {
  const d = new TestDriver(new VirtioRng(new SeededEntropySource(seed)));
  d.init(1);
  return lengths.map((n) => {
    const posted = d.post(0, [{ in: n }]);
    assert.deepEqual(d.takeUsed(0), [{ id: posted.head, len: n }]);
    return d.bytes(posted.addresses[0]!, n);
  });
}

test('virtio-rng: DeviceID 4; buffers are filled completely and the same seed gives the same bytes', () => {
  assert.equal(new TestDriver(new VirtioRng(new SeededEntropySource(1))).r(REG.DeviceID), 4);
  const first = randomBytes(42, [16, 37]);
  const again = randomBytes(42, [16, 37]);
  assert.deepEqual(first, again);
  assert.notDeepEqual(first[0], new Uint8Array(16).fill(0xee)); // overwritten, not the driver's fill
  assert.notDeepEqual(randomBytes(43, [16])[0], first[0]);
  const distinct = new Set(first[1]);
  assert.ok(distinct.size > 20, `37 random bytes should be varied, got ${distinct.size} distinct values`);
});

test('virtio-rng: a chain of several writable buffers is filled across all of them', () => {
  const d = new TestDriver(new VirtioRng(new SeededEntropySource(7)));
  d.init(1);
  const posted = d.post(0, [{ in: 3 }, { in: 5 }], { indirect: true });
  assert.deepEqual(d.takeUsed(0), [{ id: posted.head, len: 8 }]);
});

test('virtio-rng: the Node crypto source fills buffers', () => {
  const d = new TestDriver(new VirtioRng(new NodeCryptoEntropySource()));
  d.init(1);
  const posted = d.post(0, [{ in: 64 }]);
  assert.deepEqual(d.takeUsed(0).map((u) => u.len), [64]);
  assert.notDeepEqual(d.bytes(posted.addresses[0]!, 64), new Uint8Array(64).fill(0xee));
});

test('virtio-rng: a device-readable buffer is a driver error (DEVICE_NEEDS_RESET)', () => {
  const d = new TestDriver(new VirtioRng(new SeededEntropySource(1)));
  d.init(1);
  d.post(0, [{ out: new Uint8Array(4) }]);
  assert.notEqual(d.status & STATUS.NEEDS_RESET, 0);
  assert.deepEqual(d.takeUsed(0), []);
});
