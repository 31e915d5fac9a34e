import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CpuScheduler, type Reservation } from '../../../src/hypervisor/scheduler/cpu-scheduler.js';

const QUANTUM = 100;

/**
 * Runs the scheduler as the hypervisor does, one decision per event, from 0 to `until`, and
 * returns each member's processor time. `wants(member, now)` says whether it is runnable.
 */
function simulate(
  members: [string, Reservation | undefined][],
  until: number,
  wants: (member: string, now: number) => boolean = () => true,
): Map<string, number> {
  const scheduler = new CpuScheduler<string>(QUANTUM, 0);
  for (const [name, reservation] of members) scheduler.add(name, reservation, 0);
  const used = new Map(members.map(([name]) => [name, 0]));
  let running: string | undefined;
  let now = 0;
  while (now < until) {
    scheduler.account(running, now);
    const runnable = (m: string): boolean => wants(m, now);
    running = scheduler.pick(running, now, runnable);
    // The members' own events (wake-ups) in this simulation fall on multiples of 10 ticks.
    const next = Math.min(until, scheduler.nextEvent(running, runnable), Math.floor(now / 10) * 10 + 10);
    if (running !== undefined) used.set(running, used.get(running)! + next - now);
    now = next;
  }
  return used;
}

test('a reservation gets exactly its budget in every period, the background the rest', () => {
  const used = simulate([['rt', { priority: 10, budget: 300, period: 1000 }], ['hog', undefined]], 10_000);
  assert.deepEqual(Object.fromEntries(used), { rt: 3000, hog: 7000 });
});

test('an exhausted reservation waits for its refill even when the processor would be idle', () => {
  const used = simulate([['rt', { priority: 10, budget: 250, period: 1000 }]], 4000);
  assert.equal(used.get('rt'), 1000);
});

test('a higher priority reservation goes first; the lower one still gets its budget', () => {
  const scheduler = new CpuScheduler<string>(QUANTUM, 0);
  scheduler.add('low', { priority: 1, budget: 400, period: 1000 }, 0);
  scheduler.add('high', { priority: 9, budget: 400, period: 1000 }, 0);
  assert.equal(scheduler.pick(undefined, 0, () => true), 'high');
  const used = simulate([['low', { priority: 1, budget: 400, period: 1000 }], ['high', { priority: 9, budget: 400, period: 1000 }]], 10_000);
  assert.deepEqual(Object.fromEntries(used), { low: 4000, high: 4000 });
});

test('the budget is kept while the member waits (deferrable server)', () => {
  // rt sleeps for the first 600 ticks of each period, then wants the processor: it still gets its 300.
  const used = simulate(
    [['rt', { priority: 10, budget: 300, period: 1000 }], ['hog', undefined]],
    5000,
    (m, now) => m !== 'rt' || now % 1000 >= 600,
  );
  assert.deepEqual(Object.fromEntries(used), { rt: 1500, hog: 3500 });
});

test('background members share the processor round robin, a quantum at a time', () => {
  const scheduler = new CpuScheduler<string>(QUANTUM, 0);
  for (const m of ['a', 'b', 'c']) scheduler.add(m, undefined, 0);
  const order: string[] = [];
  let running: string | undefined;
  for (let now = 0; now < 600; now += QUANTUM) {
    scheduler.account(running, now);
    running = scheduler.pick(running, now, () => true);
    order.push(running!);
    assert.equal(scheduler.nextEvent(running, () => true), now + QUANTUM);
  }
  assert.deepEqual(order, ['a', 'b', 'c', 'a', 'b', 'c']);
  assert.deepEqual(Object.fromEntries(simulate([['a', undefined], ['b', undefined]], 10_000)), { a: 5000, b: 5000 });
});

test('nothing to decide: a lone background member needs no timer, none runnable gives no member', () => {
  const scheduler = new CpuScheduler<string>(QUANTUM, 0);
  scheduler.add('only', undefined, 0);
  assert.equal(scheduler.pick(undefined, 0, () => true), 'only');
  assert.equal(scheduler.nextEvent('only', () => true), Infinity);
  assert.equal(scheduler.pick('only', 50, () => false), undefined);
});

test('nextEvent: the end of the running reservation\'s budget, or the refill of a waiting exhausted one', () => {
  const scheduler = new CpuScheduler<string>(QUANTUM, 0);
  scheduler.add('rt', { priority: 1, budget: 300, period: 1000 }, 0);
  scheduler.add('hog', undefined, 0);
  scheduler.account(undefined, 0);
  assert.equal(scheduler.pick(undefined, 0, () => true), 'rt');
  assert.equal(scheduler.nextEvent('rt', () => true), 300);
  scheduler.account('rt', 300);
  assert.equal(scheduler.pick('rt', 300, () => true), 'hog');
  assert.equal(scheduler.nextEvent('hog', () => true), 1000);
  scheduler.account('hog', 1000);
  assert.equal(scheduler.pick('hog', 1000, () => true), 'rt');
});
