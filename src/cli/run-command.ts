import * as fs from 'node:fs';
import { parseElf } from '../board/elf-image.js';
import { VirtBoard } from '../board/virt-board.js';
import { VirtualClock } from '../board/virtual-clock.js';
import { nodeSemihostingHost, writeAllSync } from './node-semihosting-host.js';
import { parseMemorySize, parsePositiveInteger } from './size-option.js';
import { UserError } from './user-error.js';

export interface RunOptions {
  readonly kernel: string;
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

function readImage(path: string): Uint8Array {
  try {
    return fs.readFileSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UserError(`cannot read kernel '${path}': ${code === 'ENOENT' ? 'no such file' : (error as Error).message}`);
  }
}

/** `partita run`: boots one ELF image on the bare board. Returns the process exit status. */
export function runCommand(options: RunOptions): number {
  const ramBytes = parseMemorySize(options.mem);
  const maxInstructions = options.maxInsns !== undefined ? parsePositiveInteger(options.maxInsns, '--max-insns') : Infinity;
  const image = parseElf(readImage(options.kernel), options.kernel);

  const console = new ConsoleOutput();
  const board = new VirtBoard({ ramBytes, uartOutput: (byte) => console.push(byte) });
  board.loadElf(image, options.kernel);
  const clock = new VirtualClock(() => board.cpu.instructionCount);
  if (options.semihosting) {
    const host = nodeSemihostingHost(clock);
    const commandLine = options.append ? `${options.kernel} ${options.append}` : options.kernel;
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
      image.end,
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
  }
}

