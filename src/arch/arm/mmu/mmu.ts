import type { Cp15 } from '../cp15.js';
import { FaultStatus, GuestAbort } from '../guest-abort.js';
import type { PhysicalBus } from '../physical-bus.js';
import { faultStatusRegister, longDescriptorStatus, TTBCR_EAE } from './fault-status.js';
import { translateLongDescriptor } from './long-descriptor.js';
import { Permission, PL0_SHIFT } from './permissions.js';
import { defineTranslationRegisters } from './registers.js';
import { translateShortDescriptor } from './short-descriptor.js';
import { Tlb } from './tlb.js';
import { WalkResult, type WalkContext } from './walk.js';

const SCTLR_M = 1;
const WRITE_ANY = Permission.Write | (Permission.Write << PL0_SHIFT);
const EXECUTE_ANY = Permission.Execute | (Permission.Execute << PL0_SHIFT);
const TWO_32 = 2 ** 32;

/**
 * The stage 1 MMU of the PL1&0 translation regime (ARM ARM B3): SCTLR.M, the short- or
 * long-descriptor walk chosen by TTBCR.EAE, the TLB, TLB maintenance and the ATS1C** address
 * translation operations. Memory accesses ask `translate(va, needed)` for a physical address; a
 * fault is thrown as a GuestAbort carrying the status, domain and level the executor reports.
 */
export class Mmu implements WalkContext {
  readonly tlb = new Tlb();
  /** SCTLR.M. */
  enabled = false;
  /**
   * Bumped whenever the translation of an address may have changed (TLB maintenance, writes to
   * SCTLR/TTBR/TTBCR/DACR/CONTEXTIDR), so holders of a translated address (the executor's memo
   * of the last fetched page) look it up again.
   */
  generation = 0;
  /** Called after each generation bump (data-access.ts drops its RAM page cache). */
  translationChanged: () => void = () => {};
  /**
   * How an Inner Shareable TLB operation (TLBIALLIS, TLBIMVAIS, TLBIASIDIS, TLBIMVAAIS) reaches
   * the TLBs of the shareability domain (B4.2.2, B3.10.2): it applies `operation` to each. Alone,
   * the domain is this MMU; a multiprocessor board points it at every processor's.
   */
  innerShareable: (operation: (mmu: Mmu) => void) => void = (operation) => operation(this);
  private readonly result = new WalkResult();
  private readonly ram: Uint8Array;
  private readonly ramWords: Int32Array;
  private readonly ramBase: number;

  constructor(readonly cp15: Cp15, private readonly bus: PhysicalBus) {
    this.ram = bus.ram;
    this.ramWords = new Int32Array(bus.ram.buffer, bus.ram.byteOffset, bus.ram.byteLength >>> 2);
    this.ramBase = bus.ramBase;
    cp15.translationControlChanged = () => this.controlChanged();
    defineTranslationRegisters(cp15, this);
    this.controlChanged();
  }

  readPhysicalWord(address: number): number | undefined {
    const offset = address - this.ramBase;
    if (offset >= 0 && offset + 4 <= this.ram.byteLength && (offset & 3) === 0) return this.ramWords[offset >>> 2]!;
    if (address >= TWO_32) return undefined;
    return this.bus.read(address, 4);
  }

  /** SCTLR, TTBCR or DACR changed, or a reset: everything cached may be wrong (QEMU flushes too). */
  controlChanged(): void {
    this.enabled = (this.cp15.sctlr & SCTLR_M) !== 0;
    this.tlb.invalidateAll();
    this.asidChanged();
  }

  /**
   * CONTEXTIDR or a TTBR changed: the current ASID may differ (CONTEXTIDR.ASID, or under LPAE the
   * ASID field of TTBR0/TTBR1 chosen by TTBCR.A1), and a fetch's translation must be redone.
   */
  asidChanged(): void {
    const cp15 = this.cp15;
    if ((cp15.ttbcr & TTBCR_EAE) !== 0) {
      this.tlb.asid = (((cp15.ttbcr & (1 << 22)) !== 0 ? cp15.ttbr1High : cp15.ttbr0High) >>> 16) & 0xff;
    } else {
      this.tlb.asid = cp15.contextidr & 0xff;
    }
    this.generation++;
    this.translationChanged();
  }

  /** A TLB maintenance operation happened (the TLB itself was told what to drop). */
  tlbMaintained(): void {
    this.generation++;
    this.translationChanged();
  }

  /**
   * The physical address of an access at `va` needing permission bit `needed`; throws
   * GuestAbort on a fault (a prefetch abort when `needed` is an execute permission).
   */
  translate(va: number, needed: number): number {
    const pa = this.tlb.lookup(va, needed);
    return pa >= 0 ? pa : this.translateSlow(va >>> 0, needed);
  }

  private translateSlow(va: number, needed: number): number {
    const r = this.walk(va, needed);
    const isFetch = (needed & EXECUTE_ANY) !== 0;
    const isWrite = (needed & WRITE_ANY) !== 0;
    if (r.fault !== 0) throw new GuestAbort(isFetch, r.fault, va, isWrite, r.domain, r.level);
    // Nothing of the board lies above 4 GiB: an external abort, as QEMU's virt without highmem.
    if (r.physicalAddress >= TWO_32) throw new GuestAbort(isFetch, FaultStatus.SyncExternal, va, isWrite);
    this.tlb.fill(va, r.physicalAddress, r.permissions, r.global, r.blockShift);
    return r.physicalAddress;
  }

  private walk(va: number, needed: number): WalkResult {
    return (this.cp15.ttbcr & TTBCR_EAE) !== 0
      ? translateLongDescriptor(this, va, needed, this.result)
      : translateShortDescriptor(this, va, needed, this.result);
  }

  /**
   * ATS1CPR/ATS1CPW/ATS1CUR/ATS1CUW (B4.2.4): translate `va` as a PL1 or PL0 read or write and
   * put the outcome in PAR, never faulting. The 32-bit PAR (short-descriptor format) gives PA,
   * SS and NS, no attributes (as QEMU); the 64-bit PAR (TTBCR.EAE=1) PA, NS, SH and the MAIR
   * attribute byte, or the long-descriptor fault status.
   */
  addressTranslation(va: number, user: boolean, write: boolean): void {
    const cp15 = this.cp15;
    const needed = (write ? Permission.Write : Permission.Read) << (user ? PL0_SHIFT : 0);
    const long = (cp15.ttbcr & TTBCR_EAE) !== 0;
    let r: WalkResult;
    if (this.enabled) {
      r = this.walk(va >>> 0, needed);
    } else {
      r = this.result;
      r.fault = 0;
      r.physicalAddress = va >>> 0;
      r.supersection = false;
      r.memoryAttributes = 0;
      r.shareability = 0;
    }
    if (long) {
      if (r.fault !== 0) {
        cp15.par = (1 << 11) | ((longDescriptorStatus(r.fault, r.level) & 0x3f) << 1) | 1;
        cp15.parHigh = 0;
      } else {
        const pa = r.physicalAddress;
        cp15.par = ((pa % TWO_32) & 0xfffff000) | (1 << 11) | (1 << 9) | (r.shareability << 7);
        cp15.parHigh = (Math.floor(pa / TWO_32) & 0xff) | (r.memoryAttributes << 24);
      }
      return;
    }
    cp15.parHigh = 0;
    if (r.fault !== 0) {
      const fsr = faultStatusRegister(r.fault, r.domain, r.level, 0);
      cp15.par = ((fsr & (1 << 10)) >>> 5) | ((fsr & 0xf) << 1) | 1;
    } else if (r.supersection) {
      cp15.par = ((r.physicalAddress % TWO_32) & 0xff000000) | (1 << 9) | (1 << 1);
    } else {
      cp15.par = (r.physicalAddress & 0xfffff000) | (1 << 9);
    }
  }
}
