import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildGuests } from '../../src/cli/guests/guest-build.js';
import { runProcess } from '../../src/cli/host/run-process.js';
import { partitaCli } from '../support/emulators.js';
import { startSystem } from '../support/hypervisor-system.js';

/**
 * One guest, two machines that must agree (ARCHITECTURE.md: the hypervisor and the bare board
 * check each other): guests/vm/vm-selftest.c prints the same inside a Partita VM as on the bare
 * board (whose output test/cli/vm-guests.test.ts compares with qemu-system-arm). It takes a data
 * abort on an address with nothing there, so the hypervisor's injected external abort (DFSR,
 * DFAR, LR_abt, SPSR_abt, the vector) must look to the guest exactly as the board's does.
 */
test('vm-selftest: the same output inside a VM as on the bare board', { timeout: 120_000 }, async () => {
  const [elf] = await buildGuests({ only: ['vm-selftest'] });
  const bare = await runProcess(process.execPath, [partitaCli(), 'run', '--kernel', elf!.path, '--max-insns', '200000000'], { timeoutMs: 60_000 });
  assert.equal(bare.status, 0, bare.stderr.toString());
  const s = await startSystem(`
board: { cpus: 1, memory: 32M }
vms:
  - { name: selftest, cpus: [0], memory: [{ base: 0x40000000, size: 16M }], kernel: "guests:vm-selftest", on-failure: report }
`);
  s.runUntil(() => s.hypervisor.vms[0]!.state === 'stopped', 5);
  assert.equal(s.hypervisor.vms[0]!.state, 'stopped', s.consoles[0]);
  assert.equal(s.consoles[0], bare.stdout.toString());
  assert.ok(s.hypervisor.vms[0]!.statistics.guestFaults[0]! >= 1, 'the abort came from the hypervisor (nothing there)');
});
