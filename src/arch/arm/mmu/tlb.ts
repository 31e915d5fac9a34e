/**
 * The software TLB: a direct-mapped cache of completed translations, one entry per 4 KiB virtual
 * page, held in typed arrays (no allocation per access). It holds both translation regimes
 * (ARM ARM B3.1): entries of the Non-secure PL1&0 regime are tagged with the VMID they were made
 * under and are global or belong to one ASID (B3.9.1, B3.10.2 "VMID"); entries of the Hyp
 * regime carry their own tag (Hyp has no ASIDs) and only Hyp permission bits, so a PL1 or PL0
 * access never hits one and a Hyp access never hits a PL1&0 entry. An entry also remembers the
 * size of the stage 1 mapping it came from (page, section, block...) so that invalidation by MVA
 * drops every page of that mapping (B3.10.2).
 */
export const TLB_ENTRIES = 2048;
const INDEX_MASK = TLB_ENTRIES - 1;
/** A tag is VMID * VMID_STRIDE + (ASID, or GLOBAL_ASID_SLOT for a global entry). */
const VMID_SHIFT = 9;
const VMID_STRIDE = 1 << VMID_SHIFT;
const GLOBAL_ASID_SLOT = 256;
/** The VMID slot of Hyp regime entries: beyond every real VMID (0-255). */
const HYP_CONTEXT = 256;
const HYP_TAG = HYP_CONTEXT * VMID_STRIDE + GLOBAL_ASID_SLOT;
/** A current tag that no entry carries: PL1&0 lookups miss while the context is being changed. */
const NO_TAG = -1;
const NO_CONTEXT = -1;
const MIXED_CONTEXTS = -2;
/** The domain slot of entries without a domain (long-descriptor, flat map, Hyp): always as a client. */
const NO_DOMAIN = 16;
/** DACR's access values (B4.1.43): 0 no access, 1 client, 3 manager (2 reserved, as no access). */
const DOMAIN_CLIENT = 1;
const DOMAIN_MANAGER = 3;

export class Tlb {
  /** VA[31:12] of the entry, -1 when empty. */
  readonly virtualPages = new Int32Array(TLB_ENTRIES).fill(-1);
  readonly physicalPages = new Int32Array(TLB_ENTRIES);
  readonly tags = new Int32Array(TLB_ENTRIES);
  /** Permission bits (permissions.ts) for PL1, PL0 and Hyp; for an entry in a domain, those of a client. */
  readonly permissions = new Uint16Array(TLB_ENTRIES);
  /** For an entry in a domain, its permission bits in a manager domain. */
  readonly managerPermissions = new Uint16Array(TLB_ENTRIES);
  /**
   * The short-descriptor domain of the entry, or NO_DOMAIN: DACR applies at each access
   * (B3.12.3), through domainAccess, so changing it needs no TLB maintenance (B4.1.43).
   */
  readonly domains = new Uint8Array(TLB_ENTRIES);
  /** DACR's access value for each domain, and client for NO_DOMAIN. */
  private readonly domainAccess = new Uint8Array(NO_DOMAIN + 1).fill(DOMAIN_CLIENT);
  private dacr = -1;
  /** log2 of the size of the stage 1 translation the entry belongs to (12 for a small page ... 30). */
  readonly blockShifts = new Uint8Array(TLB_ENTRIES);
  /** Bit s set: entries may have come from mappings of 2^s bytes, s > 12 (a section is 20). */
  private blockShiftSet = 0;
  /**
   * For each such s, by VA >>> s, 1 where entries of that 2^s mapping may be (the flag stays
   * when its entries are replaced), so that invalidation by MVA looks only at the entries of a
   * mapping that was filled, and only at the indices its pages go to.
   */
  private readonly blockRegions: (Uint8Array | undefined)[] = [];
  /**
   * The VMID (or HYP_CONTEXT) of every entry filled since the TLB was last emptied, NO_CONTEXT
   * before the first, MIXED_CONTEXTS once there are several: without virtualization all entries
   * are VMID 0's, and dropping a VMID's entries is emptying the TLB.
   */
  private filledContext = NO_CONTEXT;
  private currentVmid = 0;
  /** Tags of the current context's non-global and global PL1&0 entries, as filled. */
  private asidTag = 0;
  private globalTag = GLOBAL_ASID_SLOT;
  /** The tags lookups accept: the same, or NO_TAG while the context is suspended. */
  private lookupAsidTag = 0;
  private lookupGlobalTag = GLOBAL_ASID_SLOT;

  /** The physical address for `va`, or -1 on a miss or when the entry lacks `needed` permission. */
  lookup(va: number, needed: number): number {
    const page = va >>> 12;
    const i = page & INDEX_MASK;
    if (this.virtualPages[i] !== page) return -1;
    // In a no-access domain, nothing: the walk then reports the domain fault.
    const access = this.domainAccess[this.domains[i]!];
    const permissions = access === DOMAIN_CLIENT ? this.permissions[i]! : access === DOMAIN_MANAGER ? this.managerPermissions[i]! : 0;
    if ((permissions & needed) !== 0) {
      const tag = this.tags[i]!;
      if (tag === this.lookupGlobalTag || tag === this.lookupAsidTag || tag === HYP_TAG) {
        return ((this.physicalPages[i]! << 12) | (va & 0xfff)) >>> 0;
      }
    }
    return -1;
  }

  /** The current VMID and ASID: PL1&0 lookups hit only entries made under them (or global in that VMID). */
  setContext(vmid: number, asid: number): void {
    this.currentVmid = vmid;
    this.asidTag = this.lookupAsidTag = vmid * VMID_STRIDE + asid;
    this.globalTag = this.lookupGlobalTag = vmid * VMID_STRIDE + GLOBAL_ASID_SLOT;
  }

  /** PL1&0 lookups miss (Hyp ones still hit) until the next setContext. */
  suspendContext(): void {
    this.lookupAsidTag = this.lookupGlobalTag = NO_TAG;
  }

  /** A PL1&0 entry of the current context, without a domain. */
  fill(va: number, physicalAddress: number, permissions: number, global: boolean, blockShift: number): void {
    this.fillTagged(va, physicalAddress, permissions, global ? this.globalTag : this.asidTag, blockShift);
  }

  /** A PL1&0 entry of the current context in short-descriptor `domain`, with its client and manager permissions. */
  fillInDomain(
    va: number, physicalAddress: number, domain: number, clientPermissions: number, managerPermissions: number, global: boolean, blockShift: number,
  ): void {
    const i = this.fillTagged(va, physicalAddress, clientPermissions, global ? this.globalTag : this.asidTag, blockShift);
    this.domains[i] = domain;
    this.managerPermissions[i] = managerPermissions;
  }

  /** A Hyp regime entry (permissions at HYP_SHIFT). */
  fillHyp(va: number, physicalAddress: number, permissions: number, blockShift: number): void {
    this.fillTagged(va, physicalAddress, permissions, HYP_TAG, blockShift);
  }

  /** Takes DACR as it is now for the domains of later lookups; returns whether it changed. */
  setDomainAccess(dacr: number): boolean {
    if (dacr === this.dacr) return false;
    this.dacr = dacr;
    for (let domain = 0; domain < NO_DOMAIN; domain++) this.domainAccess[domain] = (dacr >>> (2 * domain)) & 3;
    return true;
  }

  /** Fills the entry of `va`'s page, without a domain; returns its index. */
  private fillTagged(va: number, physicalAddress: number, permissions: number, tag: number, blockShift: number): number {
    const page = va >>> 12;
    const i = page & INDEX_MASK;
    this.virtualPages[i] = page;
    this.domains[i] = NO_DOMAIN;
    this.physicalPages[i] = Math.floor(physicalAddress / 4096);
    this.tags[i] = tag;
    this.permissions[i] = permissions;
    this.blockShifts[i] = blockShift;
    if (blockShift > 12) {
      this.blockShiftSet |= 1 << blockShift;
      (this.blockRegions[blockShift] ??= new Uint8Array(2 ** (32 - blockShift)))[va >>> blockShift] = 1;
    }
    const context = tag >> VMID_SHIFT;
    if (context !== this.filledContext) this.filledContext = this.filledContext === NO_CONTEXT ? context : MIXED_CONTEXTS;
    return i;
  }

  /** Every entry of both regimes and all VMIDs (reset). */
  invalidateAll(): void {
    this.virtualPages.fill(-1);
    for (const regions of this.blockRegions) regions?.fill(0);
    this.blockShiftSet = 0;
    this.filledContext = NO_CONTEXT;
  }

  /** TLBIALL: the PL1&0 entries of one VMID. */
  invalidateVmid(vmid: number): void {
    this.invalidateContexts(vmid, vmid);
  }

  /** TLBIALLNSNH: the PL1&0 entries of every VMID. */
  invalidateAllVmids(): void {
    this.invalidateContexts(0, HYP_CONTEXT - 1);
  }

  /** TLBIALLH: the Hyp regime's entries. */
  invalidateHyp(): void {
    this.invalidateContexts(HYP_CONTEXT, HYP_CONTEXT);
  }

  /** Drops the entries whose VMID (or HYP_CONTEXT) is in [low, high]. */
  private invalidateContexts(low: number, high: number): void {
    const filled = this.filledContext;
    if (filled !== MIXED_CONTEXTS) {
      if (filled >= low && filled <= high) this.invalidateAll();
      return;
    }
    for (let i = 0; i < TLB_ENTRIES; i++) {
      const context = this.tags[i]! >> VMID_SHIFT;
      if (context >= low && context <= high) this.virtualPages[i] = -1;
    }
  }

  /**
   * TLBIMVA (asid >= 0: entries of that ASID and global entries) and TLBIMVAA (asid < 0: any
   * ASID) in one VMID (the current one by default), for every entry whose mapping contains `va`.
   * Returns log2 of the largest mapping containing `va` that entries may have come from since
   * the TLB was last emptied (12 when only pages): what was translated through the TLB in that
   * aligned range may have changed.
   */
  invalidateByVa(va: number, asid: number, vmid = this.currentVmid): number {
    const base = vmid * VMID_STRIDE;
    return this.invalidateMatching(va, asid < 0 ? base : base + asid, asid < 0 ? base + VMID_STRIDE - 1 : base + asid, base + GLOBAL_ASID_SLOT);
  }

  /** TLBIMVAH: the Hyp entries whose mapping contains `va`. Returns as invalidateByVa. */
  invalidateHypByVa(va: number): number {
    return this.invalidateMatching(va, HYP_TAG, HYP_TAG, HYP_TAG);
  }

  /** TLBIASID: the non-global entries of one ASID in one VMID (the current one by default). */
  invalidateByAsid(asid: number, vmid = this.currentVmid): void {
    const tag = vmid * VMID_STRIDE + asid;
    for (let i = 0; i < TLB_ENTRIES; i++) {
      if (this.tags[i] === tag) this.virtualPages[i] = -1;
    }
  }

  /**
   * Drops the entries containing `va` whose tag is in [low, high] or equals `global`: the one
   * at the page's own index, and those of each larger mapping filled around `va`, which sit at
   * the indices of that mapping's pages. Returns as invalidateByVa.
   */
  private invalidateMatching(va: number, low: number, high: number, global: number): number {
    const page = va >>> 12;
    this.dropIfMatching(page & INDEX_MASK, page, low, high, global);
    let largest = 12;
    for (let shifts = this.blockShiftSet; shifts !== 0; shifts &= shifts - 1) {
      const shift = 31 - Math.clz32(shifts & -shifts);
      const regions = this.blockRegions[shift]!;
      const region = va >>> shift;
      if (regions[region] === 0) continue;
      largest = shift;
      const pages = 2 ** (shift - 12);
      const first = pages >= TLB_ENTRIES ? 0 : (region * pages) & INDEX_MASK;
      let remaining = 0;
      for (let k = 0; k < Math.min(pages, TLB_ENTRIES); k++) {
        const i = (first + k) & INDEX_MASK;
        if (this.blockShifts[i] !== shift || this.virtualPages[i]! >>> (shift - 12) !== region) continue;
        if (!this.dropIfMatching(i, this.virtualPages[i]!, low, high, global)) remaining = 1;
      }
      regions[region] = remaining;
    }
    return largest;
  }

  /** Drops entry `i` if it holds `page` with a tag in [low, high] or `global`; returns whether it did. */
  private dropIfMatching(i: number, page: number, low: number, high: number, global: number): boolean {
    const tag = this.tags[i]!;
    if (this.virtualPages[i] !== page || !((tag >= low && tag <= high) || tag === global)) return false;
    this.virtualPages[i] = -1;
    return true;
  }
}
