import assert from 'node:assert/strict';
import { test } from 'node:test';
import { VirtBoard } from '../../src/board/virt-board.js';
import { SeededEntropySource, VirtioRng } from '../../src/hw/virtio/index.js';

const MAGIC = 0x74726976; // "virt" (VIRTIO 1.1 §4.2.2)

test('virt board: 32 virtio-mmio transports at 0x0a000000; the first device takes the last one (0x0a003e00), as QEMU', () => {
  const board = new VirtBoard({ ramBytes: 1 << 20, uartOutput: () => {}, virtioDevices: [new VirtioRng(new SeededEntropySource(1))] });
  assert.equal(board.virtio.length, 32);
  for (let slot = 0; slot < 32; slot++) {
    const base = 0x0a000000 + slot * 0x200;
    assert.equal(board.bus.read(base + 0x000, 4), MAGIC, `slot ${slot} magic`);
    assert.equal(board.bus.read(base + 0x004, 4), 2, `slot ${slot} version`);
    assert.equal(board.bus.read(base + 0x008, 4), slot === 31 ? 4 : 0, `slot ${slot} device ID (4 = entropy)`);
  }
});

test('virt board: more virtio devices than transports is a one-line configuration error', () => {
  const devices = Array.from({ length: 33 }, (_, i) => new VirtioRng(new SeededEntropySource(i)));
  assert.throws(() => new VirtBoard({ ramBytes: 1 << 20, uartOutput: () => {}, virtioDevices: devices }), /33 virtio devices given/);
});
