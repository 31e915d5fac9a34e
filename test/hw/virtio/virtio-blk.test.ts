import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { VirtioBlock } from '../../../src/hw/virtio/virtio-blk.js';
import { MemoryBlockBackend } from '../../../src/hw/virtio/block-backend.js';
import { NodeFileBlockBackend, DiskImageError } from '../../../src/cli/host/node-file-block-backend.js';
import { REG, STATUS, TestDriver } from './virtio-test-driver.js';

const SECTORS = 64;
const IN = 0, OUT = 1, FLUSH = 4, GET_ID = 8, BAD_TYPE = 99;

function header(type: number, sector: number): Uint8Array {
  const h = new Uint8Array(16);
  const v = new DataView(h.buffer);
  v.setUint32(0, type, true);
  v.setBigUint64(8, BigInt(sector), true);
  return h;
}

function withImage(run: (file: string) => void): void {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'partita-blk-'));
  const file = path.join(dir, 'disk.img');
  const image = new Uint8Array(SECTORS * 512);
  for (let i = 0; i < image.length; i++) image[i] = (i >> 9) & 0xff; // each sector filled with its number
  fs.writeFileSync(file, image);
  try {
    run(file);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Posts one request; returns the status byte, the used length and the data buffer address. */
function request(d: TestDriver, type: number, sector: number, data: { out?: Uint8Array; in?: number }, indirect = false) {
  const buffers = [{ out: header(type, sector) }, ...(data.out || data.in ? [data] : []), { in: 1 }];
  const posted = d.post(0, buffers, { indirect });
  const [used] = d.takeUsed(0);
  assert.equal(used?.id, posted.head);
  return { status: d.bytes(posted.addresses.at(-1)!, 1)[0], len: used!.len, data: posted.addresses[1]! };
}

test('virtio-blk: config space holds capacity, size_max, seg_max and blk_size', () => {
  const d = new TestDriver(new VirtioBlock(new MemoryBlockBackend(new Uint8Array(SECTORS * 512))));
  assert.equal(d.r(REG.DeviceID), 2);
  assert.equal(d.config32(0), SECTORS);
  assert.equal(d.config32(4), 0);
  assert.equal(d.config32(8), 1 << 20);
  assert.equal(d.config32(12), 254);
  assert.equal(d.config32(20), 512);
  const features = d.deviceFeatures();
  for (const bit of [1, 2, 6, 9]) assert.notEqual(features & (1n << BigInt(bit)), 0n, `feature ${bit}`);
  assert.equal(features & (1n << 5n), 0n); // not read-only
});

test('virtio-blk: IN, OUT and FLUSH against a temp file; the bytes are on disk afterwards', () => {
  withImage((file) => {
    const backend = new NodeFileBlockBackend(file);
    const d = new TestDriver(new VirtioBlock(backend));
    d.init(1);
    const read = request(d, IN, 3, { in: 1024 });
    assert.equal(read.status, 0);
    assert.equal(read.len, 1025);
    assert.deepEqual(d.bytes(read.data, 1024), new Uint8Array(1024).fill(3, 0, 512).fill(4, 512));
    assert.equal(d.irqLevel, true);

    const payload = new Uint8Array(1024).map((_, i) => (i * 7) & 0xff);
    const write = request(d, OUT, 10, { out: payload });
    assert.deepEqual([write.status, write.len], [0, 1]);
    const flush = request(d, FLUSH, 0, {});
    assert.deepEqual([flush.status, flush.len], [0, 1]);
    backend.close();
    const disk = fs.readFileSync(file);
    assert.deepEqual(new Uint8Array(disk.subarray(10 * 512, 12 * 512)), payload);
    assert.equal(disk[9 * 512], 9);
    assert.equal(disk[12 * 512], 12);
  });
});

test('virtio-blk: a request through an indirect descriptor table reads the same data', () => {
  const image = new Uint8Array(SECTORS * 512).map((_, i) => i & 0xff);
  const d = new TestDriver(new VirtioBlock(new MemoryBlockBackend(image)));
  d.init(1);
  const read = request(d, IN, 1, { in: 512 }, true);
  assert.equal(read.status, 0);
  assert.deepEqual(d.bytes(read.data, 512), image.slice(512, 1024));
});

test('virtio-blk: GET_ID returns the serial, zero-padded to 20 bytes', () => {
  const d = new TestDriver(new VirtioBlock(new MemoryBlockBackend(new Uint8Array(4096)), { serial: 'disk-7' }));
  d.init(1);
  const id = request(d, GET_ID, 0, { in: 20 });
  assert.equal(id.status, 0);
  assert.equal(id.len, 21);
  assert.equal(new TextDecoder().decode(d.bytes(id.data, 6)), 'disk-7');
  assert.deepEqual(d.bytes(id.data + 6, 14), new Uint8Array(14));
});

test('virtio-blk: out-of-range sectors and partial sectors fail with IOERR; unknown types with UNSUPP', () => {
  const d = new TestDriver(new VirtioBlock(new MemoryBlockBackend(new Uint8Array(SECTORS * 512))));
  d.init(1);
  assert.equal(request(d, IN, SECTORS, { in: 512 }).status, 1);
  assert.equal(request(d, IN, SECTORS - 1, { in: 1024 }).status, 1);
  assert.equal(request(d, OUT, 2 ** 60, { out: new Uint8Array(512) }).status, 1);
  assert.equal(request(d, IN, 0, { in: 100 }).status, 1);
  assert.equal(request(d, BAD_TYPE, 0, {}).status, 2);
  assert.equal(d.status & STATUS.NEEDS_RESET, 0); // request errors, not device errors
  assert.equal(d.logs.length, 4);
  assert.equal(request(d, IN, SECTORS - 1, { in: 512 }).status, 0);
});

test('virtio-blk: a read-only disk offers VIRTIO_BLK_F_RO and fails OUT with IOERR, leaving data alone', () => {
  withImage((file) => {
    const backend = new NodeFileBlockBackend(file, { readOnly: true });
    const d = new TestDriver(new VirtioBlock(backend));
    assert.notEqual(d.deviceFeatures() & (1n << 5n), 0n);
    d.init(1);
    assert.equal(request(d, OUT, 0, { out: new Uint8Array(512).fill(0xaa) }).status, 1);
    assert.equal(request(d, FLUSH, 0, {}).status, 0);
    backend.close();
    assert.equal(fs.readFileSync(file)[0], 0);
  });
});

test('virtio-blk: a missing disk image is a DiskImageError with one clear line', () => {
  assert.throws(() => new NodeFileBlockBackend('/nonexistent/partita.img'), (e: unknown) => e instanceof DiskImageError && /cannot open disk image/.test(e.message));
});

test('virtio-blk: FLUSH reaches the backend; a request without a status byte puts the device in DEVICE_NEEDS_RESET', () => {
  const backend = new MemoryBlockBackend(new Uint8Array(4096));
  const d = new TestDriver(new VirtioBlock(backend));
  d.init(1);
  request(d, FLUSH, 0, {});
  assert.equal(backend.flushes, 1);
  d.post(0, [{ out: header(IN, 0) }]);
  assert.notEqual(d.status & STATUS.NEEDS_RESET, 0);
  assert.match(d.logs.at(-1)!, /no writable status byte; device needs reset/);
  assert.equal(d.ackInterrupt() & 2, 2);
});
