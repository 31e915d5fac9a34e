import { SCTLR_WXN } from '../cp15.js';
import { FaultStatus } from '../guest-abort.js';
import { Permission, PL0_SHIFT, simplifiedModelReadWrite } from './permissions.js';
import { walkStage1 } from './long-descriptor-walk.js';
import type { WalkContext, WalkResult } from './walk.js';

const SCTLR_UWXN = 1 << 20;

/** Which TTBR translates `va` under TTBCR.EAE=1 (B3.6.4): 0, 1, or -1 for neither (a fault). */
export function longDescriptorTtbrSelect(ttbcr: number, va: number): number {
  const t0sz = ttbcr & 7;
  const t1sz = (ttbcr >>> 16) & 7;
  if (t1sz === 0) return t0sz === 0 || (va >>> (32 - t0sz)) === 0 ? 0 : 1;
  const inTtbr1 = (va >>> (32 - t1sz)) === (1 << t1sz) - 1;
  if (t0sz === 0) return inTtbr1 ? 1 : 0;
  if ((va >>> (32 - t0sz)) === 0) return 0;
  if (inTtbr1) return 1;
  return -1;
}

/**
 * Stage 1 translation with the long-descriptor format (ARM ARM B3.6, LPAE): TTBR0/TTBR1 by
 * T0SZ/T1SZ, lookup starting at the first level (TxSZ 0-1) or second level (TxSZ 2-7), 1 GiB and
 * 2 MiB blocks and 4 KiB pages, hierarchical APTable/XNTable/PXNTable, AP[2:1] (simplified
 * model), XN, PXN, WXN/UWXN, access flag faults (AF=0, no hardware management), nG, and the
 * AttrIndx/MAIR attributes and SH for the 64-bit PAR. Faults follow QEMU's get_phys_addr_lpae:
 * translation, access flag, permission.
 */
export function translateLongDescriptor(ctx: WalkContext, va: number, needed: number, r: WalkResult): WalkResult {
  const cp15 = ctx.cp15;
  const ttbcr = cp15.ttbcr;
  const select = longDescriptorTtbrSelect(ttbcr, va);
  if (select < 0) return r.failed(FaultStatus.TranslationSection, 1, 0);
  const tsz = select === 0 ? ttbcr & 7 : (ttbcr >>> 16) & 7;
  const disabled = select === 0 ? (ttbcr & 0x80) !== 0 : (ttbcr & 0x800000) !== 0;
  if (disabled) return r.failed(FaultStatus.TranslationSection, 1, 0);
  const low = select === 0 ? cp15.ttbr0 : cp15.ttbr1;
  const high = select === 0 ? cp15.ttbr0High : cp15.ttbr1High;
  if (!walkStage1(ctx, va, tsz, low, high, r)) return r;
  const lo = r.descriptorLow;
  const hi = r.descriptorHigh;
  const tableAttributes = r.tableAttributes;
  const level = r.level;
  r.domain = 0;
  r.inDomain = false;
  r.global = (lo & (1 << 11)) === 0;
  r.supersection = false;
  r.memoryAttributes = mairAttribute(cp15.prrr, cp15.nmrr, lo);
  r.shareability = (lo >>> 8) & 3;
  // APTable[0] (bit 61) takes away PL0 access, APTable[1] (bit 62) write access (B3.6.1).
  let ap21 = (lo >>> 6) & 3;
  if ((tableAttributes & 4) !== 0) ap21 &= ~1;
  if ((tableAttributes & 8) !== 0) ap21 |= 2;
  const xn = (hi & (1 << 22)) !== 0 || (tableAttributes & 2) !== 0;
  const pxn = (hi & (1 << 21)) !== 0 || (tableAttributes & 1) !== 0;
  const pageFault = level === 1 ? FaultStatus.PermissionSection : FaultStatus.PermissionPage;
  if ((lo & (1 << 10)) === 0) {
    return r.failed(level === 1 ? FaultStatus.AccessFlagSection : FaultStatus.AccessFlagPage, level, 0);
  }
  const pl1 = simplifiedModelReadWrite(ap21, false);
  const pl0 = simplifiedModelReadWrite(ap21, true);
  const sctlr = cp15.sctlr;
  const wxn = (sctlr & SCTLR_WXN) !== 0;
  const pl0Exec = !xn && (pl0 & Permission.Read) !== 0 && !(wxn && (pl0 & Permission.Write) !== 0);
  const pl1Exec = !xn && !pxn && (pl1 & Permission.Read) !== 0 && !(wxn && (pl1 & Permission.Write) !== 0)
    && !((sctlr & SCTLR_UWXN) !== 0 && (pl0 & Permission.Write) !== 0);
  r.permissions = pl1 | (pl1Exec ? Permission.Execute : 0) | ((pl0 | (pl0Exec ? Permission.Execute : 0)) << PL0_SHIFT);
  if ((r.permissions & needed) === 0) return r.failed(pageFault, level, 0);
  r.fault = 0;
  return r;
}

/** The attribute byte AttrIndx (descriptor bits [4:2]) selects from MAIR0/MAIR1 (B4.1.104) or HMAIR0/HMAIR1. */
export function mairAttribute(mair0: number, mair1: number, descriptorLow: number): number {
  const attrIndx = (descriptorLow >>> 2) & 7;
  return ((attrIndx < 4 ? mair0 : mair1) >>> (8 * (attrIndx & 3))) & 0xff;
}
