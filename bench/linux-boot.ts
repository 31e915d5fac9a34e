/**
 * Linux boot benchmark: Debian's armmp kernel with the busybox initramfs of `partita images fetch
 * debian`, /init replaced by a short busybox workload that prints a marker and powers off. Measures
 * wall time from process start to the marker on the console and to the end of the process, under
 * Partita and under qemu-system-arm in the same run.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { partitaCli, QEMU } from '../test/support/emulators.js';
import { debianImage, initramfsRunning, QUIET_CONSOLE } from '../test/support/linux-guest.js';

const MARKER = 'partita-bench: init';
const GUEST_MEMORY_MIB = 256;

const WORKLOAD = `#!/bin/busybox sh
/bin/busybox mount -t proc proc /proc
/bin/busybox --install -s
echo '${MARKER}'
seq 1 20000 | gzip -9 | gunzip | md5sum
seq 1 5000 | sort -r | sha256sum
poweroff -f
`;

export interface BootTiming {
  /** Seconds from process start to the marker /init prints. */
  readonly toInit: number;
  /** Seconds from process start to exit (power-off). */
  readonly toPowerOff: number;
  readonly status: number | null;
  readonly output: string;
  readonly stderr: string;
}

/** Runs a command, timing when MARKER appears on stdout and when the process ends (stdout through a pipe: the output is a few lines). */
function timeBoot(command: string, args: readonly string[]): Promise<BootTiming> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    let stderr = '';
    let toInit = Number.NaN;
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (Number.isNaN(toInit) && output.includes(MARKER)) toInit = (performance.now() - started) / 1000;
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (status) => resolve({ toInit, toPowerOff: (performance.now() - started) / 1000, status, output, stderr }));
  });
}

/** The workload's own lines (the marker and what follows), as both emulators print them. */
function workloadLines(output: string): string {
  const lines = output.replace(/\r\n/g, '\n').split('\n');
  return lines.slice(lines.findIndex((l) => l === MARKER)).filter((l) => !/^\[\s*\d+\.\d+\] /.test(l)).join('\n');
}

export interface LinuxBootResult {
  readonly kernel: string;
  readonly partita: BootTiming & { readonly instructions: number; readonly peakMemoryMiB: number };
  /** Guest RAM of both runs, MiB. */
  readonly guestMemoryMiB: number;
  readonly qemu: BootTiming;
  readonly ratioToInit: number;
  readonly ratioToPowerOff: number;
  readonly outputsMatch: boolean;
}

export async function linuxBootBenchmark(): Promise<LinuxBootResult> {
  const { kernel, initrd, manifest } = await debianImage();
  const workload = initramfsRunning(initrd, WORKLOAD, join(mkdtempSync(join(tmpdir(), 'partita-bench-')), 'bench.cpio.gz'));
  const common = ['-m', String(GUEST_MEMORY_MIB), '-kernel', kernel, '-initrd', workload, '-append', QUIET_CONSOLE];
  const qemu = await timeBoot(QEMU, ['-M', 'virt', '-cpu', 'cortex-a15', '-nographic', ...common]);
  const partitaArgs = ['run', '--kernel', kernel, '--initrd', workload, '--append', QUIET_CONSOLE, '--mem', `${GUEST_MEMORY_MIB}M`, '--stats'];
  const run = await timeBoot(process.execPath, [partitaCli(), ...partitaArgs]);
  const partita = {
    ...run,
    instructions: Number(/partita: (\d+) instructions/.exec(run.stderr)?.[1] ?? Number.NaN),
    peakMemoryMiB: Number(/partita: peak host memory (\d+) MiB/.exec(run.stderr)?.[1] ?? Number.NaN),
  };
  return {
    kernel: manifest.kernelRelease,
    partita,
    guestMemoryMiB: GUEST_MEMORY_MIB,
    qemu,
    ratioToInit: partita.toInit / qemu.toInit,
    ratioToPowerOff: partita.toPowerOff / qemu.toPowerOff,
    outputsMatch: partita.status === 0 && qemu.status === 0 && workloadLines(partita.output) === workloadLines(qemu.output),
  };
}
