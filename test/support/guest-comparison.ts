import assert from 'node:assert/strict';
import { describeDifference, guestStderr, partitaAvailable, partitaCli, qemuReference, runPartita } from './emulators.js';
import type { GuestElf } from '../../src/cli/guests/guest-build.js';

/** How long one guest may run under Partita: $PARTITA_GUEST_TIMEOUT_MS, a minute by default. */
export const PER_RUN_TIMEOUT_MS = Number(process.env.PARTITA_GUEST_TIMEOUT_MS ?? 60_000);

export interface QemuComparison {
  /** QEMU's -M value when not plain `virt`. */
  readonly machine?: string;
  /** Partita's options matching that machine. */
  readonly partitaArgs?: readonly string[];
  /** The guest must succeed (exit status 0) under QEMU, not only run to an end. */
  readonly mustSucceed?: boolean;
}

/**
 * Runs a guest program under QEMU (the reference) and Partita and asserts the same behaviour:
 * stdout byte for byte, stderr less the emulators' own "partita:"/"qemu-system-arm:" lines
 * (QEMU writes SYS_WRITEC/SYS_WRITE0 there), and the exit status.
 */
export async function assertBehavesAsUnderQemu(elf: GuestElf, comparison: QemuComparison = {}): Promise<void> {
  const ref = await qemuReference(elf.path, 30_000, comparison.machine);
  assert.ok(!ref.timedOut, `QEMU timed out on ${elf.id}`);
  assert.ok(ref.status >= 0, `QEMU failed on ${elf.id}: ${ref.stderr}`);
  if (comparison.mustSucceed === true) {
    assert.equal(ref.status, 0, `${elf.id}: the guest failed under QEMU (status ${ref.status}):\n${ref.stdout.slice(-2000)}`);
  }
  assert.ok(partitaAvailable(), `Partita CLI not found at ${partitaCli()}`);
  const run = await runPartita(elf.path, PER_RUN_TIMEOUT_MS, comparison.partitaArgs);
  const where = `${elf.id} (${elf.path})`;
  assert.ok(!run.timedOut, `${where}: Partita timed out after ${PER_RUN_TIMEOUT_MS} ms; output so far:\n${run.stdout.slice(-2000)}\nstderr:\n${run.stderr.slice(-2000)}`);
  const diff = describeDifference(ref.stdout, run.stdout);
  if (diff) assert.fail(`${where}: stdout differs from QEMU's\n${diff}\nPartita stderr:\n${run.stderr.slice(-2000)}`);
  const stderrDiff = describeDifference(guestStderr(ref.stderr), guestStderr(run.stderr));
  if (stderrDiff) assert.fail(`${where}: guest output on stderr (SYS_WRITEC/SYS_WRITE0) differs from QEMU's\n${stderrDiff}`);
  assert.equal(run.status, ref.status, `${where}: exit status ${run.status}, QEMU's ${ref.status}; stderr:\n${run.stderr.slice(-2000)}`);
}
