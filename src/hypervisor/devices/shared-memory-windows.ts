import type { SystemDescription } from '../config/system-description.js';
import { DOORBELL_PAGE_SIZE, doorbellPageBase } from '../config/vm-emulated-devices.js';

/** A shared-memory region as one of its peer VMs sees it. */
export interface VmSharedWindow {
  /** Index of the region in `shared-memory`. */
  readonly region: number;
  readonly name: string;
  readonly guestBase: number;
  readonly size: number;
  /** This VM's index among the region's peers. */
  readonly peer: number;
  readonly doorbellBase: number;
  readonly doorbellSize: number;
  readonly doorbellSpi: number;
}

/** The shared-memory regions VM `vmIndex` is a peer of, in the order of `shared-memory`. */
export function vmSharedWindows(system: SystemDescription, vmIndex: number): VmSharedWindow[] {
  const name = system.vms[vmIndex]!.name;
  const windows: VmSharedWindow[] = [];
  system.sharedMemory.forEach((region, r) => {
    const peer = region.peers.findIndex((p) => p.vm === name);
    if (peer < 0) return;
    const { guestBase, doorbellSpi } = region.peers[peer]!;
    windows.push({
      region: r, name: region.name, guestBase, size: region.size, peer,
      doorbellBase: doorbellPageBase(r), doorbellSize: DOORBELL_PAGE_SIZE, doorbellSpi,
    });
  });
  return windows;
}
