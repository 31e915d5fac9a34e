import assert from 'node:assert/strict';
import { test } from 'node:test';
import { VirtioConsole } from '../../../src/hw/virtio/virtio-console.js';
import { REG, STATUS, TestDriver } from './virtio-test-driver.js';

const text = (s: string) => new TextEncoder().encode(s);

function consoleDriver() {
  const output: number[] = [];
  const device = new VirtioConsole({ write: (bytes) => output.push(...bytes) });
  const d = new TestDriver(device);
  return { device, d, output };
}

test('virtio-console: DeviceID 3; bytes on transmitq0 reach the sink, buffers return with length 0', () => {
  const { d, output } = consoleDriver();
  assert.equal(d.r(REG.DeviceID), 3);
  d.init(2);
  d.post(1, [{ out: text('hello, ') }, { out: text('world\n') }]);
  assert.equal(new TextDecoder().decode(new Uint8Array(output)), 'hello, world\n');
  assert.deepEqual(d.takeUsed(1).map((u) => u.len), [0]);
  assert.equal(d.irqLevel, true);
});

test('virtio-console: host input fills posted receive buffers in order and splits across them', () => {
  const { device, d } = consoleDriver();
  d.init(2);
  const a = d.post(0, [{ in: 4 }]);
  const b = d.post(0, [{ in: 16 }]);
  assert.equal(device.receive(text('abcdefg')), 7);
  const used = d.takeUsed(0);
  assert.deepEqual(used, [{ id: a.head, len: 4 }, { id: b.head, len: 3 }]);
  assert.equal(new TextDecoder().decode(d.bytes(a.addresses[0]!, 4)), 'abcd');
  assert.equal(new TextDecoder().decode(d.bytes(b.addresses[0]!, 3)), 'efg');
  assert.equal(d.irqLevel, true);
});

test('virtio-console: input that arrives before the driver posts buffers is held and delivered later', () => {
  const { device, d } = consoleDriver();
  assert.equal(device.receive(text('early ')), 6); // before DRIVER_OK
  d.init(2);
  assert.equal(device.receive(text('bird')), 4);
  assert.deepEqual(d.takeUsed(0), []);
  const buf = d.post(0, [{ in: 64 }]);
  assert.deepEqual(d.takeUsed(0), [{ id: buf.head, len: 10 }]);
  assert.equal(new TextDecoder().decode(d.bytes(buf.addresses[0]!, 10)), 'early bird');
});

test('virtio-console: a device-writable transmit buffer is a driver error: DEVICE_NEEDS_RESET, one log line', () => {
  const { d, output } = consoleDriver();
  d.init(2);
  d.post(1, [{ in: 8 }]);
  assert.deepEqual(output, []);
  assert.notEqual(d.status & STATUS.NEEDS_RESET, 0);
  assert.equal(d.logs.length, 1);
  assert.match(d.logs[0]!, /virtio-console.*device-writable/);
});
