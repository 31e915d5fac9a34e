import { SCTLR_M, type Cp15 } from '../cp15.js';
import { FaultStatus, GuestAbort } from '../guest-abort.js';
import { HCR_DC, HCR_TGE, HCR_VM } from '../hyp/hcr.js';
import type { PhysicalBus } from '../physical-bus.js';
import { TTBCR_EAE } from './fault-status.js';
import { translateHypLongDescriptor } from './hyp-stage1.js';
import { defineHypTranslationRegisters } from './hyp-registers.js';
import { translateLongDescriptor } from './long-descriptor.js';
import { combineAttributes, combineShareability } from './memory-attributes.js';
import { writeLongFormatPar, writeShortFormatPar } from './par.js';
import { EXECUTE_ANY, HYP_ALL, HYP_SHIFT, Permission, PL0_SHIFT, WRITE_ANY } from './permissions.js';
import { defineTranslationRegisters } from './registers.js';
import { translateShortDescriptor } from './short-descriptor.js';
import { Stage1TableReads } from './stage1-table-reads.js';
import { translateStage2 } from './stage2.js';
import { Tlb } from './tlb.js';
import {
  currentVmid, HYP_STATE_FIELDS, PL10_STATE_FIELDS, VmidContexts, writeHypState, writePl10State,
} from './vmid-contexts.js';
import { WalkResult, type WalkContext } from './walk.js';

const TWO_32 = 2 ** 32;

/** A holder of translated addresses (Mmu.observers). */
export interface TranslationObserver {
  /** Every translation may have changed. */
  translationsChanged(): void;
  /** The translations of virtual pages [firstPage, firstPage + pages) may have changed. */
  pagesChanged(firstPage: number, pages: number): void;
}
/** Stage 1 disabled under HCR.DC: Normal memory, Write-Back cacheable (B4.1.65 DC). */
const NORMAL_WRITE_BACK = 0xff;

/**
 * The MMU of both translation regimes (ARM ARM B3.1): the Non-secure PL1&0 regime, stage 1
 * (SCTLR.M, the short- or long-descriptor walk chosen by TTBCR.EAE) followed by stage 2
 * (VTTBR/VTCR) when HCR.VM (or HCR.DC) is set, and the Hyp regime (HTTBR/HTCR when HSCTLR.M).
 * One TLB holds both, with VMID-tagged PL1&0 entries; TLB maintenance and the address
 * translation operations are here too. Memory accesses ask `translate(va, needed)` for a
 * physical address, `needed` being the permission bit of the access (permissions.ts: PL1, PL0
 * or Hyp, which also selects the regime); a fault is thrown as a GuestAbort carrying the status,
 * domain and level the executor reports, and for a stage 2 fault the IPA and S1PTW.
 */
export class Mmu implements WalkContext {
  readonly tlb = new Tlb();
  /**
   * Some translation is on: SCTLR.M, HCR.VM or HCR.DC (the PL1&0 regime) or HSCTLR.M (Hyp's).
   * Off, every access uses the flat map without asking the MMU.
   */
  enabled = false;
  /**
   * What keeps translated addresses outside the TLB (the RAM page cache, the executor's jump
   * cache and last fetched page), told when they may be stale: every translation after TLB
   * maintenance other than by MVA and writes to SCTLR/TTBR/TTBCR/DACR/CONTEXTIDR, HCR, HSCTLR,
   * HTTBR/HTCR, VTTBR/VTCR; a range of pages after maintenance by MVA.
   */
  readonly observers: TranslationObserver[] = [];
  /**
   * How an Inner Shareable TLB operation (TLBIALLIS, TLBIMVAIS, TLBIASIDIS, TLBIMVAAIS and the
   * Hyp ones) reaches the TLBs of the shareability domain (B4.2.2, B3.10.2): it applies
   * `operation` to each. Alone, the domain is this MMU; a multiprocessor board points it at
   * every processor's.
   */
  innerShareable: (operation: (mmu: Mmu) => void) => void = (operation) => operation(this);
  /** PL1&0 stage 1: SCTLR.M, unless HCR.DC or HCR.TGE make it behave as 0 (B4.1.65). */
  private stage1Enabled = false;
  /** PL1&0 stage 2: HCR.VM, or HCR.DC, which makes VM behave as 1. */
  private stage2Enabled = false;
  /** HSCTLR.M. */
  private hypEnabled = false;
  /**
   * The PL1&0 registers changed since the TLB was last told the current VMID and ASID: its
   * PL1&0 lookups miss until translateSlow checks the VMID's entries still hold (vmid-contexts.ts).
   */
  private contextPending = true;
  private readonly contexts = new VmidContexts();
  private readonly state = new Int32Array(PL10_STATE_FIELDS + HYP_STATE_FIELDS);
  private readonly lastState = new Int32Array(PL10_STATE_FIELDS + HYP_STATE_FIELDS);
  private stateKnown = false;
  private readonly result = new WalkResult();
  private readonly stage2Result = new WalkResult();
  private readonly tableReads: Stage1TableReads;
  private readonly ram: Uint8Array;
  private readonly ramWords: Int32Array;
  private readonly ramBase: number;

  constructor(readonly cp15: Cp15, private readonly bus: PhysicalBus) {
    this.ram = bus.ram;
    this.ramWords = new Int32Array(bus.ram.buffer, bus.ram.byteOffset, bus.ram.byteLength >>> 2);
    this.ramBase = bus.ramBase;
    this.tableReads = new Stage1TableReads(cp15, this);
    cp15.translationControlChanged = () => this.controlChanged();
    defineTranslationRegisters(cp15, this);
    if (cp15.features.hasEl2) defineHypTranslationRegisters(cp15, this);
    this.controlChanged();
    this.resumeContext();
  }

  readPhysicalWord(address: number): number | undefined {
    const offset = address - this.ramBase;
    if (offset >= 0 && offset + 4 <= this.ram.byteLength && (offset & 3) === 0) return this.ramWords[offset >>> 2]!;
    if (address >= TWO_32) return undefined;
    return this.bus.read(address, 4);
  }

  /** VTTBR.VMID: the VMID of the PL1&0 regime's translations now. */
  currentVmid(): number {
    return currentVmid(this.cp15);
  }

  /**
   * A register that controls translation was written (SCTLR, TTBCR, DACR, HCR, HSCTLR, HTCR,
   * HTTBR, VTTBR, VTCR), or a reset happened. If the Hyp regime's registers changed, its TLB
   * entries go (QEMU flushes too); if the PL1&0 regime's did, its entries are set aside until
   * the next PL1&0 translation checks them against what the VMID's entries were made with.
   * Writes that change nothing translation depends on (HCR.VI, say) cost nothing more.
   */
  controlChanged(): void {
    const cp15 = this.cp15;
    const state = this.state;
    writePl10State(cp15, state, 0);
    writeHypState(cp15, state, PL10_STATE_FIELDS);
    let pl10Changed = !this.stateKnown;
    let hypChanged = !this.stateKnown;
    for (let k = 0; k < state.length; k++) {
      if (state[k] === this.lastState[k]) continue;
      if (k < PL10_STATE_FIELDS) pl10Changed = true;
      else hypChanged = true;
    }
    // DACR applies at each access (the TLB's entries keep their domains): a change drops no entry,
    // only what was concluded from the old one (Mmu.observers).
    const domainsChanged = this.tlb.setDomainAccess(cp15.dacr);
    if (!pl10Changed && !hypChanged) {
      if (domainsChanged) this.tlbMaintained();
      return;
    }
    this.lastState.set(state);
    this.stateKnown = true;
    const hcr = cp15.hcr;
    this.stage1Enabled = (cp15.sctlr & SCTLR_M) !== 0 && (hcr & (HCR_DC | HCR_TGE)) === 0;
    this.stage2Enabled = (hcr & (HCR_VM | HCR_DC)) !== 0;
    this.hypEnabled = (cp15.hsctlr & SCTLR_M) !== 0;
    this.enabled = this.stage1Enabled || this.stage2Enabled || this.hypEnabled;
    if (hypChanged) this.tlb.invalidateHyp();
    if (pl10Changed) {
      this.tlb.suspendContext();
      this.contextPending = true;
    }
    this.tlbMaintained();
  }

  /**
   * CONTEXTIDR or a TTBR changed: the current ASID may differ (CONTEXTIDR.ASID, or under LPAE the
   * ASID field of TTBR0/TTBR1 chosen by TTBCR.A1), and a fetch's translation must be redone.
   */
  asidChanged(): void {
    if (!this.contextPending) this.tlb.setContext(this.currentVmid(), this.currentAsid());
    this.tlbMaintained();
  }

  /** A TLB maintenance operation happened (the TLB itself was told what to drop). */
  tlbMaintained(): void {
    for (const observer of this.observers) observer.translationsChanged();
  }

  /**
   * A TLB maintenance operation by MVA happened at `va`, and what was translated through the
   * TLB in the aligned 2^`shift` bytes around it may have changed (Tlb.invalidateByVa).
   */
  tlbMaintainedAt(va: number, shift: number): void {
    const pages = 2 ** (shift - 12);
    const firstPage = Math.floor((va >>> 0) / 2 ** shift) * pages;
    for (const observer of this.observers) observer.pagesChanged(firstPage, pages);
  }

  private currentAsid(): number {
    const cp15 = this.cp15;
    if ((cp15.ttbcr & TTBCR_EAE) !== 0) {
      return (((cp15.ttbcr & (1 << 22)) !== 0 ? cp15.ttbr1High : cp15.ttbr0High) >>> 16) & 0xff;
    }
    return cp15.contextidr & 0xff;
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
    const isFetch = (needed & EXECUTE_ANY) !== 0;
    const isWrite = (needed & WRITE_ANY) !== 0;
    const hyp = needed >= 1 << HYP_SHIFT;
    let r: WalkResult;
    if (hyp) {
      r = this.walkHyp(va, needed);
    } else {
      if (this.contextPending) {
        this.resumeContext();
        const pa = this.tlb.lookup(va, needed);
        if (pa >= 0) return pa;
      }
      r = this.walkPl10(va, needed, true);
    }
    if (r.fault !== 0) {
      throw new GuestAbort(isFetch, r.fault, va, isWrite, r.domain, r.level, r.stage2, r.ipa, r.s1ptw);
    }
    // Nothing of the board lies above 4 GiB: an external abort, as QEMU's virt without highmem.
    if (r.physicalAddress >= TWO_32) throw new GuestAbort(isFetch, FaultStatus.SyncExternal, va, isWrite);
    if (hyp) this.tlb.fillHyp(va, r.physicalAddress, r.permissions, r.blockShift);
    else if (r.inDomain) this.tlb.fillInDomain(va, r.physicalAddress, r.domain, r.clientPermissions, r.managerPermissions, r.global, r.blockShift);
    else this.tlb.fill(va, r.physicalAddress, r.permissions, r.global, r.blockShift);
    return r.physicalAddress;
  }

  /** The current VMID's entries are checked against the registers now in force (dropped if made under others). */
  private resumeContext(): void {
    const vmid = this.currentVmid();
    if (this.contexts.update(vmid, this.cp15)) this.tlb.invalidateVmid(vmid);
    this.tlb.setContext(vmid, this.currentAsid());
    this.contextPending = false;
  }

  /** The Hyp regime: Hyp's stage 1 when HSCTLR.M, else the flat map (there is no stage 2 for Hyp). */
  private walkHyp(va: number, needed: number): WalkResult {
    if (this.hypEnabled) return translateHypLongDescriptor(this, va, needed, this.result);
    return flat(this.result, va, HYP_ALL, 0);
  }

  /**
   * The PL1&0 regime: stage 1 (or, when it is off, the flat map: VA = IPA), then, with
   * `finalStage2` and stage 2 on, stage 2 of the output, combining permissions and attributes.
   * While stage 2 is on, stage 1's table walks read through it whatever `finalStage2` says.
   */
  private walkPl10(va: number, needed: number, finalStage2: boolean): WalkResult {
    const r = this.result;
    const stage2 = this.stage2Enabled;
    if (this.stage1Enabled) {
      const memory: WalkContext = stage2 ? this.tableReads.begin() : this;
      if ((this.cp15.ttbcr & TTBCR_EAE) !== 0) translateLongDescriptor(memory, va, needed, r);
      else translateShortDescriptor(memory, va, needed, r);
      if (r.fault !== 0) {
        if (!stage2 || !this.tableReads.faulted) return r;
        const s = this.tableReads.fault;
        return r.failedStage2(s.fault as FaultStatus, s.level, s.ipa, true);
      }
    } else {
      flat(r, va, Permission.All, (this.cp15.hcr & HCR_DC) !== 0 ? NORMAL_WRITE_BACK : 0);
    }
    if (!stage2 || !finalStage2) return r;
    const ipa = r.physicalAddress;
    const s2 = translateStage2(this, ipa, needed, false, this.stage2Result);
    if (s2.fault !== 0) return r.failedStage2(s2.fault, s2.level, ipa, false);
    r.physicalAddress = s2.physicalAddress;
    r.permissions &= s2.permissions;
    r.clientPermissions &= s2.permissions;
    r.managerPermissions &= s2.permissions;
    const attributes = combineAttributes(r.memoryAttributes, s2.memoryAttributes);
    r.shareability = combineShareability(r.shareability, s2.shareability, attributes);
    r.memoryAttributes = attributes;
    return r;
  }

  /**
   * ATS1CPR/ATS1CPW/ATS1CUR/ATS1CUW (B4.2.4): translate `va` by stage 1 of the PL1&0 regime as a
   * PL1 or PL0 read or write and put the outcome, a PA or with stage 2 on an IPA, in PAR, never
   * faulting; except that a stage 2 fault on one of the walk's table reads, from PL1, is a data
   * abort taken to Hyp mode (B3.12.7, as QEMU: WnR set). PAR has the 64-bit format with
   * TTBCR.EAE=1 or in Hyp mode (as QEMU), else the 32-bit one.
   */
  addressTranslation(va: number, user: boolean, write: boolean, inHyp: boolean): void {
    const r = this.walkPl10(va >>> 0, operationPermission(user, write), false);
    if (r.fault !== 0 && r.stage2 && !inHyp) {
      throw new GuestAbort(false, r.fault, va >>> 0, true, 0, r.level, true, r.ipa, true);
    }
    if ((this.cp15.ttbcr & TTBCR_EAE) !== 0 || inHyp) writeLongFormatPar(this.cp15, r);
    else writeShortFormatPar(this.cp15, r);
  }

  /**
   * ATS12NSOPR/PW/UR/UW (B4.2.4, PL2 only): the full PL1&0 translation, stages 1 and 2, as a PL1
   * or PL0 read or write; faults of either stage go to PAR, whose format is the 64-bit one with
   * TTBCR.EAE=1 or stage 2 on (HCR.VM or HCR.DC), as QEMU.
   */
  twoStageAddressTranslation(va: number, user: boolean, write: boolean): void {
    const r = this.walkPl10(va >>> 0, operationPermission(user, write), true);
    const long = (this.cp15.ttbcr & TTBCR_EAE) !== 0 || this.stage2Enabled;
    if (long) writeLongFormatPar(this.cp15, r);
    else writeShortFormatPar(this.cp15, r);
  }

  /** ATS1HR/ATS1HW (B4.2.4, PL2 only): Hyp's own translation as a read or write; PAR is always the 64-bit format. */
  hypAddressTranslation(va: number, write: boolean): void {
    writeLongFormatPar(this.cp15, this.walkHyp(va >>> 0, (write ? Permission.Write : Permission.Read) << HYP_SHIFT));
  }
}

function operationPermission(user: boolean, write: boolean): number {
  return (write ? Permission.Write : Permission.Read) << (user ? PL0_SHIFT : 0);
}

/** The flat map (translation off, B3.2): PA = VA with every permission of the regime. */
function flat(r: WalkResult, va: number, permissions: number, memoryAttributes: number): WalkResult {
  r.fault = 0;
  r.stage2 = false;
  r.physicalAddress = va;
  r.permissions = permissions;
  r.blockShift = 12;
  r.level = 0;
  r.domain = 0;
  r.inDomain = false;
  r.global = true;
  r.supersection = false;
  r.memoryAttributes = memoryAttributes;
  r.shareability = 0;
  return r;
}
