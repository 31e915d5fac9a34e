import { SCTLR_M, SCTLR_WXN, type Cp15 } from '../cp15.js';
import { HCR_DC, HCR_PTW, HCR_TGE, HCR_VM } from '../hyp/hcr.js';


/**
 * The registers, besides the translation tables themselves, that the cached translations of the
 * PL1&0 regime depend on: SCTLR, TTBCR, HCR.{VM, DC, PTW, TGE}, VTTBR and VTCR. Written to
 * `out` from `offset`. (Not DACR: entries keep their domains, and the TLB applies DACR as it is
 * at each access.)
 */
export const PL10_STATE_FIELDS = 6;
export function writePl10State(cp15: Cp15, out: Int32Array, offset: number): void {
  out[offset] = cp15.sctlr;
  out[offset + 1] = cp15.ttbcr;
  out[offset + 2] = cp15.hcr & (HCR_VM | HCR_DC | HCR_PTW | HCR_TGE);
  out[offset + 3] = cp15.vttbr;
  out[offset + 4] = cp15.vttbrHigh;
  out[offset + 5] = cp15.vtcr;
}

/** The same for the Hyp regime: HSCTLR.{M, WXN}, HTCR and HTTBR (B4.1.67, B4.1.73, B4.1.76). */
export const HYP_STATE_FIELDS = 4;
export function writeHypState(cp15: Cp15, out: Int32Array, offset: number): void {
  out[offset] = cp15.hsctlr & (SCTLR_M | SCTLR_WXN);
  out[offset + 1] = cp15.htcr;
  out[offset + 2] = cp15.httbr;
  out[offset + 3] = cp15.httbrHigh;
}

/** VTTBR.VMID, bits [55:48] (B4.1.159). */
export function currentVmid(cp15: Cp15): number {
  return (cp15.vttbrHigh >>> 16) & 0xff;
}

/**
 * For each VMID, the PL1&0 registers its TLB entries were made with (B3.9.1: entries are tagged
 * with the VMID, so switching VMID needs no TLB maintenance). When a VMID becomes current again
 * with the same registers, its entries still hold; with different ones (a guest's SCTLR or a
 * new VTTBR base under a reused VMID) they must go, so no stale translation is ever used.
 */
export class VmidContexts {
  private readonly saved = new Int32Array(256 * PL10_STATE_FIELDS);
  private readonly known = new Uint8Array(256);
  private readonly current = new Int32Array(PL10_STATE_FIELDS);

  /**
   * Records the registers now in force as those of `vmid`'s entries; true when they differ from
   * the ones its existing entries were made with (which the caller then drops).
   */
  update(vmid: number, cp15: Cp15): boolean {
    writePl10State(cp15, this.current, 0);
    const base = vmid * PL10_STATE_FIELDS;
    let changed = this.known[vmid] === 0;
    for (let k = 0; k < PL10_STATE_FIELDS; k++) {
      if (this.saved[base + k] !== this.current[k]) {
        this.saved[base + k] = this.current[k]!;
        changed = true;
      }
    }
    this.known[vmid] = 1;
    return changed;
  }
}
