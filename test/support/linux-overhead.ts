import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { VirtBoard } from '../../src/board/virt-board.js';
import type { VmDescription } from '../../src/hypervisor/config/index.js';
import { planVmBoot, type VmImages } from '../../src/hypervisor/vm-boot.js';
import { debianImage, initramfsRunning, QUIET_CONSOLE } from './linux-guest.js';
import { startSystem, type RunningSystem } from './hypervisor-system.js';

/**
 * The same Linux workload bare on the virt board and as the only VM under the Partita hypervisor
 * (issue 6, "Overhead"): Debian's armmp kernel with the busybox
 * initramfs, /init replaced by a deterministic shell workload between two console markers. Both runs get the VM's own boot: the
 * blobs and registers of planVmBoot (so the kernel reads the same device tree, vm-device-tree.ts,
 * at the same address), 1 processor, 192 MiB at 0x40000000.
 */

export const START_MARKER = '== overhead: start';
export const END_MARKER = '== overhead: end';
const GUEST_RAM = 192 << 20;
/** Board RAM under the hypervisor: the VM's 192 MiB and the hypervisor's reserve at the top. */
const BOARD_RAM = 256 << 20;
/** Virtual seconds either run may take to power off (boot and workload). */
const MAX_VIRTUAL_SECONDS = 30;

/**
 * CPU and memory work of busybox sh alone (no fork, no console output in the window): arithmetic
 * in a loop that appends each step to a file on tmpfs, then reads the file back line by line.
 * The sums printed after the end marker show the work was done, and the same in both runs; the
 * timer's interrupt count is printed before the start marker and after the end marker.
 */
const workloadInit = (rounds: number): string => `#!/bin/busybox sh
/bin/busybox mount -t tmpfs tmpfs /tmp
/bin/busybox mount -t proc proc /proc
/bin/busybox grep arch_timer /proc/interrupts
echo '${START_MARKER}'
i=0; s=7
while [ $i -lt ${rounds} ]; do
  s=$(( (s * 1103515245 + 12345 + i * i) % 2147483648 ))
  echo "$i $s" >> /tmp/steps
  i=$((i + 1))
done
t=0
while read n v; do t=$(( (t + v + n) % 1000000007 )); done < /tmp/steps
echo '${END_MARKER}'
echo "sums $s $t"
/bin/busybox grep arch_timer /proc/interrupts
/bin/busybox poweroff -f
`;

/** Counters of the processor running the guest, taken when a marker line reaches the console. */
export interface CounterSample {
  /** Instructions the processor retired (instructionCount less the cycles PL2 software charged). */
  readonly guestInstructions: number;
  /** Board virtual time. */
  readonly nanoseconds: number;
}

/** What the workload window (start marker to end marker) took. */
export interface WindowMeasurement {
  readonly guestInstructions: number;
  readonly nanoseconds: number;
}

export interface OverheadRun {
  readonly window: WindowMeasurement;
  readonly console: string;
  /** Timer interrupts (arch_timer in /proc/interrupts) from just before the start marker to just after the end marker. */
  readonly timerTicks: number;
}

/** The growth of the arch_timer line's count between its two printings around the window. */
function timerTicks(console: string): number {
  const counts = [...console.matchAll(/^\s*\d+:\s+(\d+)\s.*arch_timer\r?$/gm)].map((m) => Number(m[1]));
  if (counts.length !== 2) throw new Error(`expected two arch_timer lines around the window:\n${console.slice(-2000)}`);
  return counts[1]! - counts[0]!;
}

/** The VM's statistics (vm-statistics.ts): traps by HSR.EC, physical interrupts, world switches, hypervisor cycles. */
export interface VmCounters {
  readonly trapsByClass: readonly number[];
  readonly interrupts: number;
  readonly worldSwitches: number;
  readonly hypervisorCycles: number;
}

/** A VM run, with the VM's statistics over the window. */
export interface VmOverheadRun extends OverheadRun, VmCounters {}

/** The two runs of one workload, ready to start (each at most once). */
export interface OverheadRuns {
  /** The VM's description, whose boot the bare run copies. */
  readonly vm: VmDescription;
  bare(): OverheadRun;
  inVm(): VmOverheadRun;
}

/** Writes the workload initramfs (`rounds` loop iterations, about 0.1 ms of virtual time each) and prepares both runs. */
export async function prepareOverheadRuns(rounds: number): Promise<OverheadRuns> {
  const debian = await debianImage();
  const dir = mkdtempSync(join(tmpdir(), 'partita-overhead-'));
  const kernel = debian.kernel;
  const workload = initramfsRunning(debian.initrd, workloadInit(rounds), join(dir, 'workload.cpio.gz'));
  const yaml = `
board: { cpus: 1, memory: ${BOARD_RAM >> 20}M }
vms:
  - { name: linux, cpus: [0], memory: [{ base: 0x40000000, size: ${GUEST_RAM >> 20}M }], kernel: "${kernel}", initrd: "${workload}", cmdline: "${QUIET_CONSOLE}" }
`;
  let vmWatch: MarkerWatch | undefined;
  const system = await startSystem(yaml, (_, byte) => vmWatch!.byte(byte));
  const vm = system.system.vms[0]!;
  return {
    vm,
    bare: () => runBare(vm, { kernel: readFileSync(kernel), initrd: readFileSync(workload) }),
    inVm: () => runInVm(system, (watch) => (vmWatch = watch)),
  };
}

/** Watches console bytes for the two marker lines and samples the counters at each. */
class MarkerWatch {
  console = '';
  start: CounterSample | undefined;
  end: CounterSample | undefined;

  constructor(private readonly sample: () => CounterSample, private readonly onStart: () => void, private readonly onEnd: () => void) {}

  byte(value: number): void {
    this.console += String.fromCharCode(value);
    if (value !== 10) return;
    const line = this.console.slice(this.console.lastIndexOf('\n', this.console.length - 2) + 1, -1).replace(/\r$/, '');
    if (line === START_MARKER && this.start === undefined) {
      this.start = this.sample();
      this.onStart();
    } else if (line === END_MARKER && this.start !== undefined && this.end === undefined) {
      this.end = this.sample();
      this.onEnd();
    }
  }

  window(): WindowMeasurement {
    if (this.start === undefined || this.end === undefined) throw new Error(`the workload's markers did not both appear:\n${this.console.slice(-2000)}`);
    return {
      guestInstructions: this.end.guestInstructions - this.start.guestInstructions,
      nanoseconds: this.end.nanoseconds - this.start.nanoseconds,
    };
  }
}

const sampleOf = (board: VirtBoard) => (): CounterSample => ({
  guestInstructions: board.cpu.executedInstructions,
  nanoseconds: board.elapsedNanoseconds(),
});

/** The workload bare on the virt board: one Cortex-A15 (no Virtualization Extensions, as QEMU's virt), entered as the VM's vCPU is. */
function runBare(vm: VmDescription, images: VmImages): OverheadRun {
  let watch: MarkerWatch | undefined;
  const board = new VirtBoard({ ramBytes: GUEST_RAM, cpus: 1, uartOutput: (byte) => watch!.byte(byte) });
  watch = new MarkerWatch(sampleOf(board), () => {}, () => {});
  const plan = planVmBoot(vm, images);
  for (const blob of plan.blobs) board.bus.loadIntoRam(blob.ipa, blob.data);
  // What the hypervisor's enterGuest leaves: SVC mode, A/I/F masked (the reset state), R0-R2 of the boot protocol.
  plan.registers.forEach((value, i) => (board.cpu.r[i] = value | 0));
  board.cpu.pc = plan.entry;
  const stop = board.run(Number.POSITIVE_INFINITY, MAX_VIRTUAL_SECONDS * 1e9);
  if (stop.kind !== 'power') throw new Error(`bare run stopped (${stop.kind}) instead of powering off:\n${watch.console.slice(-2000)}`);
  return { window: watch.window(), console: watch.console, timerTicks: timerTicks(watch.console) };
}

/** The workload as the only VM under the Partita hypervisor, on a board with the Virtualization Extensions. */
function runInVm(system: RunningSystem, watchConsole: (watch: MarkerWatch) => void): VmOverheadRun {
  const vm = system.hypervisor.vms[0]!;
  const statistics = vm.statistics;
  const snapshot = (): VmCounters => ({
    trapsByClass: [...statistics.trapsByClass], interrupts: statistics.interrupts, worldSwitches: statistics.worldSwitches, hypervisorCycles: statistics.hypervisorCycles,
  });
  let start = snapshot();
  let end = start;
  const watch = new MarkerWatch(sampleOf(system.board), () => (start = snapshot()), () => (end = snapshot()));
  watchConsole(watch);
  system.runUntil(() => vm.state === 'stopped', MAX_VIRTUAL_SECONDS);
  if (vm.state !== 'stopped') throw new Error(`the VM did not power off:\n${system.log.join('\n')}\n${watch.console.slice(-2000)}`);
  return {
    window: watch.window(),
    console: watch.console,
    timerTicks: timerTicks(watch.console),
    trapsByClass: end.trapsByClass.map((n, ec) => n - start.trapsByClass[ec]!),
    interrupts: end.interrupts - start.interrupts,
    worldSwitches: end.worldSwitches - start.worldSwitches,
    hypervisorCycles: end.hypervisorCycles - start.hypervisorCycles,
  };
}
