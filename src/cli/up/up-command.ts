import * as fs from 'node:fs';
import { dirname, resolve } from 'node:path';
import { VirtBoard } from '../../board/virt-board.js';
import { parseSystemDescription, type SystemDescription } from '../../hypervisor/config/index.js';
import { HYPERVISOR_RESERVE_BYTES } from '../../hypervisor/host-placement.js';
import { PartitionHypervisor } from '../../hypervisor/partition-hypervisor.js';
import { virtBoardPlatform } from '../../hypervisor/virt-board-platform.js';
import type { VmImages } from '../../hypervisor/vm-boot.js';
import { VmState } from '../../hypervisor/vm.js';
import { HostConsoleInput } from '../host/console-input.js';
import { openDiskImage } from '../host/node-file-block-backend.js';
import { writeAllSync } from '../node-semihosting-host.js';
import { UserError } from '../user-error.js';
import { prepareImageReferences } from './image-references.js';
import { formatVmReport } from './vm-report.js';
import { VmConsoles } from './vm-consoles.js';
import { VmControlKeys } from './vm-control-keys.js';

export interface UpOptions {
  readonly file: string;
  /** Stop after this many seconds of virtual time. */
  readonly maxVirtualSeconds?: string;
  /** The VM whose console is the terminal's (raw, with its input); the others show prefixed lines. */
  readonly console?: string;
  /** Print per-VM measurements at the end. */
  readonly stats?: boolean;
}

/** Run slices (cycles, and board time when idle): between slices the host reads input and writes the consoles. */
const SLICE_INSTRUCTIONS = 1 << 20;
const SLICE_NANOSECONDS = 10_000_000;
const yieldToHost = (): Promise<void> => new Promise((done) => setImmediate(done));

const log = (line: string): void => {
  process.stderr.write(`partita: ${line}\n`);
};

function readText(path: string): string {
  try {
    return fs.readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UserError(`cannot read '${path}': ${code === 'ENOENT' ? 'no such file' : (error as Error).message}`);
  }
}

/** The validated description, its references ready (images fetched, guests built); a SystemDescriptionError lists every problem. */
async function loadSystem(file: string): Promise<SystemDescription> {
  const text = readText(file);
  const resolveImage = await prepareImageReferences(text, log);
  const system = parseSystemDescription(text, {
    resolveImage,
    resolvePath: (path) => resolve(dirname(file), path),
    fileExists: (path) => fs.existsSync(path) && fs.statSync(path).isFile(),
    hypervisorReserveBytes: HYPERVISOR_RESERVE_BYTES,
  });
  return system;
}

/**
 * `partita up system.yaml`: the board the description names, the Partita hypervisor in its Hyp
 * mode, every VM booted. Each VM's console shows on the terminal (prefixed lines, or raw for the
 * focused one) and on its TCP port. Runs until every VM has stopped, `--max-virtual-seconds`
 * have passed, or Ctrl-A x. On a terminal, Ctrl-A commands pause, resume, stop, boot and reset
 * the focused VM (VmControlKeys). Returns the exit status.
 */
export async function upCommand(options: UpOptions): Promise<number> {
  const limitSeconds = options.maxVirtualSeconds === undefined ? Infinity : Number(options.maxVirtualSeconds);
  if (!(limitSeconds > 0)) throw new UserError(`invalid --max-virtual-seconds '${options.maxVirtualSeconds}' (expected a positive number)`);
  const system = await loadSystem(options.file);
  const names = system.vms.map((vm) => vm.name);
  const focused = options.console === undefined ? undefined : names.indexOf(options.console);
  if (focused === -1) throw new UserError(`--console ${options.console}: no such VM (${names.join(', ')})`);
  const images: VmImages[] = system.vms.map((vm) => ({
    kernel: fs.readFileSync(vm.kernel),
    ...(vm.initrd === undefined ? {} : { initrd: fs.readFileSync(vm.initrd) }),
  }));

  const board = new VirtBoard({
    ramBytes: system.board.memoryBytes,
    cpus: system.board.cpus,
    virtualization: true,
    // The board's own UART belongs to the hypervisor, which prints nothing there.
    uartOutput: (byte) => writeAllSync(2, Uint8Array.of(byte)),
    log,
  });
  let hypervisor: PartitionHypervisor | undefined;
  const consoles = new VmConsoles(names, focused, (vm, bytes) => hypervisor!.vms[vm]!.uart.receive(bytes));
  hypervisor = new PartitionHypervisor(virtBoardPlatform(board), system, images, {
    consoleOutput: (vm, byte) => consoles.output(vm.index, byte),
    log,
    deviceBackends: { openBlock: (path, readOnly) => openDiskImage(path, readOnly, log) },
  });
  const echo = (text: string): void => writeAllSync(2, Buffer.from(text));
  // The terminal's Ctrl-A keys control the VMs; its other input is the focused console's (if any).
  const controlKeys = new VmControlKeys(hypervisor, focused ?? 0, echo);
  const input = focused === undefined && process.stdin.isTTY !== true ? undefined : HostConsoleInput.attach(process.stdin, echo, controlKeys);
  const inputSink = { receive: (bytes: Uint8Array) => bytes.length, listening: true };
  const focusedUart = focused === undefined ? undefined : hypervisor.vms[focused]!.uart;
  // A UART whose receive FIFO the guest emptied takes more input at once (it holds 16 bytes).
  hypervisor.vms.forEach((vm, i) => {
    vm.uart.onReceiveFifoEmpty = () => {
      if (i === focused) input?.deliver(vm.uart);
      consoles.retryInput(i);
    };
  });
  const started = performance.now();
  try {
    await Promise.all(system.vms.map((vm, i) => (vm.console.tcpPort === undefined ? undefined : consoles.listen(i, vm.console.tcpPort))));
    board.cpu.pc = hypervisor.entry;
    hypervisor.start();
    const limit = limitSeconds * 1e9;
    let why = '';
    for (;;) {
      input?.deliver(focusedUart ?? inputSink);
      const stop = board.run(board.instructionCount + SLICE_INSTRUCTIONS, Math.min(limit, board.elapsedNanoseconds() + SLICE_NANOSECONDS));
      consoles.flush();
      if (input?.quitRequested) break;
      if (stop.kind === 'time-limit' && board.elapsedNanoseconds() >= limit) {
        why = `${limitSeconds} s of virtual time passed (--max-virtual-seconds)`;
        break;
      }
      if (stop.kind === 'instruction-limit' || stop.kind === 'time-limit') {
        await yieldToHost();
        continue;
      }
      // Nothing to run: wait for the terminal when it may bring something (input for the focused
      // console, or a Ctrl-A command for a paused VM).
      const paused = hypervisor.vms.some((vm) => vm.state === VmState.Paused);
      if (stop.kind === 'halted' && input !== undefined && input.open && (focusedUart?.listening === true || (paused && input.isInteractive))) {
        await input.whenInput();
        continue;
      }
      why = stop.kind === 'power' ? 'every VM has stopped' : stop.kind === 'halted' ? stop.why : `the board stopped (${stop.kind})`;
      break;
    }
    consoles.close();
    if (why !== '') log(`stopped at ${(board.elapsedNanoseconds() / 1e9).toFixed(3)} s of virtual time: ${why}`);
    if (options.stats) {
      const seconds = (performance.now() - started) / 1000;
      log(`${board.instructionCount} cycles in ${seconds.toFixed(1)} s of host time (${(board.instructionCount / seconds / 1e6).toFixed(1)} M/s)`);
      for (const vm of hypervisor.vms) log(formatVmReport(vm, hypervisor.guestInstructions(vm, (pcpu) => board.cpus[pcpu]!.executedInstructions)));
    }
    return 0;
  } finally {
    consoles.close();
    input?.detach();
  }
}
