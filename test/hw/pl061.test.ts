import assert from 'node:assert/strict';
import { test } from 'node:test';
import { GPIO_KEY_PRESS_NANOSECONDS, GpioKey, Pl061 } from '../../src/hw/pl061.js';

const DIR = 0x400, IS = 0x404, IBE = 0x408, IEV = 0x40c, IE = 0x410, RIS = 0x414, MIS = 0x418, IC = 0x41c, AFSEL = 0x420;
/** GPIODATA with address bits [9:2] selecting `lines`. */
const data = (lines: number) => lines << 2;

function gpio() {
  let level = false;
  const device = new Pl061({ set: (l) => (level = l) });
  return { device, level: () => level };
}

test('pl061: identification registers as QEMU (PeriphID 0x00041061, PCellID 0xb105f00d, byte by byte)', () => {
  const { device } = gpio();
  const ids = [0xfe0, 0xfe4, 0xfe8, 0xfec, 0xff0, 0xff4, 0xff8, 0xffc].map((o) => device.read(o, 4));
  assert.deepEqual(ids, [0x61, 0x10, 0x04, 0x00, 0x0d, 0xf0, 0x05, 0xb1]);
});

test('pl061: GPIODATA reads and writes only the lines its address bits select, and writes only outputs', () => {
  const { device } = gpio();
  device.write(DIR, 4, 0xf0);
  device.write(data(0xff), 4, 0xff);
  assert.equal(device.read(data(0xff), 4), 0xf0, 'inputs 0-3 are not driven by writes');
  device.write(data(0x30), 4, 0x00);
  assert.equal(device.read(data(0xff), 4), 0xc0, 'only lines 4 and 5 cleared');
  assert.equal(device.read(data(0x0f), 4), 0x00, 'reads are masked by the address too');
  device.setInput(1, true);
  assert.equal(device.read(data(0x03), 4), 0x02);
  device.setInput(7, false);
  assert.equal(device.read(data(0x80), 4), 0x80, 'an output line ignores outside levels');
});

test('pl061: the simple registers read back as 8 bits; RIS and MIS are read-only', () => {
  const { device } = gpio();
  for (const offset of [DIR, IS, IBE, IEV, IE, AFSEL]) {
    device.write(offset, 4, 0x1a5);
    assert.equal(device.read(offset, 4), 0xa5, `offset 0x${offset.toString(16)}`);
    device.write(offset, 4, 0);
  }
  device.write(IC, 4, 0xff);
  device.write(RIS, 4, 0xff);
  device.write(MIS, 4, 0xff);
  assert.equal(device.read(RIS, 4), 0);
  assert.equal(device.read(MIS, 4), 0);
});

test('pl061: a rising edge latches RIS; the interrupt follows GPIOIE; GPIOIC clears it', () => {
  const { device, level } = gpio();
  device.write(IEV, 4, 0x08); // line 3: rising edge
  device.setInput(3, true);
  assert.equal(device.read(RIS, 4), 0x08);
  assert.equal(device.read(MIS, 4), 0);
  assert.equal(level(), false, 'masked');
  device.write(IE, 4, 0x08);
  assert.equal(level(), true);
  assert.equal(device.read(MIS, 4), 0x08);
  device.write(IC, 4, 0x08);
  assert.equal(level(), false);
  device.setInput(3, false);
  assert.equal(device.read(RIS, 4), 0, 'the falling edge does not count');
});

test('pl061: both edges with GPIOIBE, falling edges with GPIOIEV clear', () => {
  const { device } = gpio();
  device.write(IBE, 4, 0x01);
  device.setInput(0, true);
  assert.equal(device.read(RIS, 4), 0x01);
  device.write(IC, 4, 0xff);
  device.setInput(0, false);
  assert.equal(device.read(RIS, 4), 0x01, 'falling edge too');
  device.write(IC, 4, 0xff);
  device.setInput(2, true);
  device.setInput(2, false);
  assert.equal(device.read(RIS, 4), 0x04, 'line 2 (IEV 0): falling edge');
});

test('pl061: selecting low-level sensing on a low input latches it at once (as QEMU)', () => {
  const { device } = gpio();
  device.write(IS, 4, 0x01);
  assert.equal(device.read(RIS, 4), 0x01);
  device.write(IEV, 4, 0x01);
  device.write(IC, 4, 0x01);
  assert.equal(device.read(RIS, 4), 0, 'high level wanted, line low: cleared for good');
});

test('pl061: a level interrupt is latched while the level lasts: GPIOIC clears it only once the level is gone', () => {
  const { device, level } = gpio();
  device.write(IEV, 4, 0x02); // line 1: high level
  device.write(IS, 4, 0x02);
  device.write(IE, 4, 0x02);
  assert.equal(level(), false);
  device.setInput(1, true);
  assert.equal(level(), true);
  device.write(IC, 4, 0x02);
  assert.equal(level(), true, 'still high: latched again');
  device.setInput(1, false);
  device.write(IC, 4, 0x02);
  assert.equal(level(), false);
});

test('pl061: a snapshot restores registers, lines and the interrupt output', () => {
  const { device } = gpio();
  device.write(DIR, 4, 0x80);
  device.write(data(0x80), 4, 0x80);
  device.write(IE, 4, 0x01);
  device.write(IEV, 4, 0x01);
  device.setInput(0, true);
  const saved = device.snapshot();
  const other = gpio();
  other.device.restore(saved);
  assert.deepEqual(other.device.snapshot(), saved);
  assert.equal(other.level(), true);
  assert.equal(other.device.read(data(0xff), 4), 0x81);
  assert.throws(() => other.device.restore({ ...saved, version: 2 as 1 }), RangeError);
});

test('gpio-key: a press holds the line high for 100 ms of board time, then releases it', () => {
  let now = 0;
  let level = false;
  const key = new GpioKey({ set: (l) => (level = l) }, () => now);
  assert.equal(key.nextEvent(), Number.POSITIVE_INFINITY);
  now = 5;
  key.press();
  assert.equal(level, true);
  assert.equal(key.nextEvent(), 5 + GPIO_KEY_PRESS_NANOSECONDS);
  now += GPIO_KEY_PRESS_NANOSECONDS - 1;
  key.update();
  assert.equal(level, true);
  now += 1;
  key.update();
  assert.equal(level, false);
  assert.equal(key.nextEvent(), Number.POSITIVE_INFINITY);
});
