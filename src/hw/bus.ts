import type { MmioDevice } from './mmio-device.js';

interface Mapping {
  readonly base: number;
  readonly size: number;
  readonly device: MmioDevice;
}

export class BusConfigError extends Error {}

/**
 * The physical address space: one RAM block for direct access plus MMIO regions. Accesses no
 * region decodes return undefined / false, which the processor turns into an external abort.
 */
export class Bus {
  readonly ram: Uint8Array;
  readonly codePages: Uint8Array;
  codeWritten: (page: number) => void = () => {};
  readonly codeMarked: ((page: number) => void)[] = [];
  private readonly mappings: Mapping[] = [];

  constructor(readonly ramBase: number, ramSize: number) {
    if (ramSize % 4096 !== 0 || ramSize <= 0) throw new BusConfigError(`RAM size must be a positive multiple of 4 KiB, got ${ramSize}`);
    this.ram = new Uint8Array(ramSize);
    this.codePages = new Uint8Array(ramSize / 4096);
  }

  get ramSize(): number {
    return this.ram.byteLength;
  }

  /** Maps a device at [base, base+size). Overlapping RAM or another device is a configuration error. */
  map(base: number, size: number, device: MmioDevice): void {
    const end = base + size;
    const overlaps = (b: number, s: number) => base < b + s && b < end;
    if (overlaps(this.ramBase, this.ramSize)) throw new BusConfigError(`${device.name} at 0x${base.toString(16)} overlaps RAM`);
    for (const m of this.mappings) {
      if (overlaps(m.base, m.size)) throw new BusConfigError(`${device.name} at 0x${base.toString(16)} overlaps ${m.device.name}`);
    }
    this.mappings.push({ base, size, device });
  }

  read(address: number, size: 1 | 2 | 4): number | undefined {
    const ramOffset = address - this.ramBase;
    if (ramOffset >= 0 && ramOffset + size <= this.ramSize) {
      let v = 0;
      for (let i = 0; i < size; i++) v |= this.ram[ramOffset + i]! << (8 * i);
      return v;
    }
    const m = this.find(address);
    if (m === undefined || address + size > m.base + m.size) return undefined;
    return m.device.read(address - m.base, size);
  }

  write(address: number, size: 1 | 2 | 4, value: number): boolean {
    const ramOffset = address - this.ramBase;
    if (ramOffset >= 0 && ramOffset + size <= this.ramSize) {
      for (let i = 0; i < size; i++) this.ram[ramOffset + i] = value >>> (8 * i);
      const page = ramOffset >>> 12;
      if (this.codePages[page] !== 0) this.codeWritten(page);
      return true;
    }
    const m = this.find(address);
    if (m === undefined || address + size > m.base + m.size) return false;
    m.device.write(address - m.base, size, value);
    return true;
  }

  /** Copies bytes into RAM (image loading); false if they do not fit. */
  loadIntoRam(address: number, bytes: Uint8Array): boolean {
    const offset = address - this.ramBase;
    if (offset < 0 || offset + bytes.length > this.ramSize) return false;
    this.ram.set(bytes, offset);
    const first = offset >>> 12;
    const last = (offset + Math.max(bytes.length, 1) - 1) >>> 12;
    for (let p = first; p <= last; p++) if (this.codePages[p] !== 0) this.codeWritten(p);
    return true;
  }

  private find(address: number): Mapping | undefined {
    for (const m of this.mappings) if (address >= m.base && address < m.base + m.size) return m;
    return undefined;
  }
}
