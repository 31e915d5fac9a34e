import { startSystem } from './hypervisor-system.js';

/** One line of guests/vm/microbench.c: cycles of one benchmark over its iterations (and, for ipi, the two sides' averages). */
export interface MicrobenchFigure {
  readonly n: number;
  readonly min: number;
  readonly avg: number;
  readonly max: number;
  readonly sendAvg?: number;
  readonly recvAvg?: number;
}

export const MICROBENCH_NAMES = ['hypercall', 'mmio-uart', 'mmio-gicd', 'vtimer', 'eoi-ack', 'ipi'] as const;
export type MicrobenchName = (typeof MICROBENCH_NAMES)[number];

export interface MicrobenchRun {
  readonly figures: Readonly<Record<MicrobenchName, MicrobenchFigure>>;
  readonly console: string;
  /** Virtual seconds the VM ran. */
  readonly virtualSeconds: number;
}

/** A two-processor board with one VM of two vCPUs, one on each: what the ipi benchmark needs. */
export const MICROBENCH_SYSTEM = `
board: { cpus: 2, memory: 64M }
vms:
  - { name: microbench, cpus: [0, 1], memory: [{ base: 0x40000000, size: 16M }], kernel: "guests:microbench" }
`;

const LINE = /^microbench: (\S+) n=(\d+) min=(\d+) avg=(\d+) max=(\d+)(?: send_avg=(\d+) recv_avg=(\d+))?$/;

/** Parses microbench's output; throws (one line) unless every benchmark reported and the program exited with status 0. */
export function parseMicrobench(output: string): Record<MicrobenchName, MicrobenchFigure> {
  const figures: Partial<Record<MicrobenchName, MicrobenchFigure>> = {};
  for (const line of output.split('\n')) {
    const m = LINE.exec(line);
    if (!m) continue;
    const figure: MicrobenchFigure = {
      n: Number(m[2]), min: Number(m[3]), avg: Number(m[4]), max: Number(m[5]),
      ...(m[6] === undefined ? {} : { sendAvg: Number(m[6]), recvAvg: Number(m[7]) }),
    };
    figures[m[1] as MicrobenchName] = figure;
  }
  const missing = MICROBENCH_NAMES.filter((name) => figures[name] === undefined);
  if (missing.length > 0 || !output.includes('exit status 0')) {
    throw new Error(`microbench: ${missing.length > 0 ? `no figure for ${missing.join(', ')}` : 'no "exit status 0"'}; output:\n${output}`);
  }
  return figures as Record<MicrobenchName, MicrobenchFigure>;
}

/** Virtual time the run may take: it needs about 5 ms; a benchmark whose interrupt never comes spins until this. */
const MAX_VIRTUAL_SECONDS = 0.1;

/** Runs guests/vm/microbench.c in a VM of the Partita hypervisor, in-process, to its power-off. */
export async function runMicrobench(): Promise<MicrobenchRun> {
  const s = await startSystem(MICROBENCH_SYSTEM);
  const vm = s.hypervisor.vms[0]!;
  s.runUntil(() => vm.state === 'stopped', MAX_VIRTUAL_SECONDS);
  if (vm.state !== 'stopped') throw new Error(`microbench: still running after ${MAX_VIRTUAL_SECONDS} virtual seconds; output:\n${s.consoles[0]}\n${s.log.join('\n')}`);
  return { figures: parseMicrobench(s.consoles[0]!), console: s.consoles[0]!, virtualSeconds: s.board.elapsedNanoseconds() / 1e9 };
}
