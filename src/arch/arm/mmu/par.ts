import type { Cp15 } from '../cp15.js';
import { faultStatusRegister, longDescriptorStatus } from './fault-status.js';
import type { WalkResult } from './walk.js';

const TWO_32 = 2 ** 32;

/**
 * The 64-bit PAR (ARM ARM B4.1.112, long-descriptor format) after an address translation
 * operation: on success PA[39:12], LPAE, NS, SH and the MAIR-format attribute byte; on a fault
 * F, the long-descriptor fault status, FSTAGE (bit 9, a stage 2 fault) and S2WLK (bit 8, on a
 * stage 1 table walk).
 */
export function writeLongFormatPar(cp15: Cp15, r: WalkResult): void {
  if (r.fault !== 0) {
    cp15.par = (1 << 11) | (r.stage2 ? 1 << 9 : 0) | (r.stage2 && r.s1ptw ? 1 << 8 : 0)
      | ((longDescriptorStatus(r.fault, r.level) & 0x3f) << 1) | 1;
    cp15.parHigh = 0;
    return;
  }
  const pa = r.physicalAddress;
  cp15.par = ((pa % TWO_32) & 0xfffff000) | (1 << 11) | (1 << 9) | (r.shareability << 7);
  cp15.parHigh = (Math.floor(pa / TWO_32) & 0xff) | (r.memoryAttributes << 24);
}

/**
 * The 32-bit PAR (short-descriptor format): PA, SS and NS, no attributes (as QEMU), or F and
 * the short-descriptor fault status.
 */
export function writeShortFormatPar(cp15: Cp15, r: WalkResult): void {
  cp15.parHigh = 0;
  if (r.fault !== 0) {
    const fsr = faultStatusRegister(r.fault, r.domain, r.level, 0);
    cp15.par = ((fsr & (1 << 10)) >>> 5) | ((fsr & 0xf) << 1) | 1;
  } else if (r.supersection) {
    cp15.par = ((r.physicalAddress % TWO_32) & 0xff000000) | (1 << 9) | (1 << 1);
  } else {
    cp15.par = (r.physicalAddress & 0xfffff000) | (1 << 9);
  }
}
