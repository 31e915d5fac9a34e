import type { Cp15 } from './cp15.js';
import type { Cpu } from './cpu.js';

/**
 * The Generic Timer of one processor (ARM ARM B8, CP15 interface B8.2 / B4.1.21-B4.1.36): the
 * system counter as CNTPCT/CNTVCT (CNTVOFF = 0: no Hyp mode on this board yet), the frequency
 * register CNTFRQ, the PL0 access controls CNTKCTL, and the PL1 physical and virtual timers, each
 * a 64-bit compare value with a 32-bit signed down-counter view (TVAL) and a control register
 * (ENABLE, IMASK, ISTATUS). Each timer drives one interrupt output (a PPI at the GIC) at the
 * level ENABLE && ISTATUS && !IMASK (B8.2.4).
 *
 * The counter comes from `counter()`, which the board derives from virtual time, so the timer
 * never looks at the host clock itself.
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

export const enum TimerIndex {
  Physical = 0,
  Virtual = 1,
}

const TWO_32 = 0x1_0000_0000;
const MASK_64 = (1n << 64n) - 1n;

/** A timer's interrupt output (a GIC PPI line); structurally hw's InterruptLine. */
export interface TimerOutput {
  set(level: boolean): void;
}

/** The timer's guest-visible state by name (versioned), for snapshots. */
export interface GenericTimerSnapshot {
  readonly version: 1;
  readonly frequency: number;
  readonly kernelControl: number;
  readonly control: readonly number[];
  readonly compareLow: readonly number[];
  readonly compareHigh: readonly number[];
}

export class GenericTimer {
  frequency = COUNTER_FREQUENCY_HZ;
  kernelControl = 0;
  /** CNTx_CTL ENABLE and IMASK by timer (ISTATUS is computed). */
  readonly control = new Uint32Array(2);
  /** CNTx_CVAL halves by timer: [low, high]. */
  readonly compareLow = new Uint32Array(2);
  readonly compareHigh = new Uint32Array(2);
  private readonly outputLevel = new Uint8Array(2);
  /** Called after a guest write that may move a timer's next event (the board re-plans its run slice). */
  onReprogram: () => void = () => {};

  constructor(
    private readonly counter: () => number,
    private readonly outputs: readonly [TimerOutput, TimerOutput],
  ) {}

  reset(): void {
    this.frequency = COUNTER_FREQUENCY_HZ;
    this.kernelControl = 0;
    this.control.fill(0);
    this.compareLow.fill(0);
    this.compareHigh.fill(0);
    this.update();
  }

  snapshot(): GenericTimerSnapshot {
    return {
      version: 1, frequency: this.frequency, kernelControl: this.kernelControl,
      control: [...this.control], compareLow: [...this.compareLow], compareHigh: [...this.compareHigh],
    };
  }

  /** Restores a snapshot; the counter itself belongs to the board's clock. */
  restore(snapshot: GenericTimerSnapshot): void {
    if (snapshot.version !== 1) throw new RangeError(`generic timer snapshot version ${snapshot.version} is not 1`);
    this.frequency = snapshot.frequency;
    this.kernelControl = snapshot.kernelControl;
    this.control.set(snapshot.control);
    this.compareLow.set(snapshot.compareLow);
    this.compareHigh.set(snapshot.compareHigh);
    this.reprogrammed();
  }

  /** The compare value as a number (exact below 2^53, which the counter never reaches). */
  compareValue(timer: TimerIndex): number {
    return this.compareHigh[timer]! * TWO_32 + this.compareLow[timer]!;
  }

  /** ISTATUS (B8.2.4): the timer condition CompareValue <= Count, reported while the timer is enabled (as QEMU). */
  conditionMet(timer: TimerIndex, now = this.counter()): boolean {
    return (this.control[timer]! & CNT_CTL_ENABLE) !== 0 && now >= this.compareValue(timer);
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
    const now = this.counter();
    const low = (this.compareLow[timer]! - (now % TWO_32)) | 0;
    return low;
  }

  /** TVAL write: CompareValue = Count + SignExtend(value), modulo 2^64. */
  writeTimerValue(timer: TimerIndex, value: number): void {
    const compare = (BigInt(this.counter()) + BigInt(value | 0)) & MASK_64;
    this.compareLow[timer] = Number(compare & 0xffffffffn);
    this.compareHigh[timer] = Number(compare >> 32n);
    this.reprogrammed();
  }

  writeCompareValue(timer: TimerIndex, low: number, high: number): void {
    this.compareLow[timer] = low >>> 0;
    this.compareHigh[timer] = high >>> 0;
    this.reprogrammed();
  }

  /** Counter value at which the next output rises, or Infinity when no enabled, unmasked timer is pending. */
  nextEvent(): number {
    const now = this.counter();
    let next = Number.POSITIVE_INFINITY;
    for (const t of [TimerIndex.Physical, TimerIndex.Virtual]) {
      if ((this.control[t]! & (CNT_CTL_ENABLE | CNT_CTL_IMASK)) !== CNT_CTL_ENABLE) continue;
      const at = this.compareValue(t);
      if (at > now && at < next) next = at;
    }
    return next;
  }

  /** Brings the output levels up to date with the counter (called after time moves). */
  update(): void {
    const now = this.counter();
    for (const t of [TimerIndex.Physical, TimerIndex.Virtual]) {
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

  /** Defines CNTFRQ, CNTKCTL, CNTP_*, CNTV_*, CNTPCT and CNTVCT in `cp15` (B4.1.21-B4.1.36). */
  install(cp15: Cp15): void {
    const kctl = () => this.kernelControl;
    const counterAccess = (bit: number) => (_cpu: Cpu, isWrite: boolean) => !isWrite && (kctl() & bit) !== 0;
    cp15.define(0, 14, 0, 0, {
      name: 'CNTFRQ',
      // Readable at PL0 when either counter is (B4.1.21); writable only at PL1.
      pl0Access: (_cpu, isWrite) => !isWrite && (kctl() & (CNTKCTL_PL0PCTEN | CNTKCTL_PL0VCTEN)) !== 0,
      read: () => this.frequency,
      write: (_c, _cpu, v) => { this.frequency = v >>> 0; },
    });
    cp15.define(0, 14, 1, 0, {
      name: 'CNTKCTL',
      read: () => this.kernelControl,
      // Bits [31:10] are UNK/SBZP; QEMU keeps whatever is written, and so does this model.
      write: (_c, _cpu, v) => { this.kernelControl = v >>> 0; },
    });
    for (const [timer, crm, prefix, pl0Bit] of [
      [TimerIndex.Physical, 2, 'CNTP', CNTKCTL_PL0PTEN],
      [TimerIndex.Virtual, 3, 'CNTV', CNTKCTL_PL0VTEN],
    ] as const) {
      const pl0Access = () => (kctl() & pl0Bit) !== 0;
      cp15.define(0, 14, crm, 0, {
        name: `${prefix}_TVAL`,
        pl0Access,
        read: () => this.readTimerValue(timer),
        write: (_c, _cpu, v) => this.writeTimerValue(timer, v),
      });
      cp15.define(0, 14, crm, 1, {
        name: `${prefix}_CTL`,
        pl0Access,
        read: () => this.readControl(timer),
        write: (_c, _cpu, v) => this.writeControl(timer, v),
      });
      cp15.define64(timer === TimerIndex.Physical ? 2 : 3, 14, {
        name: `${prefix}_CVAL`,
        pl0Access,
        read: (c) => {
          c.low = this.compareLow[timer]! | 0;
          c.high = this.compareHigh[timer]! | 0;
        },
        write: (_c, _cpu, low, high) => this.writeCompareValue(timer, low, high),
      });
    }
    const readCounter = (c: Cp15) => {
      const now = this.counter();
      c.low = now % TWO_32 | 0;
      c.high = Math.floor(now / TWO_32) | 0;
    };
    cp15.define64(0, 14, { name: 'CNTPCT', pl0Access: counterAccess(CNTKCTL_PL0PCTEN), read: readCounter });
    // CNTVCT = CNTPCT - CNTVOFF, and CNTVOFF is 0 without Hyp mode (B8.1.2).
    cp15.define64(1, 14, { name: 'CNTVCT', pl0Access: counterAccess(CNTKCTL_PL0VCTEN), read: readCounter });
  }
}
