import type { Bus } from '../bus.js';

/**
 * Guest-physical memory as a DMA-capable device sees it. `read` returns the bytes at
 * [address, address+length) — possibly a view into RAM, valid only until the next call — or
 * undefined when any part lies outside memory; `write` returns false (and writes nothing) then.
 */
export interface GuestMemory {
  read(address: number, length: number): Uint8Array | undefined;
  write(address: number, bytes: Uint8Array): boolean;
}

/** One contiguous RAM block at `base`; `onWrite` hears of every DMA write (e.g. code invalidation). */
export class RamGuestMemory implements GuestMemory {
  constructor(
    readonly base: number,
    readonly ram: Uint8Array,
    private readonly onWrite: (offset: number, length: number) => void = () => {},
  ) {}

  read(address: number, length: number): Uint8Array | undefined {
    const offset = this.offsetOf(address, length);
    return offset === undefined ? undefined : this.ram.subarray(offset, offset + length);
  }

  write(address: number, bytes: Uint8Array): boolean {
    const offset = this.offsetOf(address, bytes.length);
    if (offset === undefined) return false;
    this.ram.set(bytes, offset);
    if (bytes.length > 0) this.onWrite(offset, bytes.length);
    return true;
  }

  private offsetOf(address: number, length: number): number | undefined {
    const offset = address - this.base;
    if (!Number.isSafeInteger(offset) || offset < 0 || length < 0 || offset + length > this.ram.length) return undefined;
    return offset;
  }
}

/**
 * The bus's RAM as guest memory. Writes go through Bus.loadIntoRam so that translated code on
 * written pages is invalidated, exactly as for CPU stores.
 */
export function guestMemoryOfBus(bus: Bus): GuestMemory {
  const ram = new RamGuestMemory(bus.ramBase, bus.ram);
  return {
    read: (address, length) => ram.read(address, length),
    write: (address, bytes) => ram.read(address, bytes.length) !== undefined && bus.loadIntoRam(address, bytes),
  };
}
