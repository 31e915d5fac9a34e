import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { ImageError, parseElf } from '../../src/board/elf-image.js';
import { join } from 'node:path';
import { GUESTS_DIR } from '../../src/cli/host/repo-paths.js';

const demoImagePath = join(GUESTS_DIR, 'demo', 'demo.elf');

const demo = (): Uint8Array => new Uint8Array(readFileSync(demoImagePath));

test('elf: the demo image has loadable segments at its link address and a Thumb or ARM entry', () => {
  const image = parseElf(demo(), 'demo.elf');
  assert.ok(image.segments.length >= 1);
  assert.ok(image.segments.every((s) => s.physicalAddress >= 0x40010000));
  assert.ok(image.end > 0x40010000);
  assert.ok(image.segments.every((s) => s.data.length <= s.memorySize));
});

test('elf: every truncation of a valid image is reported as an ImageError naming the file, never another exception', () => {
  const file = demo();
  const cut = [0, 3, 20, 51, 52, 60, 100, 200, 1000, file.length >> 1, file.length - 1];
  for (const length of cut) {
    const truncated = file.subarray(0, length);
    try {
      const image = parseElf(truncated, 'x.elf');
      // A cut that leaves every segment intact is still a valid image.
      assert.ok(image.segments.length > 0, `length ${length}`);
    } catch (error) {
      assert.ok(error instanceof ImageError, `length ${length}: ${String(error)}`);
      assert.match(error.message, /^x\.elf: /);
      assert.doesNotMatch(error.message, /\n/);
    }
  }
});

test('elf: wrong magic, class, byte order, machine and type each get their own message', () => {
  const cases: [number, number, RegExp][] = [
    [0, 0x00, /bad magic/],
    [4, 2, /not a 32-bit/],
    [5, 2, /not a little-endian/],
    [18, 62, /not ARM/],
    [16, 3, /not an executable/],
  ];
  for (const [offset, value, message] of cases) {
    const file = demo().slice();
    file[offset] = value;
    assert.throws(() => parseElf(file, 'x.elf'), (e: unknown) => e instanceof ImageError && message.test(e.message));
  }
});

test('elf: random corruption of the headers never throws anything but ImageError', () => {
  let seed = 12345;
  const random = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 16;
  for (let i = 0; i < 2000; i++) {
    const file = demo().slice(0, 4096);
    for (let k = 0; k < 4; k++) file[random() % 160] = random() & 0xff;
    try {
      parseElf(file, 'x.elf');
    } catch (error) {
      assert.ok(error instanceof ImageError, String(error));
    }
  }
});
