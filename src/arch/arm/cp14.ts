import { cp15Key, type Cp15Register } from './cp15.js';

/**
 * CP14: the ThumbEE registers and the debug registers an operating system reads at PL1 (ARM ARM
 * A2.10, C11 "The Debug Registers"), as QEMU 7.2
 * exposes them for a Cortex-A15 (target/arm/debug_helper.c debug_cp_reginfo, define_debug_regs):
 * identification, DBGDSCR, the OS lock, dummy vector catch/DCC registers, and 6 breakpoint and
 * 4 watchpoint register pairs that hold their values. Debug events themselves are not generated.
 */

/** DBGDIDR of the Cortex-A15 (QEMU cortex_a15_initfn): 4 WRPs, 6 BRPs, v7.1 debug. */
const DBGDIDR = 0x3515f021;
const BREAKPOINTS = 6;
const WATCHPOINTS = 4;
/** OSLSR reset value (QEMU's 10): OSLM = 0b10 (OS lock implemented) and OSLK = 1, locked. */
const OSLSR_RESET = 10;
/** OSLAR key that locks the OS lock in AArch32 (DBGOSLAR). */
const OSLAR_KEY = 0xc5acce55 | 0;

export class Cp14 {
  /** ThumbEE configuration and handler base (ARM ARM A2.10, B4.1.152-153 TEECR/TEEHBR). */
  teecr = 0;
  teehbr = 0;
  dscr = 0;
  oslsr = OSLSR_RESET;
  readonly bvr = new Int32Array(BREAKPOINTS);
  readonly bcr = new Int32Array(BREAKPOINTS);
  readonly wvr = new Int32Array(WATCHPOINTS);
  readonly wcr = new Int32Array(WATCHPOINTS);
  private readonly registers = new Map<number, Cp15Register>();

  constructor() {
    this.defineRegisters();
  }

  reset(): void {
    this.teecr = 0;
    this.teehbr = 0;
    this.dscr = 0;
    this.oslsr = OSLSR_RESET;
    this.bvr.fill(0);
    this.bcr.fill(0);
    this.wvr.fill(0);
    this.wcr.fill(0);
  }

  /** The CP14 register at {opc1, CRn, CRm, opc2}, if any. */
  lookup(opc1: number, crn: number, crm: number, opc2: number): Cp15Register | undefined {
    return this.registers.get(cp15Key(opc1, crn, crm, opc2));
  }

  private define(crn: number, crm: number, opc2: number, reg: Cp15Register, opc1 = 0): void {
    this.registers.set(cp15Key(opc1, crn, crm, opc2), reg);
  }

  /** Reads as zero, writes ignored (QEMU ARM_CP_NOP). */
  private dummy(crn: number, crm: number, opc2: number, name: string): void {
    this.define(crn, crm, opc2, { name, read: () => 0, write: () => {} });
  }

  private defineRegisters(): void {
    // Jazelle, as a trivial implementation (ID_PFR0.Jazelle = 1; A2.10, "Trivial implementation of the Jazelle extension"):
    // JIDR reads as zero, JOSCR and JMCR are RAZ/WI, at PL1 (QEMU jazelle_regs). Xen saves and
    // restores JOSCR/JMCR on every context switch.
    this.define(0, 0, 0, { name: 'JIDR', read: () => 0 }, 7);
    this.define(1, 0, 0, { name: 'JOSCR', read: () => 0, write: () => {} }, 7);
    this.define(2, 0, 0, { name: 'JMCR', read: () => 0, write: () => {} }, 7);
    // ThumbEE (ID_PFR0 advertises it, and Linux's thumbee_notifier touches TEEHBR): TEECR is PL1
    // only; TEEHBR is PL0-accessible unless TEECR.XED is set (as QEMU's teehbr_access).
    this.define(0, 0, 0, { name: 'TEECR', read: () => this.teecr, write: (_c, _cpu, v) => { this.teecr = v & 1; } }, 6);
    this.define(1, 0, 0, {
      name: 'TEEHBR',
      pl0Access: () => (this.teecr & 1) === 0,
      read: () => this.teehbr,
      write: (_c, _cpu, v) => { this.teehbr = v; },
    }, 6);
    this.define(0, 0, 0, { name: 'DBGDIDR', pl0Read: true, read: () => DBGDIDR });
    this.define(1, 0, 0, { name: 'DBGDRAR', pl0Read: true, read: () => 0 });
    this.define(2, 0, 0, { name: 'DBGDSAR', pl0Read: true, read: () => 0 });
    this.define(0, 1, 0, { name: 'DBGDSCRint', read: () => this.dscr });
    this.define(0, 2, 2, { name: 'DBGDSCRext', read: () => this.dscr, write: (_c, _cpu, v) => { this.dscr = v; } });
    this.dummy(0, 2, 0, 'DBGDCCINT');
    this.dummy(0, 7, 0, 'DBGVCR');
    this.define(1, 0, 4, {
      name: 'DBGOSLAR',
      write: (_c, _cpu, v) => { this.oslsr = (this.oslsr & ~2) | (v === OSLAR_KEY ? 2 : 0); },
    });
    this.define(1, 1, 4, { name: 'DBGOSLSR', read: () => this.oslsr });
    this.dummy(1, 3, 4, 'DBGOSDLR');
    for (let i = 0; i < BREAKPOINTS; i++) {
      this.define(0, i, 4, { name: `DBGBVR${i}`, read: () => this.bvr[i]!, write: (_c, _cpu, v) => { this.bvr[i] = v; } });
      this.define(0, i, 5, {
        name: `DBGBCR${i}`,
        read: () => this.bcr[i]!,
        // BAS[3] and BAS[1] are read-only copies of BAS[2] and BAS[0] (QEMU dbgbcr_write).
        write: (_c, _cpu, v) => { this.bcr[i] = (v & ~0x140) | ((v & 0x20) << 1) | ((v & 0x80) << 1); },
      });
    }
    for (let i = 0; i < WATCHPOINTS; i++) {
      this.define(0, i, 6, { name: `DBGWVR${i}`, read: () => this.wvr[i]!, write: (_c, _cpu, v) => { this.wvr[i] = v & ~3; } });
      this.define(0, i, 7, { name: `DBGWCR${i}`, read: () => this.wcr[i]!, write: (_c, _cpu, v) => { this.wcr[i] = v; } });
    }
  }
}
