import type { GuestMemory } from '../../hw/virtio/guest-memory.js';
import type { HostMemory } from '../host-memory.js';

/** A window of a VM's guest-physical RAM as its devices reach it. */
export interface DmaWindow {
  readonly guestBase: number;
  readonly hostBase: number;
  readonly size: number;
  /** Stage 2 lets the VM write it (a device writes only where the VM itself could). */
  readonly writable: boolean;
}

/**
 * A VM's guest-physical memory as its emulated DMA devices (virtio) see it: an address is
 * translated through the VM's own RAM windows (what its stage 2 maps as Normal memory), and an
 * access that is not wholly inside one of them is refused (`undefined`/false: the device reports
 * a driver error). So a descriptor can never reach the hypervisor's memory or another VM's.
 * Writes go through HostMemory.load, which invalidates translated code on the pages written.
 */
export class VmDmaMemory implements GuestMemory {
  constructor(private readonly memory: HostMemory, private readonly windows: readonly DmaWindow[]) {}

  read(address: number, length: number): Uint8Array | undefined {
    const host = this.hostAddress(address, length, false);
    return host === undefined ? undefined : this.memory.ramBytes(host, length);
  }

  write(address: number, bytes: Uint8Array): boolean {
    const host = this.hostAddress(address, bytes.length, true);
    return host !== undefined && this.memory.load(host, bytes);
  }

  private hostAddress(address: number, length: number, write: boolean): number | undefined {
    if (!Number.isSafeInteger(address) || !Number.isSafeInteger(length) || length < 0) return undefined;
    for (const w of this.windows) {
      if (address >= w.guestBase && address + length <= w.guestBase + w.size) return write && !w.writable ? undefined : w.hostBase + (address - w.guestBase);
    }
    return undefined;
  }
}
