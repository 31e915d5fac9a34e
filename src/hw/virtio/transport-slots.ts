import type { MmioDevice } from '../mmio-device.js';
import type { InterruptLine } from '../interrupt-line.js';
import type { GuestMemory } from './guest-memory.js';
import type { VirtioDevice } from './virtio-device.js';
import { VirtioMmioTransport } from './virtio-mmio.js';

export interface VirtioSlotsOptions {
  readonly memory: GuestMemory;
  /** The interrupt line of transport `slot` (slot 0 is the lowest address). */
  readonly irq: (slot: number) => InterruptLine;
  readonly log?: (line: string) => void;
}

/**
 * The transport slot QEMU's virt board gives the n-th device: the first `-device` goes to the
 * highest-addressed transport, the next one below it (hw/arm/virt.c create_virtio_devices: buses
 * are created in increasing order but qbus_realize() prepends, and devices take the first free bus).
 */
export const virtioSlotOfDevice = (n: number, slotCount: number): number => slotCount - 1 - n;

/**
 * `slotCount` virtio-mmio transports with `devices` placed as QEMU places them; the remaining
 * slots are empty transports (DeviceID 0). Index i of the result is transport i (lowest address first).
 */
export function createVirtioTransports(slotCount: number, devices: readonly VirtioDevice[], options: VirtioSlotsOptions): VirtioMmioTransport[] {
  if (devices.length > slotCount) throw new RangeError(`${devices.length} virtio devices, but only ${slotCount} virtio-mmio transports`);
  const bySlot = new Map<number, VirtioDevice>(devices.map((d, n) => [virtioSlotOfDevice(n, slotCount), d]));
  return Array.from({ length: slotCount }, (_, slot) => {
    const device = bySlot.get(slot);
    return new VirtioMmioTransport(device, { memory: options.memory, irq: options.irq(slot), log: options.log ?? (() => {}) });
  });
}

/**
 * All transports as one bus region (slot i at i * transportSize), so the board maps one window
 * instead of 32 regions and bus lookups for other devices stay short.
 */
export class VirtioTransportWindow implements MmioDevice {
  readonly name = 'virtio-mmio window';

  constructor(private readonly transports: readonly MmioDevice[], private readonly transportSize: number) {}

  get size(): number {
    return this.transports.length * this.transportSize;
  }

  read(offset: number, size: 1 | 2 | 4): number {
    const t = this.transports[Math.floor(offset / this.transportSize)];
    return t === undefined ? 0 : t.read(offset % this.transportSize, size);
  }

  write(offset: number, size: 1 | 2 | 4, value: number): void {
    this.transports[Math.floor(offset / this.transportSize)]?.write(offset % this.transportSize, size, value);
  }
}
