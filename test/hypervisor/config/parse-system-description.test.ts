import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { ROOT } from '../../../src/cli/host/repo-paths.js';
import { parse, problemsOf, system, vm } from './system-fixtures.js';

const MIB = 1 << 20;

test('examples/mixed-criticality.yaml: Linux on CPU 0 with 192M, the rt loop on CPU 1 with 16M, restarting', () => {
  const text = readFileSync(join(ROOT, 'examples/mixed-criticality.yaml'), 'utf8');
  const resolved: string[] = [];
  const description = parse(text, {
    resolveImage: (ref) => {
      resolved.push(ref);
      return { path: `/cache/${ref}` };
    },
    hypervisorReserveBytes: 16 * MIB,
  });
  assert.deepEqual(resolved, ['images:debian/vmlinuz', 'images:debian/initramfs.cpio.gz', 'guests:rt-control-uart']);
  assert.deepEqual(description, {
    board: { cpus: 2, memoryBytes: 256 * MIB },
    vms: [
      {
        name: 'linux',
        cpus: [0],
        memory: [{ guestBase: 0x40000000, size: 192 * MIB, permissions: 'rwx' }],
        kernel: '/cache/images:debian/vmlinuz',
        initrd: '/cache/images:debian/initramfs.cpio.gz',
        cmdline: 'console=ttyAMA0',
        console: {},
        devices: [],
        onFailure: 'stop',
      },
      {
        name: 'rt',
        cpus: [1],
        memory: [{ guestBase: 0x40000000, size: 16 * MIB, permissions: 'rwx' }],
        kernel: '/cache/guests:rt-control-uart',
        cmdline: '',
        console: {},
        devices: [],
        onFailure: 'restart',
      },
    ],
    sharedMemory: [],
  });
});

test('every key: devices, host placements, permissions, console port and shared memory come through resolved', () => {
  const text = `
board: { cpus: 3, memory: 1G }
vms:
  - name: linux
    cpus: [1, 0]
    memory:
      - { base: 0x40000000, size: 192M, host: 0x48000000, permissions: rw }
      - { base: 0x60000000, size: 65536, permissions: rx }
    kernel: images:debian/vmlinuz
    cmdline: console=ttyAMA0 root=/dev/vda
    console: { tcp-port: 5550 }
    devices:
      - { type: virtio-blk, file: disk.img, readonly: true }
      - { type: virtio-blk, file: scratch.img }
      - { type: virtio-net, mac: "52:54:00:12:34:56" }
      - { type: virtio-net }
      - { type: virtio-rng }
      - { type: virtio-console }
      - { type: passthrough, base: 0x09010000, size: 4K, interrupts: [2] }
      - { type: passthrough, base: 0x09030000, size: 0x1000 }
  - { name: rt-2, cpus: [2], memory: [{ base: 0x40000000, size: 16M }], kernel: guests:rt-control-uart }
shared-memory:
  - name: telemetry
    size: 64K
    host: 0x40000000
    peers:
      - { vm: linux, base: 0x50000000, doorbell: 40 }
      - { vm: rt-2, base: 0x41000000, doorbell: 40 }
`;
  const description = parse(text);
  const [linux, rt] = description.vms;
  assert.deepEqual(linux!.cpus, [1, 0]);
  assert.deepEqual(linux!.memory, [
    { guestBase: 0x40000000, size: 192 * MIB, hostBase: 0x48000000, permissions: 'rw' },
    { guestBase: 0x60000000, size: 0x10000, permissions: 'rx' },
  ]);
  assert.equal(linux!.kernel, '/images/images/debian/vmlinuz');
  assert.equal(linux!.initrd, undefined);
  assert.ok(!('initrd' in linux!));
  assert.equal(linux!.cmdline, 'console=ttyAMA0 root=/dev/vda');
  assert.deepEqual(linux!.console, { tcpPort: 5550 });
  assert.deepEqual(linux!.devices, [
    { type: 'virtio-blk', file: '/config/disk.img', readonly: true },
    { type: 'virtio-blk', file: '/config/scratch.img', readonly: false },
    { type: 'virtio-net', mac: '52:54:00:12:34:56' },
    { type: 'virtio-net' },
    { type: 'virtio-rng' },
    { type: 'virtio-console' },
    { type: 'passthrough', base: 0x09010000, size: 0x1000, interrupts: [2] },
    { type: 'passthrough', base: 0x09030000, size: 0x1000, interrupts: [] },
  ]);
  assert.equal(linux!.onFailure, 'stop');
  assert.equal(rt!.name, 'rt-2');
  assert.equal(rt!.kernel, '/images/guests/rt-control-uart');
  assert.deepEqual(description.sharedMemory, [
    {
      name: 'telemetry',
      size: 0x10000,
      hostBase: 0x40000000,
      peers: [
        { vm: 'linux', guestBase: 0x50000000, doorbellSpi: 40 },
        { vm: 'rt-2', guestBase: 0x41000000, doorbellSpi: 40 },
      ],
    },
  ]);
});

test('sizes: integer bytes, hex, and whole K, M and G units', () => {
  const sizes = [4096, 0x2000, '4096', '64K', '16M', '1G'];
  const bases = [0x40000000, 0x41000000, 0x42000000, 0x43000000, 0x44000000, 0x80000000];
  const text = system([vm('a', [0], { memory: sizes.map((size, i) => ({ base: bases[i], size })) })]).replace('256M', '2G');
  assert.deepEqual(
    parse(text).vms[0]!.memory.map((region) => region.size),
    [4096, 0x2000, 4096, 0x10000, 16 * MIB, 1024 * MIB],
  );
});

test('problems come as one line each, all of them at once, in a SystemDescriptionError', () => {
  assert.deepEqual(problemsOf(system([vm('a', [0], { 'on-failure': 'explode', colour: 'red' }), vm('a', [0])])), [
    'vms[0].on-failure: expected "stop" or "restart" or "report", got "explode"',
    'vms[0].colour: unknown key',
  ]);
  assert.deepEqual(problemsOf(system([vm('a', [0]), vm('a', [0])])), [
    "vms[1].name: VM name 'a' is already vms[0]'s",
  ]);
});
