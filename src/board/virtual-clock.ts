/**
 * Virtual time: derived from executed instructions, never from the host clock, so the same run
 * gives the same times. One instruction takes one nanosecond (a 1 GHz processor, about what the
 * Cortex-A15 boards this platform models run at). While the processor idles (WFI with nothing to
 * do) the board moves time forward to the next timer event; that time is `idleNanoseconds`.
 */
export const NANOSECONDS_PER_INSTRUCTION = 1;
/** Unix time the virtual clock starts at unless the user asks for wall-clock time: 2026-01-01T00:00:00Z. */
export const DEFAULT_EPOCH_SECONDS = 1_767_225_600;

export class VirtualClock {
  /** Time skipped while idle (the processor waited for an interrupt). */
  idleNanoseconds = 0;

  constructor(
    private readonly instructions: () => number,
    private readonly epochSeconds: number = DEFAULT_EPOCH_SECONDS,
  ) {}

  elapsedNanoseconds(): number {
    return this.instructions() * NANOSECONDS_PER_INSTRUCTION + this.idleNanoseconds;
  }

  unixTime(): number {
    return this.epochSeconds + this.elapsedNanoseconds() / 1e9;
  }

  /** Instructions to execute until `nanoseconds` (elapsed time) is reached; at least 0. */
  instructionsUntil(nanoseconds: number): number {
    return Math.max(0, Math.ceil((nanoseconds - this.elapsedNanoseconds()) / NANOSECONDS_PER_INSTRUCTION));
  }

  /** Idle: moves time forward to `nanoseconds` (no effect if it is already past). */
  skipTo(nanoseconds: number): void {
    const now = this.elapsedNanoseconds();
    if (nanoseconds > now) this.idleNanoseconds += nanoseconds - now;
  }
}
