import type { SystemDescription } from './config/system-description.js';

/** Board RAM the hypervisor keeps for itself at the top: stage 2 tables and its boot stub. */
export const HYPERVISOR_RESERVE_BYTES = 0x200000;

/** Where each VM region and each shared-memory region lives in host physical memory. */
export interface HostPlacement {
  /** [vm][region] host base. */
  readonly regionHostBases: readonly (readonly number[])[];
  /** [shared region] host base. */
  readonly sharedHostBases: readonly number[];
  /** The hypervisor's reserved range. */
  readonly reserve: { readonly base: number; readonly size: number };
}

/**
 * Places the VMs' RAM in board RAM [ramBase, ramBase + memoryBytes): regions (VM RAM, then
 * shared-memory regions) with a host base where they say, the others from the bottom up in the
 * order listed (each aligned to 2 MiB when it
 * is a multiple of it, so stage 2 can use blocks), the hypervisor's reserve at the top. The
 * description is validated: explicit placements do not overlap and everything fits.
 */
export function placeInHostMemory(system: SystemDescription, ramBase: number): HostPlacement {
  const top = ramBase + system.board.memoryBytes;
  const reserve = { base: top - HYPERVISOR_RESERVE_BYTES, size: HYPERVISOR_RESERVE_BYTES };
  const taken: { base: number; size: number }[] = [reserve];
  for (const vm of system.vms) for (const r of vm.memory) if (r.hostBase !== undefined) taken.push({ base: r.hostBase, size: r.size });
  for (const r of system.sharedMemory) if (r.hostBase !== undefined) taken.push({ base: r.hostBase, size: r.size });
  const place = (r: { readonly hostBase?: number; readonly size: number }): number => {
    if (r.hostBase !== undefined) return r.hostBase;
    const base = firstFit(taken, ramBase, top, r.size);
    taken.push({ base, size: r.size });
    return base;
  };
  const regionHostBases = system.vms.map((vm) => vm.memory.map(place));
  return { regionHostBases, sharedHostBases: system.sharedMemory.map(place), reserve };
}

function firstFit(taken: readonly { base: number; size: number }[], from: number, top: number, size: number): number {
  const align = size % 0x200000 === 0 ? 0x200000 : 0x1000;
  let at = Math.ceil(from / align) * align;
  for (;;) {
    const clash = taken.find((t) => at < t.base + t.size && t.base < at + size);
    if (clash === undefined) break;
    at = Math.ceil((clash.base + clash.size) / align) * align;
  }
  if (at + size > top) throw new RangeError(`hypervisor: no room for ${size} bytes of VM or shared memory in board RAM`);
  return at;
}
