import type { SystemDescription } from './config/system-description.js';

/**
 * What a valid system description may ask for that this hypervisor does not do yet, one line
 * each (so `partita up` refuses it clearly rather than running without it).
 */
export function unsupportedFeatures(system: SystemDescription): string[] {
  const problems: string[] = [];
  system.vms.forEach((vm, i) => {
    vm.devices.forEach((device, k) => {
      if (device.type === 'passthrough') problems.push(`vms[${i}].devices[${k}]: ${device.type} devices are not supported by the hypervisor yet`);
    });
  });
  return problems;
}
