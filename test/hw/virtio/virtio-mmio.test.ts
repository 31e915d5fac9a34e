import assert from 'node:assert/strict';
import { test } from 'node:test';
import { VirtioMmioTransport } from '../../../src/hw/virtio/virtio-mmio.js';
import { VirtioRng } from '../../../src/hw/virtio/virtio-rng.js';
import { VirtioNet } from '../../../src/hw/virtio/virtio-net.js';
import { SeededEntropySource } from '../../../src/hw/virtio/entropy-source.js';
import { LoopbackNetwork } from '../../../src/hw/virtio/network-backend.js';
import { F_EVENT_IDX, F_INDIRECT, F_VERSION_1, REG, STATUS, TestDriver } from './virtio-test-driver.js';

const rng = () => new TestDriver(new VirtioRng(new SeededEntropySource(1)));

test('virtio-mmio: an empty transport reads magic "virt", version 2, DeviceID 0, QEMU vendor; the rest reads 0', () => {
  const t = new VirtioMmioTransport(undefined);
  assert.equal(t.read(REG.MagicValue, 4), 0x74726976);
  assert.equal(t.read(REG.Version, 4), 2);
  assert.equal(t.read(REG.DeviceID, 4), 0);
  assert.equal(t.read(REG.VendorID, 4), 0x554d4551);
  t.write(REG.Status, 4, 0xf);
  assert.equal(t.read(REG.Status, 4), 0);
  assert.equal(t.read(REG.QueueNumMax, 4), 0);
  assert.equal(t.read(REG.Config, 4), 0);
  assert.equal(t.read(0x0b0, 4), 0); // an empty transport has nothing at all
});

test('virtio-mmio: DeviceFeatures offers VERSION_1, INDIRECT_DESC and EVENT_IDX by DeviceFeaturesSel word', () => {
  const d = rng();
  assert.equal(d.r(REG.DeviceID), 4);
  const features = d.deviceFeatures();
  for (const bit of [F_VERSION_1, F_INDIRECT, F_EVENT_IDX]) assert.notEqual(features & (1n << BigInt(bit)), 0n, `bit ${bit}`);
  const plain = new TestDriver(new VirtioRng(new SeededEntropySource(1)), { eventIndex: false });
  assert.equal(plain.deviceFeatures() & (1n << BigInt(F_EVENT_IDX)), 0n);
});

test('virtio-mmio: FEATURES_OK is refused without VERSION_1 or with unoffered bits, accepted otherwise', () => {
  const d = rng();
  assert.equal(d.negotiate(0n), false);
  assert.match(d.logs.at(-1)!, /VERSION_1/);
  assert.equal(d.negotiate((1n << 32n) | (1n << 3n)), false);
  assert.match(d.logs.at(-1)!, /unoffered/);
  assert.equal(d.negotiate(1n << 32n), true);
  // DRIVER_OK without FEATURES_OK is not taken either.
  d.w(REG.Status, 0);
  d.w(REG.Status, STATUS.ACKNOWLEDGE | STATUS.DRIVER | STATUS.DRIVER_OK);
  assert.equal(d.status & STATUS.DRIVER_OK, 0);
});

test('virtio-mmio: QueueNumMax is 256 for existing queues and 0 beyond; a queue with a bad size needs reset', () => {
  const d = rng();
  d.negotiate(d.deviceFeatures());
  d.w(REG.QueueSel, 0);
  assert.equal(d.r(REG.QueueNumMax), 256);
  d.w(REG.QueueSel, 1);
  assert.equal(d.r(REG.QueueNumMax), 0);
  d.setupQueue(0, 12);
  assert.equal(d.r(REG.QueueReady), 0);
  assert.notEqual(d.status & STATUS.NEEDS_RESET, 0);
  assert.match(d.logs.at(-1)!, /queue size 12/);
});

test('virtio-mmio: a queue placed outside RAM needs reset instead of throwing', () => {
  const d = rng();
  d.negotiate(d.deviceFeatures());
  d.setupQueue(0, 16, { desc: 0x1000, avail: 0x4000_0000, used: 0x4000_1000 });
  assert.equal(d.r(REG.QueueReady), 0);
  assert.notEqual(d.status & STATUS.NEEDS_RESET, 0);
  assert.match(d.logs.at(-1)!, /descriptor table at 0x1000 .* outside guest RAM/);
});

test('virtio-mmio: used buffers raise the interrupt line until InterruptACK; writing Status 0 resets everything', () => {
  const d = rng();
  d.init(1);
  d.post(0, [{ in: 8 }]);
  assert.equal(d.irqLevel, true);
  assert.equal(d.r(REG.InterruptStatus), 1);
  d.w(REG.InterruptACK, 1);
  assert.equal(d.irqLevel, false);
  assert.equal(d.takeUsed(0).length, 1);
  d.post(0, [{ in: 8 }]);
  assert.equal(d.irqLevel, true);
  d.w(REG.Status, 0);
  assert.equal(d.irqLevel, false);
  assert.equal(d.status, 0);
  d.w(REG.QueueSel, 0);
  assert.equal(d.r(REG.QueueReady), 0);
});

test('virtio-mmio: VIRTQ_AVAIL_F_NO_INTERRUPT suppresses the used-buffer interrupt (no EVENT_IDX)', () => {
  const d = new TestDriver(new VirtioRng(new SeededEntropySource(1)), { eventIndex: false });
  d.init(1);
  d.setAvailFlags(0, 1);
  d.post(0, [{ in: 8 }]);
  assert.equal(d.takeUsed(0).length, 1);
  assert.equal(d.irqLevel, false);
  d.setAvailFlags(0, 0);
  d.post(0, [{ in: 8 }]);
  assert.equal(d.irqLevel, true);
});

test('virtio-mmio: with EVENT_IDX the device interrupts only when used idx passes used_event and publishes avail_event', () => {
  const d = rng();
  d.init(1);
  d.setUsedEvent(0, 2); // interrupt when the third buffer (used idx 2 -> 3) is returned
  d.post(0, [{ in: 4 }]);
  d.post(0, [{ in: 4 }]);
  assert.equal(d.irqLevel, false);
  assert.equal(d.availEvent(0), 2);
  d.post(0, [{ in: 4 }]);
  assert.equal(d.irqLevel, true);
  assert.equal(d.takeUsed(0).length, 3);
});

test('virtio-mmio: control registers need 32-bit accesses; others are ignored and logged once', () => {
  const d = rng();
  assert.equal(d.transport.read(REG.MagicValue, 2), 0);
  assert.equal(d.transport.read(REG.MagicValue, 2), 0);
  d.transport.write(REG.Status, 1, 1);
  assert.equal(d.status, 0);
  assert.equal(d.logs.length, 2);
});

test('virtio-mmio: a config change bumps ConfigGeneration and raises the configuration interrupt', () => {
  const net = new VirtioNet(new Uint8Array([2, 0, 0, 0, 0, 1]), new LoopbackNetwork());
  const d = new TestDriver(net);
  d.init(2);
  const generation = d.r(REG.ConfigGeneration);
  net.setLinkUp(false);
  assert.equal(d.r(REG.ConfigGeneration), generation + 1);
  assert.equal(d.ackInterrupt(), 2);
  assert.equal(d.configByte(6), 0);
});

test('virtio-mmio: there are no shared memory regions (SHMLen/SHMBase read -1)', () => {
  const d = rng();
  assert.deepEqual([0x0b0, 0x0b4, 0x0b8, 0x0bc].map((o) => d.r(o)), [0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff]);
});

test('virtio-mmio: devices take transport slots as on QEMU virt: the first device the highest address; the rest are empty', async () => {
  const { createVirtioTransports, VirtioTransportWindow } = await import('../../../src/hw/virtio/transport-slots.js');
  const { RamGuestMemory } = await import('../../../src/hw/virtio/guest-memory.js');
  const levels = new Map<number, boolean>();
  const transports = createVirtioTransports(32, [new VirtioRng(new SeededEntropySource(1)), new VirtioNet(new Uint8Array(6), new LoopbackNetwork())], {
    memory: new RamGuestMemory(0x4000_0000, new Uint8Array(4096)),
    irq: (slot) => ({ set: (level) => levels.set(slot, level) }),
  });
  assert.equal(transports.length, 32);
  assert.equal(transports[31]!.read(REG.DeviceID, 4), 4);
  assert.equal(transports[30]!.read(REG.DeviceID, 4), 1);
  assert.equal(transports.filter((t) => t.read(REG.DeviceID, 4) === 0).length, 30);
  assert.equal(transports[0]!.read(REG.MagicValue, 4), 0x74726976);
  const window = new VirtioTransportWindow(transports, 0x200);
  assert.equal(window.size, 0x4000);
  assert.equal(window.read(31 * 0x200 + REG.DeviceID, 4), 4);
  assert.equal(window.read(30 * 0x200 + REG.DeviceID, 4), 1);
  assert.equal(window.read(5 * 0x200 + REG.DeviceID, 4), 0);
  window.write(31 * 0x200 + REG.Status, 4, 1);
  assert.equal(transports[31]!.read(REG.Status, 4), 1);
  assert.deepEqual([...levels.values()].filter((l) => l), []);
});
