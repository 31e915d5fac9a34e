/**
 * Stage 2 translation tables in the long-descriptor format (ARM ARM B3.6, B3.6.5 "Stage 2
 * translation"), written into host memory as a Hyp-mode hypervisor writes them: a 32-bit IPA space
 * (VTCR.T0SZ = 0) starting at the first level (VTCR.SL0 = 1, four 1 GiB entries), 2 MiB blocks
 * where a region allows, 4 KiB pages elsewhere.
 */

/** Physical memory as the hypervisor reaches it: 32-bit words at physical addresses. */
export interface PhysicalWords {
  read32(address: number): number;
  write32(address: number, value: number): void;
}

/** Stage 2 access permissions (S2AP, B3.6.2) and execute-never (XN). */
export const enum Stage2Access {
  Read = 1,
  Write = 2,
  Execute = 4,
}

/** Stage 2 memory type (MemAttr[3:0], B3.6.2). */
export const enum Stage2Memory {
  /** Normal, Outer and Inner Write-Back Cacheable (MemAttr 0b1111). */
  Normal = 0xf,
  /** Device (MemAttr 0b0001). */
  Device = 0x1,
}

/**
 * VTCR (B4.1.160) for these tables: T0SZ [3:0] = 0, SL0 [7:6] = 1 (first level), IRGN0 [9:8] and
 * ORGN0 [11:10] = Write-Back Write-Allocate, SH0 [13:12] = Inner Shareable; bit 31 is RES1.
 */
export const STAGE2_VTCR = ((1 << 31) | (3 << 12) | (1 << 10) | (1 << 8) | (1 << 6)) | 0;

const PAGE = 0x1000;
const BLOCK_2M = 0x200000;
/** Descriptor type bits [1:0]: block (levels 1-2), table (levels 1-2) or page (level 3). */
const TYPE_BLOCK = 0b01;
const TYPE_TABLE = 0b11;
const TYPE_PAGE = 0b11;
/** Lower attributes: AF [10], SH [9:8] = Inner Shareable. */
const ACCESS_FLAG = 1 << 10;
const INNER_SHAREABLE = 3 << 8;
/** Upper attributes (bits [63:52] in the high word): XN is bit 54 = high word bit 22. */
const XN_HIGH = 1 << 22;

export class Stage2Error extends Error {}

export class Stage2Table {
  /** Physical address of the first-level table (VTTBR.BADDR). */
  readonly root: number;

  constructor(
    private readonly memory: PhysicalWords,
    /** Returns the physical address of a zeroed, 4 KiB-aligned page for a table. */
    private readonly allocatePage: () => number,
  ) {
    this.root = allocatePage();
  }

  /** VTTBR (B4.1.159) low and high words for VMID `vmid`: BADDR, VMID in bits [55:48]. */
  vttbr(vmid: number): { readonly low: number; readonly high: number } {
    return { low: this.root, high: (vmid & 0xff) << 16 };
  }

  /** Maps IPA [ipa, ipa + size) to physical [pa, pa + size): all 4 KiB aligned, below 4 GiB. */
  map(ipa: number, pa: number, size: number, access: number, memory: Stage2Memory): void {
    if ((ipa | pa | size) % PAGE !== 0 || size <= 0 || ipa + size > 2 ** 32 || pa + size > 2 ** 32) {
      throw new Stage2Error(`stage 2: cannot map 0x${ipa.toString(16)}+0x${size.toString(16)} to 0x${pa.toString(16)}`);
    }
    const low = memory << 2 | s2ap(access) << 6 | INNER_SHAREABLE | ACCESS_FLAG;
    const high = (access & Stage2Access.Execute) === 0 ? XN_HIGH : 0;
    let offset = 0;
    while (offset < size) {
      const at = ipa + offset;
      const to = pa + offset;
      if (at % BLOCK_2M === 0 && to % BLOCK_2M === 0 && size - offset >= BLOCK_2M) {
        this.write(this.level2Entry(at), to | low | TYPE_BLOCK, high);
        offset += BLOCK_2M;
      } else {
        this.write(this.level3Entry(at), to | low | TYPE_PAGE, high);
        offset += PAGE;
      }
    }
  }

  /** The descriptor address for `ipa` at the second level, creating the first-level table entry. */
  private level2Entry(ipa: number): number {
    return this.nextTable(this.root + 8 * Math.floor(ipa / 0x40000000)) + 8 * ((ipa >>> 21) & 0x1ff);
  }

  private level3Entry(ipa: number): number {
    return this.nextTable(this.level2Entry(ipa)) + 8 * ((ipa >>> 12) & 0x1ff);
  }

  /** The table an entry points to; a new one if the entry is invalid (a block there is replaced by nothing: regions must not overlap). */
  private nextTable(entry: number): number {
    const descriptor = this.memory.read32(entry);
    if ((descriptor & 3) === TYPE_TABLE) return descriptor & ~0xfff;
    if ((descriptor & 3) !== 0) throw new Stage2Error(`stage 2: region overlaps a block mapping at descriptor 0x${entry.toString(16)}`);
    const table = this.allocatePage();
    this.write(entry, table | TYPE_TABLE, 0);
    return table;
  }

  private write(entry: number, low: number, high: number): void {
    this.memory.write32(entry, low >>> 0);
    this.memory.write32(entry + 4, high >>> 0);
  }
}

/** S2AP[1:0] (B3.6.2 table B3-12 "Stage 2 access permissions"): bit 0 read, bit 1 write. */
function s2ap(access: number): number {
  return (access & Stage2Access.Read ? 1 : 0) | (access & Stage2Access.Write ? 2 : 0);
}
