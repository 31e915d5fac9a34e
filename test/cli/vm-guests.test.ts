import assert from 'node:assert/strict';
import { test } from 'node:test';
import { partitaCli, QEMU } from '../support/emulators.js';
import { buildGuests } from '../../src/cli/guests/guest-build.js';
import { runProcess, type ProcessResult } from '../../src/cli/host/run-process.js';

/**
 * The VM guests (guests/vm, kind vm): bare-metal programs for a VM of the Partita hypervisor,
 * without semihosting. Their console is the PL011 (stdout of both emulators), their end PSCI
 * SYSTEM_OFF over HVC (exit status 0 of both). Here they run on the bare board, as
 * `partita run --kernel` and `qemu-system-arm -M virt -cpu cortex-a15 -nographic -kernel` run
 * them, neither with semihosting.
 */

const elfs = await buildGuests({ kinds: ['vm'], only: ['vm-selftest', 'rt-control-uart', 'hostile'] });
function elfOf(program: string): string {
  const elf = elfs.find((e) => e.program === program);
  assert.ok(elf, `${program} was not built`);
  return elf.path;
}
const rtControl = elfOf('rt-control-uart');
const hostile = elfOf('hostile');
const selftest = elfOf('vm-selftest');

function runPartita(elf: string, maxInsns: number, timeoutMs: number): Promise<ProcessResult> {
  return runProcess(process.execPath, [partitaCli(), 'run', '--kernel', elf, '--mem', '128M', '--max-insns', String(maxInsns)], { timeoutMs });
}
function runQemu(elf: string, timeoutMs: number): Promise<ProcessResult> {
  return runProcess(QEMU, ['-M', 'virt', '-cpu', 'cortex-a15', '-m', '128', '-nographic', '-kernel', elf], { timeoutMs });
}

/** The host process ended on its own terms: no JavaScript exception, no error of the host. */
function assertCleanHost(run: ProcessResult): void {
  const stderr = run.stderr.toString();
  assert.ok(!run.timedOut && run.signal === null, `ended by ${run.signal ?? 'timeout'}`);
  assert.doesNotMatch(stderr, /Error|^\s+at /m, 'no host exception or error');
}

test('vm runtime: printf, recovery from an abort, hooks, newlib stdio, and an unhooked exception ending in "exit status 1"', { timeout: 60_000 }, async () => {
  const [partita, qemu] = await Promise.all([runPartita(selftest, 10_000_000, 50_000), runQemu(selftest, 30_000)]);
  assertCleanHost(partita);
  assert.equal(partita.status, 0, 'PSCI SYSTEM_OFF, whatever the status of the program');
  assert.equal(qemu.status, 0);
  const stdout = partita.stdout.toString();
  assert.match(
    stdout,
    new RegExp(
      [
        '^selftest: printf -12 34 beef 00000abc     7\\|str\\|c\\|%',
        'selftest: recovered value=7 reached=0 dfar=80000000',
        'selftest: undef hook r0=42',
        'selftest: newlib printf via _write',
        'vm: unexpected undefined instruction: lr=[0-9a-f]{8} spsr=[0-9a-f]{8} dfsr=00000008 dfar=80000000 ifsr=[0-9a-f]{8} ifar=[0-9a-f]{8}',
        'exit status 1\n$',
      ].join('\n'),
    ),
  );
  assert.equal(qemu.stdout.toString(), stdout, 'QEMU prints the same');
});

const HEADER = /^rt-control: rate=1000Hz cntfrq=62500000 period_ticks=62500 periods=0$/m;
const REPORT = /^rt-control: periods=(\d+) misses=(\d+) latency_ns .* y=(-?\d+)$/gm;
function reports(stdout: string): { periods: number; misses: number; y: number }[] {
  return [...stdout.matchAll(REPORT)].map((m) => ({ periods: Number(m[1]), misses: Number(m[2]), y: Number(m[3]) }));
}

test('rt-control-uart: under partita run without semihosting the reports come over the PL011, misses=0', { timeout: 60_000 }, async () => {
  const run = await runPartita(rtControl, 5_000_000, 50_000);
  assertCleanHost(run);
  assert.equal(run.status, 124, 'no RT_PERIODS: it runs until --max-insns stops it');
  const stdout = run.stdout.toString();
  assert.match(stdout, HEADER);
  const rs = reports(stdout);
  assert.deepEqual(
    rs.map((r) => r.periods),
    [1000, 2000, 3000, 4000, 5000, 6000],
  );
  for (const r of rs) assert.equal(r.misses, 0);
  assert.match(stdout, /^rt-control: periods=1000 misses=0 latency_ns min=0 avg=0 max=0 hist=0:1000 work_ns max=\d+ y=64833$/m);
});

test('rt-control-uart: under QEMU without semihosting the same report lines appear, with the same trajectory', { timeout: 60_000 }, async () => {
  // Runs forever (the VM variant has no periods limit): QEMU is stopped after a few seconds of
  // host time, which is its virtual timer's time, so only the first reports are there.
  const [qemu, partita] = await Promise.all([runQemu(rtControl, 6_000), runPartita(rtControl, 5_000_000, 50_000)]);
  assert.ok(qemu.timedOut, `QEMU ran on until stopped; stderr:\n${qemu.stderr.toString()}`);
  const stdout = qemu.stdout.toString();
  assert.match(stdout, HEADER);
  const theirs = reports(stdout);
  assert.ok(theirs.length >= 1, `at least one report line in 6 s:\n${stdout}`);
  // The plant output depends on the period number only; QEMU's misses follow host load.
  const ours = new Map(reports(partita.stdout.toString()).map((r) => [r.periods, r.y]));
  for (const r of theirs.filter((r) => ours.has(r.periods))) assert.equal(r.y, ours.get(r.periods), `y at period ${r.periods}`);
});

const PHASES = ['ipa-writes', 'mmio', 'sgi', 'calls', 'insns'] as const;
/** The counts a phase line gives (`hostile: <phase> done k=v ...`), by phase. */
function phaseCounts(stdout: string): Map<string, Map<string, number>> {
  const phases = new Map<string, Map<string, number>>();
  for (const m of stdout.matchAll(/^hostile: (\S+) done (.*)$/gm)) phases.set(m[1]!, new Map(m[2]!.split(' ').map((kv) => kv.split('=') as [string, string]).map(([k, v]) => [k, Number(v)] as const)));
  return phases;
}
function assertAllPhases(stdout: string, emulator: string): Map<string, Map<string, number>> {
  const phases = phaseCounts(stdout);
  assert.deepEqual([...phases.keys()], [...PHASES], `${emulator}: every phase, in order:\n${stdout}`);
  assert.match(stdout, /^hostile: done\nexit status 0\n$/m, `${emulator}: the end of the rounds, then SYSTEM_OFF`);
  return phases;
}

// About 450 million instructions: both runs take about 15 s, so they run side by side.
const HOSTILE_BUDGET = 1_000_000_000;
const hostileRuns = Promise.all([runPartita(hostile, HOSTILE_BUDGET, 170_000), runQemu(hostile, 170_000)]);

test('hostile: under partita run every phase completes, it powers off, and the host ends cleanly', { timeout: 180_000 }, async () => {
  const [partita] = await hostileRuns;
  assertCleanHost(partita);
  assert.equal(partita.status, 0, 'PSCI SYSTEM_OFF within the budget');
  const phases = assertAllPhases(partita.stdout.toString(), 'partita');
  // The writes reached every page (the UART's data register page aside) and its own 16 MiB of RAM.
  assert.equal(phases.get('ipa-writes')!.get('pages'), 2 ** 20 - 1);
  assert.ok(phases.get('ipa-writes')!.get('faulted')! > 0, 'unmapped space faults and is survived');
  assert.equal(phases.get('sgi')!.get('writes'), 4 * 256 * 16);
  const insns = phases.get('insns')!;
  assert.ok(insns.get('completed')! > 0 && insns.get('undef')! > 0 && insns.get('svc')! > 0 && insns.get('dabt')! > 0, 'random words complete, and fault every way');
});

test('hostile: under QEMU every phase completes too, with the same attacks', { timeout: 180_000 }, async () => {
  const [partita, qemu] = await hostileRuns;
  assert.equal(qemu.status, 0, `QEMU exit status; stderr:\n${qemu.stderr.toString()}`);
  const theirs = assertAllPhases(qemu.stdout.toString(), 'qemu');
  const ours = phaseCounts(partita.stdout.toString());
  // What was attempted follows from the fixed seed and the memory map alone, so it is the same.
  // What faulted is not: the boards differ where no register is. QEMU's PCIe windows
  // (0x10000000-0x3effffff, `info mtree`) take accesses, Partita's abort them; Partita's GIC
  // distributor and CPU interface frames span 64 KiB each (reads as zero past the registers),
  // QEMU's 4 KiB and 8 KiB (aborts past them). The random words then meet different states.
  const attempted: [string, string][] = [['ipa-writes', 'pages'], ['ipa-writes', 'ram_words'], ['mmio', 'words'], ['sgi', 'writes'], ['calls', 'hvc'], ['calls', 'smc'], ['insns', 'words'], ['insns', 'redrawn']];
  for (const [phase, key] of attempted) assert.equal(theirs.get(phase)!.get(key), ours.get(phase)!.get(key), `${phase} ${key}`);
});
