import type { Cp15 } from '../cp15.js';
import type { Cpu } from '../cpu.js';
import { HCR_TSC } from './hcr.js';

/**
 * The CP15 registers of Hyp mode that control traps, syndromes and identification (ARM ARM B4.1,
 * "Virtualization Extensions registers"), all at opc1 = 4 and so PL2-only (semantics-coprocessor.ts
 * makes them UNDEFINED at PL1 and PL0). Reset values are QEMU 7.2's for a cortex-a15. Hyp's
 * translation registers (HTTBR, HTCR, HMAIR0/1, VTTBR, VTCR) are the MMU's (mmu/).
 */

/**
 * HCR bits a v7 processor with the Virtualization Extensions implements (B4.1.65: [27:0]; HCD and
 * TRVM are ARMv8 additions), as QEMU's do_hcr_write for ARMv7VE. Without the Security Extensions
 * TSC is RES0 unless firmware owns the SMC conduit, as QEMU keeps it writable then so Hyp can stop
 * PL1 from calling that firmware.
 */
const HCR_WRITABLE_V7 = 0x0fffffff;

/** HDCR (B4.1.67) bits: HPMN [4:0], TPMCR, TPM, HPME, TDE, TDA, TDOSA, TDRA [11:5]. */
const HDCR_WRITABLE = 0xfff;

/** HCPTR (B4.1.74): TCP0-TCP13 [13:0], TASE [15], TTA [20], TCPAC [31], held as written (as QEMU). */
const HCPTR_WRITABLE = (0x3fff | 0x8000 | 0x00100000 | 0x80000000) | 0;

/** HSTR (B4.1.75): T0-T15 except the reserved T4 and T14, and TTEE [16]; TJDBX [17] needs Jazelle. */
const HSTR_WRITABLE = 0x1bfef;

export function defineHypRegisters(cp15: Cp15, cpu: Cpu): void {
  const hyp = (crn: number, crm: number, opc2: number, name: string, read: (c: Cp15) => number, write?: (c: Cp15, v: number) => void): void => {
    cp15.define(4, crn, crm, opc2, write === undefined ? { name, read } : { name, read, write: (c, _cpu, v) => write(c, v) });
  };
  // Identification the PL1 modes see (B4.1.160 VPIDR, B4.1.161 VMPIDR): MIDR and MPIDR read these there.
  hyp(0, 0, 0, 'VPIDR', (c) => c.vpidr, (c, v) => { c.vpidr = v; });
  hyp(0, 0, 5, 'VMPIDR', (c) => c.vmpidr, (c, v) => { c.vmpidr = v; });

  // System control and configuration (B4.1.66 HSCTLR, B4.1.65 HCR, ...).
  hyp(1, 0, 0, 'HSCTLR', (c) => c.hsctlr, (c, v) => {
    c.hsctlr = v;
    c.translationControlChanged();
  });
  hyp(1, 0, 1, 'HACTLR', (c) => c.hactlr, (c, v) => { c.hactlr = v; });
  hyp(1, 1, 0, 'HCR', (c) => c.hcr, (c, v) => {
    const tscWritable = cp15.features.hasEl3 || cpu.firmwareConduit === 'smc';
    c.hcr = v & (tscWritable ? HCR_WRITABLE_V7 : HCR_WRITABLE_V7 & ~HCR_TSC);
    c.translationControlChanged();
    cpu.virtualInterruptsChanged(); // HCR.VI, VF, VA
  });
  hyp(1, 1, 1, 'HDCR', (c) => c.hdcr, (c, v) => { c.hdcr = v & HDCR_WRITABLE; });
  hyp(1, 1, 2, 'HCPTR', (c) => c.hcptr, (c, v) => { c.hcptr = v & HCPTR_WRITABLE; });
  hyp(1, 1, 3, 'HSTR', (c) => c.hstr, (c, v) => { c.hstr = v & HSTR_WRITABLE; });
  // HACR (B4.1.64) is IMPLEMENTATION DEFINED; the Cortex-A15 has none: RAZ/WI, as QEMU.
  hyp(1, 1, 7, 'HACR', () => 0, () => {});

  // Syndrome and fault addresses (B4.1.69 HSR, B4.1.62 HDFAR, B4.1.63 HIFAR, B4.1.70 HPFAR); the
  // auxiliary fault status registers are RAZ/WI, as QEMU.
  hyp(5, 1, 0, 'HADFSR', () => 0, () => {});
  hyp(5, 1, 1, 'HAIFSR', () => 0, () => {});
  hyp(5, 2, 0, 'HSR', (c) => c.hsr, (c, v) => { c.hsr = v; });
  hyp(6, 0, 0, 'HDFAR', (c) => c.hdfar, (c, v) => { c.hdfar = v; });
  hyp(6, 0, 2, 'HIFAR', (c) => c.hifar, (c, v) => { c.hifar = v; });
  hyp(6, 0, 4, 'HPFAR', (c) => c.hpfar, (c, v) => { c.hpfar = v & ~0xf; });

  // HAMAIR0/1 (B4.1.61): IMPLEMENTATION DEFINED attributes, RAZ/WI as QEMU's AMAIR_EL2.
  hyp(10, 3, 0, 'HAMAIR0', () => 0, () => {});
  hyp(10, 3, 1, 'HAMAIR1', () => 0, () => {});

  // Vector base (B4.1.71 HVBAR, bits [4:0] RES0) and Hyp's software thread ID (B4.1.72 HTPIDR).
  hyp(12, 0, 0, 'HVBAR', (c) => c.hvbar, (c, v) => { c.hvbar = v & ~0x1f; });
  hyp(13, 0, 2, 'HTPIDR', (c) => c.htpidr, (c, v) => { c.htpidr = v; });
}
