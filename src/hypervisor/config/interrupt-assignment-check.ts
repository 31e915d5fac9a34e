import type { SystemDescription } from './system-description.js';
import { emulatedDeviceSpis } from './vm-emulated-devices.js';

/**
 * Within each VM, one SPI has one source: its emulated UART and virtio devices, its passthrough
 * interrupts and its doorbells. A physical SPI is passed through to one VM only.
 */
export function checkInterruptAssignment(system: SystemDescription, problems: string[]): void {
  const passedThrough = new Map<number, { vmIndex: number; path: string }>();
  system.vms.forEach((vm, i) => {
    const users = new Map<number, string>();
    const use = (spi: number, path: string): void => {
      const first = users.get(spi);
      if (first !== undefined) problems.push(`${path}: SPI ${spi} is already used by ${first}`);
      else users.set(spi, path);
    };
    for (const { spi, deviceIndex } of emulatedDeviceSpis(vm.devices)) {
      users.set(spi, deviceIndex === undefined ? "the VM's emulated UART" : `vms[${i}].devices[${deviceIndex}] (${vm.devices[deviceIndex]!.type})`);
    }
    vm.devices.forEach((device, k) => {
      if (device.type !== 'passthrough') return;
      device.interrupts.forEach((spi, m) => {
        const path = `vms[${i}].devices[${k}].interrupts[${m}]`;
        const owner = passedThrough.get(spi);
        if (owner === undefined) passedThrough.set(spi, { vmIndex: i, path });
        if (owner !== undefined && owner.vmIndex !== i) {
          problems.push(`${path}: SPI ${spi} is already passed through to VM ${system.vms[owner.vmIndex]!.name} (${owner.path})`);
        } else {
          use(spi, path);
        }
      });
    });
    system.sharedMemory.forEach((region, s) => {
      region.peers.forEach((peer, p) => {
        if (peer.vm === vm.name) use(peer.doorbellSpi, `shared-memory[${s}].peers[${p}].doorbell`);
      });
    });
  });
}
