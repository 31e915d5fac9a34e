import type { Cp15, Cp15Register } from '../cp15.js';
import { HCR_FB } from '../hyp/hcr.js';
import { Mode } from '../modes.js';
import type { Mmu } from './mmu.js';

/**
 * The CP15 registers and operations of the MMU (ARM ARM B4.1, B4.2): translation table bases and
 * control, domains, fault status and address registers, PAR, PRRR/NMRR (MAIR0/MAIR1 under LPAE),
 * CONTEXTIDR, TLB maintenance (c8) and address translation (c7, c8).
 */
export function defineTranslationRegisters(cp15: Cp15, mmu: Mmu): void {
  const { hasEl3 } = cp15.features;
  // TTBR0/TTBR1 (B4.1.154-155): 32-bit MCR/MRC reach bits [31:0]; MCRR/MRRC the 64-bit form.
  cp15.define(0, 2, 0, 0, { name: 'TTBR0', read: (c) => c.ttbr0, write: (c, _cpu, v) => { c.ttbr0 = v; mmu.asidChanged(); } });
  cp15.define(0, 2, 0, 1, { name: 'TTBR1', read: (c) => c.ttbr1, write: (c, _cpu, v) => { c.ttbr1 = v; mmu.asidChanged(); } });
  cp15.define64(0, 2, {
    name: 'TTBR0',
    read: (c) => { c.low = c.ttbr0; c.high = c.ttbr0High; },
    write: (c, _cpu, low, high) => { c.ttbr0 = low; c.ttbr0High = high & 0x00ff00ff; mmu.asidChanged(); },
  });
  cp15.define64(1, 2, {
    name: 'TTBR1',
    read: (c) => { c.low = c.ttbr1; c.high = c.ttbr1High; },
    write: (c, _cpu, low, high) => { c.ttbr1 = low; c.ttbr1High = high & 0x00ff00ff; mmu.asidChanged(); },
  });
  // TTBCR (B4.1.153), writable bits as QEMU: with EAE=1 bits [21:19], [15:14], [6:3] are RES0;
  // with EAE=0 only N, plus PD0/PD1 when the Security Extensions are present.
  cp15.define(0, 2, 0, 2, {
    name: 'TTBCR',
    read: (c) => c.ttbcr,
    write: (c, _cpu, v) => {
      if ((v & 0x80000000) !== 0) c.ttbcr = v & ~((7 << 19) | (3 << 14) | (0xf << 3));
      else c.ttbcr = v & (hasEl3 ? 0x37 : 7);
      mmu.controlChanged();
    },
  });
  cp15.define(0, 3, 0, 0, { name: 'DACR', read: (c) => c.dacr, write: (c, _cpu, v) => { c.dacr = v; mmu.controlChanged(); } });
  cp15.define(0, 5, 0, 0, { name: 'DFSR', read: (c) => c.dfsr, write: (c, _cpu, v) => { c.dfsr = v; } });
  cp15.define(0, 5, 0, 1, { name: 'IFSR', read: (c) => c.ifsr, write: (c, _cpu, v) => { c.ifsr = v; } });
  cp15.define(0, 6, 0, 0, { name: 'DFAR', read: (c) => c.dfar, write: (c, _cpu, v) => { c.dfar = v; } });
  cp15.define(0, 6, 0, 2, { name: 'IFAR', read: (c) => c.ifar, write: (c, _cpu, v) => { c.ifar = v; } });
  // PAR (B4.1.112): 32-bit in the short format; MRRC reads the 64-bit form.
  cp15.define(0, 7, 4, 0, { name: 'PAR', read: (c) => c.par, write: (c, _cpu, v) => { c.par = v; } });
  cp15.define64(0, 7, {
    name: 'PAR',
    read: (c) => { c.low = c.par; c.high = c.parHigh; },
    write: (c, _cpu, low, high) => { c.par = low; c.parHigh = high; },
  });
  cp15.define(0, 10, 2, 0, { name: 'PRRR/MAIR0', read: (c) => c.prrr, write: (c, _cpu, v) => { c.prrr = v; } });
  cp15.define(0, 10, 2, 1, { name: 'NMRR/MAIR1', read: (c) => c.nmrr, write: (c, _cpu, v) => { c.nmrr = v; } });
  // AMAIR0/AMAIR1 (B4.1.5): IMPLEMENTATION DEFINED attributes; RAZ/WI, as QEMU.
  cp15.define(0, 10, 3, 0, { name: 'AMAIR0', read: () => 0, write: () => {} });
  cp15.define(0, 10, 3, 1, { name: 'AMAIR1', read: () => 0, write: () => {} });
  cp15.define(0, 13, 0, 1, {
    name: 'CONTEXTIDR',
    read: (c) => c.contextidr,
    write: (c, _cpu, v) => { c.contextidr = v; mmu.asidChanged(); },
  });

  // Address translation (B4.2.4): ATS1CPR, ATS1CPW, ATS1CUR, ATS1CUW.
  for (let opc2 = 0; opc2 < 4; opc2++) {
    const user = opc2 >= 2;
    const write = (opc2 & 1) !== 0;
    cp15.define(0, 7, 8, opc2, {
      name: ['ATS1CPR', 'ATS1CPW', 'ATS1CUR', 'ATS1CUW'][opc2]!,
      write: (_c, cpu, v) => mmu.addressTranslation(v, user, write, cpu.mode === Mode.Hyp),
    });
  }

  // TLB maintenance (B4.2.2). The TLB is unified: instruction and data forms act on it alike.
  // They act on the PL1&0 entries of the current VMID (B3.10.2), in Hyp mode too. The Inner
  // Shareable forms act on every TLB of the shareability domain (mmu.innerShareable), for the
  // issuer's VMID; with HCR.FB the others do too when executed at PL1 (B4.1.65 FB).
  const all: TlbOperation = (target, _v, vmid) => { target.tlb.invalidateVmid(vmid); target.tlbMaintained(); };
  const byVa: TlbOperation = (target, v, vmid) => target.tlbMaintainedAt(v, target.tlb.invalidateByVa(v, v & 0xff, vmid));
  const byAsid: TlbOperation = (target, v, vmid) => { target.tlb.invalidateByAsid(v & 0xff, vmid); target.tlbMaintained(); };
  const byVaAllAsids: TlbOperation = (target, v, vmid) => target.tlbMaintainedAt(v, target.tlb.invalidateByVa(v, -1, vmid));
  const local = (name: string, operation: TlbOperation): Cp15Register => ({
    name,
    write: (c, cpu, v) => {
      if ((c.hcr & HCR_FB) !== 0 && cpu.mode !== Mode.Hyp) broadcast(mmu, operation, v);
      else operation(mmu, v, mmu.currentVmid());
    },
  });
  const innerShareable = (name: string, operation: TlbOperation): Cp15Register => ({
    name,
    write: (_c, _cpu, v) => broadcast(mmu, operation, v),
  });
  cp15.define(0, 8, 3, 0, innerShareable('TLBIALLIS', all));
  cp15.define(0, 8, 3, 1, innerShareable('TLBIMVAIS', byVa));
  cp15.define(0, 8, 3, 2, innerShareable('TLBIASIDIS', byAsid));
  cp15.define(0, 8, 3, 3, innerShareable('TLBIMVAAIS', byVaAllAsids));
  cp15.define(0, 8, 5, 0, local('ITLBIALL', all));
  cp15.define(0, 8, 5, 1, local('ITLBIMVA', byVa));
  cp15.define(0, 8, 5, 2, local('ITLBIASID', byAsid));
  cp15.define(0, 8, 6, 0, local('DTLBIALL', all));
  cp15.define(0, 8, 6, 1, local('DTLBIMVA', byVa));
  cp15.define(0, 8, 6, 2, local('DTLBIASID', byAsid));
  cp15.define(0, 8, 7, 0, local('TLBIALL', all));
  cp15.define(0, 8, 7, 1, local('TLBIMVA', byVa));
  cp15.define(0, 8, 7, 2, local('TLBIASID', byAsid));
  cp15.define(0, 8, 7, 3, local('TLBIMVAA', byVaAllAsids));
}

/** A TLB maintenance operation on one MMU's TLB, with its register value and the issuer's VMID. */
export type TlbOperation = (target: Mmu, v: number, vmid: number) => void;

/** An operation on every TLB of the Inner Shareable domain. */
export function broadcast(mmu: Mmu, operation: TlbOperation, v: number): void {
  const vmid = mmu.currentVmid();
  mmu.innerShareable((target) => operation(target, v, vmid));
}
