import type { Bus } from '../hw/bus.js';
import type { PhysicalWords } from './stage2/stage2-table.js';

const PAGE = 0x1000;

/**
 * Host physical memory as the hypervisor reaches it (Hyp mode with its stage 1 off: flat):
 * words at physical addresses, RAM or MMIO alike, and image loading into RAM.
 */
export class HostMemory implements PhysicalWords {
  constructor(private readonly bus: Bus) {}

  read32(address: number): number {
    return (this.bus.read(address, 4) ?? 0) >>> 0;
  }

  read16(address: number): number {
    return (this.bus.read(address, 2) ?? 0) >>> 0;
  }

  write32(address: number, value: number): void {
    this.bus.write(address, 4, value);
  }

  /** Copies bytes into RAM at physical `address`; false if they do not fit. */
  load(address: number, bytes: Uint8Array): boolean {
    return this.bus.loadIntoRam(address, bytes);
  }

  /** A view of RAM [address, address + length), valid until RAM changes, or undefined when it is not all RAM. */
  ramBytes(address: number, length: number): Uint8Array | undefined {
    const offset = address - this.bus.ramBase;
    if (offset < 0 || length < 0 || offset + length > this.bus.ram.length) return undefined;
    return this.bus.ram.subarray(offset, offset + length);
  }

  /** Zeroes RAM [address, address + size). */
  clear(address: number, size: number): void {
    const offset = address - this.bus.ramBase;
    this.bus.ram.fill(0, offset, offset + size);
  }
}

/** The hypervisor's own pages (stage 2 tables, its boot stub) from a reserved range of board RAM. */
export class PageAllocator {
  private next: number;

  constructor(private readonly memory: HostMemory, private readonly base: number, private readonly size: number) {
    this.next = base;
  }

  /** A zeroed 4 KiB page. */
  readonly allocatePage = (): number => {
    if (this.next + PAGE > this.base + this.size) throw new RangeError('hypervisor: reserved memory exhausted');
    const page = this.next;
    this.next += PAGE;
    this.memory.clear(page, PAGE);
    return page;
  };
}
