import type { Cpu } from './cpu.js';
import { FaultStatus, GuestAbort } from './guest-abort.js';
import type { PhysicalBus } from './physical-bus.js';

/**
 * Loads and stores by virtual address, as instructions issue them. Translation is the flat map
 * of a disabled MMU (SCTLR.M = 0, ARM ARM B3.2); alignment follows A3.2.1: SCTLR.A makes every
 * unaligned access fault, and the `...Aligned` forms always require natural alignment (LDM/STM,
 * LDRD/STRD, LDREX/STREX, VLDR/VSTR/VLDM/VSTM, SRS/RFE). SETEND's CPSR.E byte-reverses data.
 *
 * Values are returned as int32 bit patterns for words and zero-extended for bytes/halfwords.
 */
export class DataAccess {
  private readonly ram: Uint8Array;
  private readonly ramWords: Int32Array;
  private readonly ramBase: number;
  private readonly ramSize: number;

  constructor(
    private readonly cpu: Cpu,
    private readonly bus: PhysicalBus,
  ) {
    this.ram = bus.ram;
    this.ramWords = new Int32Array(bus.ram.buffer, bus.ram.byteOffset, bus.ram.byteLength >>> 2);
    this.ramBase = bus.ramBase;
    this.ramSize = bus.ram.byteLength;
  }

  load8(va: number): number {
    return this.readPhysical(va >>> 0, 1, false);
  }

  load16(va: number): number {
    if ((va & 1) !== 0 && this.cpu.cp15.alignmentCheck) this.alignmentFault(va, false);
    const v = this.readPhysical(va >>> 0, 2, false);
    return this.cpu.bigEndianData ? ((v >>> 8) | ((v & 0xff) << 8)) & 0xffff : v;
  }

  load32(va: number): number {
    if ((va & 3) !== 0 && this.cpu.cp15.alignmentCheck) this.alignmentFault(va, false);
    const v = this.readPhysical(va >>> 0, 4, false);
    return this.cpu.bigEndianData ? byteSwap32(v) : v;
  }

  load16Aligned(va: number): number {
    if ((va & 1) !== 0) this.alignmentFault(va, false);
    return this.load16(va);
  }

  load32Aligned(va: number): number {
    if ((va & 3) !== 0) this.alignmentFault(va, false);
    return this.load32(va);
  }

  store8(va: number, value: number): void {
    this.writePhysical(va >>> 0, 1, value & 0xff);
  }

  store16(va: number, value: number): void {
    if ((va & 1) !== 0 && this.cpu.cp15.alignmentCheck) this.alignmentFault(va, true);
    const v = value & 0xffff;
    this.writePhysical(va >>> 0, 2, this.cpu.bigEndianData ? ((v >>> 8) | ((v & 0xff) << 8)) : v);
  }

  store32(va: number, value: number): void {
    if ((va & 3) !== 0 && this.cpu.cp15.alignmentCheck) this.alignmentFault(va, true);
    this.writePhysical(va >>> 0, 4, this.cpu.bigEndianData ? byteSwap32(value) : value | 0);
  }

  store16Aligned(va: number, value: number): void {
    if ((va & 1) !== 0) this.alignmentFault(va, true);
    this.store16(va, value);
  }

  store32Aligned(va: number, value: number): void {
    if ((va & 3) !== 0) this.alignmentFault(va, true);
    this.store32(va, value);
  }

  /**
   * The unprivileged forms used by LDRT/STRT and friends (A8.8.x "T" variants). With the MMU off
   * there are no permissions to check, so they are the ordinary accesses.
   */
  load8Unprivileged(va: number): number { return this.load8(va); }
  load16Unprivileged(va: number): number { return this.load16(va); }
  load32Unprivileged(va: number): number { return this.load32(va); }
  store8Unprivileged(va: number, value: number): void { this.store8(va, value); }
  store16Unprivileged(va: number, value: number): void { this.store16(va, value); }
  store32Unprivileged(va: number, value: number): void { this.store32(va, value); }

  /** Instruction fetch of a halfword or word (always little-endian, A3.3.1). */
  fetch16(va: number): number {
    return this.readPhysical(va >>> 0, 2, true);
  }

  fetch32(va: number): number {
    return this.readPhysical(va >>> 0, 4, true);
  }

  /** Physical address an instruction fetch at `va` reads from (flat map while the MMU is off). */
  instructionPhysicalAddress(va: number): number {
    return va >>> 0;
  }

  private readPhysical(pa: number, size: 1 | 2 | 4, isFetch: boolean): number {
    const offset = pa - this.ramBase;
    if (offset >= 0 && offset + size <= this.ramSize) {
      if (size === 4) {
        if ((offset & 3) === 0) return this.ramWords[offset >>> 2]!;
        const ram = this.ram;
        return ram[offset]! | (ram[offset + 1]! << 8) | (ram[offset + 2]! << 16) | (ram[offset + 3]! << 24);
      }
      if (size === 2) return this.ram[offset]! | (this.ram[offset + 1]! << 8);
      return this.ram[offset]!;
    }
    return this.readSlow(pa, size, isFetch);
  }

  private readSlow(pa: number, size: 1 | 2 | 4, isFetch: boolean): number {
    // An access that straddles the end of RAM, or is not aligned on a device, goes byte by byte.
    if ((pa & (size - 1)) !== 0) {
      let v = 0;
      for (let i = 0; i < size; i++) v |= this.readPhysical((pa + i) >>> 0, 1, isFetch) << (8 * i);
      return v;
    }
    const v = this.bus.read(pa, size);
    if (v === undefined) throw new GuestAbort(isFetch, FaultStatus.SyncExternal, pa, false);
    return v;
  }

  private writePhysical(pa: number, size: 1 | 2 | 4, value: number): void {
    const offset = pa - this.ramBase;
    if (offset >= 0 && offset + size <= this.ramSize) {
      const ram = this.ram;
      if (size === 4 && (offset & 3) === 0) {
        this.ramWords[offset >>> 2] = value;
      } else {
        ram[offset] = value;
        if (size >= 2) ram[offset + 1] = value >>> 8;
        if (size === 4) {
          ram[offset + 2] = value >>> 16;
          ram[offset + 3] = value >>> 24;
        }
      }
      const page = offset >>> 12;
      if (this.bus.codePages[page] !== 0) this.bus.codeWritten(page);
      const lastPage = (offset + size - 1) >>> 12;
      if (lastPage !== page && this.bus.codePages[lastPage] !== 0) this.bus.codeWritten(lastPage);
      return;
    }
    if ((pa & (size - 1)) !== 0) {
      for (let i = 0; i < size; i++) this.writePhysical((pa + i) >>> 0, 1, (value >>> (8 * i)) & 0xff);
      return;
    }
    if (!this.bus.write(pa, size, value)) throw new GuestAbort(false, FaultStatus.SyncExternal, pa, true);
  }

  private alignmentFault(va: number, isWrite: boolean): never {
    throw new GuestAbort(false, FaultStatus.Alignment, va >>> 0, isWrite);
  }
}

export function byteSwap32(v: number): number {
  return ((v >>> 24) | ((v >>> 8) & 0xff00) | ((v & 0xff00) << 8) | (v << 24)) | 0;
}
