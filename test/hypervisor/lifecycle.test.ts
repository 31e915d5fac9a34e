import assert from 'node:assert/strict';
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
