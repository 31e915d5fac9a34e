import type { Cpu } from './cpu.js';
import { Mode } from './modes.js';
import { PMU_EVENT_COUNTERS } from './performance-monitors.js';

/**
 * CP15, the system control coprocessor, as a Cortex-A15 (ARM ARM B4.1, Cortex-A15 TRM 4.2).
 * Registers are a table keyed by {opc1, CRn, CRm, opc2}; each entry names the register, says
 * who may access it and how it reads and writes. Identification values are the Cortex-A15's as
 * QEMU models them, except MIDR (r4p0, as the project specifies).
 */
export interface Cp15Register {
  readonly name: string;
  /** Readable/writable from PL0 (user mode); everything else is PL1 and above. */
  readonly pl0Read?: boolean;
  readonly pl0Write?: boolean;
  /** When present, decides PL0 access instead of pl0Read/pl0Write (registers with run-time PL0 controls, e.g. CNTKCTL). */
  pl0Access?(cpu: Cpu, isWrite: boolean): boolean;
  /** Whether this access is trapped to Hyp mode now, by a control of its own (CNTHCTL: generic-timer.ts). */
  trapsToHyp?(cpu: Cpu, isWrite: boolean): boolean;
  /**
   * UNDEFINED below Hyp mode although not at opc1 = 4 (e.g. ATS12NSO*, B4.2.4); the opc1 = 4
   * encodings are Hyp-only without it (hyp/coprocessor-traps.ts isHypRegister).
   */
  readonly hypOnly?: boolean;
  read?(cp15: Cp15, cpu: Cpu): number;
  write?(cp15: Cp15, cpu: Cpu, value: number): void;
}

/**
 * A 64-bit CP15 register, reached by MCRR/MRRC with {opc1, CRm} (B4.1 "64-bit registers"):
 * `read` leaves the halves in cp15.low / cp15.high; `write` receives them.
 */
export interface Cp15Register64 {
  readonly name: string;
  readonly pl0Read?: boolean;
  readonly pl0Write?: boolean;
  pl0Access?(cpu: Cpu, isWrite: boolean): boolean;
  trapsToHyp?(cpu: Cpu, isWrite: boolean): boolean;
  read?(cp15: Cp15, cpu: Cpu): void;
  write?(cp15: Cp15, cpu: Cpu, low: number, high: number): void;
}

export function cp15Key(opc1: number, crn: number, crm: number, opc2: number): number {
  return (opc1 << 12) | (crn << 8) | (crm << 4) | opc2;
}

/** SCTLR bits the processor itself consults (B4.1.130). */
export const SCTLR_M = 1 << 0;
export const SCTLR_A = 1 << 1;
export const SCTLR_V = 1 << 13;
/** WXN (B4.1.130; the same bit in HSCTLR, B4.1.67): writable memory is execute-never. */
export const SCTLR_WXN = 1 << 19;
export const SCTLR_EE = 1 << 25;
export const SCTLR_TE = 1 << 30;

const MIDR = 0x414fc0f0;
const SCTLR_RESET = 0x00c50078;

/**
 * Where a processor sits in its machine, for the registers that report it: MPIDR (B4.1.106)
 * and the Cortex-A15's L2CTLR. QEMU's virt numbers processors 0..n-1 in cluster 0 (Aff0 = index
 * for up to 8 CPUs with a GICv2) and sets MPIDR bit 31 (multiprocessing extensions format),
 * with U (bit 30) clear even for one CPU: MPIDR = 0x80000000 | index.
 */
export interface ProcessorTopology {
  /** This processor's index (MPIDR.Aff0). */
  readonly index: number;
  /** How many processors the cluster has. */
  readonly count: number;
}

export const UNIPROCESSOR: ProcessorTopology = { index: 0, count: 1 };

export class Cp15 {
  /** MIDR and MPIDR as the physical processor reports them (B4.1.105, B4.1.106). */
  readonly midr = MIDR;
  readonly mpidr: number;
  sctlr = SCTLR_RESET;
  actlr = 0;
  cpacr = 0;
  vbar = 0;
  tpidrurw = 0;
  tpidruro = 0;
  tpidrprw = 0;
  contextidr = 0;
  /** TTBR0/TTBR1 bits [31:0], and [63:32] of their 64-bit (LPAE) form. */
  ttbr0 = 0;
  ttbr1 = 0;
  ttbr0High = 0;
  ttbr1High = 0;
  ttbcr = 0;
  dacr = 0;
  dfsr = 0;
  ifsr = 0;
  dfar = 0;
  ifar = 0;
  prrr = 0x000a2aa4;
  nmrr = 0x44e048e0;
  /** PAR bits [31:0], and [63:32] of its 64-bit form. */
  par = 0;
  parHigh = 0;
  cssel = 0;

  // Hyp mode's registers (B4.1, "Virtualization Extensions registers"). Their CP15 encodings are
  // defined by the modules that use them: hyp/ (traps, syndromes, identification) and mmu/
  // (Hyp's stage 1 and stage 2 translation).
  /** HCR (B4.1.65), bits as hyp/hcr.ts. */
  hcr = 0;
  hstr = 0;
  hcptr = 0;
  hdcr = 0;
  hactlr = 0;
  hsctlr = 0;
  hvbar = 0;
  /** HTPIDR (B4.1.72): Hyp mode's software thread ID (Xen keeps its per-CPU offset there). */
  htpidr = 0;
  hsr = 0;
  hdfar = 0;
  hifar = 0;
  hpfar = 0;
  /** VPIDR/VMPIDR: what MIDR/MPIDR read as at Non-secure PL1 (B4.1.160, B4.1.161). */
  vpidr = 0;
  vmpidr = 0;
  /** HTTBR, HTCR, HMAIR0/1: Hyp's stage 1 (B3.6.4, always the long-descriptor format). */
  httbr = 0;
  httbrHigh = 0;
  htcr = 0;
  hmair0 = 0;
  hmair1 = 0;
  /** VTTBR (VMID in [55:48]) and VTCR: the stage 2 translation of the PL1&0 regime (B3.6.5). */
  vttbr = 0;
  vttbrHigh = 0;
  vtcr = 0;
  /** Derived from SCTLR.A: every unaligned data access faults. */
  alignmentCheck = false;
  /**
   * Set by the MMU (mmu/mmu.ts): called when SCTLR is written and on reset, so translation state
   * derived from these registers (SCTLR.M, the TLB) is recomputed.
   */
  translationControlChanged: () => void = () => {};
  /** The halves a 64-bit register read leaves for MRRC. */
  low = 0;
  high = 0;

  private readonly registers = new Map<number, Cp15Register>();
  private readonly registers64 = new Map<number, Cp15Register64>();

  constructor(
    readonly features: { readonly hasEl2: boolean; readonly hasEl3: boolean; readonly hasNeon: boolean },
    readonly topology: ProcessorTopology = UNIPROCESSOR,
  ) {
    this.mpidr = (0x80000000 | (topology.index & 0xff)) | 0;
    this.defineRegisters();
  }

  reset(): void {
    this.actlr = this.cpacr = this.vbar = 0;
    // Hyp registers, as QEMU resets a cortex-a15: zero, but VPIDR/VMPIDR = MIDR/MPIDR and
    // HDCR.HPMN = PMCR.N (B4.1.67).
    this.hcr = this.hstr = this.hcptr = this.hactlr = this.hsctlr = this.hvbar = this.htpidr = 0;
    this.hsr = this.hdfar = this.hifar = this.hpfar = 0;
    this.httbr = this.httbrHigh = this.htcr = this.hmair0 = this.hmair1 = this.vttbr = this.vttbrHigh = this.vtcr = 0;
    this.hdcr = PMU_EVENT_COUNTERS;
    this.vpidr = this.midr;
    this.vmpidr = this.mpidr;
    this.tpidrurw = this.tpidruro = this.tpidrprw = this.contextidr = 0;
    this.ttbr0 = this.ttbr1 = this.ttbr0High = this.ttbr1High = this.ttbcr = this.dacr = 0;
    this.dfsr = this.ifsr = this.dfar = this.ifar = this.par = this.parHigh = this.cssel = 0;
    this.writeSctlr(SCTLR_RESET);
  }

  writeSctlr(value: number): void {
    this.sctlr = value | 0;
    this.alignmentCheck = (value & SCTLR_A) !== 0;
    this.translationControlChanged();
  }

  lookup(opc1: number, crn: number, crm: number, opc2: number): Cp15Register | undefined {
    return this.registers.get(cp15Key(opc1, crn, crm, opc2));
  }

  lookup64(opc1: number, crm: number): Cp15Register64 | undefined {
    return this.registers64.get((opc1 << 4) | crm);
  }

  /**
   * Adds a register. Other parts of the processor that own CP15 registers (the MMU, the generic
   * timer) define theirs through this, so each stays beside the state it describes.
   */
  define(opc1: number, crn: number, crm: number, opc2: number, register: Cp15Register): void {
    this.registers.set(cp15Key(opc1, crn, crm, opc2), register);
  }

  define64(opc1: number, crm: number, register: Cp15Register64): void {
    this.registers64.set((opc1 << 4) | crm, register);
  }

  private constant(opc1: number, crn: number, crm: number, opc2: number, name: string, value: number): void {
    this.define(opc1, crn, crm, opc2, { name, read: () => value });
  }

  /** A write-only operation that has no effect on this model (cache maintenance and barriers). */
  private operation(opc1: number, crn: number, crm: number, opc2: number, name: string, pl0 = false): void {
    this.define(opc1, crn, crm, opc2, { name, pl0Write: pl0, write: () => {} });
  }

  private defineRegisters(): void {
    const { hasEl2, hasEl3, hasNeon } = this.features;
    // Identification (B4.1.105 MIDR, B4.1.89 ID_PFR1 ...), Cortex-A15 values. With the
    // Virtualization Extensions, MIDR and MPIDR read VPIDR and VMPIDR outside Hyp mode (and
    // Monitor mode, which is Secure).
    const virtualIds = (cpu: Cpu): boolean => hasEl2 && cpu.mode !== Mode.Hyp && cpu.mode !== Mode.Mon;
    const midr: Cp15Register = { name: 'MIDR', read: (c, cpu) => (virtualIds(cpu) ? c.vpidr : c.midr) };
    this.define(0, 0, 0, 0, midr);
    this.constant(0, 0, 0, 1, 'CTR', 0x8444c004);
    this.constant(0, 0, 0, 2, 'TCMTR', 0);
    this.constant(0, 0, 0, 3, 'TLBTR', 0);
    this.define(0, 0, 0, 4, midr);
    this.define(0, 0, 0, 5, { name: 'MPIDR', read: (c, cpu) => (virtualIds(cpu) ? c.vmpidr : c.mpidr) });
    this.constant(0, 0, 0, 6, 'REVIDR', 0);
    this.define(0, 0, 0, 7, midr);
    this.constant(0, 0, 1, 0, 'ID_PFR0', 0x00001131);
    // ID_PFR1: Virtualization [15:12] and Security [7:4] read as implemented only when the board
    // gives the CPU EL2 / EL3, as QEMU's virt does.
    this.constant(0, 0, 1, 1, 'ID_PFR1', 0x00010001 | (hasEl2 ? 0x1000 : 0) | (hasEl3 ? 0x10 : 0));
    this.constant(0, 0, 1, 2, 'ID_DFR0', 0x02010555);
    this.constant(0, 0, 1, 3, 'ID_AFR0', 0);
    this.constant(0, 0, 1, 4, 'ID_MMFR0', 0x10201105);
    this.constant(0, 0, 1, 5, 'ID_MMFR1', 0x20000000);
    this.constant(0, 0, 1, 6, 'ID_MMFR2', 0x01240000);
    this.constant(0, 0, 1, 7, 'ID_MMFR3', 0x02102211);
    this.constant(0, 0, 2, 0, 'ID_ISAR0', 0x02101110);
    this.constant(0, 0, 2, 1, 'ID_ISAR1', 0x13112111);
    this.constant(0, 0, 2, 2, 'ID_ISAR2', 0x21232041);
    this.constant(0, 0, 2, 3, 'ID_ISAR3', 0x11112131);
    this.constant(0, 0, 2, 4, 'ID_ISAR4', 0x10011142);
    this.constant(0, 0, 2, 5, 'ID_ISAR5', 0);
    // The rest of the feature ID space, {c0, 0, c2, 6-7} and {c0, 0, c3-c7, 0-7}, is reserved and
    // Read-As-Zero (B4.1, table B3-42 "Identification registers"): software probing later
    // architecture versions' registers (ID_MMFR4, ID_PFR2..., as Xen does) reads zero.
    for (let crm = 2; crm <= 7; crm++) {
      for (let opc2 = crm === 2 ? 6 : 0; opc2 < 8; opc2++) this.constant(0, 0, crm, opc2, 'reserved ID', 0);
    }
    const ccsidr = [0x701fe00a, 0x201fe00a, 0x711fe07a];
    this.define(1, 0, 0, 0, { name: 'CCSIDR', read: (c) => ccsidr[c.cssel & 0xf] ?? 0 });
    this.constant(1, 0, 0, 1, 'CLIDR', 0x0a200023);
    this.constant(1, 0, 0, 7, 'AIDR', 0);
    this.define(2, 0, 0, 0, {
      name: 'CSSELR',
      read: (c) => c.cssel,
      write: (c, _cpu, v) => { c.cssel = v & 0xf; },
    });

    // System control (B4.1.130 SCTLR, B4.1.40 CPACR).
    this.define(0, 1, 0, 0, { name: 'SCTLR', read: (c) => c.sctlr, write: (c, _cpu, v) => c.writeSctlr(v) });
    this.define(0, 1, 0, 1, { name: 'ACTLR', read: (c) => c.actlr, write: (c, _cpu, v) => { c.actlr = v; } });
    this.define(0, 1, 0, 2, {
      name: 'CPACR',
      read: (c) => c.cpacr,
      // cp10/cp11 access fields are writable; ASEDIS reads as one without Advanced SIMD.
      write: (c, _cpu, v) => {
        c.cpacr = (v & 0x00f00000) | (v & 0x40000000) | (hasNeon ? v & 0x80000000 : 0x80000000);
      },
    });

    // Translation table control, fault status/address, PAR, PRRR/NMRR, CONTEXTIDR, TLB
    // maintenance and address translation are the MMU's (mmu/registers.ts).
    // Auxiliary fault status (B4.1.7, B4.1.8): IMPLEMENTATION DEFINED; RAZ/WI here, as QEMU.
    this.define(0, 5, 1, 0, { name: 'ADFSR', read: () => 0, write: () => {} });
    this.define(0, 5, 1, 1, { name: 'AIFSR', read: () => 0, write: () => {} });

    // Cache and branch predictor maintenance (B4.2.1) are accepted; this model has no caches.
    // The Inner Shareable forms need no broadcast either: decoded instructions are kept coherent
    // with every write to RAM (decode-cache.ts), whichever processor makes it.
    this.operation(0, 7, 0, 4, 'CP15WFI');
    this.operation(0, 7, 1, 0, 'ICIALLUIS');
    this.operation(0, 7, 1, 6, 'BPIALLIS');
    this.operation(0, 7, 5, 0, 'ICIALLU');
    this.operation(0, 7, 5, 1, 'ICIMVAU');
    this.operation(0, 7, 5, 6, 'BPIALL');
    this.operation(0, 7, 5, 7, 'BPIMVA');
    this.operation(0, 7, 6, 1, 'DCIMVAC');
    this.operation(0, 7, 6, 2, 'DCISW');
    this.operation(0, 7, 10, 1, 'DCCMVAC');
    this.operation(0, 7, 10, 2, 'DCCSW');
    this.operation(0, 7, 11, 1, 'DCCMVAU');
    this.operation(0, 7, 14, 1, 'DCCIMVAC');
    this.operation(0, 7, 14, 2, 'DCCISW');
    // CP15 barrier operations are permitted at PL0 (B4.2.1, "CP15ISB, CP15DSB, CP15DMB").
    this.operation(0, 7, 5, 4, 'CP15ISB', true);
    this.operation(0, 7, 10, 4, 'CP15DSB', true);
    this.operation(0, 7, 10, 5, 'CP15DMB', true);
    // Software thread ID registers (B4.1.148-150).
    this.define(0, 13, 0, 2, {
      name: 'TPIDRURW', pl0Read: true, pl0Write: true,
      read: (c) => c.tpidrurw, write: (c, _cpu, v) => { c.tpidrurw = v; },
    });
    this.define(0, 13, 0, 3, {
      name: 'TPIDRURO', pl0Read: true,
      read: (c) => c.tpidruro, write: (c, _cpu, v) => { c.tpidruro = v; },
    });
    this.define(0, 13, 0, 4, { name: 'TPIDRPRW', read: (c) => c.tpidrprw, write: (c, _cpu, v) => { c.tpidrprw = v; } });

    // Vector base (B4.1.156 VBAR): bits [4:0] are RES0.
    this.define(0, 12, 0, 0, { name: 'VBAR', read: (c) => c.vbar, write: (c, _cpu, v) => { c.vbar = v & ~0x1f; } });

    // Cortex-A15 implementation defined: L2CTLR[25:24] is the number of CPUs minus one (TRM
    // 4.3.53), as QEMU's a15_l2ctlr_read reports it.
    this.constant(1, 9, 0, 2, 'L2CTLR', ((this.topology.count - 1) & 3) << 24);
    this.define(1, 9, 0, 3, { name: 'L2ECTLR', read: () => 0, write: () => {} });
    this.constant(4, 15, 0, 0, 'CBAR', 0x08000000);
  }
}
