import { formatSize } from './memory-size.js';
import type { SystemDescription } from './system-description.js';

/** The VMs' RAM, the shared regions and the hypervisor's reserve together fit in board RAM. */
export function checkRamCommitment(system: SystemDescription, hypervisorReserveBytes: number, problems: string[]): void {
  let vmBytes = 0;
  for (const vm of system.vms) for (const region of vm.memory) vmBytes += region.size;
  let sharedBytes = 0;
  for (const region of system.sharedMemory) sharedBytes += region.size;
  const excess = vmBytes + sharedBytes + hypervisorReserveBytes - system.board.memoryBytes;
  if (excess > 0) {
    problems.push(
      `board.memory: ${formatSize(system.board.memoryBytes)} is over-committed by ${formatSize(excess)} ` +
        `(VM memory ${formatSize(vmBytes)} + shared memory ${formatSize(sharedBytes)} + hypervisor reserve ${formatSize(hypervisorReserveBytes)})`,
    );
  }
}
