import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Bus } from '../../../src/hw/bus.js';
import { RamGuestMemory, guestMemoryOfBus } from '../../../src/hw/virtio/guest-memory.js';

test('guest memory: RAM accesses inside the block succeed; any byte outside makes the whole access fail', () => {
  const memory = new RamGuestMemory(0x1000, new Uint8Array(0x100));
  assert.equal(memory.write(0x10f0, new Uint8Array(16).fill(7)), true);
  assert.deepEqual(memory.read(0x10fe, 2), new Uint8Array([7, 7]));
  assert.equal(memory.read(0x10ff, 2), undefined);
  assert.equal(memory.read(0xfff, 1), undefined);
  assert.equal(memory.write(0x10ff, new Uint8Array(2)), false);
  assert.equal(memory.read(2 ** 60, 1), undefined);
});

test('guest memory: DMA writes through the bus invalidate translated code pages like CPU stores', () => {
  const bus = new Bus(0x4000_0000, 0x4000);
  const written: number[] = [];
  bus.codeWritten = (page) => written.push(page);
  bus.codePages[2] = 1;
  const memory = guestMemoryOfBus(bus);
  assert.equal(memory.write(0x4000_1ffe, new Uint8Array([1, 2, 3, 4])), true);
  assert.deepEqual(written, [2]);
  assert.equal(bus.read(0x4000_2000, 2), 0x0403);
  assert.equal(memory.write(0x4000_3ffe, new Uint8Array(4)), false);
  assert.equal(memory.read(0x3fff_ffff, 1), undefined);
});
