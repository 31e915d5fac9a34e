import type { SystemDescription } from './system-description.js';

/**
 * Each physical CPU exists on the board and runs at most one vCPU of each VM (two vCPUs of one VM
 * on one processor would only take turns); vCPUs of several VMs may share it under the VM
 * scheduler, whose reservations (budget / period) must then fit in it: they sum to at most 100%.
 */
export function checkCpuAssignment(system: SystemDescription, problems: string[]): void {
  const reservations = new Map<number, { vm: string; percent: number }[]>();
  system.vms.forEach((vm, i) => {
    const used = new Map<number, string>();
    vm.cpus.forEach((cpu, j) => {
      const path = `vms[${i}].cpus[${j}]`;
      const first = used.get(cpu);
      if (cpu >= system.board.cpus) problems.push(`${path}: physical CPU ${cpu} does not exist (board.cpus is ${system.board.cpus})`);
      else if (first !== undefined) problems.push(`${path}: physical CPU ${cpu} is already ${first} of the same VM`);
      else used.set(cpu, path);
      if (vm.scheduling !== undefined && first === undefined && cpu < system.board.cpus) {
        const percent = (100 * vm.scheduling.budgetMicroseconds) / vm.scheduling.periodMicroseconds;
        reservations.set(cpu, [...(reservations.get(cpu) ?? []), { vm: vm.name, percent }]);
      }
    });
  });
  for (const [cpu, list] of [...reservations].sort(([a], [b]) => a - b)) {
    const total = list.reduce((sum, r) => sum + r.percent, 0);
    if (total > 100 + 1e-9) {
      const parts = list.map((r) => `${r.vm} ${formatPercent(r.percent)}`).join(', ');
      problems.push(`physical CPU ${cpu} is over-committed: its reservations (scheduling budget-us / period-us) sum to ${formatPercent(total)} (${parts})`);
    }
  }
}

function formatPercent(percent: number): string {
  return `${Number(percent.toFixed(1))}%`;
}
