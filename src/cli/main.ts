import { Command, CommanderError } from 'commander';
import { fileURLToPath } from 'node:url';
import { ImageError } from '../board/elf-image.js';
import { BusConfigError } from '../hw/bus.js';
import { OutputClosedError } from './node-semihosting-host.js';
import { INSTRUCTION_LIMIT_STATUS, runCommand } from './run-command.js';
import { UserError } from './user-error.js';

/** The bare-metal demo `npm start` boots (prebuilt from guests/demo so no cross compiler is needed). */
const DEMO_IMAGE = fileURLToPath(new URL('../../../guests/demo/demo.elf', import.meta.url));

function buildProgram(setExitCode: (status: number) => void): Command {
  const program = new Command('partita')
    .description('Partita: an ARMv7-A virtual SoC (QEMU virt compatible) and partitioning hypervisor')
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });

  program
    .command('run')
    .description('boot one guest on the bare virtual board (QEMU-compatible options)')
    .option('--kernel <file>', 'ELF program or ARM Linux zImage to boot (required unless --dump-dtb)')
    .option('--initrd <file>', 'initial ram disk for a Linux kernel, as qemu -initrd')
    .option('--dtb <file>', 'device tree blob to give a Linux kernel instead of the generated one, as qemu -dtb')
    .option('--dump-dtb <file>', "write the board's device tree blob to file and exit, as qemu -machine dumpdtb=file")
    .option('--semihosting', 'enable ARM semihosting (console, files, exit status), as qemu -semihosting')
    .option('--mem <size>', 'RAM size, e.g. 128M or 1G (bare numbers are MiB)', '128M')
    .option('-m <size>', 'same as --mem')
    .option('--append <cmdline>', 'kernel command line (Linux) or semihosting command line (ELF programs)')
    .option('--max-insns <n>', `stop after n instructions (exit status ${INSTRUCTION_LIMIT_STATUS})`)
    .option('--stats', 'print instructions, wall time and MIPS to stderr')
    .action(
      (options: {
        kernel?: string; initrd?: string; dtb?: string; dumpDtb?: string; semihosting?: boolean; mem: string; m?: string;
        append?: string; maxInsns?: string; stats?: boolean;
      }) => {
        setExitCode(runCommand({ ...options, mem: options.m ?? options.mem }));
      },
    );

  program
    .command('demo')
    .description('boot the bare-metal demo guest (what `npm start` runs)')
    .action(() => {
      setExitCode(runCommand({ kernel: DEMO_IMAGE, semihosting: true, mem: '128M', stats: true }));
    });

  return program;
}

/** Runs the CLI; user mistakes become one line on stderr and exit status 2, never a stack trace. */
export function main(argv: readonly string[]): number {
  let status = 0;
  const program = buildProgram((s) => {
    status = s;
  });
  try {
    program.parse(argv, { from: 'user' });
    return status;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
    // As a process killed by SIGPIPE reports (128 + 13), without a message nobody would read.
    if (error instanceof OutputClosedError) return 141;
    if (error instanceof UserError || error instanceof ImageError || error instanceof BusConfigError) {
      process.stderr.write(`partita: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
}
