import { FaultStatus } from '../guest-abort.js';
import type { WalkContext, WalkResult } from './walk.js';

const TWO_32 = 2 ** 32;

/** log2 of the region one descriptor of a lookup level maps (B3.6.1): 1 GiB, 2 MiB, 4 KiB. */
function levelShift(level: number): number {
  return level === 1 ? 30 : level === 2 ? 21 : 12;
}

/**
 * The base of a translation table from a 64-bit TTBR/HTTBR/VTTBR (B4.1.154, B4.1.76,
 * B4.1.159): BADDR[39:x] with x = indexBits + 3, the table holding 2^indexBits descriptors.
 */
export function tableBase(low: number, high: number, indexBits: number): number {
  return (high & 0xff) * TWO_32 + ((low & ~((1 << (indexBits + 3)) - 1)) >>> 0);
}

/**
 * The translation table walk of the long-descriptor format (ARM ARM B3.6.1, B3.6.6), shared by
 * stage 1 of both regimes and by stage 2: from the table at `table` (a 40-bit address, read
 * through `memory`) at lookup level `level`, whose index has `indexBits` bits there (fewer when
 * a start level translates a smaller input range, up to 13 for concatenated stage 2 tables),
 * through table descriptors down to a block (levels 1, 2) or page (level 3) descriptor. `input`
 * may have up to 40 bits (a stage 2 IPA).
 *
 * On success it returns true, with the descriptor in r.descriptorLow/High, the OR of the table
 * descriptors' attribute bits [63:59] in r.tableAttributes, and the output address, level and
 * blockShift set. Otherwise `r` holds a translation fault or an external abort on the walk,
 * with the level of the lookup.
 */
export function walkLongDescriptor(
  memory: WalkContext, input: number, table: number, level: number, indexBits: number, r: WalkResult,
): boolean {
  let tableAttributes = 0;
  let bits = indexBits;
  let base = table;
  for (;;) {
    const shift = levelShift(level);
    const index = Math.floor(input / 2 ** shift) & ((1 << bits) - 1);
    const address = base + index * 8;
    const lo = memory.readPhysicalWord(address);
    const hi = lo === undefined ? undefined : memory.readPhysicalWord(address + 4);
    if (lo === undefined || hi === undefined) {
      r.failed(level === 1 ? FaultStatus.SyncExternalWalkFirstLevel : FaultStatus.SyncExternalWalkSecondLevel, level, 0);
      return false;
    }
    if ((lo & 1) === 0 || (level === 3 && (lo & 2) === 0)) {
      r.failed(level === 1 ? FaultStatus.TranslationSection : FaultStatus.TranslationPage, level, 0);
      return false;
    }
    if (level < 3 && (lo & 2) !== 0) {
      // Table descriptor (B3.6.1): next-level address [39:12], table attributes in [63:59].
      tableAttributes |= hi >>> 27;
      base = (hi & 0xff) * TWO_32 + ((lo & 0xfffff000) >>> 0);
      level++;
      bits = 9;
      continue;
    }
    // Block (levels 1, 2) or page (level 3) descriptor: output address [39:shift].
    const size = 2 ** shift;
    r.physicalAddress = (hi & 0xff) * TWO_32 + ((lo & ~(size - 1)) >>> 0) + (input % size);
    r.blockShift = shift;
    r.level = level;
    r.descriptorLow = lo;
    r.descriptorHigh = hi;
    r.tableAttributes = tableAttributes;
    return true;
  }
}

/**
 * A stage 1 walk (PL1&0 or Hyp regime) of `va` in the region of a TTBR whose T0SZ/T1SZ is
 * `tsz` (0-7): the lookup starts at the first level for TxSZ 0-1, else at the second (B3.6.6).
 */
export function walkStage1(memory: WalkContext, va: number, tsz: number, ttbrLow: number, ttbrHigh: number, r: WalkResult): boolean {
  const level = tsz > 1 ? 2 : 1;
  const indexBits = level === 1 ? 2 - tsz : 11 - tsz;
  return walkLongDescriptor(memory, va, tableBase(ttbrLow, ttbrHigh, indexBits), level, indexBits, r);
}
