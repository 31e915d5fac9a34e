import { PowerState } from '../board/psci.js';
import type { VirtBoard } from '../board/virt-board.js';
import { HostMemory } from './host-memory.js';
import type { HypervisorPlatform } from './partition-hypervisor.js';

/**
 * The virt board as the hypervisor's platform: its RAM and MMIO at their physical addresses, its
 * PSCI firmware to power processors on and off, each processor's PL2 hook.
 */
export function virtBoardPlatform(board: VirtBoard): HypervisorPlatform {
  return {
    processorCount: board.cpus.length,
    ramBase: board.bus.ramBase,
    memory: new HostMemory(board.bus),
    installPl2: (pcpu, software) => board.cpus[pcpu]!.installPl2Software(software),
    powerOn: (pcpu, entry) => {
      board.psci.powerOn({ affinity: pcpu, powerState: PowerState.Off }, entry, 0);
    },
    powerOff: (pcpu) => board.psci.powerOff(board.cpus[pcpu]!),
    counter: () => board.counter(),
  };
}
