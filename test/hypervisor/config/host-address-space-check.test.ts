import assert from 'node:assert/strict';
import { test } from 'node:test';
import { problemsOf, system, vm } from './system-fixtures.js';

test('host placements outside board RAM', () => {
  const text = system([vm('a', [0], { memory: [{ base: 0x40000000, size: '16M', host: 0x4f800000 }] }), vm('b', [1], { memory: [{ base: 0x40000000, size: '16M', host: 0x20000000 }] })]);
  assert.deepEqual(problemsOf(text), [
    'vms[0].memory[0].host: 0x4f800000-0x507fffff is outside board RAM (0x40000000-0x4fffffff)',
    'vms[1].memory[0].host: 0x20000000-0x20ffffff is outside board RAM (0x40000000-0x4fffffff)',
  ]);
});

test('host placements overlapping each other, across VMs and shared memory', () => {
  const text = system([vm('a', [0], { memory: [{ base: 0x40000000, size: '16M', host: 0x41000000 }] }), vm('b', [1], { memory: [{ base: 0x40000000, size: '16M', host: 0x41800000 }] })], {
    'shared-memory': [{ name: 's', size: '64K', host: 0x41000000, peers: [{ vm: 'a', base: 0x50000000, doorbell: 100 }, { vm: 'b', base: 0x50000000, doorbell: 100 }] }],
  });
  assert.deepEqual(problemsOf(text), [
    'vms[1].memory[0].host: 0x41800000-0x427fffff overlaps vms[0].memory[0].host (0x41000000-0x41ffffff)',
    'shared-memory[0].host: 0x41000000-0x4100ffff overlaps vms[0].memory[0].host (0x41000000-0x41ffffff)',
  ]);
});

test('passthrough regions overlapping across VMs', () => {
  const rtc = { type: 'passthrough', base: 0x09010000, size: 4096 };
  assert.deepEqual(problemsOf(system([vm('a', [0], { devices: [rtc] }), vm('b', [1], { devices: [{ ...rtc, size: '8K', base: 0x0900f000 }] })])), [
    'vms[1].devices[0]: passthrough 0x0900f000-0x09010fff overlaps vms[0].devices[0] of another VM (0x09010000-0x09010fff)',
  ]);
});

test('passthrough regions overlapping within one VM are reported once', () => {
  const rtc = { type: 'passthrough', base: 0x09010000, size: 4096 };
  assert.deepEqual(problemsOf(system([vm('a', [0], { devices: [rtc, rtc] })])), [
    'vms[0].devices[1]: 0x09010000-0x09010fff overlaps vms[0].devices[0] (0x09010000-0x09010fff)',
  ]);
});

test('a passthrough region in board RAM', () => {
  const devices = [{ type: 'passthrough', base: 0x4ffff000, size: '8K' }];
  const problems = problemsOf(system([vm('a', [0], { memory: [{ base: 0x60000000, size: '16M' }], devices })]));
  assert.deepEqual(problems, ['vms[0].devices[0]: passthrough 0x4ffff000-0x50000fff overlaps board RAM (0x40000000-0x4fffffff)']);
});
