import type { SystemDescription } from './system-description.js';

/** Each physical CPU exists on the board and runs one vCPU of one VM (static partitioning: no sharing). */
export function checkCpuAssignment(system: SystemDescription, problems: string[]): void {
  const owner = new Map<number, string>();
  system.vms.forEach((vm, i) => {
    vm.cpus.forEach((cpu, j) => {
      const path = `vms[${i}].cpus[${j}]`;
      const first = owner.get(cpu);
      if (cpu >= system.board.cpus) problems.push(`${path}: physical CPU ${cpu} does not exist (board.cpus is ${system.board.cpus})`);
      else if (first !== undefined) problems.push(`${path}: physical CPU ${cpu} is already ${first}`);
      else owner.set(cpu, `${path} (VM ${vm.name})`);
    });
  });
}
