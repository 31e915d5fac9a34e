/**
 * Virtual time: derived from executed instructions, never from the host clock, so the same run
 * gives the same times. One instruction takes one nanosecond (a 1 GHz processor, about what the
 * Cortex-A15 boards this platform models run at).
 */
export const NANOSECONDS_PER_INSTRUCTION = 1;

/** Unix time the virtual clock starts at unless the user asks for wall-clock time: 2026-01-01T00:00:00Z. */
export const DEFAULT_EPOCH_SECONDS = 1_767_225_600;

export class VirtualClock {
  constructor(
    private readonly instructions: () => number,
    private readonly epochSeconds: number = DEFAULT_EPOCH_SECONDS,
  ) {}

  elapsedNanoseconds(): number {
    return this.instructions() * NANOSECONDS_PER_INSTRUCTION;
  }

  unixTime(): number {
    return this.epochSeconds + this.elapsedNanoseconds() / 1e9;
  }
}
