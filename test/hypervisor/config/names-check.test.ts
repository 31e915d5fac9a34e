import assert from 'node:assert/strict';
import { test } from 'node:test';
import { problemsOf, system, vm } from './system-fixtures.js';

const peer = (name: string, base = 0x50000000, doorbell = 100) => ({ vm: name, base, doorbell });

test('duplicate VM names', () => {
  assert.deepEqual(problemsOf(system([vm('a', [0]), vm('a', [1])])), ["vms[1].name: VM name 'a' is already vms[0]'s"]);
});

test('duplicate shared-region names', () => {
  const region = { name: 's', size: '64K', peers: [peer('a'), peer('b')] };
  const text = system([vm('a', [0]), vm('b', [1])], { 'shared-memory': [region, { ...region, peers: [peer('a', 0x51000000, 101), peer('b', 0x51000000, 101)] }] });
  assert.deepEqual(problemsOf(text), ["shared-memory[1].name: shared region name 's' is already shared-memory[0]'s"]);
});

test('a shared-memory peer naming an unknown VM, or a VM twice', () => {
  const text = system([vm('a', [0]), vm('b', [1])], {
    'shared-memory': [{ name: 's', size: '64K', peers: [peer('a'), peer('c'), peer('a', 0x51000000, 101)] }],
  });
  assert.deepEqual(problemsOf(text), [
    "shared-memory[0].peers[1].vm: no VM named 'c' (the VMs are a, b)",
    "shared-memory[0].peers[2].vm: VM 'a' is already peers[0]",
  ]);
});
