import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildGuests } from '../../../src/cli/guests/guest-build.js';
import { runProcess } from '../../../src/cli/host/run-process.js';
import { GuestFault } from '../../../src/hypervisor/vm-statistics.js';
import { partitaCli, QEMU } from '../../support/emulators.js';
import { startSystem } from '../../support/hypervisor-system.js';

/**
 * guests/vm/mmio-writeback: pre- and post-indexed loads and stores, LDRD/STRD and LDM/STM to the
 * virtual distributor and the PL011, in ARM and Thumb. Inside a VM every one of them takes a
 * stage 2 data abort without a syndrome (ISV = 0), which the hypervisor performs by decoding the
 * instruction; the guest must see what it sees on the bare board and under qemu-system-arm.
 */
const VALUES = [
  '4 a0b0c0d0 0', '4 a0b0c0d0 0', '8 90 9 ffffff90 8', '8 10203040 50607080 0',
  'c 40302010 80706050 c0b0a090 0 80706050 c0b0a090', '40302010 80706050 8 80706050 c0b0a090', '40302010 4',
  'd f0 5 b1 1000', '24 fff0 28 fffffff0 24', 'fffffff0 ff4 11 10 fe8',
].join(' ');
const EXPECTED = `mmio-writeback: arm ${VALUES}\nmmio-writeback: thumb ${VALUES}\nexit status 0\n`;

test('mmio-writeback: ISV = 0 accesses inside a VM give what the bare board and QEMU give', { timeout: 120_000 }, async () => {
  const [elf] = await buildGuests({ only: ['mmio-writeback'] });
  const [bare, qemu] = await Promise.all([
    runProcess(process.execPath, [partitaCli(), 'run', '--kernel', elf!.path, '--max-insns', '20000000'], { timeoutMs: 60_000 }),
    runProcess(QEMU, ['-M', 'virt', '-cpu', 'cortex-a15', '-m', '128', '-nographic', '-kernel', elf!.path], { timeoutMs: 60_000 }),
  ]);
  assert.equal(bare.status, 0, bare.stderr.toString());
  assert.equal(bare.stdout.toString(), EXPECTED);
  assert.equal(qemu.stdout.toString(), EXPECTED, 'QEMU prints the same');

  const s = await startSystem(`
board: { cpus: 1, memory: 32M }
vms:
  - { name: mmio, cpus: [0], memory: [{ base: 0x40000000, size: 16M }], kernel: "guests:mmio-writeback", on-failure: report }
`);
  s.runUntil(() => s.hypervisor.vms[0]!.state === 'stopped', 5);
  const vm = s.hypervisor.vms[0]!;
  assert.equal(vm.state, 'stopped', s.consoles[0]);
  assert.equal(s.consoles[0], EXPECTED, s.log.join('\n'));
  assert.equal(vm.statistics.guestFaults[GuestFault.NotDescribed], 0, 'every access was emulated');
});
