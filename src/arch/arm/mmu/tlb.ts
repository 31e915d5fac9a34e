/**
 * The software TLB: a direct-mapped cache of completed stage 1 translations, one entry per 4 KiB
 * virtual page, held in typed arrays (no allocation per access). An entry is either global or
 * belongs to one ASID (ARM ARM B3.9.1); it also remembers the size of the mapping it came from
 * (page, section, block...) so that invalidation by MVA drops every page of that mapping (B3.10.2).
 */
export const TLB_ENTRIES = 2048;
const INDEX_MASK = TLB_ENTRIES - 1;
/** ASID tag of a global entry. */
export const GLOBAL_ASID = -1;

export class Tlb {
  /** VA[31:12] of the entry, -1 when empty. */
  readonly virtualPages = new Int32Array(TLB_ENTRIES).fill(-1);
  readonly physicalPages = new Int32Array(TLB_ENTRIES);
  readonly asids = new Int32Array(TLB_ENTRIES);
  /** Permission bits (permissions.ts) for PL1 and PL0. */
  readonly permissions = new Uint8Array(TLB_ENTRIES);
  /** log2 of the size of the translation the entry belongs to (12 for a small page ... 30). */
  readonly blockShifts = new Uint8Array(TLB_ENTRIES);
  /** The current ASID (CONTEXTIDR.ASID, or TTBRn.ASID under LPAE). */
  asid = 0;
  /** Entries that came from mappings larger than 4 KiB exist. */
  private hasBlocks = false;

  /** The physical address for `va`, or -1 on a miss or when the entry lacks `needed` permission. */
  lookup(va: number, needed: number): number {
    const page = va >>> 12;
    const i = page & INDEX_MASK;
    if (this.virtualPages[i] === page && (this.permissions[i]! & needed) !== 0) {
      const asid = this.asids[i]!;
      if (asid === GLOBAL_ASID || asid === this.asid) return ((this.physicalPages[i]! << 12) | (va & 0xfff)) >>> 0;
    }
    return -1;
  }

  fill(va: number, physicalAddress: number, permissions: number, global: boolean, blockShift: number): void {
    const page = va >>> 12;
    const i = page & INDEX_MASK;
    this.virtualPages[i] = page;
    this.physicalPages[i] = Math.floor(physicalAddress / 4096);
    this.asids[i] = global ? GLOBAL_ASID : this.asid;
    this.permissions[i] = permissions;
    this.blockShifts[i] = blockShift;
    if (blockShift > 12) this.hasBlocks = true;
  }

  /** TLBIALL and friends. */
  invalidateAll(): void {
    this.virtualPages.fill(-1);
    this.hasBlocks = false;
  }

  /**
   * TLBIMVA (asid >= 0: entries of that ASID and global entries) and TLBIMVAA (asid < 0: any
   * ASID), for every entry whose mapping contains `va`.
   */
  invalidateByVa(va: number, asid: number): void {
    const page = va >>> 12;
    if (!this.hasBlocks) {
      const i = page & INDEX_MASK;
      if (this.virtualPages[i] === page && this.asidMatches(i, asid)) this.virtualPages[i] = -1;
      return;
    }
    for (let i = 0; i < TLB_ENTRIES; i++) {
      const entry = this.virtualPages[i]!;
      if (entry < 0) continue;
      const shift = this.blockShifts[i]! - 12;
      if ((entry >>> shift) === (page >>> shift) && this.asidMatches(i, asid)) this.virtualPages[i] = -1;
    }
  }

  /** TLBIASID: the non-global entries of one ASID. */
  invalidateByAsid(asid: number): void {
    for (let i = 0; i < TLB_ENTRIES; i++) {
      if (this.asids[i] === asid) this.virtualPages[i] = -1;
    }
  }

  private asidMatches(i: number, asid: number): boolean {
    const entryAsid = this.asids[i]!;
    return asid < 0 || entryAsid === GLOBAL_ASID || entryAsid === asid;
  }
}
