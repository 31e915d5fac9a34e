import type { MmioDevice } from '../hw/mmio-device.js';

interface Window {
  readonly base: number;
  readonly size: number;
  readonly device: MmioDevice;
}

/**
 * The devices a VM's trapped accesses reach, by guest-physical address: what stage 2 leaves
 * unmapped so that every access to it traps (the emulated PL011, the virtual distributor, virtio
 * transports). Devices see offsets, never where they are mapped.
 */
export class EmulatedDevices {
  private readonly windows: Window[] = [];

  add(base: number, size: number, device: MmioDevice): void {
    for (const w of this.windows) {
      if (base < w.base + w.size && w.base < base + size) throw new RangeError(`${device.name} at 0x${base.toString(16)} overlaps ${w.device.name}`);
    }
    this.windows.push({ base, size, device });
  }

  /** The device window holding [ipa, ipa + size), or undefined. */
  find(ipa: number, size: number): Window | undefined {
    for (const w of this.windows) if (ipa >= w.base && ipa + size <= w.base + w.size) return w;
    return undefined;
  }
}
