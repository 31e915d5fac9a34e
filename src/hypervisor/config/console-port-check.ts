import type { SystemDescription } from './system-description.js';

/** Two consoles cannot listen on one TCP port. */
export function checkConsolePorts(system: SystemDescription, problems: string[]): void {
  const owner = new Map<number, number>();
  system.vms.forEach((vm, i) => {
    const port = vm.console.tcpPort;
    if (port === undefined) return;
    const first = owner.get(port);
    if (first !== undefined) problems.push(`vms[${i}].console.tcp-port: port ${port} is already vms[${first}]'s console`);
    else owner.set(port, i);
  });
}
