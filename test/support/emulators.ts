import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BUILD_DIR, ROOT } from '../../src/cli/host/repo-paths.js';
import { runProcess, type ProcessResult } from '../../src/cli/host/run-process.js';

/**
 * Runs a bare-metal ELF under the reference (qemu-system-arm) and under Partita (its CLI, spawned
 * as a separate process). Both print the guest's semihosting console output on stdout and exit
 * with the guest's semihosting exit status.
 */

export const QEMU = process.env.PARTITA_QEMU ?? 'qemu-system-arm';

/**
 * QEMU's command line: the reference of the CLI contract. Note that QEMU 7.2 without a
 * semihosting chardev writes SYS_WRITEC/SYS_WRITE0 output to stderr, while SYS_WRITE to ":tt"
 * (newlib's stdout) goes to stdout; Partita follows it, and the tests compare both streams.
 */
export function qemuArgs(elf: string, machine = 'virt'): string[] {
  return ['-M', machine, '-cpu', 'cortex-a15', '-m', '128', '-nographic', '-semihosting', '-kernel', elf];
}

/** The machine for the Hyp-mode guests (guests/hyp): the CPU starts in Hyp mode. */
export const QEMU_VIRTUALIZATION_MACHINE = 'virt,virtualization=on';
/** Partita's options matching QEMU_VIRTUALIZATION_MACHINE. */
export const PARTITA_VIRTUALIZATION_ARGS = ['--virtualization'] as const;

/** The Partita CLI: $PARTITA_CLI or bin/partita.js. */
export function partitaCli(): string {
  return process.env.PARTITA_CLI ?? join(ROOT, 'bin', 'partita.js');
}

export function partitaAvailable(): boolean {
  return existsSync(partitaCli());
}

export function partitaArgs(elf: string, extra: readonly string[] = []): string[] {
  return [partitaCli(), 'run', '--kernel', elf, '--semihosting', '--mem', '128M', ...extra];
}

export interface GuestRun {
  readonly stdout: string;
  /** Exit status; -1 when the run was killed (timeout or signal). */
  readonly status: number;
  readonly timedOut: boolean;
  readonly seconds: number;
  readonly stderr: string;
}

function toRun(r: ProcessResult): GuestRun {
  return { stdout: r.stdout.toString('latin1'), status: r.status ?? -1, timedOut: r.timedOut, seconds: r.seconds, stderr: r.stderr.toString() };
}

export async function runQemu(elf: string, timeoutMs = 30_000, machine?: string): Promise<GuestRun> {
  return toRun(await runProcess(QEMU, qemuArgs(elf, machine), { timeoutMs }));
}

export async function runPartita(elf: string, timeoutMs = 60_000, extra: readonly string[] = []): Promise<GuestRun> {
  return toRun(await runProcess(process.execPath, partitaArgs(elf, extra), { timeoutMs }));
}

export function fileHash(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

const REF_DIR = join(BUILD_DIR, 'qemu-reference');

/**
 * QEMU's result for an ELF (on `machine`, default virt), cached in build/qemu-reference/ by the
 * ELF's content hash and the QEMU command line (the guests are deterministic, so the reference never changes for an ELF).
 */
export async function qemuReference(elf: string, timeoutMs = 30_000, machine?: string): Promise<GuestRun & { cached: boolean }> {
  const key = createHash('sha256').update(readFileSync(elf)).update(JSON.stringify(qemuArgs('ELF', machine))).digest('hex');
  const file = join(REF_DIR, `${key}.json`);
  if (existsSync(file)) return { ...(JSON.parse(readFileSync(file, 'utf8')) as GuestRun), cached: true };
  const run = await runQemu(elf, timeoutMs, machine);
  if (!run.timedOut && run.status >= 0) {
    mkdirSync(REF_DIR, { recursive: true });
    writeFileSync(file, JSON.stringify(run));
  }
  return { ...run, cached: false };
}

/** A readable, line-oriented description of where two outputs differ (empty when equal). */
export function describeDifference(expected: string, actual: string, context = 3): string {
  if (expected === actual) return '';
  const e = expected.split('\n');
  const a = actual.split('\n');
  let i = 0;
  while (i < e.length && i < a.length && e[i] === a[i]) i++;
  const lines = [`first difference at line ${i + 1} (expected ${e.length} lines, got ${a.length}):`];
  for (let k = Math.max(0, i - context); k < i; k++) lines.push(`    ${JSON.stringify(e[k])}`);
  for (let k = i; k < Math.min(e.length, i + context + 1); k++) lines.push(`  - ${JSON.stringify(e[k])}`);
  for (let k = i; k < Math.min(a.length, i + context + 1); k++) lines.push(`  + ${JSON.stringify(a[k])}`);
  return lines.join('\n');
}

/** The guest's own part of an emulator's stderr: without the emulators' diagnostics lines. */
export function guestStderr(stderr: string): string {
  return stderr
    .split('\n')
    .filter((l) => !l.startsWith('partita:') && !l.startsWith('qemu-system-arm:'))
    .join('\n');
}
