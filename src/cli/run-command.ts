import * as fs from 'node:fs';
import { parseElf } from '../board/elf-image.js';
import { isElf, prepareLinuxBoot, type LinuxBootFiles } from '../board/virt-linux.js';
import type { MachinePowerEvent } from '../board/psci.js';
import { VirtBoard } from '../board/virt-board.js';
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

/** The Linux-boot inputs named on the command line, read from the host. */
function linuxBootFiles(options: RunOptions, kernel: { name: string; data: Uint8Array } | undefined): LinuxBootFiles {
  return {
    kernel,
    initrd: options.initrd !== undefined ? { name: options.initrd, data: readImage(options.initrd, 'initrd') } : undefined,
    dtb: options.dtb !== undefined ? { name: options.dtb, data: readImage(options.dtb, 'device tree') } : undefined,
    bootArgs: options.append,
  };
}

/**
 * `partita run`: boots one ELF image (bare metal, as QEMU's -kernel with an ELF file) or an ARM
 * Linux zImage (with its initrd and device tree) on the bare board. Returns the exit status.
 */
export function runCommand(options: RunOptions): number {
  const ramBytes = parseMemorySize(options.mem);
  const maxInstructions = options.maxInsns !== undefined ? parsePositiveInteger(options.maxInsns, '--max-insns') : Infinity;
  if (options.kernel === undefined && options.dumpDtb === undefined) throw new UserError("required option '--kernel <file>' not specified");
  const kernelFile = options.kernel !== undefined ? { name: options.kernel, data: readImage(options.kernel) } : undefined;
  const elf = kernelFile !== undefined && isElf(kernelFile.data);
  if (elf && (options.initrd !== undefined || options.dtb !== undefined)) {
    throw new UserError(`--initrd and --dtb need a Linux zImage kernel; '${options.kernel}' is an ELF program`);
  }

  if (options.dumpDtb !== undefined) {
    // As QEMU's -machine dumpdtb: the tree the guest would get (with /chosen filled in), then exit.
    const boot = prepareLinuxBoot(ramBytes, linuxBootFiles(options, elf ? undefined : kernelFile));
    writeOutput(options.dumpDtb, boot.dtb, 'device tree');
    return 0;
  }

  const console = new ConsoleOutput();
  const board = new VirtBoard({ ramBytes, uartOutput: (byte) => console.push(byte) });
  let imageEnd: number;
  if (elf) {
    const image = parseElf(kernelFile!.data, kernelFile!.name);
    board.loadElf(image, kernelFile!.name);
    imageEnd = image.end;
  } else {
    const boot = prepareLinuxBoot(ramBytes, linuxBootFiles(options, kernelFile));
    boot.load(board.bus, board.cpu);
    imageEnd = boot.plan!.kernel.address + boot.plan!.kernel.data.length;
  }
  const kernelName = kernelFile!.name;
  if (options.semihosting) {
    const host = nodeSemihostingHost({ elapsedNanoseconds: () => board.elapsedNanoseconds(), unixTime: () => board.unixTime() });
    const commandLine = options.append ? `${kernelName} ${options.append}` : kernelName;
    board.enableSemihosting(
      {
        ...host,
        writeStdout: (data) => {
          console.flush();
          host.writeStdout(data);
        },
        writeStderr: (data) => {
          console.flush();
          host.writeStderr(data);
        },
      },
      commandLine,
      imageEnd,
    );
  }

  const started = performance.now();
  const stop = board.run(maxInstructions);
  const seconds = (performance.now() - started) / 1000;
  console.flush();

  if (options.stats) {
    const n = board.cpu.instructionCount;
    process.stderr.write(`partita: ${n} instructions in ${seconds.toFixed(3)} s, ${(n / seconds / 1e6).toFixed(1)} MIPS\n`);
  }
  switch (stop.kind) {
    case 'exit':
      return stop.status & 0xff;
    case 'instruction-limit':
      process.stderr.write(`partita: stopped after ${board.cpu.instructionCount} instructions (--max-insns)\n`);
      return INSTRUCTION_LIMIT_STATUS;
    case 'halted':
      process.stderr.write(`partita: ${stop.why}\n`);
      return 1;
    case 'power':
      return powerOffStatus(stop.event);
  }
}


/** The exit status when the guest stopped the machine through PSCI. */
function powerOffStatus(event: MachinePowerEvent): number {
  switch (event) {
    case 'off':
      return 0; // SYSTEM_OFF: QEMU exits with status 0
    case 'reset':
      // QEMU would reset the board and boot again; Partita's board has no reset yet.
      process.stderr.write('partita: the guest asked for a system reset (PSCI SYSTEM_RESET); stopping\n');
      return 0;
    case 'cpu-off':
      process.stderr.write('partita: the only processor powered itself off (PSCI CPU_OFF); nothing can power it on\n');
      return 1;
  }
}
