import type { Cpu } from './cpu.js';
import { SCTLR_A } from './cp15.js';
import { FaultStatus, GuestAbort } from './guest-abort.js';
import { AccessClass } from './modes.js';
import { Mmu } from './mmu/mmu.js';
import { EXECUTE_ANY, neededPermission, Permission, PL0_SHIFT } from './mmu/permissions.js';
import type { PhysicalBus } from './physical-bus.js';

/** Entries of the RAM page cache (by virtual page, direct mapped). */
const PAGE_CACHE_ENTRIES = 1024;
const PAGE_CACHE_MASK = PAGE_CACHE_ENTRIES - 1;

/**
 * Where a RAM page cache tag holds its access class (bits [3:2]), as the key of a lookup does:
 * the key's bits below are the VA's, which a tag has clear (cachedPageHitSource).
 */
const CLASS_KEY_SHIFT = 2;

function classKey(accessClass: AccessClass): number {
  return accessClass << CLASS_KEY_SHIFT;
}

/** A class key no tag holds: halfwords and words miss the page cache with it while CPSR.E is set. */
const NO_CLASS_KEY = 3 << CLASS_KEY_SHIFT;

/**
 * The key the processor `cpu` (an expression) looks the page cache up with for an access of
 * `size` bytes, as source: its access class, or NO_CLASS_KEY for halfwords and words while
 * CPSR.E is set (their bytes are swapped on the full way). DataAccess runs it as fastPathKey;
 * translated blocks embed it (block-memory.ts).
 */
export function fastPathKeySource(cpu: string, size: string): string {
  const classKeySource = `${cpu}.accessClass << ${CLASS_KEY_SHIFT}`;
  if (size === '1') return `(${classKeySource})`;
  return `(${/^\d+$/.test(size) ? '' : `${size} > 1 && `}${cpu}.bigEndianData !== 0 ? ${NO_CLASS_KEY} : ${classKeySource})`;
}

const fastPathKey = new Function('cpu', 'size', `"use strict"; return ${fastPathKeySource('cpu', 'size')};`) as (cpu: Cpu, size: number) => number;

/**
 * The RAM page cache lookup as source over pure expressions (`va` a name): whether `entries`
 * (DataAccess.readEntries or writeEntries) holds the page of virtual address `va` for `key`
 * (classKey), for an access of `size` bytes. The VA is compared with its bits below the size
 * kept, which a tag has clear: an access that is not naturally aligned misses, in the same
 * compare. DataAccess runs it in cachedOffset; translated blocks embed it (block-memory.ts) with
 * cachedPageOffsetSource after it.
 */
export function cachedPageHitSource(entries: string, va: string, key: string, size: string): string {
  // A literal size folds into the tag's mask: a block's lookups are then shorter code for the engine to compile.
  const tagMask = /^\d+$/.test(size) ? String(-4096 | (Number(size) - 1)) : `(-4096 | (${size} - 1))`;
  return `${entries}[${cacheSlotSource(va)}] === ((${va} & ${tagMask}) | ${key})`;
}

/**
 * The RAM offset of `va` where cachedPageHitSource holds: the entry's page offset (a multiple of
 * 4096, so OR is the sum, with no overflow for the engine to check) with the VA's offset in its page.
 */
export function cachedPageOffsetSource(entries: string, va: string): string {
  return `(${entries}[${cacheSlotSource(va)} + 1] | (${va} & 0xfff))`;
}

/** The index of the entry of `va`'s page: twice the page's (an entry is a tag and an offset). */
function cacheSlotSource(va: string): string {
  return `((${va} >>> 11) & ${2 * PAGE_CACHE_MASK})`;
}

/** The RAM offset of `va` when `entries` holds its page for `key` (cachedPageHitSource), else -1. */
const cachedOffset = new Function('entries', 'va', 'key', 'size', `"use strict";
return ${cachedPageHitSource('entries', 'va', 'key', 'size')} ? ${cachedPageOffsetSource('entries', 'va')} : -1;`) as
  (entries: Int32Array, va: number, key: number, size: number) => number;

/** Empties the RAM page cache entry of virtual page `page` in `entries`, if it holds that page (for any class). */
function dropCachedPage(entries: Int32Array, page: number): void {
  const i = (page & PAGE_CACHE_MASK) << 1;
  if (entries[i]! >>> 12 === page) entries[i] = -1;
}

/**
 * Loads and stores by virtual address, as instructions issue them. With no translation on
 * (SCTLR.M, HCR.VM/DC and HSCTLR.M all 0) translation is the flat map (ARM ARM B3.2) and costs
 * one test; otherwise every access asks the MMU (mmu/mmu.ts, its TLB first) for the physical
 * address with the permission it needs: read, write or execute, in the access class of the mode
 * (PL0 in User mode and for the `...Unprivileged` forms, Hyp's own regime in Hyp mode, else
 * PL1), which also picks the translation regime. Alignment follows A3.2.1: SCTLR.A (HSCTLR.A in
 * Hyp mode, B4.1.67) makes every unaligned access fault (before translation, as QEMU), and the
 * `...Aligned` forms always require natural alignment (LDM/STM, LDRD/STRD, LDREX/STREX,
 * VLDR/VSTR/VLDM/VSTM, SRS/RFE). SETEND's CPSR.E byte-reverses data.
 *
 * Values are returned as int32 bit patterns for words and zero-extended for bytes/halfwords.
 */
export class DataAccess {
  readonly mmu: Mmu;
  /** RAM as bytes, halfwords and words (the host is little-endian, as the guest's data by default). */
  readonly ram: Uint8Array;
  readonly ramHalves: Uint16Array;
  readonly ramWords: Int32Array;
  /** The bus's flags of RAM pages that hold decoded code: a store there must go the full way (cacheStorePage). */
  private readonly codePages: Uint8Array;
  private readonly ramBase: number;
  private readonly ramSize: number;
  /**
   * The RAM page cache, the loads' and stores' fast path (as QEMU's softmmu TLB): by virtual
   * page, the RAM offset of a page that plain loads (or stores) in one access class (PL1, PL0,
   * Hyp) have already reached through the full path, permission checks passed. A tag is
   * VA[31:12] << 12 | classKey, -1 when empty, and the page's RAM offset follows it (one array:
   * one bounds check and one cache line for both). Filled only for RAM, dropped (all, or a range
   * of pages) whenever the MMU's translations may change (Mmu.observers), so a hit is exactly what the full path
   * would do. A RAM page that holds decoded code (codePages) gets no store entry, and its entries
   * are dropped when it comes to (PhysicalBus.codeMarked), so a store there goes the full way,
   * which sees code written (as QEMU's TLB_NOTDIRTY). Halfwords and words take it only while
   * little-endian (CPSR.E = 0). The arrays are kept for the object's life.
   */
  readonly readEntries = new Int32Array(2 * PAGE_CACHE_ENTRIES).fill(-1);
  readonly writeEntries = new Int32Array(2 * PAGE_CACHE_ENTRIES).fill(-1);
  /** By RAM page, 1 where writeEntries may hold an entry of it (set at each fill, cleared by stopStoresTo). */
  private readonly storePages: Uint8Array;

  constructor(
    private readonly cpu: Cpu,
    private readonly bus: PhysicalBus,
  ) {
    this.ram = bus.ram;
    this.ramHalves = new Uint16Array(bus.ram.buffer, bus.ram.byteOffset, bus.ram.byteLength >>> 1);
    this.ramWords = new Int32Array(bus.ram.buffer, bus.ram.byteOffset, bus.ram.byteLength >>> 2);
    this.codePages = bus.codePages;
    this.ramBase = bus.ramBase;
    this.ramSize = bus.ram.byteLength;
    this.storePages = new Uint8Array(bus.codePages.length);
    bus.codeMarked.push((page) => this.stopStoresTo(page));
    this.mmu = new Mmu(cpu.cp15, bus);
    this.mmu.observers.push({
      translationsChanged: () => {
        this.readEntries.fill(-1);
        this.writeEntries.fill(-1);
      },
      pagesChanged: (firstPage, pages) => {
        if (pages >= PAGE_CACHE_ENTRIES) {
          this.readEntries.fill(-1);
          this.writeEntries.fill(-1);
          return;
        }
        for (let page = firstPage; page < firstPage + pages; page++) {
          dropCachedPage(this.readEntries, page);
          dropCachedPage(this.writeEntries, page);
        }
      },
    });
  }

  /**
   * The RAM offset of `va` if a plain load of `size` bytes in the current class may take the fast
   * path (natural alignment, and little-endian data for halfwords and words), else -1.
   */
  private cachedRead(va: number, size: number): number {
    return cachedOffset(this.readEntries, va, fastPathKey(this.cpu, size), size);
  }

  /** As cachedRead, for a plain store; -1 also when the page holds decoded code. */
  private cachedWrite(va: number, size: number): number {
    return cachedOffset(this.writeEntries, va, fastPathKey(this.cpu, size), size);
  }

  /** Remembers that plain stores of the current class reach `va`'s page at physical `pa`, unless that page holds code. */
  private cacheStorePage(va: number, pa: number): void {
    const page = (pa - this.ramBase) >>> 12;
    if (page >= this.codePages.length || this.codePages[page] !== 0) return;
    this.storePages[page] = 1;
    this.cachePage(this.writeEntries, va, pa);
  }

  /** Drops the store entries of RAM page `page`, which now holds code. */
  private stopStoresTo(page: number): void {
    if (this.storePages[page] === 0) return;
    this.storePages[page] = 0;
    const entries = this.writeEntries;
    for (let i = 0; i < entries.length; i += 2) {
      if (entries[i] !== -1 && entries[i + 1]! >>> 12 === page) entries[i] = -1;
    }
  }

  /** Remembers that plain accesses of the current class reach `va`'s page at physical `pa`. */
  private cachePage(entries: Int32Array, va: number, pa: number): void {
    const offset = pa - this.ramBase;
    if (offset < 0 || offset >= this.ramSize) return;
    const page = va >>> 12;
    const i = page & PAGE_CACHE_MASK;
    entries[2 * i] = (page << 12) | classKey(this.cpu.accessClass);
    entries[2 * i + 1] = offset & ~0xfff;
  }

  load8(va: number): number {
    const offset = this.cachedRead(va, 1);
    if (offset >= 0) return this.ram[offset]!;
    return this.mmu.enabled ? this.readVirtual(va, 1, this.readPermission(), true) : this.readFlat(va, 1);
  }

  load16(va: number): number {
    const offset = this.cachedRead(va, 2);
    if (offset >= 0) return this.ram[offset]! | (this.ram[offset + 1]! << 8);
    if ((va & 1) !== 0 && this.strictAlignment()) this.alignmentFault(va, false);
    const v = this.mmu.enabled ? this.readVirtual(va, 2, this.readPermission(), true) : this.readFlat(va, 2);
    return this.cpu.bigEndianData ? ((v >>> 8) | ((v & 0xff) << 8)) & 0xffff : v;
  }

  load32(va: number): number {
    const offset = this.cachedRead(va, 4);
    if (offset >= 0) return this.ramWords[offset >>> 2]!;
    if ((va & 3) !== 0 && this.strictAlignment()) this.alignmentFault(va, false);
    const v = this.mmu.enabled ? this.readVirtual(va, 4, this.readPermission(), true) : this.readFlat(va, 4);
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
    const offset = this.cachedWrite(va, 1);
    if (offset >= 0) this.ram[offset] = value;
    else if (this.mmu.enabled) this.writeVirtual(va, 1, value & 0xff, this.writePermission(), true);
    else this.writeFlat(va, 1, value & 0xff);
  }

  store16(va: number, value: number): void {
    const offset = this.cachedWrite(va, 2);
    if (offset >= 0) {
      this.ram[offset] = value;
      this.ram[offset + 1] = value >>> 8;
      return;
    }
    if ((va & 1) !== 0 && this.strictAlignment()) this.alignmentFault(va, true);
    const v = value & 0xffff;
    const data = this.cpu.bigEndianData ? ((v >>> 8) | ((v & 0xff) << 8)) : v;
    if (this.mmu.enabled) this.writeVirtual(va, 2, data, this.writePermission(), true);
    else this.writeFlat(va, 2, data);
  }

  store32(va: number, value: number): void {
    const offset = this.cachedWrite(va, 4);
    if (offset >= 0) {
      this.ramWords[offset >>> 2] = value;
      return;
    }
    if ((va & 3) !== 0 && this.strictAlignment()) this.alignmentFault(va, true);
    const data = this.cpu.bigEndianData ? byteSwap32(value) : value | 0;
    if (this.mmu.enabled) this.writeVirtual(va, 4, data, this.writePermission(), true);
    else this.writeFlat(va, 4, data);
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
   * The unprivileged forms used by LDRT/STRT and friends (A8.8.x "T" variants): permissions are
   * checked as for PL0 (B3.7.1), whatever the current mode; in Hyp mode, where they are
   * UNPREDICTABLE, as a PL0 access of the PL1&0 regime, as QEMU does.
   */
  load8Unprivileged(va: number): number {
    return this.mmu.enabled ? this.readVirtual(va, 1, Permission.Read << PL0_SHIFT, false) : this.load8(va);
  }

  load16Unprivileged(va: number): number {
    if (!this.mmu.enabled) return this.load16(va);
    if ((va & 1) !== 0 && this.strictAlignment()) this.alignmentFault(va, false);
    const v = this.readVirtual(va, 2, Permission.Read << PL0_SHIFT, false);
    return this.cpu.bigEndianData ? ((v >>> 8) | ((v & 0xff) << 8)) & 0xffff : v;
  }

  load32Unprivileged(va: number): number {
    if (!this.mmu.enabled) return this.load32(va);
    if ((va & 3) !== 0 && this.strictAlignment()) this.alignmentFault(va, false);
    const v = this.readVirtual(va, 4, Permission.Read << PL0_SHIFT, false);
    return this.cpu.bigEndianData ? byteSwap32(v) : v;
  }

  store8Unprivileged(va: number, value: number): void {
    this.writeVirtual(va, 1, value & 0xff, Permission.Write << PL0_SHIFT, false);
  }

  store16Unprivileged(va: number, value: number): void {
    if ((va & 1) !== 0 && this.strictAlignment()) this.alignmentFault(va, true);
    const v = value & 0xffff;
    this.writeVirtual(va, 2, this.cpu.bigEndianData ? ((v >>> 8) | ((v & 0xff) << 8)) : v, Permission.Write << PL0_SHIFT, false);
  }

  store32Unprivileged(va: number, value: number): void {
    if ((va & 3) !== 0 && this.strictAlignment()) this.alignmentFault(va, true);
    this.writeVirtual(va, 4, this.cpu.bigEndianData ? byteSwap32(value) : value | 0, Permission.Write << PL0_SHIFT, false);
  }

  /** Instruction fetch of a halfword or word (always little-endian, A3.3.1), checked for execute permission. */
  fetch16(va: number): number {
    return this.mmu.enabled ? this.readVirtual(va, 2, this.executePermission(), false) : this.readPhysical(va >>> 0, 2, true);
  }

  fetch32(va: number): number {
    return this.mmu.enabled ? this.readVirtual(va, 4, this.executePermission(), false) : this.readPhysical(va >>> 0, 4, true);
  }

  /**
   * Physical address an instruction fetch at `va` reads from; with the MMU on, a translation or
   * permission fault is a prefetch abort.
   */
  instructionPhysicalAddress(va: number): number {
    return this.mmu.enabled ? this.mmu.translate(va, this.executePermission()) : va >>> 0;
  }

  private readPermission(): number {
    return neededPermission(Permission.Read, this.cpu.accessClass);
  }

  private writePermission(): number {
    return neededPermission(Permission.Write, this.cpu.accessClass);
  }

  private executePermission(): number {
    return neededPermission(Permission.Execute, this.cpu.accessClass);
  }

  /** Unaligned accesses fault: SCTLR.A, or HSCTLR.A in Hyp mode (A3.2.1, B4.1.67). */
  private strictAlignment(): boolean {
    const cp15 = this.cpu.cp15;
    return this.cpu.accessClass === AccessClass.Hyp ? (cp15.hsctlr & SCTLR_A) !== 0 : cp15.alignmentCheck;
  }

  /** A load or fetch by virtual address; `cache`: a plain load, whose page may enter the RAM page cache. */
  private readVirtual(va: number, size: 1 | 2 | 4, needed: number, cache: boolean): number {
    const isFetch = (needed & EXECUTE_ANY) !== 0;
    // An access that crosses into the next page translates each page (B3.10 "per page").
    if (size > 1 && (va & 0xfff) > 0x1000 - size) {
      const first = this.mmu.translate(va, needed);
      const second = this.mmu.translate((va + size - 1) & ~0xfff, needed);
      let v = 0;
      for (let i = 0; i < size; i++) {
        const byteVa = (va + i) >>> 0;
        const pa = (byteVa & 0xfff) >= (va & 0xfff) ? first + i : second + (byteVa & 0xfff);
        v |= this.readPhysical(pa, 1, isFetch) << (8 * i);
      }
      return v;
    }
    const pa = this.mmu.translate(va, needed);
    let value: number;
    try {
      value = this.readPhysical(pa, size, isFetch);
    } catch (e) {
      throw atVirtualAddress(e, va);
    }
    if (cache) this.cachePage(this.readEntries, va, pa);
    return value;
  }

  /** A plain load with the flat map (translation off), remembered in the RAM page cache. */
  private readFlat(va: number, size: 1 | 2 | 4): number {
    const value = this.readPhysical(va >>> 0, size, false);
    this.cachePage(this.readEntries, va, va >>> 0);
    return value;
  }

  /** A store by virtual address; `cache` as for readVirtual. */
  private writeVirtual(va: number, size: 1 | 2 | 4, value: number, needed: number, cache: boolean): void {
    if (!this.mmu.enabled) {
      if (cache) this.writeFlat(va, size, value);
      else this.writePhysical(va >>> 0, size, value);
      return;
    }
    if (size > 1 && (va & 0xfff) > 0x1000 - size) {
      // Both pages are translated before any byte is written, so a fault leaves memory unchanged.
      const first = this.mmu.translate(va, needed);
      const second = this.mmu.translate((va + size - 1) & ~0xfff, needed);
      for (let i = 0; i < size; i++) {
        const byteVa = (va + i) >>> 0;
        const pa = (byteVa & 0xfff) >= (va & 0xfff) ? first + i : second + (byteVa & 0xfff);
        this.writePhysical(pa, 1, (value >>> (8 * i)) & 0xff);
      }
      return;
    }
    const pa = this.mmu.translate(va, needed);
    try {
      this.writePhysical(pa, size, value);
    } catch (e) {
      throw atVirtualAddress(e, va);
    }
    if (cache) this.cacheStorePage(va, pa);
  }

  /** A plain store with the flat map, remembered in the RAM page cache. */
  private writeFlat(va: number, size: 1 | 2 | 4, value: number): void {
    this.writePhysical(va >>> 0, size, value);
    this.cacheStorePage(va, va >>> 0);
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

/** An external abort raised at a physical address is reported at the access's virtual address (DFAR/IFAR). */
function atVirtualAddress(e: unknown, va: number): unknown {
  if (!(e instanceof GuestAbort)) return e;
  return new GuestAbort(e.isPrefetch, e.faultStatus, va >>> 0, e.isWrite, e.domain, e.level, e.stage2, e.ipa, e.s1ptw);
}

export function byteSwap32(v: number): number {
  return ((v >>> 24) | ((v >>> 8) & 0xff00) | ((v & 0xff00) << 8) | (v << 24)) | 0;
}
