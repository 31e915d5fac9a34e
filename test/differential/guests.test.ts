import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildGuests } from '../support/guest-build.js';
import { describeDifference, guestStderr, partitaAvailable, partitaCli, qemuReference, runPartita } from '../support/emulators.js';

/**
 * Every guest program in guests/c and guests/asm, in every variant, must print the same bytes and
 * exit with the same status under Partita as under qemu-system-arm (the reference). Stdout is
 * compared byte for byte; stderr too, less the emulators' own "partita:"/"qemu-system-arm:" lines
 * (QEMU writes SYS_WRITEC/SYS_WRITE0 there).
 * PARTITA_GUESTS=name,name limits the programs; PARTITA_CLI points at another CLI.
 */

const PER_RUN_TIMEOUT_MS = Number(process.env.PARTITA_GUEST_TIMEOUT_MS ?? 60_000);
const only = process.env.PARTITA_GUESTS?.split(',');

const elfs = await buildGuests({ kinds: ['c', 'asm'], ...(only ? { only } : {}) });

test('guests: every guest program behaves under Partita as under QEMU', { concurrency: 2, timeout: 10 * 60_000 }, async (t) => {
  await Promise.all(
    elfs.map((elf) =>
      t.test(elf.id, async () => {
        const ref = await qemuReference(elf.path);
        assert.ok(!ref.timedOut, `QEMU timed out on ${elf.id}`);
        assert.ok(ref.status >= 0, `QEMU failed on ${elf.id}: ${ref.stderr}`);
        assert.ok(partitaAvailable(), `Partita CLI not found at ${partitaCli()}`);
        const run = await runPartita(elf.path, PER_RUN_TIMEOUT_MS);
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
