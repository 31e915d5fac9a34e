import { FaultStatus } from '../guest-abort.js';
import { fullModelReadWrite, Permission, PL0_SHIFT, simplifiedModelReadWrite } from './permissions.js';
import type { WalkContext, WalkResult } from './walk.js';

const SCTLR_AFE = 1 << 29;

/**
 * Stage 1 translation with the short-descriptor format (ARM ARM B3.5): TTBR0/TTBR1 chosen by
 * TTBCR.N, first-level sections, supersections and page tables, second-level large and small
 * pages, domains (DACR), AP[2:0] in the full or (SCTLR.AFE) simplified model, XN and PXN.
 * Fault priorities are QEMU's (get_phys_addr_v6): translation, domain (checked before the second
 * level is read), execute-never on fetch, access flag, permission. A manager domain allows
 * everything, execution included.
 *
 * `needed` is the permission bit of the access (permissions.ts); the result carries the
 * permissions at both privilege levels so the TLB can keep them.
 */
export function translateShortDescriptor(ctx: WalkContext, va: number, needed: number, r: WalkResult): WalkResult {
  const cp15 = ctx.cp15;
  const n = cp15.ttbcr & 7;
  let tableAddress: number;
  // B3.5.4: VA[31:32-N] all zero selects TTBR0; TTBCR.PD0/PD1 disable a walk.
  if (n === 0 || (va >>> (32 - n)) === 0) {
    if ((cp15.ttbcr & 0x10) !== 0) return r.failed(FaultStatus.TranslationSection, 1, 0);
    tableAddress = ((cp15.ttbr0 & ~((1 << (14 - n)) - 1)) | (((va >>> 20) & (0xfff >>> n)) << 2)) >>> 0;
  } else {
    if ((cp15.ttbcr & 0x20) !== 0) return r.failed(FaultStatus.TranslationSection, 1, 0);
    tableAddress = ((cp15.ttbr1 & 0xffffc000) | ((va >>> 20) << 2)) >>> 0;
  }
  const first = ctx.readPhysicalWord(tableAddress);
  if (first === undefined) return r.failed(FaultStatus.SyncExternalWalkFirstLevel, 1, 0);
  const type = first & 3;
  if (type === 0) return r.failed(FaultStatus.TranslationSection, 1, 0);
  const isSupersection = type !== 1 && (first & (1 << 18)) !== 0;
  const domain = isSupersection ? 0 : (first >>> 5) & 0xf;
  const domainAccess = (cp15.dacr >>> (2 * domain)) & 3;
  // B3.12.3: "No access" (and the reserved value) gives a domain fault.
  if (domainAccess === 0 || domainAccess === 2) {
    return r.failed(type === 1 ? FaultStatus.DomainPage : FaultStatus.DomainSection, type === 1 ? 2 : 1, domain);
  }
  let ap: number;
  let xn: boolean;
  let pxn: boolean;
  let level: number;
  if (type !== 1) {
    // Section or supersection (B3.5.1, figure B3-4).
    level = 1;
    if (isSupersection) {
      r.physicalAddress = (first & 0xff000000) + ((first >>> 20) & 0xf) * 2 ** 32 + ((first >>> 5) & 0xf) * 2 ** 36
        + (va & 0x00ffffff);
      r.blockShift = 24;
    } else {
      r.physicalAddress = ((first & 0xfff00000) | (va & 0x000fffff)) >>> 0;
      r.blockShift = 20;
    }
    ap = ((first >>> 10) & 3) | ((first >>> 13) & 4);
    xn = (first & 0x10) !== 0;
    pxn = (first & 1) !== 0;
    r.global = (first & (1 << 17)) === 0;
  } else {
    level = 2;
    pxn = (first & 4) !== 0;
    const second = ctx.readPhysicalWord(((first & 0xfffffc00) | ((va >>> 10) & 0x3fc)) >>> 0);
    if (second === undefined) return r.failed(FaultStatus.SyncExternalWalkSecondLevel, 2, domain);
    ap = ((second >>> 4) & 3) | ((second >>> 7) & 4);
    switch (second & 3) {
      case 0:
        return r.failed(FaultStatus.TranslationPage, 2, domain);
      case 1: // large page, 64 KiB
        r.physicalAddress = ((second & 0xffff0000) | (va & 0xffff)) >>> 0;
        xn = (second & 0x8000) !== 0;
        r.blockShift = 16;
        break;
      default: // small page, 4 KiB
        r.physicalAddress = ((second & 0xfffff000) | (va & 0xfff)) >>> 0;
        xn = (second & 1) !== 0;
        r.blockShift = 12;
    }
    r.global = (second & (1 << 11)) === 0;
  }
  r.supersection = isSupersection;
  r.level = level;
  r.domain = domain;
  r.memoryAttributes = 0;
  r.shareability = 0;
  const permissionFault = level === 1 ? FaultStatus.PermissionSection : FaultStatus.PermissionPage;
  // What a client domain gets (B3.7): AP in the full or simplified model, XN and PXN; nothing at
  // all in the simplified model with the access flag (B3.7.3) clear, which faults.
  const pl1 = fullOrSimplified(cp15.sctlr, ap, false);
  const pl0 = fullOrSimplified(cp15.sctlr, ap, true);
  const pl1Exec = !xn && !pxn && pl1 !== 0 ? Permission.Execute : 0;
  const pl0Exec = !xn && pl0 !== 0 ? Permission.Execute : 0;
  const accessFlagClear = (cp15.sctlr & SCTLR_AFE) !== 0 && (ap & 1) === 0;
  r.inDomain = true;
  r.clientPermissions = accessFlagClear ? 0 : pl1 | pl1Exec | ((pl0 | pl0Exec) << PL0_SHIFT);
  r.managerPermissions = Permission.All;
  if (domainAccess === 3) {
    r.permissions = Permission.All;
  } else {
    r.permissions = r.clientPermissions;
    const fetch = (needed & (Permission.Execute | (Permission.Execute << PL0_SHIFT))) !== 0;
    const user = needed >= 1 << PL0_SHIFT;
    if (fetch && (xn || (pxn && !user))) return r.failed(permissionFault, level, domain);
    if (accessFlagClear) return r.failed(level === 1 ? FaultStatus.AccessFlagSection : FaultStatus.AccessFlagPage, level, domain);
  }
  if ((r.permissions & needed) === 0) return r.failed(permissionFault, level, domain);
  r.fault = 0;
  return r;
}

function fullOrSimplified(sctlr: number, ap: number, user: boolean): number {
  const rw = (sctlr & SCTLR_AFE) !== 0 ? simplifiedModelReadWrite(ap >>> 1, user) : fullModelReadWrite(ap, user);
  return rw;
}
