import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parse, problemsOf, system, vm } from './system-fixtures.js';

const region = (base: number, size: string | number) => ({ base, size });

test('two memory regions of one VM overlapping', () => {
  const text = system([vm('a', [0], { memory: [region(0x40000000, '16M'), region(0x40800000, '16M')] })]);
  assert.deepEqual(problemsOf(text), ['vms[0].memory[1]: 0x40800000-0x417fffff overlaps vms[0].memory[0] (0x40000000-0x40ffffff)']);
});

test("guest regions overlapping the VM's emulated GIC, UART and virtio-mmio windows", () => {
  const memory = [region(0x40000000, '16M'), region(0x08040000, '64K'), region(0x09000000, '4K'), region(0x0a003000, '4K')];
  assert.deepEqual(problemsOf(system([vm('a', [0], { memory })])), [
    "vms[0].memory[1]: 0x08040000-0x0804ffff overlaps the VM's emulated GIC (0x08000000-0x0804ffff)",
    "vms[0].memory[2]: 0x09000000-0x09000fff overlaps the VM's emulated UART (0x09000000-0x09000fff)",
    "vms[0].memory[3]: 0x0a003000-0x0a003fff overlaps the VM's emulated virtio-mmio transports (0x0a000000-0x0a003fff)",
  ]);
});

test('guest RAM next to the device windows and elsewhere below 0x40000000 is fine', () => {
  const memory = [region(0x40000000, '16M'), region(0x08050000, '64K'), region(0x0a004000, '4K'), region(0, '16M')];
  assert.equal(parse(system([vm('a', [0], { memory })])).vms[0]!.memory.length, 4);
});

test('guest regions above 4 GiB', () => {
  const memory = [region(0x40000000, '16M'), region(0xfff00000, '2M'), region(0x100200000, '4K')];
  assert.deepEqual(problemsOf(system([vm('a', [0], { memory })])), [
    'vms[0].memory[1]: 0xfff00000-0x1000fffff ends above 4 GiB',
    'vms[0].memory[2]: 0x100200000-0x100200fff ends above 4 GiB',
  ]);
});

test("a passthrough region overlapping the VM's memory or emulated devices", () => {
  const devices = [
    { type: 'passthrough', base: 0x40000000, size: 4096 },
    { type: 'passthrough', base: 0x08000000, size: 4096 },
  ];
  const problems = problemsOf(system([vm('a', [0], { devices })]));
  assert.ok(problems.includes('vms[0].devices[0]: 0x40000000-0x40000fff overlaps vms[0].memory[0] (0x40000000-0x40ffffff)'), problems.join('\n'));
  assert.ok(problems.includes("vms[0].devices[1]: 0x08000000-0x08000fff overlaps the VM's emulated GIC (0x08000000-0x0804ffff)"), problems.join('\n'));
});

test("a shared-memory peer base overlapping that VM's memory, or another shared window", () => {
  const peer = (name: string, base: number, doorbell = 100) => ({ vm: name, base, doorbell });
  const text = system([vm('a', [0]), vm('b', [1])], {
    'shared-memory': [
      { name: 's', size: '64K', peers: [peer('a', 0x40f00000), peer('b', 0x50000000)] },
      { name: 't', size: '64K', peers: [peer('a', 0x50000000, 101), peer('b', 0x50008000, 101)] },
    ],
  });
  assert.deepEqual(problemsOf(text), [
    'shared-memory[0].peers[0]: 0x40f00000-0x40f0ffff overlaps vms[0].memory[0] (0x40000000-0x40ffffff)',
    'shared-memory[1].peers[1]: 0x50008000-0x50017fff overlaps shared-memory[0].peers[1] (0x50000000-0x5000ffff)',
  ]);
});
