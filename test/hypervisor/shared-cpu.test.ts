import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startSystem, type RunningSystem } from '../support/hypervisor-system.js';

/**
 * VMs sharing one physical CPU under the VM scheduler (src/hypervisor/scheduler): a reservation
 * (budget every period, at a priority) is served first and bounded, the background shares the
 * rest round robin, and lifecycle operations on one VM leave the others running.
 */

const vm = (name: string, kernel: string, scheduling = ''): string =>
  `  - { name: ${name}, cpus: [0], memory: [{ base: 0x40000000, size: 16M }], kernel: "guests:${kernel}"${scheduling && `, scheduling: ${scheduling}`} }`;
const oneCpu = (...vms: string[]): string => `board: { cpus: 1, memory: 64M }\nvms:\n${vms.join('\n')}\n`;

const rtReport = (console: string, periods: number): string | undefined => console.match(new RegExp(`rt-control: periods=${periods} .*`))?.[0];
const rounds = (console: string): number => console.match(/sentinel: round \d+ ok/g)?.length ?? 0;
const instructions = (s: RunningSystem, index: number): number => s.hypervisor.guestInstructions(s.hypervisor.vms[index]!, (pcpu) => s.board.cpus[pcpu]!.executedInstructions);

test('shared CPU: the real-time VM under a reservation misses no deadline beside a CPU-bound VM', { timeout: 300_000 }, async () => {
  const s = await startSystem(oneCpu(vm('rt', 'rt-control-uart', '{ priority: 10, budget-us: 300, period-us: 1000 }'), vm('hog', 'sentinel')));
  s.runUntil(() => rtReport(s.consoles[0]!, 1000) !== undefined, 2);
  const report = rtReport(s.consoles[0]!, 1000);
  assert.ok(report, `no report after 1000 periods:\n${s.consoles[0]}`);
  assert.match(report, /misses=0 /);
  // Wake-up latency: the hog's trap, its switch out and the rt vCPU's switch in, under 5 us every time.
  const max = Number(/max=(\d+)/.exec(report)![1]);
  assert.ok(max < 5000, `latency max ${max} ns`);
  const [rt, hog] = s.hypervisor.vms;
  assert.ok(rt!.statistics.vcpuSwitches >= 1000, `rt switched in ${rt!.statistics.vcpuSwitches} times (once a period)`);
  assert.ok(hog!.statistics.vcpuSwitches >= 1000, `hog switched in ${hog!.statistics.vcpuSwitches} times`);
  // The hog has the processor whenever rt waits: most of it.
  assert.ok(rounds(s.consoles[1]!) >= 5, s.consoles[1]);
  assert.ok(instructions(s, 1) > 10 * instructions(s, 0), `hog ${instructions(s, 1)} vs rt ${instructions(s, 0)} instructions`);
  assert.match(s.consoles[1]!, /round \d+ ok\n$/, 'the hog saw its memory intact throughout');
});

/** Runs two CPU-bound VMs on one processor for `seconds` of virtual time; the first one's share of the guest instructions. */
async function shareOfFirst(first: string, second: string, seconds: number): Promise<number> {
  const s = await startSystem(oneCpu(first, second));
  s.runUntil(() => false, seconds);
  const a = instructions(s, 0);
  const b = instructions(s, 1);
  assert.ok(a > 0 && b > 0, `both ran: ${a}, ${b}`);
  return a / (a + b);
}

test('shared CPU: two background VMs share it half and half, round robin', { timeout: 300_000 }, async () => {
  const share = await shareOfFirst(vm('a', 'sentinel'), vm('b', 'sentinel'), 0.5);
  assert.ok(Math.abs(share - 0.5) < 0.01, `share ${share}`);
});

test('shared CPU: a reservation bounds a CPU-bound VM to its budget, the background gets the rest', { timeout: 300_000 }, async () => {
  const share = await shareOfFirst(vm('reserved', 'sentinel', '{ priority: 1, budget-us: 250, period-us: 1000 }'), vm('background', 'sentinel'), 0.5);
  assert.ok(Math.abs(share - 0.25) < 0.01, `share ${share}`);
});

test('shared CPU: pausing, stopping and resetting one VM leaves the other running on the same processor', { timeout: 300_000 }, async () => {
  const s = await startSystem(oneCpu(vm('rt', 'rt-control-uart', '{ priority: 10, budget-us: 300, period-us: 1000 }'), vm('hog', 'sentinel')));
  const until = (seconds: number): void => s.runUntil(() => false, seconds);
  until(0.2);
  assert.ok(s.hypervisor.pauseVm('hog'));
  until(0.21); // the pause takes effect at the hog's next trap
  const frozen = instructions(s, 1);
  const consoleFrozen = s.consoles[1];
  until(0.4);
  assert.equal(instructions(s, 1), frozen, 'the paused VM executed nothing');
  assert.equal(s.consoles[1], consoleFrozen);
  assert.ok(s.hypervisor.resumeVm('hog'));
  until(0.6);
  assert.ok(instructions(s, 1) > frozen, 'the resumed VM runs again');

  assert.ok(s.hypervisor.resetVm('hog'));
  until(1.1);
  assert.equal(s.hypervisor.vms[1]!.boots, 2);
  assert.equal(s.consoles[1]!.match(/sentinel: filled/g)?.length, 2, 'the reset VM started over');
  assert.ok(s.hypervisor.stopVm('hog'));
  until(1.5);
  assert.equal(s.hypervisor.vms[1]!.state, 'stopped');
  assert.ok(s.hypervisor.startVm('hog'));
  s.runUntil(() => rtReport(s.consoles[0]!, 2000) !== undefined, 2.5);
  assert.equal(s.hypervisor.vms[1]!.state, 'running');
  assert.equal(s.consoles[1]!.match(/sentinel: filled/g)?.length, 3);
  assert.match(rtReport(s.consoles[0]!, 2000) ?? '', /misses=0 /, s.consoles[0]);
});
