import type { MmioDevice } from './mmio-device.js';
import { UNCONNECTED, type InterruptLine } from './interrupt-line.js';

/** Register offsets (PrimeCell RTC PL031 TRM, DDI 0224, 3.2 "Summary of RTC registers"). */
const enum Reg {
  DR = 0x00,
  MR = 0x04,
  LR = 0x08,
  CR = 0x0c,
  IMSC = 0x10,
  RIS = 0x14,
  MIS = 0x18,
  ICR = 0x1c,
}

/** PeriphID0-3 and PCellID0-3 at 0xFE0-0xFFC (3.3.10-3.3.11), as QEMU's pl031. */
const ID_BYTES = [0x31, 0x10, 0x14, 0x00, 0x0d, 0xf0, 0x05, 0xb1];

/**
 * ARM PrimeCell real-time clock (PL031): a 32-bit seconds counter that runs from the board's
 * clock (virtual time unless the board runs in wall-clock mode), a match register that raises the
 * interrupt when the counter reaches it, and the load register that sets the counter. As in
 * QEMU the RTC is always running (RTCCR reads 1).
 */
export class Pl031 implements MmioDevice {
  readonly name = 'pl031';
  /** Counter value minus the board's seconds: what RTCLR writes change. */
  private offsetSeconds: number;
  private match = 0;
  private lastLoaded = 0;
  private interruptMask = 0;
  private raw = 0;
  /** Board time (ns) at which the counter reaches the match value; Infinity when it is not ahead. */
  private matchAt = Number.POSITIVE_INFINITY;

  constructor(
    /** Board time in nanoseconds. */
    private readonly nowNanoseconds: () => number,
    /** Unix time (seconds) the counter shows when the board starts. */
    startSeconds: number,
    private readonly irq: InterruptLine = UNCONNECTED,
  ) {
    this.offsetSeconds = Math.floor(startSeconds);
  }

  /** Board time (ns) of the next match, for the board's event scheduling. */
  nextEvent(): number {
    return this.matchAt;
  }

  /** Raises the interrupt if the counter has reached the match value. */
  update(): void {
    if (this.nowNanoseconds() >= this.matchAt) {
      this.matchAt = Number.POSITIVE_INFINITY;
      this.raw = 1;
      this.updateInterrupt();
    }
  }

  read(offset: number, _size: 1 | 2 | 4): number {
    if (offset >= 0xfe0 && offset < 0x1000) return ID_BYTES[(offset - 0xfe0) >>> 2]!;
    this.update();
    switch (offset) {
      case Reg.DR:
        return this.counter() | 0;
      case Reg.MR:
        return this.match | 0;
      case Reg.LR:
        return this.lastLoaded | 0;
      case Reg.CR:
        return 1;
      case Reg.IMSC:
        return this.interruptMask;
      case Reg.RIS:
        return this.raw;
      case Reg.MIS:
        return this.raw & this.interruptMask;
      default:
        return 0;
    }
  }

  write(offset: number, _size: 1 | 2 | 4, value: number): void {
    switch (offset) {
      case Reg.MR:
        this.match = value >>> 0;
        this.scheduleMatch();
        return;
      case Reg.LR:
        this.lastLoaded = value >>> 0;
        this.offsetSeconds = (value >>> 0) - this.elapsedSeconds();
        this.scheduleMatch();
        return;
      case Reg.IMSC:
        this.interruptMask = value & 1;
        this.updateInterrupt();
        return;
      case Reg.ICR:
        this.raw &= ~(value & 1);
        this.updateInterrupt();
        return;
      default:
        // RTCCR: the RTC cannot be stopped; read-only registers ignore writes.
        return;
    }
  }

  private elapsedSeconds(): number {
    return Math.floor(this.nowNanoseconds() / 1e9);
  }

  private counter(): number {
    return (this.offsetSeconds + this.elapsedSeconds()) >>> 0;
  }

  /**
   * The match fires when the counter next equals RTCMR; a match equal to the counter fires at
   * once, as QEMU's pl031_set_alarm does.
   */
  private scheduleMatch(): void {
    const secondsAhead = (this.match - this.counter()) >>> 0;
    if (secondsAhead === 0) {
      this.matchAt = Number.POSITIVE_INFINITY;
      this.raw = 1;
      this.updateInterrupt();
      return;
    }
    this.matchAt = (this.elapsedSeconds() + secondsAhead) * 1e9;
  }

  private updateInterrupt(): void {
    this.irq.set((this.raw & this.interruptMask) !== 0);
  }
}
