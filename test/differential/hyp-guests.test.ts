import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildGuests } from '../support/guest-build.js';
import {
  describeDifference,
  guestStderr,
  partitaAvailable,
  partitaCli,
  PARTITA_VIRTUALIZATION_ARGS,
  qemuReference,
  QEMU_VIRTUALIZATION_MACHINE,
  runPartita,
} from '../support/emulators.js';

/**
 * The Hyp-mode guest programs (guests/hyp: a tiny hypervisor of our own exercising the
 * Virtualization Extensions: traps and their syndromes, stage 2, the GIC's virtual interface,
 * the timers under a hypervisor) must print the same bytes and exit with the same status under
 * `partita run --virtualization` as under `qemu-system-arm -M virt,virtualization=on` (the
 * reference; both enter the ELF in Hyp mode). Compared like test/differential/guests.test.ts:
 * stdout byte for byte, stderr less the emulators' own lines, and the exit status.
 * PARTITA_GUESTS=name,name limits the programs; PARTITA_CLI points at another CLI.
 */

const PER_RUN_TIMEOUT_MS = Number(process.env.PARTITA_GUEST_TIMEOUT_MS ?? 60_000);
const only = process.env.PARTITA_GUESTS?.split(',');

const elfs = await buildGuests({ kinds: ['hyp'], ...(only ? { only } : {}) });

test('hyp guests: every Hyp-mode guest program behaves under Partita --virtualization as under QEMU virtualization=on', { concurrency: 2, timeout: 10 * 60_000 }, async (t) => {
  assert.ok(elfs.length > 0, 'no Hyp-mode guest programs found in guests/hyp');
  await Promise.all(
    elfs.map((elf) =>
      t.test(elf.id, async () => {
        const ref = await qemuReference(elf.path, 30_000, QEMU_VIRTUALIZATION_MACHINE);
        assert.ok(!ref.timedOut, `QEMU timed out on ${elf.id}`);
        assert.ok(ref.status >= 0, `QEMU failed on ${elf.id}: ${ref.stderr}`);
        assert.equal(ref.status, 0, `${elf.id}: the guest failed under QEMU (status ${ref.status}):\n${ref.stdout.slice(-2000)}`);
        assert.ok(partitaAvailable(), `Partita CLI not found at ${partitaCli()}`);
        const run = await runPartita(elf.path, PER_RUN_TIMEOUT_MS, PARTITA_VIRTUALIZATION_ARGS);
        const where = `${elf.id} (${elf.path})`;
        assert.ok(!run.timedOut, `${where}: Partita timed out after ${PER_RUN_TIMEOUT_MS} ms; output so far:\n${run.stdout.slice(-2000)}\nstderr:\n${run.stderr.slice(-2000)}`);
        const diff = describeDifference(ref.stdout, run.stdout);
        if (diff) assert.fail(`${where}: stdout differs from QEMU's\n${diff}\nPartita stderr:\n${run.stderr.slice(-2000)}`);
        const stderrDiff = describeDifference(guestStderr(ref.stderr), guestStderr(run.stderr));
        if (stderrDiff) assert.fail(`${where}: guest output on stderr (SYS_WRITEC/SYS_WRITE0) differs from QEMU's\n${stderrDiff}`);
        assert.equal(run.status, ref.status, `${where}: exit status ${run.status}, QEMU's ${ref.status}; stderr:\n${run.stderr.slice(-2000)}`);
      }),
    ),
  );
});
