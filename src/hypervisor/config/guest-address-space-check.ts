import { formatRange, rangesOverlap, type AddressRange } from './address-range.js';
import type { SystemDescription } from './system-description.js';
import { VM_EMULATED_DEVICE_WINDOWS } from './vm-emulated-devices.js';

/** VMs get 32-bit guest-physical spaces, like the virt board without highmem (no LPAE RAM above 4 GiB). */
const GUEST_ADDRESS_LIMIT = 2 ** 32;

/** Something a VM sees in its guest-physical space, with the YAML path that placed it. */
interface GuestWindow {
  readonly path: string;
  readonly range: AddressRange;
}

/** A VM's RAM regions, passthrough regions (mapped 1:1) and shared-memory windows, in that order. */
function guestWindows(system: SystemDescription, vmIndex: number): GuestWindow[] {
  const vm = system.vms[vmIndex]!;
  const windows: GuestWindow[] = vm.memory.map((region, j) => ({ path: `vms[${vmIndex}].memory[${j}]`, range: { base: region.guestBase, size: region.size } }));
  vm.devices.forEach((device, k) => {
    if (device.type === 'passthrough') windows.push({ path: `vms[${vmIndex}].devices[${k}]`, range: device });
  });
  system.sharedMemory.forEach((region, s) => {
    region.peers.forEach((peer, p) => {
      if (peer.vm === vm.name) windows.push({ path: `shared-memory[${s}].peers[${p}]`, range: { base: peer.guestBase, size: region.size } });
    });
  });
  return windows;
}

/**
 * Within each VM, what it sees stays below 4 GiB, clear of the emulated devices' windows, and
 * apart: no two of its regions overlap.
 */
export function checkGuestAddressSpaces(system: SystemDescription, problems: string[]): void {
  system.vms.forEach((_, i) => {
    const windows = guestWindows(system, i);
    windows.forEach(({ path, range }, w) => {
      if (range.base + range.size > GUEST_ADDRESS_LIMIT) problems.push(`${path}: ${formatRange(range)} ends above 4 GiB`);
      for (const device of VM_EMULATED_DEVICE_WINDOWS) {
        if (rangesOverlap(range, device)) problems.push(`${path}: ${formatRange(range)} overlaps the VM's emulated ${device.name} (${formatRange(device)})`);
      }
      const other = windows.slice(0, w).find((earlier) => rangesOverlap(earlier.range, range));
      if (other !== undefined) problems.push(`${path}: ${formatRange(range)} overlaps ${other.path} (${formatRange(other.range)})`);
    });
  });
}
