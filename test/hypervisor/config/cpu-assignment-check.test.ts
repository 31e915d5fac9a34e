import assert from 'node:assert/strict';
import { test } from 'node:test';
import { problemsOf, system, vm } from './system-fixtures.js';

test('a physical CPU index at or above board.cpus', () => {
  assert.deepEqual(problemsOf(system([vm('a', [0, 2])])), ['vms[0].cpus[1]: physical CPU 2 does not exist (board.cpus is 2)']);
});

test('a physical CPU given twice to one VM', () => {
  assert.deepEqual(problemsOf(system([vm('a', [1, 1])])), ['vms[0].cpus[1]: physical CPU 1 is already vms[0].cpus[0] (VM a)']);
});

test('a physical CPU given to two VMs', () => {
  assert.deepEqual(problemsOf(system([vm('a', [0, 1]), vm('b', [1])])), ['vms[1].cpus[0]: physical CPU 1 is already vms[0].cpus[1] (VM a)']);
});
