import { FaultStatus } from '../guest-abort.js';
import { tableBase, walkLongDescriptor } from './long-descriptor-walk.js';
import { atBothLevels, Permission } from './permissions.js';
import type { WalkContext, WalkResult } from './walk.js';

/**
 * Stage 2 translation of the Non-secure PL1&0 regime (ARM ARM B3.6.5, B4.1.159 VTTBR, B4.1.160
 * VTCR): an intermediate physical address of up to 40 bits to a physical address, always in the
 * long-descriptor format with 4 KiB granules. The input size is 32 - VTCR.T0SZ (T0SZ a signed
 * 4-bit value, -8..7); VTCR.SL0 gives the start level (0: second, 1: first) and the start table
 * may be up to 16 concatenated tables (B3.6.6). A configuration outside that (SL0 = 2 or 3, or a
 * start table of more than 16 pages or less than two entries), or an IPA beyond the input size,
 * is a translation fault at the first level, as QEMU (check_s2_mmu_setup).
 *
 * Block and page descriptors (B3.6.2): MemAttr[3:0] at [5:2] (kept in r.memoryAttributes),
 * S2AP[1:0] at [7:6] (bit 0 read, bit 1 write, for PL1 and PL0 alike), SH at [9:8], AF at [10],
 * XN at [54]; stage 2 table descriptors carry no attributes. As QEMU's get_S2prot for AArch32,
 * memory is executable only if it is readable and not XN. Faults: translation, access flag,
 * permission, each flagged as stage 2 with `ipa` and `s1ptw` (a stage 1 table walk's access).
 * `memory` reads physical addresses.
 */
export function translateStage2(memory: WalkContext, ipa: number, needed: number, s1ptw: boolean, r: WalkResult): WalkResult {
  const cp15 = memory.cp15;
  const vtcr = cp15.vtcr;
  const inputBits = 32 - ((vtcr << 28) >> 28);
  const level = 2 - ((vtcr >>> 6) & 3);
  const indexBits = inputBits - (12 + 9 * (3 - level));
  if (level < 1 || indexBits < 1 || indexBits > 13 || ipa >= 2 ** inputBits) {
    return r.failedStage2(FaultStatus.TranslationSection, 1, ipa, s1ptw);
  }
  if (!walkLongDescriptor(memory, ipa, tableBase(cp15.vttbr, cp15.vttbrHigh, indexBits), level, indexBits, r)) {
    return r.failedStage2(r.fault as FaultStatus, r.level, ipa, s1ptw);
  }
  const lo = r.descriptorLow;
  const found = r.level;
  r.memoryAttributes = (lo >>> 2) & 0xf;
  r.shareability = (lo >>> 8) & 3;
  if ((lo & (1 << 10)) === 0) {
    return r.failedStage2(found === 1 ? FaultStatus.AccessFlagSection : FaultStatus.AccessFlagPage, found, ipa, s1ptw);
  }
  const s2ap = (lo >>> 6) & 3;
  const xn = (r.descriptorHigh & (1 << 22)) !== 0;
  const readable = (s2ap & 1) !== 0;
  r.permissions = atBothLevels((readable ? Permission.Read : 0) | ((s2ap & 2) !== 0 ? Permission.Write : 0)
    | (readable && !xn ? Permission.Execute : 0));
  if ((r.permissions & needed) === 0) {
    return r.failedStage2(found === 1 ? FaultStatus.PermissionSection : FaultStatus.PermissionPage, found, ipa, s1ptw);
  }
  r.fault = 0;
  return r;
}
