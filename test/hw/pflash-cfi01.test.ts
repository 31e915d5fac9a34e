import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PflashCfi01, VIRT_FLASH_SECTOR_BYTES } from '../../src/hw/pflash-cfi01.js';

/** A command to both x16 devices of the bank. */
const both = (command: number) => ((command << 16) | command) >>> 0;

test('pflash: an unbacked bank reads zeros in read-array mode, as QEMU', () => {
  const flash = new PflashCfi01();
  assert.equal(flash.read(0, 4), 0);
  assert.equal(flash.read(0x3fffffc, 4), 0);
});

test('pflash: CFI query (0x98) answers QEMU 7.2 virt\'s table in both halves of each word, until read-array (0xFF)', () => {
  const flash = new PflashCfi01();
  flash.write(0x55 << 2, 4, both(0x98));
  const table = (index: number) => flash.read(index << 2, 4);
  assert.deepEqual([0x10, 0x11, 0x12].map(table), [0x00510051, 0x00520052, 0x00590059], '"QRY"');
  assert.equal(table(0x13), 0x00010001, 'Intel command set');
  assert.equal(table(0x27), 0x00190019, '32 MiB per device');
  assert.deepEqual([0x2c, 0x2d, 0x2e, 0x2f, 0x30].map(table), [0x00010001, 0x00ff00ff, 0, 0, 0x00020002], '256 blocks of 128 KiB per device');
  assert.deepEqual([0x31, 0x32, 0x33].map(table), [0x00500050, 0x00520052, 0x00490049], '"PRI"');
  assert.equal(table(0x53), 0, 'beyond the table');
  assert.equal(flash.read(0x40, 2), 0x0051);
  assert.equal(flash.read(0x44, 1), 0x52);
  flash.write(0, 4, both(0xff));
  assert.equal(flash.read(0x40, 4), 0);
});

test('pflash: read identifier (0x90) gives Intel 0x89 / device 0x18; read status (0x70) gives SR.7 ready', () => {
  const flash = new PflashCfi01();
  flash.write(0, 4, both(0x90));
  assert.deepEqual([0, 4, 8].map((o) => flash.read(o, 4)), [0x00890089, 0x00180018, 0]);
  flash.write(0, 4, both(0x70));
  assert.equal(flash.read(0x1234, 4), 0x00800080);
  assert.equal(flash.read(0, 2), 0x0080);
});

test('pflash: word program, block erase on confirm (256 KiB to 0xFF), buffered write, clear status', () => {
  const flash = new PflashCfi01();
  const sector = VIRT_FLASH_SECTOR_BYTES;
  flash.write(sector, 4, both(0x40));
  flash.write(sector, 4, 0x12345678);
  assert.equal(flash.read(sector, 4), 0x00800080, 'status until read-array');
  flash.write(0, 4, both(0xff));
  assert.equal(flash.read(sector, 4), 0x12345678);
  flash.write(sector, 4, both(0x20));
  flash.write(0, 4, both(0xff)); // not a confirm: nothing erased, back to read array
  assert.equal(flash.read(sector, 4), 0x12345678);
  flash.write(sector, 4, both(0x20));
  flash.write(sector, 4, both(0xd0));
  flash.write(0, 4, both(0xff));
  assert.deepEqual([sector, 2 * sector - 4, 2 * sector, sector - 4].map((o) => flash.read(o, 4)), [0xffffffff, 0xffffffff, 0, 0]);
  flash.write(sector + 16, 4, both(0xe8));
  flash.write(sector + 16, 4, both(1)); // two words
  flash.write(sector + 16, 4, 0xcafef00d);
  flash.write(sector + 20, 4, 0x0badc0de);
  flash.write(sector + 16, 4, both(0xd0));
  assert.equal(flash.read(0, 4), 0x00800080);
  flash.write(0, 4, both(0x50));
  assert.deepEqual([16, 20, 24].map((o) => flash.read(sector + o, 4)), [0xcafef00d, 0x0badc0de, 0xffffffff]);
  flash.write(0, 4, both(0x33)); // unknown command: read array
  assert.equal(flash.read(sector + 16, 4), 0xcafef00d);
});

test('pflash: a snapshot carries the written sectors and the command state', () => {
  const flash = new PflashCfi01();
  flash.write(8, 4, both(0x40));
  flash.write(8, 4, 0xabcd);
  flash.write(0, 4, both(0x98));
  const saved = flash.snapshot();
  const other = new PflashCfi01();
  other.restore(saved);
  assert.equal(other.read(0x10 << 2, 4), 0x00510051, 'still in query mode');
  other.write(0, 4, both(0xff));
  assert.equal(other.read(8, 4), 0xabcd);
  assert.equal(new PflashCfi01().read(8, 4), 0);
});
