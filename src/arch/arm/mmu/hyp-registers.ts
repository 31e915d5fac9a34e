import type { Cp15, Cp15Register } from '../cp15.js';
import type { Mmu } from './mmu.js';
import { broadcast, type TlbOperation } from './registers.js';

/**
 * The CP15 registers and operations of Hyp's translation regime and of stage 2 (ARM ARM B4.1
 * "Virtualization Extensions", B4.2.2, B4.2.4), all accessible only at PL2: HTTBR, HTCR,
 * HMAIR0/1, VTTBR, VTCR; ATS1HR/ATS1HW and ATS12NSOPR/PW/UR/UW; and the Hyp TLB maintenance
 * operations TLBIALLH, TLBIMVAH, TLBIALLNSNH with their Inner Shareable forms. As in QEMU,
 * the registers keep every bit written (their UNK/SBZP fields included) and reset to 0; the
 * translation reads only the defined fields.
 */
export function defineHypTranslationRegisters(cp15: Cp15, mmu: Mmu): void {
  // HTTBR (B4.1.76) and VTTBR (B4.1.159): 64-bit, reached by MCRR/MRRC only. BADDR is [39:x];
  // VTTBR.VMID is [55:48].
  cp15.define64(4, 2, {
    name: 'HTTBR',
    read: (c) => { c.low = c.httbr; c.high = c.httbrHigh; },
    write: (c, _cpu, low, high) => { c.httbr = low; c.httbrHigh = high; mmu.controlChanged(); },
  });
  cp15.define64(6, 2, {
    name: 'VTTBR',
    read: (c) => { c.low = c.vttbr; c.high = c.vttbrHigh; },
    write: (c, _cpu, low, high) => { c.vttbr = low; c.vttbrHigh = high; mmu.controlChanged(); },
  });
  // HTCR (B4.1.73): T0SZ [2:0], IRGN0/ORGN0/SH0 [13:8]; VTCR (B4.1.160): also S [4] and SL0 [7:6].
  cp15.define(4, 2, 0, 2, {
    name: 'HTCR',
    read: (c) => c.htcr,
    write: (c, _cpu, v) => { c.htcr = v; mmu.controlChanged(); },
  });
  cp15.define(4, 2, 1, 2, {
    name: 'VTCR',
    read: (c) => c.vtcr,
    write: (c, _cpu, v) => { c.vtcr = v; mmu.controlChanged(); },
  });
  // HMAIR0/HMAIR1 (B4.1.68): attributes only, which the TLB does not hold.
  cp15.define(4, 10, 2, 0, { name: 'HMAIR0', read: (c) => c.hmair0, write: (c, _cpu, v) => { c.hmair0 = v; } });
  cp15.define(4, 10, 2, 1, { name: 'HMAIR1', read: (c) => c.hmair1, write: (c, _cpu, v) => { c.hmair1 = v; } });

  // Address translation (B4.2.4).
  cp15.define(4, 7, 8, 0, { name: 'ATS1HR', write: (_c, _cpu, v) => mmu.hypAddressTranslation(v, false) });
  cp15.define(4, 7, 8, 1, { name: 'ATS1HW', write: (_c, _cpu, v) => mmu.hypAddressTranslation(v, true) });
  for (let opc2 = 4; opc2 < 8; opc2++) {
    const user = opc2 >= 6;
    const write = (opc2 & 1) !== 0;
    cp15.define(0, 7, 8, opc2, {
      name: ['ATS12NSOPR', 'ATS12NSOPW', 'ATS12NSOUR', 'ATS12NSOUW'][opc2 - 4]!, hypOnly: true,
      write: (_c, _cpu, v) => mmu.twoStageAddressTranslation(v, user, write),
    });
  }

  // Hyp TLB maintenance (B4.2.2, opc1 = 4): the Hyp regime's entries, all or by MVA, and every
  // VMID's PL1&0 entries (TLBIALLNSNH: "all Non-secure non-Hyp").
  const allHyp: TlbOperation = (target) => { target.tlb.invalidateHyp(); target.tlbMaintained(); };
  const hypByVa: TlbOperation = (target, v) => target.tlbMaintainedAt(v, target.tlb.invalidateHypByVa(v));
  const allNonHyp: TlbOperation = (target) => { target.tlb.invalidateAllVmids(); target.tlbMaintained(); };
  const local = (name: string, operation: TlbOperation): Cp15Register => ({
    name, write: (_c, _cpu, v) => operation(mmu, v, mmu.currentVmid()),
  });
  const innerShareable = (name: string, operation: TlbOperation): Cp15Register => ({
    name, write: (_c, _cpu, v) => broadcast(mmu, operation, v),
  });
  cp15.define(4, 8, 3, 0, innerShareable('TLBIALLHIS', allHyp));
  cp15.define(4, 8, 3, 1, innerShareable('TLBIMVAHIS', hypByVa));
  cp15.define(4, 8, 3, 4, innerShareable('TLBIALLNSNHIS', allNonHyp));
  cp15.define(4, 8, 7, 0, local('TLBIALLH', allHyp));
  cp15.define(4, 8, 7, 1, local('TLBIMVAH', hypByVa));
  cp15.define(4, 8, 7, 4, local('TLBIALLNSNH', allNonHyp));
}
