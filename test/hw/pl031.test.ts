import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Pl031 } from '../../src/hw/pl031.js';

function rtc(start = 1000) {
  let now = 0;
  let level = false;
  const device = new Pl031(() => now, start, { set: (l) => (level = l) });
  return { device, advance: (seconds: number) => (now += seconds * 1e9), level: () => level, now: () => now };
}

test('pl031: identification registers as the TRM and QEMU (0x00041031 / 0xb105f00d, byte by byte)', () => {
  const { device } = rtc();
  const ids = [0xfe0, 0xfe4, 0xfe8, 0xfec, 0xff0, 0xff4, 0xff8, 0xffc].map((o) => device.read(o, 4));
  assert.deepEqual(ids, [0x31, 0x10, 0x14, 0x00, 0x0d, 0xf0, 0x05, 0xb1]);
});

test('pl031: RTCDR counts whole seconds of board time from the start value; RTCCR always reads 1', () => {
  const { device, advance } = rtc(1000);
  assert.equal(device.read(0x00, 4), 1000);
  advance(2.5);
  assert.equal(device.read(0x00, 4), 1002);
  assert.equal(device.read(0x0c, 4), 1);
});

test('pl031: writing RTCLR sets the counter and reads back', () => {
  const { device, advance } = rtc(1000);
  advance(3);
  device.write(0x08, 4, 50000);
  assert.equal(device.read(0x08, 4), 50000);
  assert.equal(device.read(0x00, 4), 50000);
  advance(7);
  assert.equal(device.read(0x00, 4), 50007);
});

test('pl031: the match raises RIS at the second it names, and the interrupt only when unmasked, until cleared', () => {
  const { device, advance, level } = rtc(1000);
  device.write(0x04, 4, 1005);
  assert.equal(device.nextEvent(), 5e9);
  advance(4);
  device.update();
  assert.equal(device.read(0x14, 4), 0);
  advance(1);
  device.update();
  assert.equal(device.read(0x14, 4), 1);
  assert.equal(level(), false, 'masked');
  device.write(0x10, 4, 1);
  assert.equal(level(), true);
  assert.equal(device.read(0x18, 4), 1);
  device.write(0x1c, 4, 1);
  assert.equal(level(), false);
  assert.equal(device.read(0x14, 4), 0);
  assert.equal(device.nextEvent(), Number.POSITIVE_INFINITY);
});

test('pl031: a match equal to the current count fires at once (QEMU pl031_set_alarm)', () => {
  const { device } = rtc(1000);
  device.write(0x04, 4, 1000);
  assert.equal(device.read(0x14, 4), 1);
});
