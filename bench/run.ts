/**
 * CPU benchmark: runs guests/bench/mix.c under Partita (`--stats`) and under qemu-system-arm in
 * the same session and compares their speed in MIPS. The program is deterministic, so QEMU
 * executes the same number of instructions Partita counts; QEMU's MIPS is that count divided by
 * QEMU's wall time (process start to exit, so it includes QEMU's ~0.05 s start-up).
 * Then boots Debian's Linux on both (bench/linux-boot.ts) unless --no-linux.
 *   npm run bench [-- --scale N] [--isa arm|thumb] [--no-linux]
 * Writes bench/results/latest.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CC, compileArgs, discoverGuests, type Isa } from '../src/cli/guests/guest-build.js';
import { partitaAvailable, partitaCli, runPartita, runQemu } from '../test/support/emulators.js';
import { BUILD_DIR, ROOT } from '../src/cli/host/repo-paths.js';
import { runProcess } from '../src/cli/host/run-process.js';
import { linuxBootBenchmark } from './linux-boot.js';

const args = process.argv.slice(2);
const argValue = (name: string): string | undefined => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};
const scale = Number(argValue('scale') ?? 32);
const isas: Isa[] = argValue('isa') ? [argValue('isa') as Isa] : ['arm', 'thumb'];
const STATS = /partita: (\d+) instructions in ([\d.]+) s, ([\d.]+) MIPS/;

if (!partitaAvailable()) {
  console.error(`partita: CLI not found at ${partitaCli()}`);
  process.exit(2);
}
const program = discoverGuests().find((p) => p.kind === 'bench' && p.name === 'mix');
if (!program) throw new Error('guests/bench/mix.c is missing');
mkdirSync(join(BUILD_DIR, 'bench'), { recursive: true });

interface Result {
  elf: string;
  isa: Isa;
  instructions: number;
  partita: { seconds: number; mips: number; wallSeconds: number };
  qemu: { wallSeconds: number; mips: number };
  ratio: number;
  outputsMatch: boolean;
}
const results: Result[] = [];
for (const isa of isas) {
  const elf = join(BUILD_DIR, 'bench', `mix-${isa}-O2-scale${scale}.elf`);
  const cc = await runProcess(CC, [`-DBENCH_SCALE=${scale}`, ...compileArgs(program, isa, 'O2', elf)]);
  if (cc.status !== 0) throw new Error(`building ${elf} failed:\n${cc.stderr.toString()}`);
  const q = await runQemu(elf, 600_000);
  const p = await runPartita(elf, 3_600_000, ['--stats']);
  const m = STATS.exec(p.stderr);
  if (p.status !== 0 || !m) throw new Error(`Partita run failed (status ${p.status}):\n${p.stderr.slice(-2000)}`);
  const instructions = Number(m[1]);
  const partitaSeconds = Number(m[2]);
  const partitaMips = instructions / partitaSeconds / 1e6;
  const qemuMips = instructions / q.seconds / 1e6;
  const r: Result = {
    elf: elf.slice(ROOT.length + 1),
    isa,
    instructions,
    partita: { seconds: partitaSeconds, mips: round(partitaMips), wallSeconds: round(p.seconds) },
    qemu: { wallSeconds: round(q.seconds), mips: round(qemuMips) },
    ratio: round(qemuMips / partitaMips),
    outputsMatch: q.stdout === p.stdout && q.status === p.status,
  };
  results.push(r);
  console.log(`mix (${isa}, scale ${scale}): ${instructions} instructions`);
  console.log(`  Partita ${r.partita.mips.toFixed(1)} MIPS (${partitaSeconds.toFixed(2)} s)   QEMU ${r.qemu.mips.toFixed(1)} MIPS (${q.seconds.toFixed(2)} s wall)   QEMU/Partita ${r.ratio.toFixed(1)}x${r.outputsMatch ? '' : '   OUTPUTS DIFFER'}`);
}

function round(x: number): number {
  return Math.round(x * 100) / 100;
}

let linux: Awaited<ReturnType<typeof linuxBootBenchmark>> | undefined;
if (args.includes('--no-linux')) {
  console.log('Linux boot: skipped (--no-linux)');
} else {
  try {
    linux = await linuxBootBenchmark();
  } catch (error) {
    console.log(`Linux boot: skipped (${(error as Error).message})`);
  }
}
if (linux !== undefined) {
  const { partita: p, qemu: q } = linux;
  console.log(`Linux boot (Debian ${linux.kernel} + busybox workload, 1 CPU, 256 MiB): ${p.instructions} instructions`);
  console.log(`  to /init:      Partita ${p.toInit.toFixed(1)} s   QEMU ${q.toInit.toFixed(1)} s   Partita/QEMU ${linux.ratioToInit.toFixed(1)}x`);
  console.log(`  to power-off:  Partita ${p.toPowerOff.toFixed(1)} s   QEMU ${q.toPowerOff.toFixed(1)} s   Partita/QEMU ${linux.ratioToPowerOff.toFixed(1)}x${linux.outputsMatch ? '' : '   OUTPUTS DIFFER'}`);
  // Guest RAM is host memory only where the guest has touched it: the peak may stay below its size.
  const beyondGuest = p.peakMemoryMiB - linux.guestMemoryMiB;
  const split = beyondGuest >= 0 ? `guest RAM ${linux.guestMemoryMiB} MiB + ${beyondGuest} MiB` : `guest RAM ${linux.guestMemoryMiB} MiB, not all touched`;
  console.log(`  Partita's peak host memory: ${p.peakMemoryMiB} MiB resident (${split})`);
}
const linuxSummary =
  linux === undefined
    ? undefined
    : {
        kernel: linux.kernel,
        instructions: linux.partita.instructions,
        partita: { toInitSeconds: round(linux.partita.toInit), toPowerOffSeconds: round(linux.partita.toPowerOff), peakMemoryMiB: linux.partita.peakMemoryMiB },
        guestMemoryMiB: linux.guestMemoryMiB,
        qemu: { toInitSeconds: round(linux.qemu.toInit), toPowerOffSeconds: round(linux.qemu.toPowerOff) },
        ratioToInit: round(linux.ratioToInit),
        ratioToPowerOff: round(linux.ratioToPowerOff),
        outputsMatch: linux.outputsMatch,
      };
const out = { date: new Date().toISOString(), node: process.version, benchmark: 'guests/bench/mix.c', scale, results, linuxBoot: linuxSummary };
mkdirSync(join(ROOT, 'bench', 'results'), { recursive: true });
writeFileSync(join(ROOT, 'bench', 'results', 'latest.json'), `${JSON.stringify(out, null, 2)}\n`);
console.log('wrote bench/results/latest.json');
if (results.some((r) => !r.outputsMatch) || linux?.outputsMatch === false) process.exitCode = 1;
