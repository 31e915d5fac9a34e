import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parse, problemsOf, system, vm } from './system-fixtures.js';

const passthrough = (interrupts: number[], base = 0x09010000) => ({ type: 'passthrough', base, size: 4096, interrupts });
const sharedMemory = (doorbellA: number, doorbellB: number, name = 's', base = 0x50000000) => ({
  name,
  size: '64K',
  peers: [{ vm: 'a', base, doorbell: doorbellA }, { vm: 'b', base, doorbell: doorbellB }],
});

test('a passthrough SPI given to two VMs', () => {
  const text = system([vm('a', [0], { devices: [passthrough([2])] }), vm('b', [1], { devices: [passthrough([2], 0x09030000)] })]);
  assert.deepEqual(problemsOf(text), ['vms[1].devices[0].interrupts[0]: SPI 2 is already passed through to VM a (vms[0].devices[0].interrupts[0])']);
});

test("a passthrough SPI clashing with the VM's emulated UART or one of its virtio devices, or listed twice", () => {
  const text = system([vm('a', [0], { devices: [{ type: 'virtio-rng' }, passthrough([1, 16, 7, 7])] })]);
  assert.deepEqual(problemsOf(text), [
    "vms[0].devices[1].interrupts[0]: SPI 1 is already used by the VM's emulated UART",
    'vms[0].devices[1].interrupts[1]: SPI 16 is already used by vms[0].devices[0] (virtio-rng)',
    'vms[0].devices[1].interrupts[3]: SPI 7 is already used by vms[0].devices[1].interrupts[2]',
  ]);
});

test('virtio devices take SPIs 16 upwards in list order, passthrough devices between them take none', () => {
  const devices = [{ type: 'virtio-blk', file: 'd.img' }, passthrough([2]), { type: 'virtio-net' }];
  const text = system([vm('a', [0], { devices }), vm('b', [1])], { 'shared-memory': [sharedMemory(17, 17)] });
  assert.deepEqual(problemsOf(text), ['shared-memory[0].peers[0].doorbell: SPI 17 is already used by vms[0].devices[2] (virtio-net)']);
  assert.equal(parse(text.replaceAll('doorbell: 17', 'doorbell: 18')).sharedMemory[0]!.peers[0]!.doorbellSpi, 18);
});

test("a doorbell clashing with the VM's UART, its passthrough SPIs or its other doorbells", () => {
  const text = system([vm('a', [0], { devices: [passthrough([2])] }), vm('b', [1])], {
    'shared-memory': [sharedMemory(2, 1), sharedMemory(100, 100, 't', 0x51000000), sharedMemory(100, 101, 'u', 0x52000000)],
  });
  assert.deepEqual(problemsOf(text), [
    'shared-memory[0].peers[0].doorbell: SPI 2 is already used by vms[0].devices[0].interrupts[0]',
    'shared-memory[2].peers[0].doorbell: SPI 100 is already used by shared-memory[1].peers[0].doorbell',
    "shared-memory[0].peers[1].doorbell: SPI 1 is already used by the VM's emulated UART",
  ]);
});

test("one SPI number as doorbell in two VMs is fine: each VM's SPIs are its own", () => {
  const text = system([vm('a', [0], { devices: [passthrough([2])] }), vm('b', [1])], { 'shared-memory': [sharedMemory(40, 2)] });
  assert.deepEqual(parse(text).sharedMemory[0]!.peers.map((p) => p.doorbellSpi), [40, 2]);
});
