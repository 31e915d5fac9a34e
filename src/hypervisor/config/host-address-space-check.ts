import { VIRT_MEMORY_MAP } from '../../board/virt-memory-map.js';
import { formatRange, rangeContains, rangesOverlap, type AddressRange } from './address-range.js';
import type { SystemDescription } from './system-description.js';

interface HostWindow {
  readonly path: string;
  readonly vmIndex?: number;
  readonly range: AddressRange;
}

/**
 * In the host-physical space: explicit RAM placements lie in board RAM and apart, and
 * passthrough regions lie outside it, each given to one VM only.
 */
export function checkHostAddressSpace(system: SystemDescription, problems: string[]): void {
  const ram: AddressRange = { base: VIRT_MEMORY_MAP.ram.base, size: system.board.memoryBytes };
  const placements: HostWindow[] = [];
  const passthrough: HostWindow[] = [];
  system.vms.forEach((vm, i) => {
    vm.memory.forEach((region, j) => {
      if (region.hostBase !== undefined) placements.push({ path: `vms[${i}].memory[${j}].host`, range: { base: region.hostBase, size: region.size } });
    });
    vm.devices.forEach((device, k) => {
      if (device.type === 'passthrough') passthrough.push({ path: `vms[${i}].devices[${k}]`, vmIndex: i, range: device });
    });
  });
  system.sharedMemory.forEach((region, s) => {
    if (region.hostBase !== undefined) placements.push({ path: `shared-memory[${s}].host`, range: { base: region.hostBase, size: region.size } });
  });

  placements.forEach(({ path, range }, w) => {
    if (!rangeContains(ram, range)) problems.push(`${path}: ${formatRange(range)} is outside board RAM (${formatRange(ram)})`);
    const other = placements.slice(0, w).find((earlier) => rangesOverlap(earlier.range, range));
    if (other !== undefined) problems.push(`${path}: ${formatRange(range)} overlaps ${other.path} (${formatRange(other.range)})`);
  });
  // Overlaps inside one VM are its guest address space's problem (passthrough maps 1:1).
  passthrough.forEach(({ path, vmIndex, range }, w) => {
    if (rangesOverlap(ram, range)) problems.push(`${path}: passthrough ${formatRange(range)} overlaps board RAM (${formatRange(ram)})`);
    const other = passthrough.slice(0, w).find((earlier) => earlier.vmIndex !== vmIndex && rangesOverlap(earlier.range, range));
    if (other !== undefined) problems.push(`${path}: passthrough ${formatRange(range)} overlaps ${other.path} of another VM (${formatRange(other.range)})`);
  });
}
