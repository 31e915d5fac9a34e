import type { Cp15 } from './cp15.js';
import type { Cpu } from './cpu.js';

/**
 * PMCR's read-only fields as QEMU's cortex-a15 reports them (reset_pmcr_el0 0x410F3000):
 * IMP 0x41 (ARM), IDCODE 0x0F, N = 6 event counters (Cortex-A15 TRM 11.8.1).
 */
const PMCR_ID = 0x410f3000;
export const PMU_EVENT_COUNTERS = 6;
/** PMCR bits (ARM ARM B4.1.117). */
const PMCR_E = 1 << 0;
const PMCR_P = 1 << 1;
const PMCR_C = 1 << 2;
const PMCR_D = 1 << 3;
/** E, D, X (bit 4) and DP (bit 5) are writable; P and C act and read as zero. */
const PMCR_WRITABLE = 0x39;
/** Bit 31 is the cycle counter's in PMCNTENSET/CLR, PMOVSR and PMINTENSET/CLR; bits [N-1:0] the event counters'. */
const CYCLE_COUNTER_BIT = 0x80000000;
const COUNTER_BITS = (CYCLE_COUNTER_BIT | ((1 << PMU_EVENT_COUNTERS) - 1)) >>> 0;
/** PMXEVTYPER: P, U, NSK, NSU, NSH filter bits [31:27] and evtCount [7:0] (B4.1.123). */
const EVTYPER_MASK = 0xf80000ff;
/** Common events this model counts (ARM ARM C12.8 "Event numbers"). */
const EVENT_SOFTWARE_INCREMENT = 0x00;
const EVENT_INSTRUCTIONS_RETIRED = 0x08;
const EVENT_CPU_CYCLES = 0x11;
/** PMUSERENR.EN: PL0 may use the PMU registers other than PMUSERENR and PMINTENSET/CLR (B4.1.124). */
const PMUSERENR_EN = 1;

/**
 * The Performance Monitors Extension (PMUv2, ARM ARM C12 and B4.1.116-B4.1.125) as CP15 c9
 * registers: PMCR, PMCNTENSET/CLR, PMOVSR, PMSWINC, PMSELR, PMCCNTR, PMXEVTYPER, PMXEVCNTR,
 * PMUSERENR, PMINTENSET/CLR. Time is virtual: one instruction is one cycle, so the cycle counter
 * (divided by 64 with PMCR.D) and events 0x08 (instructions) and 0x11 (cycles) count executed
 * instructions; event 0x00 counts PMSWINC writes; other events do not count. Counters are brought
 * up to date lazily, whenever a PMU register is accessed, and set their PMOVSR bit when they wrap.
 *
 * Not modelled: the mode filters of PMXEVTYPER (stored, not applied), the overflow interrupt
 * (QEMU's virt tree describes no PMU interrupt for an ARMv7 processor, so no driver enables it),
 * and PMCEID0/1, which QEMU's Cortex-A15 leaves UNDEFINED as here.
 */
export class PerformanceMonitors {
  private control = 0;
  private enabled = 0;
  private overflow = 0;
  private interruptEnable = 0;
  private select = 0;
  private userEnable = 0;
  private cycleCounter = 0;
  /** Instructions not yet counted by the cycle counter in divide-by-64 mode. */
  private cycleRemainder = 0;
  private readonly eventType = new Uint32Array(PMU_EVENT_COUNTERS);
  private readonly eventCounter = new Uint32Array(PMU_EVENT_COUNTERS);
  /** The processor's instruction count when the counters were last brought up to date. */
  private syncedAt = 0;

  reset(): void {
    this.control = this.enabled = this.overflow = this.interruptEnable = this.select = this.userEnable = 0;
    this.cycleCounter = this.cycleRemainder = 0;
    this.eventType.fill(0);
    this.eventCounter.fill(0);
  }

  install(cp15: Cp15): void {
    const user = (_cpu: Cpu, _isWrite: boolean) => (this.userEnable & PMUSERENR_EN) !== 0;
    const reg = (crm: number, opc2: number, name: string, read: (cpu: Cpu) => number, write?: (cpu: Cpu, v: number) => void, pl0 = true) =>
      cp15.define(0, 9, crm, opc2, {
        name,
        ...(pl0 ? { pl0Access: user } : {}),
        read: (_c, cpu) => {
          this.sync(cpu);
          return read(cpu) | 0;
        },
        ...(write ? { write: (_c: Cp15, cpu: Cpu, v: number) => { this.sync(cpu); write(cpu, v >>> 0); } } : {}),
      });
    reg(12, 0, 'PMCR', () => PMCR_ID | this.control, (_cpu, v) => this.writeControl(v));
    reg(12, 1, 'PMCNTENSET', () => this.enabled, (_cpu, v) => { this.enabled = (this.enabled | (v & COUNTER_BITS)) >>> 0; });
    reg(12, 2, 'PMCNTENCLR', () => this.enabled, (_cpu, v) => { this.enabled = (this.enabled & ~v) >>> 0; });
    reg(12, 3, 'PMOVSR', () => this.overflow, (_cpu, v) => { this.overflow = (this.overflow & ~v) >>> 0; });
    reg(12, 4, 'PMSWINC', () => 0, (_cpu, v) => this.softwareIncrement(v));
    reg(12, 5, 'PMSELR', () => this.select, (_cpu, v) => { this.select = v & 0x1f; });
    reg(13, 0, 'PMCCNTR', () => this.cycleCounter, (_cpu, v) => { this.cycleCounter = v; this.cycleRemainder = 0; });
    reg(13, 1, 'PMXEVTYPER', () => (this.select < PMU_EVENT_COUNTERS ? this.eventType[this.select]! : 0), (_cpu, v) => {
      if (this.select < PMU_EVENT_COUNTERS) this.eventType[this.select] = v & EVTYPER_MASK;
    });
    reg(13, 2, 'PMXEVCNTR', () => (this.select < PMU_EVENT_COUNTERS ? this.eventCounter[this.select]! : 0), (_cpu, v) => {
      if (this.select < PMU_EVENT_COUNTERS) this.eventCounter[this.select] = v;
    });
    // PMUSERENR is readable at PL0 and writable only at PL1; PMINTENSET/CLR are PL1 only.
    cp15.define(0, 9, 14, 0, {
      name: 'PMUSERENR', pl0Read: true,
      read: () => this.userEnable,
      write: (_c, _cpu, v) => { this.userEnable = v & PMUSERENR_EN; },
    });
    reg(14, 1, 'PMINTENSET', () => this.interruptEnable, (_cpu, v) => { this.interruptEnable = (this.interruptEnable | (v & COUNTER_BITS)) >>> 0; }, false);
    reg(14, 2, 'PMINTENCLR', () => this.interruptEnable, (_cpu, v) => { this.interruptEnable = (this.interruptEnable & ~v) >>> 0; }, false);
  }

  /** Counts the instructions `cpu` executed since the last access into the running counters. */
  private sync(cpu: Cpu): void {
    const elapsed = cpu.instructionCount - this.syncedAt;
    this.syncedAt = cpu.instructionCount;
    if ((this.control & PMCR_E) === 0 || elapsed <= 0) return;
    if ((this.enabled & CYCLE_COUNTER_BIT) !== 0) {
      let ticks = elapsed;
      if ((this.control & PMCR_D) !== 0) {
        ticks = Math.floor((elapsed + this.cycleRemainder) / 64);
        this.cycleRemainder = (elapsed + this.cycleRemainder) % 64;
      }
      const sum = this.cycleCounter + ticks;
      if (sum > 0xffffffff) this.overflow = (this.overflow | CYCLE_COUNTER_BIT) >>> 0;
      this.cycleCounter = sum % 0x100000000;
    }
    for (let i = 0; i < PMU_EVENT_COUNTERS; i++) {
      const event = this.eventType[i]! & 0xff;
      if ((this.enabled & (1 << i)) === 0 || (event !== EVENT_INSTRUCTIONS_RETIRED && event !== EVENT_CPU_CYCLES)) continue;
      this.addToEventCounter(i, elapsed);
    }
  }

  private addToEventCounter(i: number, count: number): void {
    const sum = this.eventCounter[i]! + count;
    if (sum > 0xffffffff) this.overflow = (this.overflow | (1 << i)) >>> 0;
    this.eventCounter[i] = sum % 0x100000000;
  }

  private writeControl(value: number): void {
    if ((value & PMCR_C) !== 0) {
      this.cycleCounter = 0;
      this.cycleRemainder = 0;
    }
    if ((value & PMCR_P) !== 0) this.eventCounter.fill(0);
    this.control = value & PMCR_WRITABLE;
  }

  private softwareIncrement(value: number): void {
    if ((this.control & PMCR_E) === 0) return;
    for (let i = 0; i < PMU_EVENT_COUNTERS; i++) {
      if ((value & (1 << i)) !== 0 && (this.enabled & (1 << i)) !== 0 && (this.eventType[i]! & 0xff) === EVENT_SOFTWARE_INCREMENT) {
        this.addToEventCounter(i, 1);
      }
    }
  }
}
