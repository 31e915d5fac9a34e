import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FwCfg } from '../../src/hw/fw-cfg.js';
import { RamGuestMemory } from '../../src/hw/virtio/guest-memory.js';

const RAM = 0x40000000;
const SELECTOR = 0x08, DMA_HIGH = 0x10, DMA_LOW = 0x14;
/** The selector is big-endian: a little-endian CPU's 16-bit store of the key, byte-swapped. */
const selectorValue = (key: number) => ((key & 0xff) << 8) | (key >>> 8);
const be32 = (v: number) => (((v & 0xff) << 24) | ((v & 0xff00) << 8) | ((v >>> 8) & 0xff00) | (v >>> 24)) >>> 0;

function device(files = [{ name: 'bootorder', data: new Uint8Array(0) }, { name: 'a-file', data: new Uint8Array([1, 2, 3]) }]) {
  const ram = new Uint8Array(0x1000);
  const fw = new FwCfg({ processorCount: 2, files }, new RamGuestMemory(RAM, ram));
  const select = (key: number) => fw.write(SELECTOR, 2, selectorValue(key));
  const bytes = (n: number) => Array.from({ length: n }, () => fw.read(0, 1));
  return { fw, ram, select, bytes };
}

test('fw-cfg: the signature "QEMU" and the ID (traditional + DMA) through the data register, then zeros past the end', () => {
  const { fw, select, bytes } = device();
  select(0x00);
  assert.equal(fw.read(0, 4), 0x554d4551, '"QEMU" in memory order');
  assert.equal(fw.read(0, 4), 0);
  select(0x01);
  assert.deepEqual(bytes(4), [3, 0, 0, 0]);
  select(0x05);
  assert.equal(fw.read(0, 2), 2, 'processor count, little-endian');
  select(0x1234);
  assert.equal(fw.read(0, 4), 0, 'no such item');
});

test('fw-cfg: FILE_DIR lists the files sorted by name from key 0x20, big-endian, and the files read back', () => {
  const { select, bytes } = device();
  select(0x19);
  const dir = Uint8Array.from(bytes(4 + 64 * 2));
  const view = new DataView(dir.buffer);
  assert.equal(view.getUint32(0, false), 2);
  const entry = (i: number) => ({
    size: view.getUint32(4 + 64 * i, false),
    select: view.getUint16(8 + 64 * i, false),
    name: new TextDecoder().decode(dir.subarray(12 + 64 * i, 12 + 64 * i + 56)).replace(/\0+$/, ''),
  });
  assert.deepEqual(entry(0), { size: 3, select: 0x20, name: 'a-file' });
  assert.deepEqual(entry(1), { size: 0, select: 0x21, name: 'bootorder' });
  select(0x20);
  assert.deepEqual(bytes(4), [1, 2, 3, 0]);
});

test('fw-cfg: the DMA register reads "QEMU CFG"; a DMA access selects, skips and reads into guest memory and clears control', () => {
  const { fw, ram } = device();
  assert.equal(fw.read(DMA_HIGH, 4), 0x554d4551);
  assert.equal(fw.read(DMA_LOW, 4), 0x47464320);
  const access = new DataView(ram.buffer);
  // control: select key 0 | read; length 6; address RAM + 0x100
  access.setUint32(0, (0 << 16) | 0x08 | 0x02, false);
  access.setUint32(4, 6, false);
  access.setUint32(8, 0, false);
  access.setUint32(12, RAM + 0x100, false);
  ram.fill(0xaa, 0x100, 0x110);
  fw.write(DMA_HIGH, 4, 0);
  fw.write(DMA_LOW, 4, be32(RAM));
  assert.equal(access.getUint32(0, false), 0, 'done, no error');
  assert.deepEqual([...ram.subarray(0x100, 0x108)], [0x51, 0x45, 0x4d, 0x55, 0, 0, 0xaa, 0xaa]);
  // select the ID, skip 1 byte, then read 2: continues at offset 1
  access.setUint32(0, (1 << 16) | 0x08 | 0x04, false);
  access.setUint32(4, 1, false);
  fw.write(DMA_LOW, 4, be32(RAM));
  access.setUint32(0, 0x02, false);
  access.setUint32(4, 2, false);
  ram.fill(0xaa, 0x100, 0x110);
  fw.write(DMA_LOW, 4, be32(RAM));
  assert.deepEqual([...ram.subarray(0x100, 0x103)], [0, 0, 0xaa]);
  assert.equal(fw.read(0, 1), 0, 'the data register continues where DMA left off (offset 3)');
});

test('fw-cfg: a DMA write is an error (items are read-only), as is an access outside memory', () => {
  const { fw, ram } = device();
  const access = new DataView(ram.buffer);
  access.setUint32(0, 0x08 | 0x10, false);
  access.setUint32(4, 4, false);
  access.setUint32(12, RAM + 0x100, false);
  fw.write(DMA_LOW, 4, be32(RAM));
  assert.equal(access.getUint32(0, false), 1);
  access.setUint32(0, 0x08 | 0x02, false);
  access.setUint32(12, 0x10, false); // not RAM
  fw.write(DMA_LOW, 4, be32(RAM));
  assert.equal(access.getUint32(0, false), 1);
});

test('fw-cfg: a snapshot keeps the selection and position', () => {
  const { fw, select } = device();
  select(0x00);
  fw.read(0, 1);
  const saved = fw.snapshot();
  const other = device();
  other.fw.restore(saved);
  assert.equal(other.fw.read(0, 1), 0x45, '"E", the second byte');
});
