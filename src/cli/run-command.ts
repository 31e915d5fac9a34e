import * as fs from 'node:fs';
import { parseElf } from '../board/elf-image.js';
import { checkGuestLoaderPlacement, loadGuestLoaderModules, type GuestLoaderModule } from '../board/guest-loader.js';
import { VIRT_MEMORY_MAP } from '../board/virt-memory-map.js';
import { isElf, prepareLinuxBoot, type LinuxBootFiles } from '../board/virt-linux.js';
import { VirtBoard, type StopReason } from '../board/virt-board.js';
import type { NamedFile } from '../board/virt-linux.js';
import { HostConsoleInput } from './host/console-input.js';
import { GUEST_LOADER_DEVICE, guestLoaderModules } from './guest-loader-option.js';
import { createVirtioDevices, type VirtioSetup } from './virtio-options.js';
import { nodeSemihostingHost, writeAllSync } from './node-semihosting-host.js';
import { parseMemorySize, parsePositiveInteger } from './size-option.js';
import { UserError } from './user-error.js';

export interface RunOptions {
  readonly kernel?: string;
  readonly initrd?: string;
  readonly dtb?: string;
  readonly dumpDtb?: string;
  readonly semihosting?: boolean;
  readonly mem: string;
  readonly maxInsns?: string;
  readonly stats?: boolean;
  readonly append?: string;
  /** QEMU-style --drive specifications (virtio-blk). */
  readonly drive?: readonly string[];
  /** QEMU-style --device specifications (virtio devices). */
  readonly device?: readonly string[];
  /** Time from the host clock instead of executed instructions. */
  readonly wallClock?: boolean;
  /** Number of processors (1 to 4), as qemu -smp. */
  readonly smp?: string;
  /** As qemu -M virt,virtualization=on: the processors have the Virtualization Extensions and start in Hyp mode. */
  readonly virtualization?: boolean;
  /** QEMU-style guest-loader specifications (addr=A,kernel=F[,bootargs=S] or addr=A,initrd=F). */
  readonly guestLoader?: readonly string[];
}

/** Exit status when --max-insns stops the guest (as timeout(1) reports a time-out). */
export const INSTRUCTION_LIMIT_STATUS = 124;

/** Console bytes from the UART, batched so that each byte is not a system call. */
class ConsoleOutput {
  private readonly buffer = new Uint8Array(4096);
  private length = 0;

  push(byte: number): void {
    this.buffer[this.length++] = byte;
    if (this.length === this.buffer.length) this.flush();
  }

  flush(): void {
    if (this.length > 0) writeAllSync(1, this.buffer.subarray(0, this.length));
    this.length = 0;
  }
}

function readImage(path: string, what = 'kernel'): Uint8Array {
  try {
    return fs.readFileSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : (error as Error).message;
    throw new UserError(`cannot read ${what} '${path}': ${why}`);
  }
}

function writeOutput(path: string, data: Uint8Array, what: string): void {
  try {
    fs.writeFileSync(path, data);
  } catch (error) {
    throw new UserError(`cannot write ${what} '${path}': ${(error as Error).message.split('\n')[0]}`);
  }
}

/** The largest -smp of QEMU's virt with a GICv2 is 8; Partita's board takes up to 4. */
const MAX_PROCESSORS = 4;

function processorCount(options: RunOptions): number {
  if (options.smp === undefined) return 1;
  const count = parsePositiveInteger(options.smp, '--smp');
  if (count > MAX_PROCESSORS) throw new UserError(`--smp ${count}: the virt board has 1 to ${MAX_PROCESSORS} processors`);
  return count;
}

/** --device specifications that name QEMU's guest-loader, told apart from the virtio devices. */
const isGuestLoaderDevice = (spec: string): boolean => spec.split(',')[0] === GUEST_LOADER_DEVICE;

/** The guest-loader modules of --guest-loader and --device guest-loader,..., in command-line order of each, read from the host. */
function guestLoaderFiles(options: RunOptions): GuestLoaderModule[] {
  const fromDevices = (options.device ?? []).filter(isGuestLoaderDevice).map((spec) => spec.slice(GUEST_LOADER_DEVICE.length + 1));
  return guestLoaderModules([...(options.guestLoader ?? []), ...fromDevices], readImage);
}

/** The Linux-boot inputs named on the command line, read from the host. */
function linuxBootFiles(options: RunOptions, kernel: { name: string; data: Uint8Array } | undefined, modules: readonly GuestLoaderModule[]): LinuxBootFiles {
  return {
    cpuCount: processorCount(options),
    virtualization: options.virtualization === true,
    guestLoaderModules: modules,
    kernel,
    initrd: options.initrd !== undefined ? { name: options.initrd, data: readImage(options.initrd, 'initrd') } : undefined,
    dtb: options.dtb !== undefined ? { name: options.dtb, data: readImage(options.dtb, 'device tree') } : undefined,
    bootArgs: options.append,
  };
}

/** Instructions per run slice; between slices the host's event loop reads input and the console is flushed. */
const SLICE_INSTRUCTIONS = 1 << 20;

const yieldToHost = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** How one boot ended: the board's stop reason, or the user's Ctrl-A x. */
type RunEnd = Exclude<StopReason, { kind: 'idle' }> | { readonly kind: 'quit' };

/**
 * Runs the board in slices until it stops. Console input reaches the UART between slices and
 * whenever the guest empties its receive FIFO; when the processor waits for an interrupt that only
 * console input can bring (the UART driver listens), the run waits for the host instead.
 */
async function runToStop(board: VirtBoard, output: ConsoleOutput, input: HostConsoleInput | undefined, maxInstructions: number): Promise<RunEnd> {
  if (input !== undefined) board.uart.onReceiveFifoEmpty = () => input.deliver(board.uart);
  for (;;) {
    input?.deliver(board.uart);
    const stop = board.run(Math.min(maxInstructions, board.instructionCount + SLICE_INSTRUCTIONS));
    output.flush();
    if (input?.quitRequested) return { kind: 'quit' };
    if (stop.kind === 'instruction-limit' && board.instructionCount < maxInstructions) {
      await yieldToHost();
      continue;
    }
    if (stop.kind === 'halted' && input !== undefined && input.open && board.uart.listening) {
      await input.whenInput();
      continue;
    }
    if (stop.kind === 'idle') {
      // Wall-clock mode: sleep until the next timer event, or less if console input comes.
      await Promise.race([sleep(stop.nanoseconds / 1e6), ...(input !== undefined ? [input.whenInput()] : [])]);
      continue;
    }
    return stop;
  }
}

interface BootedBoard {
  readonly board: VirtBoard;
  readonly kernelName: string;
  readonly imageEnd: number;
}

/**
 * Builds the board and loads the kernel (ELF or zImage with initrd and device tree) and the
 * guest-loader modules (with an ELF program, loaded only: it gets no device tree).
 */
function bootBoard(
  options: RunOptions, ramBytes: number, kernelFile: NamedFile, modules: readonly GuestLoaderModule[], virtioDevices: VirtioSetup, output: ConsoleOutput,
): BootedBoard {
  const board = new VirtBoard({
    ramBytes,
    uartOutput: (byte) => output.push(byte),
    wallClock: options.wallClock === true,
    cpus: processorCount(options),
    virtioDevices: virtioDevices.devices,
    virtualization: options.virtualization === true,
    log: (line) => process.stderr.write(`partita: ${line}\n`),
  });
  if (isElf(kernelFile.data)) {
    const image = parseElf(kernelFile.data, kernelFile.name);
    board.loadElf(image, kernelFile.name);
    const segments = image.segments.map((s) => ({ what: `the segment of '${kernelFile.name}'`, address: s.physicalAddress, size: s.memorySize }));
    checkGuestLoaderPlacement(modules, { base: VIRT_MEMORY_MAP.ram.base, bytes: ramBytes }, segments);
    loadGuestLoaderModules(board.bus, modules);
    return { board, kernelName: kernelFile.name, imageEnd: image.end };
  }
  const boot = prepareLinuxBoot(ramBytes, linuxBootFiles(options, kernelFile, modules));
  boot.load(board.bus, board.cpu);
  return { board, kernelName: kernelFile.name, imageEnd: boot.plan!.kernel.address + boot.plan!.kernel.data.length };
}

function enableSemihosting({ board, kernelName, imageEnd }: BootedBoard, commandLine: string | undefined, output: ConsoleOutput): void {
  const host = nodeSemihostingHost({ elapsedNanoseconds: () => board.elapsedNanoseconds(), unixTime: () => board.unixTime() });
  board.enableSemihosting(
    {
      ...host,
      writeStdout: (data) => {
        output.flush();
        host.writeStdout(data);
      },
      writeStderr: (data) => {
        output.flush();
        host.writeStderr(data);
      },
    },
    commandLine ? `${kernelName} ${commandLine}` : kernelName,
    imageEnd,
  );
}

/**
 * `partita run`: boots one ELF image (bare metal, as QEMU's -kernel with an ELF file) or an ARM
 * Linux zImage (with its initrd and device tree) on the bare board, the serial console on the
 * terminal. PSCI SYSTEM_RESET boots the same images again, as QEMU does. Returns the exit status.
 */
export async function runCommand(options: RunOptions): Promise<number> {
  const ramBytes = parseMemorySize(options.mem);
  const maxInstructions = options.maxInsns !== undefined ? parsePositiveInteger(options.maxInsns, '--max-insns') : Infinity;
  if (options.kernel === undefined && options.dumpDtb === undefined) throw new UserError("required option '--kernel <file>' not specified");
  const kernelFile = options.kernel !== undefined ? { name: options.kernel, data: readImage(options.kernel) } : undefined;
  const elf = kernelFile !== undefined && isElf(kernelFile.data);
  if (elf && (options.initrd !== undefined || options.dtb !== undefined)) {
    throw new UserError(`--initrd and --dtb need a Linux zImage kernel; '${options.kernel}' is an ELF program`);
  }

  const modules = guestLoaderFiles(options);

  if (options.dumpDtb !== undefined) {
    // As QEMU's -machine dumpdtb: the tree the guest would get (with /chosen filled in), then exit.
    const boot = prepareLinuxBoot(ramBytes, linuxBootFiles(options, elf ? undefined : kernelFile, modules));
    writeOutput(options.dumpDtb, boot.dtb, 'device tree');
    return 0;
  }

  const output = new ConsoleOutput();
  const virtio = createVirtioDevices(options.drive ?? [], (options.device ?? []).filter((spec) => !isGuestLoaderDevice(spec)), {
    consoleOutput: { write: (bytes) => { output.flush(); writeAllSync(1, bytes); } },
    hostEntropy: options.wallClock === true,
    log: (line) => process.stderr.write(`partita: ${line}\n`),
  });
  // Semihosting programs read stdin through semihosting calls; everything else gets it on the UART.
  const input = options.semihosting ? undefined : HostConsoleInput.attach(process.stdin, (text) => writeAllSync(2, Buffer.from(text)));
  const started = performance.now();
  let instructions = 0;
  try {
    for (;;) {
      const booted = bootBoard(options, ramBytes, kernelFile!, modules, virtio, output);
      if (options.semihosting) enableSemihosting(booted, options.append, output);
      const end = await runToStop(booted.board, output, input, maxInstructions - instructions);
      instructions += booted.board.instructionCount;
      if (end.kind === 'power' && end.event === 'reset') continue;
      if (options.stats) {
        const seconds = (performance.now() - started) / 1000;
        process.stderr.write(`partita: ${instructions} instructions in ${seconds.toFixed(3)} s, ${(instructions / seconds / 1e6).toFixed(1)} MIPS\n`);
        process.stderr.write(`partita: peak host memory ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB (resident)\n`);
      }
      return exitStatus(end, instructions);
    }
  } finally {
    output.flush();
    input?.detach();
    virtio.close();
  }
}

function exitStatus(end: RunEnd, instructions: number): number {
  switch (end.kind) {
    case 'quit':
      return 0;
    case 'exit':
      return end.status & 0xff;
    case 'instruction-limit':
    case 'time-limit': // runToStop gives the board no end time
      process.stderr.write(`partita: stopped after ${instructions} instructions (--max-insns)\n`);
      return INSTRUCTION_LIMIT_STATUS;
    case 'halted':
      process.stderr.write(`partita: ${end.why}\n`);
      return 1;
    case 'power':
      if (end.event === 'cpu-off') {
        process.stderr.write('partita: every processor powered itself off (PSCI CPU_OFF); nothing can power one on\n');
        return 1;
      }
      return 0; // SYSTEM_OFF: QEMU exits with status 0 (SYSTEM_RESET boots again before this)
  }
}

