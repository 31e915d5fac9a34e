import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parse, problemsOf, system, vm } from './system-fixtures.js';

test('a physical CPU index at or above board.cpus', () => {
  assert.deepEqual(problemsOf(system([vm('a', [0, 2])])), ['vms[0].cpus[1]: physical CPU 2 does not exist (board.cpus is 2)']);
});

test('a physical CPU given twice to one VM', () => {
  assert.deepEqual(problemsOf(system([vm('a', [1, 1])])), ['vms[0].cpus[1]: physical CPU 1 is already vms[0].cpus[0] of the same VM']);
});

test('a physical CPU shared by two VMs, one with a reservation, the other in the background', () => {
  const parsed = parse(system([vm('a', [0], { scheduling: { priority: 10, 'budget-us': 300, 'period-us': 1000 } }), vm('b', [0])]));
  assert.deepEqual(parsed.vms[0]!.scheduling, { priority: 10, budgetMicroseconds: 300, periodMicroseconds: 1000 });
  assert.equal(parsed.vms[1]!.scheduling, undefined);
});

test('scheduling priority defaults to 0', () => {
  const parsed = parse(system([vm('a', [0], { scheduling: { 'budget-us': 500, 'period-us': 1000 } })]));
  assert.equal(parsed.vms[0]!.scheduling!.priority, 0);
});

test('reservations on one physical CPU summing to more than 100% over-commit it', () => {
  const reserve = (budget: number) => ({ scheduling: { 'budget-us': budget, 'period-us': 1000 } });
  assert.deepEqual(problemsOf(system([vm('a', [0, 1], reserve(600)), vm('b', [0], reserve(500)), vm('c', [1], reserve(400))])), [
    'physical CPU 0 is over-committed: its reservations (scheduling budget-us / period-us) sum to 110% (a 60%, b 50%)',
  ]);
});

test('a budget longer than its period', () => {
  assert.deepEqual(problemsOf(system([vm('a', [0], { scheduling: { 'budget-us': 2000, 'period-us': 1000 } })])), [
    'vms[0].scheduling: budget-us 2000 is more than period-us 1000',
  ]);
});
