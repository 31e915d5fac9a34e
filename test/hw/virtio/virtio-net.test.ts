import assert from 'node:assert/strict';
import { test } from 'node:test';
import { VirtioNet } from '../../../src/hw/virtio/virtio-net.js';
import { LoopbackNetwork, NetworkSwitch, type NetworkBackend } from '../../../src/hw/virtio/network-backend.js';
import { REG, TestDriver } from './virtio-test-driver.js';

const RX = 0;
const TX = 1;
const HDR = 12;
const MAC_A = new Uint8Array([0x52, 0x54, 0x00, 0x12, 0x34, 0x01]);
const MAC_B = new Uint8Array([0x52, 0x54, 0x00, 0x12, 0x34, 0x02]);
const MAC_C = new Uint8Array([0x52, 0x54, 0x00, 0x12, 0x34, 0x03]);
const BROADCAST = new Uint8Array(6).fill(0xff);

function frame(to: Uint8Array, from: Uint8Array, payload: string): Uint8Array {
  const body = new TextEncoder().encode(payload);
  const f = new Uint8Array(14 + body.length);
  f.set(to, 0);
  f.set(from, 6);
  f[12] = 0x88;
  f[13] = 0xb5; // local experimental EtherType
  f.set(body, 14);
  return f;
}

function nic(mac: Uint8Array, backend: NetworkBackend) {
  const device = new VirtioNet(mac, backend);
  const d = new TestDriver(device);
  d.init(2);
  return { device, d };
}

function send(d: TestDriver, f: Uint8Array): void {
  d.post(TX, [{ out: new Uint8Array(HDR) }, { out: f }]);
  assert.equal(d.takeUsed(TX).length, 1);
}

/** The frames received into posted buffers, without their virtio_net_hdr. */
function received(d: TestDriver, buffers: { head: number; addresses: number[] }[]): Uint8Array[] {
  return d.takeUsed(RX).map((u) => {
    const b = buffers.find((p) => p.head === u.id)!;
    const packet = d.bytes(b.addresses[0]!, u.len);
    assert.equal(packet[10], 1, 'num_buffers');
    return packet.subarray(HDR);
  });
}

test('virtio-net: DeviceID 1; the MAC and LINK_UP status are in config space with MAC and STATUS features', () => {
  const { d } = nic(MAC_A, new LoopbackNetwork());
  assert.equal(d.r(REG.DeviceID), 1);
  assert.deepEqual([0, 1, 2, 3, 4, 5].map((i) => d.configByte(i)), [...MAC_A]);
  assert.equal(d.configByte(6), 1);
  const features = d.deviceFeatures();
  assert.notEqual(features & (1n << 5n), 0n);
  assert.notEqual(features & (1n << 16n), 0n);
});

test('virtio-net: loopback returns a transmitted frame into a receive buffer with a 12-byte header', () => {
  const { d, device } = nic(MAC_A, new LoopbackNetwork());
  const rx = [d.post(RX, [{ in: 1526 }])];
  const f = frame(MAC_A, MAC_A, 'ping');
  send(d, f);
  assert.deepEqual(received(d, rx), [f]);
  assert.equal(d.irqLevel, true);
  assert.deepEqual(device.stats, { transmitted: 1, received: 1, dropped: 0 });
});

test('virtio-net: frames wait for receive buffers; a buffer too small drops the frame but stays available', () => {
  const { d, device } = nic(MAC_A, new LoopbackNetwork());
  const f = frame(MAC_A, MAC_A, 'x'.repeat(100));
  send(d, f);
  const small = d.post(RX, [{ in: 64 }]);
  assert.deepEqual(d.takeUsed(RX), []);
  assert.equal(device.stats.dropped, 1);
  send(d, frame(MAC_A, MAC_A, 'y'));
  assert.equal(received(d, [small]).length, 1);
});

test('virtio-net: two devices on a switch exchange frames; learned unicast is not flooded', () => {
  const net = new NetworkSwitch();
  const a = nic(MAC_A, net.createPort());
  const b = nic(MAC_B, net.createPort());
  const c = nic(MAC_C, net.createPort());
  const rxA = [a.d.post(RX, [{ in: 1526 }])];
  const rxB = [b.d.post(RX, [{ in: 1526 }])];
  const rxC = [c.d.post(RX, [{ in: 1526 }]), c.d.post(RX, [{ in: 1526 }])];
  const hello = frame(BROADCAST, MAC_A, 'who is there?');
  send(a.d, hello);
  assert.deepEqual(received(b.d, rxB), [hello]);
  assert.deepEqual(received(c.d, rxC), [hello]);
  assert.deepEqual(received(a.d, rxA), []); // not back to the sender
  const reply = frame(MAC_A, MAC_B, 'B here');
  send(b.d, reply);
  assert.deepEqual(received(a.d, rxA), [reply]);
  assert.deepEqual(received(c.d, rxC), []); // MAC_A was learned: C does not see it
  assert.equal(a.d.irqLevel, true);
});

test('virtio-net: with the link down, frames are dropped', () => {
  const { d, device } = nic(MAC_A, new LoopbackNetwork());
  d.post(RX, [{ in: 1526 }]);
  device.setLinkUp(false);
  send(d, frame(MAC_A, MAC_A, 'lost'));
  assert.deepEqual(d.takeUsed(RX), []);
  assert.equal(device.stats.dropped, 1);
});
