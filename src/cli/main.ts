import { Command, CommanderError } from 'commander';
import { fileURLToPath } from 'node:url';
import { ImageError } from '../board/elf-image.js';
import { BusConfigError } from '../hw/bus.js';
import { OutputClosedError } from './node-semihosting-host.js';
import { ensureDebianImage } from './images/debian-image.js';
import { registerImagesCommand } from './images/images-command.js';
import { INSTRUCTION_LIMIT_STATUS, runCommand } from './run-command.js';
import { UserError } from './user-error.js';
import { upCommand } from './up/up-command.js';
import { SystemDescriptionError } from '../hypervisor/config/index.js';

/** The bare-metal demo `partita demo --bare-metal` boots (prebuilt from guests/demo so no cross compiler is needed). */
const DEMO_IMAGE = fileURLToPath(new URL('../../../guests/demo/demo.elf', import.meta.url));

/** Commander's accumulator for repeatable options. */
const collect = (value: string, previous: string[]): string[] => [...previous, value];

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
    .option('--drive <spec>', 'disk image as virtio-blk: file=F[,format=raw][,if=virtio|none][,id=ID][,readonly=on], as qemu -drive', collect, [])
    .option('--device <spec>', 'virtio-blk-device,drive=ID | virtio-rng-device | virtio-net-device[,mac=M] | virtio-serial-device | guest-loader,... (as --guest-loader)', collect, [])
    .option('--smp <n>', 'number of processors, 1 to 4 (secondaries start off; Linux brings them up with PSCI CPU_ON)')
    .option('--virtualization', 'as qemu -M virt,virtualization=on: Virtualization Extensions, processors start in Hyp mode, PSCI over SMC')
    .option(
      '--guest-loader <spec>',
      'addr=A,kernel=F[,bootargs=S] | addr=A,initrd=F: load F at A and name it in /chosen, as qemu -device guest-loader (for Xen dom0)',
      collect,
      [],
    )
    .option('--wall-clock', 'run in host time (interactive use) instead of deterministic virtual time')
    .option('--stats', 'print instructions, wall time, MIPS and peak host memory to stderr')
    .action(
      async (options: {
        kernel?: string; initrd?: string; dtb?: string; dumpDtb?: string; semihosting?: boolean; mem: string; m?: string;
        append?: string; maxInsns?: string; stats?: boolean; drive: string[]; device: string[]; wallClock?: boolean; smp?: string;
        virtualization?: boolean; guestLoader: string[];
      }) => {
        setExitCode(await runCommand({ ...options, mem: options.m ?? options.mem }));
      },
    );

  program
    .command('demo')
    .description("Debian's armmp Linux on the bare board (2 CPUs, no hypervisor) to a busybox shell (fetched on first use)")
    .option('--bare-metal', 'boot the bare-metal demo program instead (no download)')
    .action(async (options: { bareMetal?: boolean }) => {
      if (options.bareMetal) {
        setExitCode(await runCommand({ kernel: DEMO_IMAGE, semihosting: true, mem: '128M', stats: true }));
        return;
      }
      const image = await ensureDebianImage({ log: (line) => process.stderr.write(`partita: ${line}\n`) });
      process.stderr.write("partita: booting Debian's armmp kernel on 2 CPUs; at the shell, `poweroff -f` ends the run (Ctrl-A x quits)\n");
      setExitCode(
        await runCommand({
          kernel: image.kernel, initrd: image.initrd, append: 'console=ttyAMA0', mem: '256M', smp: '2',
          device: ['virtio-rng-device'], stats: true,
        }),
      );
    });

  program
    .command('up')
    .description('start the Partita hypervisor with the VMs a system description (system.yaml) gives')
    .argument('<system.yaml>', 'the system description (schema: schema/system.schema.json)')
    .option('--max-virtual-seconds <n>', 'stop after n seconds of virtual time')
    .option('--console <vm>', "that VM's console is the terminal (raw, with keyboard input); the others show prefixed lines")
    .option('--stats', 'print per-VM measurements (guest instructions, hypervisor cycles, traps by class) at the end')
    .addHelpText(
      'after',
      '\nOn a terminal, Ctrl-A then a key acts on the focused VM (the --console one, else the first):\n' +
        '  p pause (its virtual time stops), r resume, s stop, b boot a stopped VM, t reset;\n' +
        '  1-9 focus VM 1-9 (system.yaml order); h help; x quit.',
    )
    .action(async (file: string, options: { maxVirtualSeconds?: string; console?: string; stats?: boolean }) => {
      setExitCode(await upCommand({ file, ...options }));
    });

  registerImagesCommand(program);

  return program;
}

/** Runs the CLI; user mistakes become one line on stderr and exit status 2, never a stack trace. */
export async function main(argv: readonly string[]): Promise<number> {
  let status = 0;
  const program = buildProgram((s) => {
    status = s;
  });
  try {
    await program.parseAsync(argv, { from: 'user' });
    return status;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
    // As a process killed by SIGPIPE reports (128 + 13), without a message nobody would read.
    if (error instanceof OutputClosedError) return 141;
    if (error instanceof UserError || error instanceof ImageError || error instanceof BusConfigError || error instanceof SystemDescriptionError) {
      process.stderr.write(`partita: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
}
