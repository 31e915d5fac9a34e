import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parse, problemsOf, system, vm } from './system-fixtures.js';

const MIB = 1 << 20;
const sized = (name: string, cpu: number, size: string) => vm(name, [cpu], { memory: [{ base: 0x40000000, size }] });
const shared = { 'shared-memory': [{ name: 's', size: '64K', peers: [{ vm: 'a', base: 0x50000000, doorbell: 100 }, { vm: 'b', base: 0x50000000, doorbell: 100 }] }] };

test('RAM over-committed: VM regions + shared memory + hypervisor reserve > board.memory, by how much', () => {
  const text = system([sized('a', 0, '192M'), sized('b', 1, '48M')], shared);
  assert.deepEqual(problemsOf(text, { hypervisorReserveBytes: 16 * MIB }), [
    'board.memory: 256M is over-committed by 64K (VM memory 240M + shared memory 64K + hypervisor reserve 16M)',
  ]);
});

test('RAM exactly committed is fine', () => {
  const text = system([sized('a', 0, '192M'), sized('b', 1, '48M')], shared);
  assert.equal(parse(text, { hypervisorReserveBytes: 16 * MIB - 0x10000 }).board.memoryBytes, 256 * MIB);
});
