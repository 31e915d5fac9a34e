import { SCTLR_WXN } from '../cp15.js';
import { FaultStatus } from '../guest-abort.js';
import { mairAttribute } from './long-descriptor.js';
import { walkStage1 } from './long-descriptor-walk.js';
import { HYP_SHIFT, Permission } from './permissions.js';
import type { WalkContext, WalkResult } from './walk.js';

/**
 * Stage 1 translation of the Hyp regime (ARM ARM B3.6.4, "Hyp mode"; B4.1.76 HTTBR, B4.1.73
 * HTCR): always the long-descriptor format, one TTBR (HTTBR) covering VA[31:0] below
 * 2^(32-HTCR.T0SZ), attributes from HMAIR0/HMAIR1. Hyp has a single privilege level: AP[2]
 * (with APTable[1] above it) makes a mapping read-only, AP[1], APTable[0], PXN and PXNTable play
 * no part (B3.7.1, as QEMU's get_S1prot for EL2), XN/XNTable forbid execution, HSCTLR.WXN makes
 * writable memory execute-never. nG is ignored: Hyp entries are global. Faults in QEMU's order:
 * translation, access flag, permission.
 */
export function translateHypLongDescriptor(ctx: WalkContext, va: number, needed: number, r: WalkResult): WalkResult {
  const cp15 = ctx.cp15;
  const t0sz = cp15.htcr & 7;
  if (t0sz !== 0 && (va >>> (32 - t0sz)) !== 0) return r.failed(FaultStatus.TranslationSection, 1, 0);
  if (!walkStage1(ctx, va, t0sz, cp15.httbr, cp15.httbrHigh, r)) return r;
  const lo = r.descriptorLow;
  const hi = r.descriptorHigh;
  const level = r.level;
  r.domain = 0;
  r.inDomain = false;
  r.global = true;
  r.supersection = false;
  r.memoryAttributes = mairAttribute(cp15.hmair0, cp15.hmair1, lo);
  r.shareability = (lo >>> 8) & 3;
  if ((lo & (1 << 10)) === 0) {
    return r.failed(level === 1 ? FaultStatus.AccessFlagSection : FaultStatus.AccessFlagPage, level, 0);
  }
  const readOnly = (lo & (1 << 7)) !== 0 || (r.tableAttributes & 8) !== 0;
  const xn = (hi & (1 << 22)) !== 0 || (r.tableAttributes & 2) !== 0;
  const readWrite = readOnly ? Permission.Read : Permission.Read | Permission.Write;
  const execute = !xn && (readOnly || (cp15.hsctlr & SCTLR_WXN) === 0);
  r.permissions = (readWrite | (execute ? Permission.Execute : 0)) << HYP_SHIFT;
  if ((r.permissions & needed) === 0) {
    return r.failed(level === 1 ? FaultStatus.PermissionSection : FaultStatus.PermissionPage, level, 0);
  }
  r.fault = 0;
  return r;
}
