import assert from 'node:assert/strict';
import { test } from 'node:test';
import { VirtioRng } from '../../../src/hw/virtio/virtio-rng.js';
import { VirtioBlock } from '../../../src/hw/virtio/virtio-blk.js';
import { VirtioNet } from '../../../src/hw/virtio/virtio-net.js';
import { VirtioConsole } from '../../../src/hw/virtio/virtio-console.js';
import { MemoryBlockBackend } from '../../../src/hw/virtio/block-backend.js';
import { SeededEntropySource } from '../../../src/hw/virtio/entropy-source.js';
import { LoopbackNetwork } from '../../../src/hw/virtio/network-backend.js';
import type { VirtioDevice } from '../../../src/hw/virtio/virtio-device.js';
import { DESC_INDIRECT, DESC_NEXT, DESC_WRITE, F_INDIRECT, RAM_BASE, RAM_SIZE, REG, STATUS, TestDriver } from './virtio-test-driver.js';

const rngDriver = () => {
  const d = new TestDriver(new VirtioRng(new SeededEntropySource(3)));
  d.init(1);
  return d;
};

/** The device refused the chain: DEVICE_NEEDS_RESET, a configuration interrupt, one log line matching `why`, nothing used. */
function assertNeedsReset(d: TestDriver, why: RegExp): void {
  assert.notEqual(d.status & STATUS.NEEDS_RESET, 0, 'DEVICE_NEEDS_RESET');
  assert.equal(d.logs.length, 1, d.logs.join('\n'));
  assert.match(d.logs[0]!, why);
  assert.match(d.logs[0]!, /device needs reset$/);
  assert.equal(d.r(REG.InterruptStatus) & 2, 2);
  assert.equal(d.irqLevel, true);
  assert.deepEqual(d.takeUsed(0), []);
}

/** Posts a hand-made chain starting at descriptor 0 and notifies. */
function postRaw(d: TestDriver, descriptors: [address: number, length: number, flags: number, next: number][]): void {
  descriptors.forEach(([a, l, f, n], i) => d.writeDescriptor(d.descTable(0), i, a, l, f, n));
  d.makeAvailable(0, 0);
  d.notify(0);
}

test('hostile virtio: a buffer address outside RAM needs reset', () => {
  const d = rngDriver();
  postRaw(d, [[0x1000, 16, DESC_WRITE, 0]]);
  assertNeedsReset(d, /buffer at 0x1000 \(\+16 bytes\) is outside guest RAM/);
});

test('hostile virtio: a buffer running off the end of RAM, or above 4 GiB, needs reset', () => {
  for (const [address, length] of [[RAM_BASE + RAM_SIZE - 8, 16], [RAM_BASE + 0x1_0000_0000, 16], [RAM_BASE, 0xffffffff]] as const) {
    const d = rngDriver();
    postRaw(d, [[address, length, DESC_WRITE, 0]]);
    assertNeedsReset(d, /outside guest RAM/);
  }
});

test('hostile virtio: a loop in a descriptor chain needs reset', () => {
  const d = rngDriver();
  const buf = d.alloc(8);
  postRaw(d, [[buf, 8, DESC_WRITE | DESC_NEXT, 1], [buf, 8, DESC_WRITE | DESC_NEXT, 0]]);
  assertNeedsReset(d, /longer than its table of 16 \(a loop\?\)/);
});

test('hostile virtio: a next index beyond the table, or a head beyond the queue, needs reset', () => {
  const d = rngDriver();
  postRaw(d, [[d.alloc(8), 8, DESC_WRITE | DESC_NEXT, 99]]);
  assertNeedsReset(d, /descriptor index 99 is beyond the table of 16/);
  const e = rngDriver();
  e.makeAvailable(0, 16);
  e.notify(0);
  assertNeedsReset(e, /descriptor index 16/);
});

test('hostile virtio: an avail index far ahead of the device needs reset', () => {
  const d = rngDriver();
  for (let i = 0; i < 17; i++) d.makeAvailable(0, 0);
  d.notify(0);
  assertNeedsReset(d, /17 entries ahead/);
});

test('hostile virtio: an indirect table outside RAM, of bad length, nested, or with NEXT needs reset', () => {
  const cases: [string, (d: TestDriver) => [number, number, number, number][], RegExp][] = [
    ['outside RAM', () => [[RAM_BASE + RAM_SIZE - 16, 64, DESC_INDIRECT, 0]], /indirect table at .* outside guest RAM/],
    ['zero length', (d) => [[d.alloc(16, 16), 0, DESC_INDIRECT, 0]], /not a non-zero multiple of 16/],
    ['odd length', (d) => [[d.alloc(32, 16), 24, DESC_INDIRECT, 0]], /not a non-zero multiple of 16/],
    ['with NEXT', (d) => [[d.alloc(16, 16), 16, DESC_INDIRECT | DESC_NEXT, 1]], /both INDIRECT and NEXT/],
    ['nested', (d) => {
      const table = d.alloc(16, 16);
      d.writeDescriptor(table, 0, table, 16, DESC_INDIRECT, 0);
      return [[table, 16, DESC_INDIRECT, 0]];
    }, /indirect descriptor inside an indirect table/],
    ['entry out of RAM', (d) => {
      const table = d.alloc(16, 16);
      d.writeDescriptor(table, 0, 0x10, 8, DESC_WRITE, 0);
      return [[table, 16, DESC_INDIRECT, 0]];
    }, /buffer at 0x10 .* outside guest RAM/],
    ['loop inside the table', (d) => {
      const table = d.alloc(32, 16);
      const buf = d.alloc(8);
      d.writeDescriptor(table, 0, buf, 8, DESC_WRITE | DESC_NEXT, 1);
      d.writeDescriptor(table, 1, buf, 8, DESC_WRITE | DESC_NEXT, 0);
      return [[table, 32, DESC_INDIRECT, 0]];
    }, /longer than its table of 2/],
  ];
  for (const [name, build, why] of cases) {
    const d = rngDriver();
    postRaw(d, build(d));
    assert.doesNotThrow(() => assertNeedsReset(d, why), name);
  }
});

test('hostile virtio: an indirect descriptor without VIRTIO_F_INDIRECT_DESC needs reset', () => {
  const d = new TestDriver(new VirtioRng(new SeededEntropySource(3)));
  d.init(1, { without: 1n << BigInt(F_INDIRECT) });
  const table = d.alloc(16, 16);
  d.writeDescriptor(table, 0, d.alloc(8), 8, DESC_WRITE, 0);
  postRaw(d, [[table, 16, DESC_INDIRECT, 0]]);
  assertNeedsReset(d, /without VIRTIO_F_INDIRECT_DESC/);
});

test('hostile virtio: a device-readable descriptor after a device-writable one needs reset', () => {
  const d = rngDriver();
  postRaw(d, [[d.alloc(8), 8, DESC_WRITE | DESC_NEXT, 1], [d.alloc(8), 8, 0, 0]]);
  assertNeedsReset(d, /device-readable descriptor 1 follows a device-writable one/);
});

test('hostile virtio: zero-length buffers are legal: rng returns 0 bytes; blk without a header needs reset', () => {
  const d = rngDriver();
  postRaw(d, [[d.alloc(1), 0, DESC_WRITE, 0]]);
  assert.deepEqual(d.takeUsed(0), [{ id: 0, len: 0 }]);
  assert.equal(d.status & STATUS.NEEDS_RESET, 0);

  const b = new TestDriver(new VirtioBlock(new MemoryBlockBackend(new Uint8Array(4096))));
  b.init(1);
  postRaw(b, [[b.alloc(16), 0, DESC_NEXT, 1], [b.alloc(1), 1, DESC_WRITE, 0]]);
  assertNeedsReset(b, /less than the 16-byte header/);
});

test('hostile virtio: blk data in the wrong direction fails the request with IOERR, the device stays usable', () => {
  const d = new TestDriver(new VirtioBlock(new MemoryBlockBackend(new Uint8Array(4096))));
  d.init(1);
  const header = new Uint8Array(16); // IN, sector 0
  const posted = d.post(0, [{ out: header }, { out: new Uint8Array(512) }, { in: 1 }]);
  assert.deepEqual(d.takeUsed(0), [{ id: posted.head, len: 1 }]);
  assert.equal(d.bytes(posted.addresses[2]!, 1)[0], 1);
  assert.equal(d.status & STATUS.NEEDS_RESET, 0);
  assert.match(d.logs[0]!, /IN request with device-readable data/);
});

test('hostile virtio: after DEVICE_NEEDS_RESET notifications are ignored; a reset and re-initialization recover', () => {
  const d = rngDriver();
  postRaw(d, [[0x1000, 16, DESC_WRITE, 0]]);
  assert.notEqual(d.status & STATUS.NEEDS_RESET, 0);
  d.post(0, [{ in: 8 }]);
  assert.deepEqual(d.takeUsed(0), []);
  assert.equal(d.logs.length, 1);
  d.init(1);
  assert.equal(d.status & STATUS.NEEDS_RESET, 0);
  assert.equal(d.irqLevel, false);
  const posted = d.post(0, [{ in: 8 }]);
  assert.deepEqual(d.takeUsed(0), [{ id: posted.head, len: 8 }]);
});

test('hostile virtio: random descriptor tables and rings never throw, on every device type', () => {
  const devices: (() => VirtioDevice)[] = [
    () => new VirtioRng(new SeededEntropySource(1)),
    () => new VirtioBlock(new MemoryBlockBackend(new Uint8Array(8192))),
    () => new VirtioConsole({ write: () => {} }),
    () => new VirtioNet(new Uint8Array([2, 0, 0, 0, 0, 9]), new LoopbackNetwork()),
  ];
  const random = new SeededEntropySource(2024);
  const word = () => {
    const b = new Uint8Array(4);
    random.fill(b);
    return new DataView(b.buffer).getUint32(0, true);
  };
  for (let round = 0; round < 200; round++) {
    const make = devices[round % devices.length]!;
    const device = make();
    const d = new TestDriver(device);
    d.init(device.queueCount, { queueSize: 8 });
    // Descriptors that point into a small window near the rings (sometimes outside RAM) with random flags.
    for (let i = 0; i < 8; i++) {
      const pick = word();
      const address = pick % 5 === 0 ? word() : RAM_BASE + 0x10000 + (word() % 0x2000);
      d.writeDescriptor(d.descTable(0), i, address, word() % (pick % 3 === 0 ? 0x100000 : 600), word() & 7, word() % 10);
    }
    for (let i = 0; i < device.queueCount; i++) {
      d.makeAvailable(i, word() % 9);
      assert.doesNotThrow(() => d.notify(i));
    }
    if (device instanceof VirtioConsole) assert.doesNotThrow(() => device.receive(new Uint8Array(40)));
    if (device instanceof VirtioNet) assert.doesNotThrow(() => device.receiveFrame(new Uint8Array(60)));
    assert.ok(d.logs.length <= 2 * device.queueCount + 2, d.logs.join('\n'));
  }
});
