import type { Cp15, Cp15Register, Cp15Register64 } from './cp15.js';
import type { Cpu } from './cpu.js';
import { Mode } from './modes.js';

/**
 * The Generic Timer of one processor (ARM ARM B8, CP15 interface B8.2 / B4.1.21-B4.1.36): the
 * system counter as CNTPCT and, offset by CNTVOFF, CNTVCT (B8.1.2); the frequency register
 * CNTFRQ; the PL0 access controls CNTKCTL; the PL1 physical and virtual timers and, with the
 * Virtualization Extensions, the Hyp (PL2) physical timer, each a 64-bit compare value with a
 * 32-bit signed down-counter view (TVAL) and a control register (ENABLE, IMASK, ISTATUS). The
 * virtual timer compares against CNTVCT, the others against CNTPCT. Each timer drives one
 * interrupt output (a PPI at the GIC) at the level ENABLE && ISTATUS && !IMASK (B8.2.4).
 * CNTHCTL (Hyp mode only) says whether PL1 and PL0 may reach the physical counter and timer.
 *
 * The counter comes from `counter()`, which the board derives from virtual time, so the timer
 * never looks at the host clock itself. 64-bit values are kept as two 32-bit halves and
 * computed on without allocating.
 */

/** QEMU virt's counter frequency (GTIMER_SCALE 16 ns → 62.5 MHz), what CNTFRQ reads after reset. */
export const COUNTER_FREQUENCY_HZ = 62_500_000;

export const CNT_CTL_ENABLE = 1 << 0;
export const CNT_CTL_IMASK = 1 << 1;
export const CNT_CTL_ISTATUS = 1 << 2;

/** CNTKCTL bits (B4.1.26). */
const CNTKCTL_PL0PCTEN = 1 << 0;
const CNTKCTL_PL0VCTEN = 1 << 1;
const CNTKCTL_PL0VTEN = 1 << 8;
const CNTKCTL_PL0PTEN = 1 << 9;

/** CNTHCTL bits (B4.1.22): PL1 (and so PL0) access to the physical counter and to the physical timer. */
export const CNTHCTL_PL1PCTEN = 1 << 0;
export const CNTHCTL_PL1PCEN = 1 << 1;
/** CNTHCTL after reset: both accesses allowed. Architecturally UNKNOWN; QEMU resets it to 3. */
const CNTHCTL_RESET = CNTHCTL_PL1PCTEN | CNTHCTL_PL1PCEN;

export const enum TimerIndex {
  Physical = 0,
  Virtual = 1,
  /** The Hyp mode physical timer, CNTHP_* (Virtualization Extensions). */
  Hyp = 2,
}

const TIMER_COUNT = 3;
const TWO_32 = 0x1_0000_0000;

/** A timer's interrupt output (a GIC PPI line); structurally hw's InterruptLine. */
export interface TimerOutput {
  set(level: boolean): void;
}

/** The timer's guest-visible state by name (versioned), for snapshots. Arrays are by TimerIndex. */
export interface GenericTimerSnapshot {
  readonly version: 2;
  readonly frequency: number;
  readonly kernelControl: number;
  readonly hypControl: number;
  readonly virtualOffsetLow: number;
  readonly virtualOffsetHigh: number;
  readonly control: readonly number[];
  readonly compareLow: readonly number[];
  readonly compareHigh: readonly number[];
}

/**
 * Whether an access from outside Hyp mode to the physical counter (enable = CNTHCTL_PL1PCTEN) or
 * the physical timer (CNTHCTL_PL1PCEN) is trapped to Hyp mode (B4.1.22 CNTHCTL; B1.14 "Traps to
 * the hypervisor"): only a processor with the Virtualization Extensions has the control. At PL0
 * the CNTKCTL check comes first (an UNDEFINED access is not trapped), as QEMU's gt_counter_access.
 */
export function physicalAccessTrapsToHyp(cpu: Cpu, hypControl: number, enable: number): boolean {
  return cpu.features.hasEl2 && cpu.mode !== Mode.Hyp && (hypControl & enable) === 0;
}

export class GenericTimer {
  frequency = COUNTER_FREQUENCY_HZ;
  kernelControl = 0;
  /** CNTHCTL: PL1PCTEN, PL1PCEN (and the event stream fields, kept as written). */
  hypControl = CNTHCTL_RESET;
  /** CNTVOFF halves (B4.1.35): CNTVCT = CNTPCT - CNTVOFF modulo 2^64. */
  virtualOffsetLow = 0;
  virtualOffsetHigh = 0;
  /** CNTx_CTL ENABLE and IMASK by timer (ISTATUS is computed). */
  readonly control = new Uint32Array(TIMER_COUNT);
  /** CNTx_CVAL halves by timer: [low, high]. */
  readonly compareLow = new Uint32Array(TIMER_COUNT);
  readonly compareHigh = new Uint32Array(TIMER_COUNT);
  private readonly outputLevel = new Uint8Array(TIMER_COUNT);
  /** The last count computed by `viewCount`, as halves. */
  private countLow = 0;
  private countHigh = 0;
  /** Called after a guest write that may move a timer's next event (the board re-plans its run slice). */
  onReprogram: () => void = () => {};

  constructor(
    private readonly counter: () => number,
    /** Outputs by TimerIndex: physical, virtual, Hyp. */
    private readonly outputs: readonly [TimerOutput, TimerOutput, TimerOutput],
  ) {}

  /** Reset values as QEMU's: CNTHCTL 3, everything else 0, CNTFRQ the counter's frequency. */
  reset(): void {
    this.frequency = COUNTER_FREQUENCY_HZ;
    this.kernelControl = 0;
    this.hypControl = CNTHCTL_RESET;
    this.virtualOffsetLow = this.virtualOffsetHigh = 0;
    this.control.fill(0);
    this.compareLow.fill(0);
    this.compareHigh.fill(0);
    this.update();
  }

  snapshot(): GenericTimerSnapshot {
    return {
      version: 2, frequency: this.frequency, kernelControl: this.kernelControl, hypControl: this.hypControl,
      virtualOffsetLow: this.virtualOffsetLow, virtualOffsetHigh: this.virtualOffsetHigh,
      control: [...this.control], compareLow: [...this.compareLow], compareHigh: [...this.compareHigh],
    };
  }

  /** Restores a snapshot; the counter itself belongs to the board's clock. */
  restore(snapshot: GenericTimerSnapshot): void {
    if (snapshot.version !== 2) throw new RangeError(`generic timer snapshot version ${String(snapshot.version)} is not 2`);
    this.frequency = snapshot.frequency;
    this.kernelControl = snapshot.kernelControl;
    this.hypControl = snapshot.hypControl;
    this.virtualOffsetLow = snapshot.virtualOffsetLow;
    this.virtualOffsetHigh = snapshot.virtualOffsetHigh;
    this.control.set(snapshot.control);
    this.compareLow.set(snapshot.compareLow);
    this.compareHigh.set(snapshot.compareHigh);
    this.reprogrammed();
  }

  /** The compare value as a number (exact below 2^53). */
  compareValue(timer: TimerIndex): number {
    return this.compareHigh[timer]! * TWO_32 + this.compareLow[timer]!;
  }

  /**
   * The count `timer` compares against at counter value `now`, left in countLow/countHigh:
   * CNTVCT = CNTPCT - CNTVOFF (modulo 2^64) for the virtual timer, CNTPCT for the others (B8.1.2).
   */
  private viewCount(timer: TimerIndex, now: number): void {
    const nowLow = now % TWO_32;
    const nowHigh = Math.floor(now / TWO_32);
    if (timer !== TimerIndex.Virtual) {
      this.countLow = nowLow;
      this.countHigh = nowHigh;
      return;
    }
    const low = nowLow - this.virtualOffsetLow;
    const borrow = low < 0 ? 1 : 0;
    this.countLow = low + borrow * TWO_32;
    this.countHigh = (nowHigh - this.virtualOffsetHigh - borrow) >>> 0;
  }

  /** CNTVCT at counter value `now`, as a number (exact below 2^53). */
  virtualCount(now = this.counter()): number {
    this.viewCount(TimerIndex.Virtual, now);
    return this.countHigh * TWO_32 + this.countLow;
  }

  /** ISTATUS (B8.2.4): the timer condition CompareValue <= Count (unsigned 64-bit), reported while the timer is enabled (as QEMU). */
  conditionMet(timer: TimerIndex, now = this.counter()): boolean {
    if ((this.control[timer]! & CNT_CTL_ENABLE) === 0) return false;
    this.viewCount(timer, now);
    const high = this.compareHigh[timer]!;
    return this.countHigh > high || (this.countHigh === high && this.countLow >= this.compareLow[timer]!);
  }

  readControl(timer: TimerIndex): number {
    return this.control[timer]! | (this.conditionMet(timer) ? CNT_CTL_ISTATUS : 0);
  }

  writeControl(timer: TimerIndex, value: number): void {
    this.control[timer] = value & (CNT_CTL_ENABLE | CNT_CTL_IMASK);
    this.reprogrammed();
  }

  /** TVAL read (B8.2.3): CompareValue - Count, the low 32 bits as a signed value. */
  readTimerValue(timer: TimerIndex): number {
    this.viewCount(timer, this.counter());
    return (this.compareLow[timer]! - this.countLow) | 0;
  }

  /** TVAL write: CompareValue = Count + SignExtend(value), modulo 2^64. */
  writeTimerValue(timer: TimerIndex, value: number): void {
    this.viewCount(timer, this.counter());
    const low = this.countLow + (value >>> 0);
    const carry = low >= TWO_32 ? 1 : 0;
    this.compareLow[timer] = low - carry * TWO_32;
    this.compareHigh[timer] = (this.countHigh + carry + ((value | 0) < 0 ? 0xffffffff : 0)) >>> 0;
    this.reprogrammed();
  }

  writeCompareValue(timer: TimerIndex, low: number, high: number): void {
    this.compareLow[timer] = low >>> 0;
    this.compareHigh[timer] = high >>> 0;
    this.reprogrammed();
  }

  /** CNTVOFF write: moves the virtual count, and so the virtual timer's next event. */
  writeVirtualOffset(low: number, high: number): void {
    this.virtualOffsetLow = low >>> 0;
    this.virtualOffsetHigh = high >>> 0;
    this.reprogrammed();
  }

  /** Counter value (CNTPCT) at which the next output rises, or Infinity when no enabled, unmasked timer is pending. */
  nextEvent(): number {
    const now = this.counter();
    let next = Number.POSITIVE_INFINITY;
    for (let t = 0; t < TIMER_COUNT; t++) {
      if ((this.control[t]! & (CNT_CTL_ENABLE | CNT_CTL_IMASK)) !== CNT_CTL_ENABLE || this.conditionMet(t, now)) continue;
      // Ticks until the count reaches the compare value: their 64-bit difference (count < compare here).
      const low = this.compareLow[t]! - this.countLow;
      const borrow = low < 0 ? 1 : 0;
      const at = now + (this.compareHigh[t]! - this.countHigh - borrow) * TWO_32 + low + borrow * TWO_32;
      if (at < next) next = at;
    }
    return next;
  }

  /** Brings the output levels up to date with the counter (called after time moves). */
  update(): void {
    const now = this.counter();
    for (let t = 0; t < TIMER_COUNT; t++) {
      const level = this.conditionMet(t, now) && (this.control[t]! & CNT_CTL_IMASK) === 0 ? 1 : 0;
      if (level !== this.outputLevel[t]) {
        this.outputLevel[t] = level;
        this.outputs[t]!.set(level !== 0);
      }
    }
  }

  private reprogrammed(): void {
    this.update();
    this.onReprogram();
  }

  /**
   * Defines CNTFRQ, CNTKCTL, CNTP_*, CNTV_*, CNTPCT and CNTVCT in `cp15` (B4.1.21-B4.1.36), and
   * with the Virtualization Extensions CNTVOFF, CNTHCTL and CNTHP_* (Hyp mode only).
   */
  install(cp15: Cp15): void {
    const kctl = () => this.kernelControl;
    const counterAccess = (bit: number) => (_cpu: Cpu, isWrite: boolean) => !isWrite && (kctl() & bit) !== 0;
    const hasEl2 = cp15.features.hasEl2;
    cp15.define(0, 14, 0, 0, {
      name: 'CNTFRQ',
      // Readable at PL0 when either counter is (B4.1.21); writable only at the highest
      // privilege level there is: PL1, or with the Virtualization Extensions Hyp mode (as QEMU's
      // gt_cntfrq_access: UNDEFINED below it).
      pl0Access: (_cpu, isWrite) => !isWrite && (kctl() & (CNTKCTL_PL0PCTEN | CNTKCTL_PL0VCTEN)) !== 0,
      read: () => this.frequency,
      write: (_c, cpu, v) => {
        if (hasEl2 && cpu.mode !== Mode.Hyp) cpu.undefinedInstruction();
        else this.frequency = v >>> 0;
      },
    });
    cp15.define(0, 14, 1, 0, {
      name: 'CNTKCTL',
      read: () => this.kernelControl,
      // Bits [31:10] are UNK/SBZP; QEMU keeps whatever is written, and so does this model.
      write: (_c, _cpu, v) => { this.kernelControl = v >>> 0; },
    });
    // CNTHCTL.PL1PCEN / PL1PCTEN trap the physical timer and counter outside Hyp mode (B4.1.22).
    const physicalTimerTrap = (cpu: Cpu) => physicalAccessTrapsToHyp(cpu, this.hypControl, CNTHCTL_PL1PCEN);
    this.defineTimer(cp15, TimerIndex.Physical, 'CNTP', { opc1: 0, crm: 2, cvalOpc1: 2 }, () => (kctl() & CNTKCTL_PL0PTEN) !== 0, physicalTimerTrap);
    this.defineTimer(cp15, TimerIndex.Virtual, 'CNTV', { opc1: 0, crm: 3, cvalOpc1: 3 }, () => (kctl() & CNTKCTL_PL0VTEN) !== 0);
    const readCounter = (timer: TimerIndex) => (c: Cp15) => {
      this.viewCount(timer, this.counter());
      c.low = this.countLow | 0;
      c.high = this.countHigh | 0;
    };
    const physicalCount: Cp15Register64 = {
      name: 'CNTPCT',
      pl0Access: counterAccess(CNTKCTL_PL0PCTEN),
      trapsToHyp: (cpu) => physicalAccessTrapsToHyp(cpu, this.hypControl, CNTHCTL_PL1PCTEN),
      read: readCounter(TimerIndex.Physical),
    };
    cp15.define64(0, 14, physicalCount);
    cp15.define64(1, 14, { name: 'CNTVCT', pl0Access: counterAccess(CNTKCTL_PL0VCTEN), read: readCounter(TimerIndex.Virtual) });
    if (!hasEl2) return;

    cp15.define64(4, 14, {
      name: 'CNTVOFF',
      read: (c) => {
        c.low = this.virtualOffsetLow | 0;
        c.high = this.virtualOffsetHigh | 0;
      },
      write: (_c, _cpu, low, high) => this.writeVirtualOffset(low, high),
    });
    cp15.define(4, 14, 1, 0, {
      name: 'CNTHCTL',
      read: () => this.hypControl,
      // Bits [31:8] are UNK/SBZP; kept as written (as QEMU).
      write: (_c, _cpu, v) => { this.hypControl = v >>> 0; },
    });
    this.defineTimer(cp15, TimerIndex.Hyp, 'CNTHP', { opc1: 4, crm: 2, cvalOpc1: 6 }, () => false);
  }

  /**
   * A timer's TVAL, CTL (MCR/MRC opc1, c14, crm, 0/1) and CVAL (MCRR/MRRC cvalOpc1, c14), PL0
   * access by `pl0Access`, trapped to Hyp mode when `trapsToHyp` says so.
   */
  private defineTimer(
    cp15: Cp15,
    timer: TimerIndex,
    prefix: string,
    encoding: { readonly opc1: number; readonly crm: number; readonly cvalOpc1: number },
    pl0Access: () => boolean,
    trapsToHyp: (cpu: Cpu) => boolean = () => false,
  ): void {
    const value: Cp15Register = {
      name: `${prefix}_TVAL`,
      pl0Access,
      trapsToHyp,
      read: () => this.readTimerValue(timer),
      write: (_c, _cpu, v) => this.writeTimerValue(timer, v),
    };
    const control: Cp15Register = {
      name: `${prefix}_CTL`,
      pl0Access,
      trapsToHyp,
      read: () => this.readControl(timer),
      write: (_c, _cpu, v) => this.writeControl(timer, v),
    };
    const compare: Cp15Register64 = {
      name: `${prefix}_CVAL`,
      pl0Access,
      trapsToHyp,
      read: (c) => {
        c.low = this.compareLow[timer]! | 0;
        c.high = this.compareHigh[timer]! | 0;
      },
      write: (_c, _cpu, low, high) => this.writeCompareValue(timer, low, high),
    };
    cp15.define(encoding.opc1, 14, encoding.crm, 0, value);
    cp15.define(encoding.opc1, 14, encoding.crm, 1, control);
    cp15.define64(encoding.cvalOpc1, 14, compare);
  }
}
