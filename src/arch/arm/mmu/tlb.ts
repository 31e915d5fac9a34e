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

export class Tlb {
  /** VA[31:12] of the entry, -1 when empty. */
  readonly virtualPages = new Int32Array(TLB_ENTRIES).fill(-1);
  readonly physicalPages = new Int32Array(TLB_ENTRIES);
  readonly tags = new Int32Array(TLB_ENTRIES);
  /** Permission bits (permissions.ts) for PL1, PL0 and Hyp. */
  readonly permissions = new Uint16Array(TLB_ENTRIES);
  /** log2 of the size of the stage 1 translation the entry belongs to (12 for a small page ... 30). */
  readonly blockShifts = new Uint8Array(TLB_ENTRIES);
  /** Entries that came from mappings larger than 4 KiB exist. */
  private hasBlocks = false;
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
    if (this.virtualPages[i] === page && (this.permissions[i]! & needed) !== 0) {
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

  /** A PL1&0 entry of the current context. */
  fill(va: number, physicalAddress: number, permissions: number, global: boolean, blockShift: number): void {
    this.fillTagged(va, physicalAddress, permissions, global ? this.globalTag : this.asidTag, blockShift);
  }

  /** A Hyp regime entry (permissions at HYP_SHIFT). */
  fillHyp(va: number, physicalAddress: number, permissions: number, blockShift: number): void {
    this.fillTagged(va, physicalAddress, permissions, HYP_TAG, blockShift);
  }

  private fillTagged(va: number, physicalAddress: number, permissions: number, tag: number, blockShift: number): void {
    const page = va >>> 12;
    const i = page & INDEX_MASK;
    this.virtualPages[i] = page;
    this.physicalPages[i] = Math.floor(physicalAddress / 4096);
    this.tags[i] = tag;
    this.permissions[i] = permissions;
    this.blockShifts[i] = blockShift;
    if (blockShift > 12) this.hasBlocks = true;
    const context = tag >> VMID_SHIFT;
    if (context !== this.filledContext) this.filledContext = this.filledContext === NO_CONTEXT ? context : MIXED_CONTEXTS;
  }

  /** Every entry of both regimes and all VMIDs (reset). */
  invalidateAll(): void {
    this.virtualPages.fill(-1);
    this.hasBlocks = false;
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
   */
  invalidateByVa(va: number, asid: number, vmid = this.currentVmid): void {
    const base = vmid * VMID_STRIDE;
    this.invalidateMatching(va, asid < 0 ? base : base + asid, asid < 0 ? base + VMID_STRIDE - 1 : base + asid, base + GLOBAL_ASID_SLOT);
  }

  /** TLBIMVAH: the Hyp entries whose mapping contains `va`. */
  invalidateHypByVa(va: number): void {
    this.invalidateMatching(va, HYP_TAG, HYP_TAG, HYP_TAG);
  }

  /** TLBIASID: the non-global entries of one ASID in one VMID (the current one by default). */
  invalidateByAsid(asid: number, vmid = this.currentVmid): void {
    const tag = vmid * VMID_STRIDE + asid;
    for (let i = 0; i < TLB_ENTRIES; i++) {
      if (this.tags[i] === tag) this.virtualPages[i] = -1;
    }
  }

  /** Drops the entries containing `va` whose tag is in [low, high] or equals `global`. */
  private invalidateMatching(va: number, low: number, high: number, global: number): void {
    const page = va >>> 12;
    if (!this.hasBlocks) {
      const i = page & INDEX_MASK;
      const tag = this.tags[i]!;
      if (this.virtualPages[i] === page && ((tag >= low && tag <= high) || tag === global)) this.virtualPages[i] = -1;
      return;
    }
    for (let i = 0; i < TLB_ENTRIES; i++) {
      const entry = this.virtualPages[i]!;
      if (entry < 0) continue;
      const shift = this.blockShifts[i]! - 12;
      const tag = this.tags[i]!;
      if ((entry >>> shift) === (page >>> shift) && ((tag >= low && tag <= high) || tag === global)) this.virtualPages[i] = -1;
    }
  }
}
