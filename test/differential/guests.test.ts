import { test } from 'node:test';
import { buildGuests } from '../../src/cli/guests/guest-build.js';
import { assertBehavesAsUnderQemu } from '../support/guest-comparison.js';

/**
 * Every guest program in guests/c and guests/asm, in every variant, must print the same bytes and
 * exit with the same status under Partita as under qemu-system-arm (the reference). Stdout is
 * compared byte for byte; stderr too, less the emulators' own "partita:"/"qemu-system-arm:" lines
 * (QEMU writes SYS_WRITEC/SYS_WRITE0 there).
 * PARTITA_GUESTS=name,name limits the programs; PARTITA_CLI points at another CLI.
 */

const only = process.env.PARTITA_GUESTS?.split(',');

const elfs = await buildGuests({ kinds: ['c', 'asm'], ...(only ? { only } : {}) });

test('guests: every guest program behaves under Partita as under QEMU', { concurrency: 2, timeout: 10 * 60_000 }, async (t) => {
  await Promise.all(
    elfs.map((elf) =>
      t.test(elf.id, () => assertBehavesAsUnderQemu(elf)),
    ),
  );
});
