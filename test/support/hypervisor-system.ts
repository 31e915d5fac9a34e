import { readFileSync } from 'node:fs';
import { VirtBoard } from '../../src/board/virt-board.js';
import { prepareImageReferences } from '../../src/cli/up/image-references.js';
import { parseSystemDescription, type SystemDescription } from '../../src/hypervisor/config/index.js';
import { HYPERVISOR_RESERVE_BYTES } from '../../src/hypervisor/host-placement.js';
import { PartitionHypervisor } from '../../src/hypervisor/partition-hypervisor.js';
import { virtBoardPlatform } from '../../src/hypervisor/virt-board-platform.js';

/** A system description running in-process: the board, the hypervisor, each VM's console text so far, the hypervisor's log. */
export interface RunningSystem {
  readonly system: SystemDescription;
  readonly board: VirtBoard;
  readonly hypervisor: PartitionHypervisor;
  readonly consoles: string[];
  readonly log: string[];
  /** Runs until `done()` holds (checked every million cycles) or `maxSeconds` of virtual time have passed. */
  runUntil(done: () => boolean, maxSeconds: number): void;
}

/**
 * Boots the system a YAML description gives (image references resolved as `partita up` does:
 * fetched, built). `consoleByte` sees each byte a VM writes to its UART as it is written, while
 * the processor is still at the store.
 */
export async function startSystem(yaml: string, consoleByte?: (vm: number, byte: number) => void): Promise<RunningSystem> {
  const resolveImage = await prepareImageReferences(yaml, () => {});
  const system = parseSystemDescription(yaml, {
    resolveImage,
    resolvePath: (path) => path,
    fileExists: () => true,
    hypervisorReserveBytes: HYPERVISOR_RESERVE_BYTES,
  });
  const board = new VirtBoard({ ramBytes: system.board.memoryBytes, cpus: system.board.cpus, virtualization: true, uartOutput: () => {} });
  const consoles = system.vms.map(() => '');
  const log: string[] = [];
  const images = system.vms.map((vm) => ({ kernel: readFileSync(vm.kernel), ...(vm.initrd === undefined ? {} : { initrd: readFileSync(vm.initrd) }) }));
  const hypervisor = new PartitionHypervisor(virtBoardPlatform(board), system, images, {
    consoleOutput: (vm, byte) => {
      consoles[vm.index] += String.fromCharCode(byte);
      consoleByte?.(vm.index, byte);
    },
    log: (line) => log.push(line),
  });
  board.cpu.pc = hypervisor.entry;
  hypervisor.start();
  return {
    system, board, hypervisor, consoles, log,
    runUntil(done, maxSeconds) {
      while (!done()) {
        const stop = board.run(board.instructionCount + (1 << 20), maxSeconds * 1e9);
        if (stop.kind !== 'instruction-limit') return;
      }
    },
  };
}
