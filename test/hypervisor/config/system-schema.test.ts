import assert from 'node:assert/strict';
import { test } from 'node:test';
import { problemsOf, system, vm } from './system-fixtures.js';

test('YAML syntax errors name line:column', () => {
  assert.deepEqual(problemsOf('board:\n  cpus: 2\nvms: [1, 2\n'), ['line 4:1: Flow sequence in block collection must be sufficiently indented and end with a ]']);
  assert.deepEqual(problemsOf('board: 1\nboard: 2\n'), ['line 2:1: Map keys must be unique']);
});

test('a YAML alias without an anchor is a problem, not a crash', () => {
  assert.deepEqual(problemsOf('board: *nothing\n'), ['YAML: Unresolved alias (the anchor must be set before the alias): nothing']);
});

test('the document must be a mapping with board and vms', () => {
  assert.deepEqual(problemsOf(''), ['top level: expected a mapping, got null']);
  assert.deepEqual(problemsOf('{}'), ['board: required', 'vms: required']);
  assert.deepEqual(problemsOf('board: { cpus: 1, memory: 16M }\nvms: []\n'), ['vms: a system needs at least one VM']);
});

test('unknown keys are named one per line, wherever they are', () => {
  assert.deepEqual(problemsOf(system([vm('a', [0], { colour: 'red', memory: [{ base: 0x40000000, size: '16M', cache: 'wb' }] })], { extra: 1 })), [
    'vms[0].memory[0].cache: unknown key',
    'vms[0].colour: unknown key',
    'extra: unknown key',
  ]);
});

test('wrong types say what was expected and what was found', () => {
  assert.deepEqual(problemsOf(system([vm('a', [0], { cpus: ['x', 1.5], memory: 'lots', kernel: 3, console: 5550, devices: ['virtio-rng'] })])), [
    'vms[0].cpus[0]: expected an integer, got "x"',
    'vms[0].cpus[1]: expected an integer, got 1.5',
    'vms[0].memory: expected a list, got "lots"',
    'vms[0].kernel: expected a string, got 3',
    'vms[0].console: expected a mapping, got 5550',
    'vms[0].devices[0]: expected a mapping, got "virtio-rng"',
  ]);
});

test('a VM needs a name, a kernel, at least one CPU and at least one memory region', () => {
  assert.deepEqual(problemsOf(system([{ cpus: [], memory: [] }])), [
    'vms[0].name: required',
    'vms[0].cpus: a VM needs at least one CPU',
    'vms[0].memory: a VM needs at least one memory region',
    'vms[0].kernel: required',
  ]);
  assert.deepEqual(problemsOf(system([vm('a', [0], { kernel: '' })])), ['vms[0].kernel: a file name must not be empty']);
});

test('names are lowercase letters, digits and dashes, starting with a letter', () => {
  assert.deepEqual(problemsOf(system([vm('Linux', [0]), vm('2nd', [1])])), [
    `vms[0].name: invalid name "Linux" (lowercase letters, digits and '-', starting with a letter)`,
    `vms[1].name: invalid name "2nd" (lowercase letters, digits and '-', starting with a letter)`,
  ]);
});

test('bad sizes: unknown unit, zero, not a multiple of 4 KiB, not a size at all', () => {
  const region = (size: unknown, base = 0x40000000) => ({ base, size });
  const memory = [region('12Q'), region('0M', 0x50000000), region(4097, 0x60000000), region('1K', 0x70000000), region(true, 0x80000000)];
  assert.deepEqual(problemsOf(system([vm('a', [0], { memory })])), [
    'vms[0].memory[0].size: invalid size "12Q" (expected bytes, or a whole number with K, M or G: "16M")',
    'vms[0].memory[1].size: a size must not be 0',
    'vms[0].memory[2].size: 4097 is not a multiple of 4 KiB',
    'vms[0].memory[3].size: 1K is not a multiple of 4 KiB',
    'vms[0].memory[4].size: expected a size (bytes, or "64K", "16M", "1G"), got true',
  ]);
});

test('addresses are 4 KiB aligned: guest bases, host placements, passthrough and shared-memory bases', () => {
  const text = system(
    [
      vm('a', [0], {
        memory: [{ base: 0x40000800, size: '16M', host: 0x40000100 }],
        devices: [{ type: 'passthrough', base: 0x09010010, size: 4096 }],
      }),
      vm('b', [1]),
    ],
    { 'shared-memory': [{ name: 's', size: '64K', host: 0x4f000001, peers: [{ vm: 'a', base: 0x50000004, doorbell: 100 }, { vm: 'b', base: 0x50000000, doorbell: 100 }] }] },
  );
  assert.deepEqual(problemsOf(text), [
    'vms[0].memory[0].base: 0x40000800 is not 4 KiB aligned',
    'vms[0].memory[0].host: 0x40000100 is not 4 KiB aligned',
    'vms[0].devices[0].base: 0x09010010 is not 4 KiB aligned',
    'shared-memory[0].host: 0x4f000001 is not 4 KiB aligned',
    'shared-memory[0].peers[0].base: 0x50000004 is not 4 KiB aligned',
  ]);
});

test('board: 1 to VIRT_MAX_CPUS CPUs, at most the 2G of RAM between 0x40000000 and 0xc0000000', () => {
  const text = (cpus: number, memory: string) => system([vm('a', [0])]).replace('cpus: 2', `cpus: ${cpus}`).replace('256M', memory);
  assert.deepEqual(problemsOf(text(5, '3G')), [
    'board.cpus: the virt board takes 1 to 4 CPUs, got 5',
    "board.memory: 3G is more than the board's 2G of RAM below 4 GiB",
  ]);
  assert.deepEqual(problemsOf(text(0, '2G')), ['board.cpus: must be at least 1, got 0']);
});

test('choices: permissions, on-failure and device type list what they accept', () => {
  const text = system([vm('a', [0], { 'on-failure': 'reboot', memory: [{ base: 0x40000000, size: '16M', permissions: 'wx' }], devices: [{ type: 'virtio-gpu' }, {}] })]);
  assert.deepEqual(problemsOf(text), [
    'vms[0].memory[0].permissions: expected "rwx" or "rw" or "rx" or "r", got "wx"',
    'vms[0].on-failure: expected "stop" or "restart" or "report", got "reboot"',
    'vms[0].devices[0].type: unknown type "virtio-gpu" (expected one of "virtio-blk", "virtio-net", "virtio-rng", "virtio-console", "passthrough")',
    'vms[0].devices[1].type: required (one of "virtio-blk", "virtio-net", "virtio-rng", "virtio-console", "passthrough")',
  ]);
});

test('device fields: virtio-blk needs a file, a MAC is six hex bytes, readonly is a boolean', () => {
  const devices = [{ type: 'virtio-blk' }, { type: 'virtio-blk', file: 'd.img', readonly: 'yes' }, { type: 'virtio-net', mac: '52:54:00:12:34' }, { type: 'virtio-rng', file: 'x' }];
  assert.deepEqual(problemsOf(system([vm('a', [0], { devices })])), [
    'vms[0].devices[0].file: required',
    'vms[0].devices[1].readonly: expected true or false, got "yes"',
    'vms[0].devices[2].mac: invalid MAC address "52:54:00:12:34" (expected six hex bytes: "52:54:00:12:34:56")',
    'vms[0].devices[3].file: unknown key',
  ]);
});

test('SPIs (passthrough interrupts, doorbells) lie in the board GIC range 0-255', () => {
  const text = system([vm('a', [0], { devices: [{ type: 'passthrough', base: 0x09010000, size: 4096, interrupts: [256, -1] }] }), vm('b', [1])], {
    'shared-memory': [{ name: 's', size: '64K', peers: [{ vm: 'a', base: 0x50000000, doorbell: 300 }, { vm: 'b', base: 0x50000000, doorbell: 40 }] }],
  });
  assert.deepEqual(problemsOf(text), [
    "vms[0].devices[0].interrupts[0]: SPI 256 is outside the board's SPIs 0-255",
    "vms[0].devices[0].interrupts[1]: SPI -1 is outside the board's SPIs 0-255",
    "shared-memory[0].peers[0].doorbell: SPI 300 is outside the board's SPIs 0-255",
  ]);
});

test('a console TCP port is 1-65535', () => {
  assert.deepEqual(problemsOf(system([vm('a', [0], { console: { 'tcp-port': 70000 } })])), ['vms[0].console.tcp-port: must be at most 65535, got 70000']);
});

test('at most one virtio device per virtio-mmio transport (32)', () => {
  const devices = Array.from({ length: 33 }, () => ({ type: 'virtio-rng' }));
  assert.deepEqual(problemsOf(system([vm('a', [0], { devices })])), ['vms[0].devices: 33 virtio devices, more than the 32 virtio-mmio transports']);
});

test('a shared region needs at least two peers', () => {
  const text = system([vm('a', [0])], { 'shared-memory': [{ name: 's', size: '64K', peers: [{ vm: 'a', base: 0x50000000, doorbell: 40 }] }] });
  assert.deepEqual(problemsOf(text), ['shared-memory[0].peers: a shared region needs at least two peers']);
});
