import type { Cp15 } from '../cp15.js';
import type { FaultStatus } from '../guest-abort.js';

/** What a translation table walk reads: CP15 registers and physical memory. */
export interface WalkContext {
  readonly cp15: Cp15;
  /** A 32-bit little-endian word of physical memory; undefined when nothing is there. */
  readPhysicalWord(address: number): number | undefined;
}

/**
 * The outcome of one walk, reused from walk to walk (no allocation per walk). On success
 * `fault` is 0; otherwise it is the fault, with `level` and `domain` for the fault status.
 */
export class WalkResult {
  fault: FaultStatus | 0 = 0;
  level = 0;
  domain = 0;
  /** Output physical address (may exceed 32 bits under LPAE). */
  physicalAddress = 0;
  /** Permission bits (permissions.ts) for PL1 and PL0. */
  permissions = 0;
  /**
   * Short-descriptor format: the mapping's domain decides its permissions at each access (DACR,
   * B3.12.3), not when it was walked. So its TLB entry keeps the domain and both of these rather
   * than `permissions`: what a client domain gets (AP, XN, PXN) and what a manager gets
   * (everything), each already limited by stage 2.
   */
  inDomain = false;
  clientPermissions = 0;
  managerPermissions = 0;
  /** log2 of the mapping's size. */
  blockShift = 12;
  global = false;
  supersection = false;
  /**
   * Long-descriptor format: the MAIR attribute byte (stage 1, or stage 1 and 2 combined) or the
   * stage 2 MemAttr[3:0] (a stage 2 walk), and SH[1:0], for the 64-bit PAR.
   */
  memoryAttributes = 0;
  shareability = 0;
  /** Long-descriptor format: the block or page descriptor reached, and the table attributes above it. */
  descriptorLow = 0;
  descriptorHigh = 0;
  tableAttributes = 0;
  /**
   * The fault is a stage 2 fault (B3.12.1) at intermediate physical address `ipa`; `s1ptw`: on a
   * stage 1 translation table walk.
   */
  stage2 = false;
  ipa = 0;
  s1ptw = false;

  failed(fault: FaultStatus, level: number, domain: number): WalkResult {
    this.fault = fault;
    this.level = level;
    this.domain = domain;
    this.stage2 = false;
    this.ipa = 0;
    this.s1ptw = false;
    return this;
  }

  /** A stage 2 fault, or a stage 2 fault on a stage 1 table walk when `s1ptw`. */
  failedStage2(fault: FaultStatus, level: number, ipa: number, s1ptw: boolean): WalkResult {
    this.failed(fault, level, 0);
    this.stage2 = true;
    this.ipa = ipa;
    this.s1ptw = s1ptw;
    return this;
  }
}
