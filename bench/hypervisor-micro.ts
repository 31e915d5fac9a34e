/**
 * Hypervisor micro-benchmarks: runs guests/vm/microbench.c in a VM of the Partita hypervisor
 * (two vCPUs on two physical CPUs, in-process) and prints its figures, in virtual cycles (one
 * instruction = one cycle = 1 ns, plus the cycles the hypervisor charges: trap-costs.ts), beside
 * the same program on the bare board (`partita run --smp 2`: no hypervisor, the board's own PSCI
 * firmware, which costs no cycles) and the published figures of KVM/ARM. They are deterministic:
 * a second run in the VM must give the same numbers.
 *   npm run bench:hypervisor
 * Writes bench/results/hypervisor-micro.json.
 *
 * Published figures:
 *   KVM/ARM: C. Dall and J. Nieh, "KVM/ARM: The Design and Implementation of the Linux ARM
 *   Hypervisor", ASPLOS 2014, table 3 ("Micro-Architectural Cycle Counts"), the ARM column
 *   (Cortex-A15, with VGIC and virtual timers). Not re-checked here: the search tool reached only
 *   the paper's first page.
 *   Bao: J. Martins et al., "Bao: A Lightweight Static Partitioning Hypervisor for Modern
 *   Multi-Core Embedded Systems", NG-RES 2020 (DOI 10.4230/OASIcs.NG-RES.2020.3). Its abstract
 *   says it reports interrupt latency; no number from it could be verified here, so none is shown.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildGuests } from '../src/cli/guests/guest-build.js';
import { ROOT } from '../src/cli/host/repo-paths.js';
import { TRAP_COSTS } from '../src/hypervisor/trap-costs.js';
import { runPartita } from '../test/support/emulators.js';
import {
  MICROBENCH_SYSTEM, parseMicrobench, runMicrobench, type MicrobenchFigure, type MicrobenchName,
} from '../test/support/hypervisor-microbench.js';

const KVM_ARM = 'Dall & Nieh, ASPLOS 2014, table 3 (Cortex-A15)';
const BAO = 'Martins et al., NG-RES 2020';
const BAO_NOT_FOUND = 'reports interrupt latency; no figure verified here';
const NO_USER_DEVICES = 'every device is emulated in the hypervisor, none in user space';

interface Row {
  readonly what: string;
  /** Where our figure comes from: a benchmark of microbench.c, a modelled constant, or nothing comparable. */
  readonly ours: { readonly benchmark: MicrobenchName } | { readonly modelled: number; readonly note: string } | { readonly none: string };
  readonly kvmArm?: number;
  readonly bao?: string;
}

const ROWS: readonly Row[] = [
  { what: 'Hypercall (HVC PSCI_VERSION, round trip)', ours: { benchmark: 'hypercall' }, kvmArm: 5326 },
  { what: 'Trap (to Hyp mode and back, no work)', ours: { modelled: TRAP_COSTS.roundTrip, note: 'TRAP_COSTS.roundTrip, taken from KVM/ARM' }, kvmArm: 27 },
  { what: 'I/O kernel (emulated vGIC distributor load)', ours: { benchmark: 'mmio-gicd' }, kvmArm: 5990 },
  { what: 'I/O (emulated PL011 UARTFR load)', ours: { benchmark: 'mmio-uart' } },
  { what: 'I/O user', ours: { none: NO_USER_DEVICES }, kvmArm: 10119 },
  { what: 'IPI (virtual SGI, vCPU 0 -> vCPU 1)', ours: { benchmark: 'ipi' }, kvmArm: 14366 },
  { what: 'EOI+ACK (CPU interface, no trap)', ours: { benchmark: 'eoi-ack' }, kvmArm: 427 },
  { what: 'Virtual timer interrupt latency', ours: { benchmark: 'vtimer' }, bao: BAO_NOT_FOUND },
];

const started = performance.now();
const first = await runMicrobench();
const second = await runMicrobench();
const hostSeconds = (performance.now() - started) / 1000;
const deterministic = first.console === second.console;
const [elf] = await buildGuests({ only: ['microbench'] });
const bareRun = await runPartita(elf!.path, 300_000, ['--smp', '2']);
if (bareRun.status !== 0) throw new Error(`microbench on the bare board: exit status ${bareRun.status}\n${bareRun.stderr}`);
const bare = parseMicrobench(bareRun.stdout);

function cycles(figures: Readonly<Record<MicrobenchName, MicrobenchFigure>>, row: Row): string {
  if ('benchmark' in row.ours) {
    const f = figures[row.ours.benchmark];
    return `${f.min} / ${f.avg}`;
  }
  if ('modelled' in row.ours) return figures === bare ? '-' : `${row.ours.modelled} (modelled)`;
  return 'n/a';
}

const header = ['Benchmark', 'Partita VM min / avg', 'bare board', 'KVM/ARM', 'Bao'];
const lines = ROWS.map((r) => [r.what, cycles(first.figures, r), cycles(bare, r), r.kvmArm === undefined ? '-' : r.kvmArm.toLocaleString('en-US'), r.bao === undefined ? '-' : 'n/a (see below)']);
const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
const format = (cells: readonly string[]): string => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
console.log('Hypervisor micro-benchmarks (guests/vm/microbench.c), virtual cycles (1 cycle = 1 ns)');
console.log(format(header));
console.log(widths.map((w) => '-'.repeat(w)).join('  '));
for (const l of lines) console.log(format(l));
const ipi = first.figures.ipi;
console.log(`IPI = sender's GICD_SGIR write (avg ${ipi.sendAvg}) + receiver's interrupted code to handler (avg ${ipi.recvAvg}).`);
console.log(`I/O user: n/a, ${NO_USER_DEVICES}. Bare board: the same ELF without the hypervisor (partita run --smp 2); its PSCI firmware costs no cycles.`);
console.log(`KVM/ARM: ${KVM_ARM}. Bao: ${BAO}, ${BAO_NOT_FOUND}.`);
console.log(`Deterministic (two runs, same output): ${deterministic ? 'yes' : 'NO'}; ${first.figures.hypercall.n} iterations each; ${hostSeconds.toFixed(1)} s host time for both runs.`);

const out = {
  date: new Date().toISOString(),
  node: process.version,
  guest: 'guests/vm/microbench.c',
  system: MICROBENCH_SYSTEM.trim(),
  unit: 'virtual cycles (1 instruction = 1 cycle = 1 ns, plus hypervisor-charged cycles)',
  trapCosts: TRAP_COSTS,
  figures: first.figures,
  bareBoard: bare,
  deterministic,
  comparison: ROWS.map((r) => ({
    what: r.what,
    partita: 'benchmark' in r.ours ? { benchmark: r.ours.benchmark, ...first.figures[r.ours.benchmark] } : r.ours,
    ...('benchmark' in r.ours ? { bareBoard: bare[r.ours.benchmark] } : {}),
    ...(r.kvmArm === undefined ? {} : { kvmArm: r.kvmArm }),
    ...(r.bao === undefined ? {} : { bao: r.bao }),
  })),
  references: { kvmArm: `${KVM_ARM}; not re-checked (only the paper's first page was reachable)`, bao: `${BAO}, DOI 10.4230/OASIcs.NG-RES.2020.3; ${BAO_NOT_FOUND}` },
};
mkdirSync(join(ROOT, 'bench', 'results'), { recursive: true });
writeFileSync(join(ROOT, 'bench', 'results', 'hypervisor-micro.json'), `${JSON.stringify(out, null, 2)}\n`);
console.log('wrote bench/results/hypervisor-micro.json');
if (!deterministic) process.exitCode = 1;
