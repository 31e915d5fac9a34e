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
  /** log2 of the mapping's size. */
  blockShift = 12;
  global = false;
  supersection = false;
  /** Long-descriptor format: MAIR attribute byte and SH[1:0], for the 64-bit PAR. */
  memoryAttributes = 0;
  shareability = 0;

  failed(fault: FaultStatus, level: number, domain: number): WalkResult {
    this.fault = fault;
    this.level = level;
    this.domain = domain;
    return this;
  }
}
