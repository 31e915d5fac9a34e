import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import { startSystem } from '../support/hypervisor-system.js';

/**
 * A VM that fails (guests/vm/hostile.c's first write goes where its VM has nothing) is stopped or
 * booted again as its on-failure policy says, while the real-time VM beside it runs on.
 */
const system = (policy: string): string => `
board: { cpus: 2, memory: 64M }
vms:
  - { name: failing, cpus: [0], memory: [{ base: 0x40000000, size: 16M }], kernel: "guests:hostile", on-failure: ${policy} }
  - { name: rt, cpus: [1], memory: [{ base: 0x40000000, size: 16M }], kernel: "guests:rt-control-uart" }
`;

test('lifecycle: on-failure stop stops the failing VM, the other runs on', { timeout: 300_000 }, async () => {
  const s = await startSystem(system('stop'));
  s.runUntil(() => /periods=1000 /.test(s.consoles[1]!), 3);
  const [failing, rt] = s.hypervisor.vms;
  assert.equal(failing!.state, 'stopped');
  assert.equal(failing!.boots, 1);
  assert.match(s.log.join('\n'), /failing: vcpu0: data access at IPA 0x0: nothing there: stopping the VM \(on-failure: stop\)/);
  assert.doesNotMatch(s.consoles[0]!, /ipa-writes done/);
  assert.equal(rt!.state, 'running');
  assert.match(s.consoles[1]!, /periods=1000 misses=0 /);
});

test('lifecycle: on-failure restart boots the failing VM again and again, the other runs on', { timeout: 300_000 }, async () => {
  const s = await startSystem(system('restart'));
  s.runUntil(() => /periods=1000 /.test(s.consoles[1]!), 3);
  const [failing, rt] = s.hypervisor.vms;
  assert.ok(failing!.boots >= 3, `booted ${failing!.boots} times`);
  // Each boot starts the program from the beginning (the last one may not have printed yet).
  const starts = s.consoles[0]!.match(/hostile: seed=/g)?.length ?? 0;
  assert.ok(starts === failing!.boots || starts === failing!.boots - 1, `${starts} starts in ${failing!.boots} boots`);
  assert.match(s.log.join('\n'), /restarting the VM \(on-failure: restart\)/);
  assert.equal(rt!.state, 'running');
  assert.match(s.consoles[1]!, /periods=1000 misses=0 /);
});

/** Two real-time VMs: the host pauses, stops, starts and resets `a` while `b` runs on. */
const TWO_RT = `
board: { cpus: 2, memory: 64M }
vms:
  - { name: a, cpus: [0], memory: [{ base: 0x40000000, size: 16M }], kernel: "guests:rt-control-uart" }
  - { name: b, cpus: [1], memory: [{ base: 0x40000000, size: 16M }], kernel: "guests:rt-control-uart" }
`;

/** The report line of `periods` periods in a console, or undefined. */
const report = (console: string, periods: number): string | undefined => console.match(new RegExp(`rt-control: periods=${periods} .*`))?.[0];
const count = (text: string, pattern: RegExp): number => text.match(pattern)?.length ?? 0;

test('lifecycle: a paused VM is frozen while the other runs on, and resumes exactly where it was', { timeout: 300_000 }, async () => {
  const s = await startSystem(TWO_RT);
  const a = s.hypervisor.vms[0];
  const ram = s.board.bus.ram;
  const hashOfA = (): string => {
    const r = a!.regions[0]!;
    const offset = r.hostBase - s.board.bus.ramBase;
    return createHash('sha256').update(ram.subarray(offset, offset + r.size)).digest('hex');
  };
  s.runUntil(() => report(s.consoles[0]!, 1000) !== undefined, 3);
  assert.equal(s.hypervisor.pauseVm('a'), true);
  assert.equal(s.hypervisor.pauseVm('a'), false, 'pausing a paused VM does nothing');
  const frozenConsole = s.consoles[0]!;
  const pausedAt = s.board.elapsedNanoseconds();
  s.runUntil(() => false, pausedAt / 1e9 + 0.01); // the pause takes effect at the VM's next trap
  const frozenMemory = hashOfA();
  s.runUntil(() => report(s.consoles[1]!, 2000) !== undefined, 5);
  assert.ok(s.board.elapsedNanoseconds() - pausedAt > 0.9e9, 'a paused for most of a second');
  assert.equal(a!.state, 'paused');
  assert.equal(s.consoles[0], frozenConsole, "the paused VM's console is still");
  assert.equal(hashOfA(), frozenMemory, "the paused VM's memory is unchanged");
  assert.ok(a!.vcpus[0]!.contextSaved, "the paused vCPU's state is saved in the hypervisor");

  assert.equal(s.hypervisor.resumeVm('a'), true);
  s.runUntil(() => report(s.consoles[0]!, 3000) !== undefined, 9);
  // Virtual time stood still while paused: no deadline was missed, and the plant output (a
  // function of the period number alone) is what the VM that never paused printed.
  for (const periods of [2000, 3000]) {
    const line = report(s.consoles[0]!, periods);
    assert.match(line ?? '', / misses=0 /, `a: ${line}`);
    assert.equal(line?.match(/y=-?\d+/)?.[0], report(s.consoles[1]!, periods)?.match(/y=-?\d+/)?.[0], `a and b at ${periods} periods`);
  }
  assert.equal(a!.boots, 1);
  assert.match(report(s.consoles[1]!, 3000) ?? '', / misses=0 /);
  assert.match(s.log.join('\n'), /a: paused\na: resumed/);
});

test('lifecycle: stop and start, then reset, boot the VM again while the other runs on', { timeout: 300_000 }, async () => {
  const s = await startSystem(TWO_RT);
  const [a, b] = s.hypervisor.vms;
  s.runUntil(() => report(s.consoles[0]!, 1000) !== undefined, 3);
  assert.equal(s.hypervisor.stopVm('a'), true);
  const stoppedConsole = s.consoles[0]!;
  s.runUntil(() => report(s.consoles[1]!, 2000) !== undefined, 5);
  assert.equal(a!.state, 'stopped');
  assert.equal(s.consoles[0], stoppedConsole, "the stopped VM's console is still");
  assert.equal(s.hypervisor.startVm('a'), true);
  assert.equal(s.hypervisor.startVm('a'), false, 'starting a running VM does nothing');
  s.runUntil(() => count(s.consoles[0]!, /periods=1000 /g) === 2, 7);
  assert.equal(a!.boots, 2);
  assert.equal(count(s.consoles[0]!, /rt-control: rate=/g), 2, 'the program started from the beginning');

  assert.equal(s.hypervisor.resetVm('a'), true);
  s.runUntil(() => count(s.consoles[0]!, /periods=1000 /g) === 3, 9);
  assert.equal(a!.boots, 3);
  assert.equal(a!.state, 'running');
  assert.equal(b!.boots, 1);
  assert.equal(b!.state, 'running');
  const last = Math.floor(s.board.elapsedNanoseconds() / 1e9) * 1000 - 1000;
  assert.match(report(s.consoles[1]!, last) ?? '', / misses=0 /, `b ran on undisturbed to ${last} periods`);
  assert.throws(() => s.hypervisor.pauseVm('nope'), /no VM 'nope' \(a, b\)/);
});
