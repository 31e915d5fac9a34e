import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildGuests } from '../../src/cli/guests/guest-build.js';
import { PARTITA_VIRTUALIZATION_ARGS, QEMU_VIRTUALIZATION_MACHINE } from '../support/emulators.js';
import { assertBehavesAsUnderQemu } from '../support/guest-comparison.js';

/**
 * The Hyp-mode guest programs (guests/hyp: a tiny hypervisor of our own exercising the
 * Virtualization Extensions: traps and their syndromes, stage 2, the GIC's virtual interface,
 * the timers under a hypervisor) must print the same bytes and exit with the same status under
 * `partita run --virtualization` as under `qemu-system-arm -M virt,virtualization=on` (the
 * reference; both enter the ELF in Hyp mode). Compared like test/differential/guests.test.ts:
 * stdout byte for byte, stderr less the emulators' own lines, and the exit status.
 * PARTITA_GUESTS=name,name limits the programs; PARTITA_CLI points at another CLI.
 */

const only = process.env.PARTITA_GUESTS?.split(',');

const elfs = await buildGuests({ kinds: ['hyp'], ...(only ? { only } : {}) });

test('hyp guests: every Hyp-mode guest program behaves under Partita --virtualization as under QEMU virtualization=on', { concurrency: 2, timeout: 10 * 60_000 }, async (t) => {
  assert.ok(elfs.length > 0, 'no Hyp-mode guest programs found in guests/hyp');
  await Promise.all(
    elfs.map((elf) =>
      t.test(elf.id, () => assertBehavesAsUnderQemu(elf, { machine: QEMU_VIRTUALIZATION_MACHINE, partitaArgs: PARTITA_VIRTUALIZATION_ARGS, mustSucceed: true })),
    ),
  );
});
