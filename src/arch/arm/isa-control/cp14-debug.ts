import type { Cpu } from '../cpu.js';
import { cp15Key, type Cp15Register } from '../cp15.js';

/**
 * CP14 debug registers that an operating system reads at PL1 (ARM ARM C11 "The Debug Registers"), as QEMU 7.2
 * exposes them for a Cortex-A15 (target/arm/debug_helper.c debug_cp_reginfo, define_debug_regs):
 * identification, DBGDSCR, the OS lock, dummy vector catch/DCC registers, and 6 breakpoint and
 * 4 watchpoint register pairs that hold their values. Debug events themselves are not generated.
 * The state lives beside the processor (WeakMap) until the CPU model gains a debug block.
 */

/** DBGDIDR of the Cortex-A15 (QEMU cortex_a15_initfn): 4 WRPs, 6 BRPs, v7.1 debug. */
const DBGDIDR = 0x3515f021;
const BREAKPOINTS = 6;
const WATCHPOINTS = 4;
/** OSLSR reset value (QEMU's 10): OSLM = 0b10 (OS lock implemented) and OSLK = 1, locked. */
const OSLSR_RESET = 10;
/** OSLAR key that locks the OS lock in AArch32 (DBGOSLAR). */
const OSLAR_KEY = 0xc5acce55 | 0;

class DebugState {
  dscr = 0;
  oslsr = OSLSR_RESET;
  readonly bvr = new Int32Array(BREAKPOINTS);
  readonly bcr = new Int32Array(BREAKPOINTS);
  readonly wvr = new Int32Array(WATCHPOINTS);
  readonly wcr = new Int32Array(WATCHPOINTS);
}

const states = new WeakMap<Cpu, DebugState>();

function state(cpu: Cpu): DebugState {
  let s = states.get(cpu);
  if (s === undefined) {
    s = new DebugState();
    states.set(cpu, s);
  }
  return s;
}

const registers = new Map<number, Cp15Register>();

function define(crn: number, crm: number, opc2: number, reg: Cp15Register): void {
  registers.set(cp15Key(0, crn, crm, opc2), reg);
}

/** Reads as zero, writes ignored (QEMU ARM_CP_NOP). */
function dummy(crn: number, crm: number, opc2: number, name: string): void {
  define(crn, crm, opc2, { name, read: () => 0, write: () => {} });
}

define(0, 0, 0, { name: 'DBGDIDR', pl0Read: true, read: () => DBGDIDR });
define(1, 0, 0, { name: 'DBGDRAR', pl0Read: true, read: () => 0 });
define(2, 0, 0, { name: 'DBGDSAR', pl0Read: true, read: () => 0 });
define(0, 1, 0, { name: 'DBGDSCRint', read: (_c, cpu) => state(cpu).dscr });
define(0, 2, 2, {
  name: 'DBGDSCRext',
  read: (_c, cpu) => state(cpu).dscr,
  write: (_c, cpu, v) => { state(cpu).dscr = v; },
});
dummy(0, 2, 0, 'DBGDCCINT');
dummy(0, 7, 0, 'DBGVCR');
define(1, 0, 4, {
  name: 'DBGOSLAR',
  write: (_c, cpu, v) => {
    const s = state(cpu);
    s.oslsr = (s.oslsr & ~2) | (v === OSLAR_KEY ? 2 : 0);
  },
});
define(1, 1, 4, { name: 'DBGOSLSR', read: (_c, cpu) => state(cpu).oslsr });
dummy(1, 3, 4, 'DBGOSDLR');
for (let i = 0; i < BREAKPOINTS; i++) {
  define(0, i, 4, {
    name: `DBGBVR${i}`,
    read: (_c, cpu) => state(cpu).bvr[i]!,
    write: (_c, cpu, v) => { state(cpu).bvr[i] = v; },
  });
  define(0, i, 5, {
    name: `DBGBCR${i}`,
    read: (_c, cpu) => state(cpu).bcr[i]!,
    // BAS[3] and BAS[1] are read-only copies of BAS[2] and BAS[0] (QEMU dbgbcr_write).
    write: (_c, cpu, v) => { state(cpu).bcr[i] = (v & ~0x140) | ((v & 0x20) << 1) | ((v & 0x80) << 1); },
  });
}
for (let i = 0; i < WATCHPOINTS; i++) {
  define(0, i, 6, {
    name: `DBGWVR${i}`,
    read: (_c, cpu) => state(cpu).wvr[i]!,
    write: (_c, cpu, v) => { state(cpu).wvr[i] = v & ~3; },
  });
  define(0, i, 7, {
    name: `DBGWCR${i}`,
    read: (_c, cpu) => state(cpu).wcr[i]!,
    write: (_c, cpu, v) => { state(cpu).wcr[i] = v; },
  });
}

/** The CP14 register at {opc1, CRn, CRm, opc2}, if any. */
export function lookupDebugRegister(opc1: number, crn: number, crm: number, opc2: number): Cp15Register | undefined {
  return registers.get(cp15Key(opc1, crn, crm, opc2));
}
