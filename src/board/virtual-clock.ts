/**
 * Virtual time: derived from executed instructions, never from the host clock, so the same run
 * gives the same times. One instruction takes one nanosecond (a 1 GHz processor, about what the
 * Cortex-A15 boards this platform models run at). While the processor idles (WFI with nothing to
 * do) the board moves time forward to the next timer event; that time is `idleNanoseconds`.
 *
 * With several processors the "instructions" the clock counts are instruction times of the
 * machine's rounds (`RoundRobinTime`): every processor that is on runs at 1 GHz, so a round in
 * which each of them gets a quantum of Q instructions lasts Q nanoseconds, whether they execute
 * or wait.
 */
export const NANOSECONDS_PER_INSTRUCTION = 1;
/** Unix time the virtual clock starts at unless the user asks for wall-clock time: 2026-01-01T00:00:00Z. */
export const DEFAULT_EPOCH_SECONDS = 1_767_225_600;

export class VirtualClock {
  /** Time skipped while idle (every processor waited for an interrupt). */
  idleNanoseconds = 0;

  /** `instructions`: instruction times elapsed (possibly fractional on a multiprocessor: see RoundRobinTime). */
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

/** Least common multiple of 1..4: an instruction time divides into whole units for 1-4 sharers. */
const UNITS_PER_INSTRUCTION_TIME = 12;

/**
 * Instruction time of a machine whose processors take turns on one host thread (round robin,
 * a quantum each). Time must be one monotonic counter for the whole machine (Linux's clocksource
 * assumes the generic timer's counter never goes back between processors), so the processors
 * that are on share it: while `sharers` processors are on, each executed instruction advances
 * time by 1/sharers of an instruction time, and a processor that waits while others run gives up
 * the rest of its quantum as time (`idle`). A round of quanta of Q instructions thus lasts Q
 * instruction times, as if the processors ran side by side at 1 GHz. With one processor this is
 * exactly its instruction count. Kept in integer units (1/12 of an instruction time), so it is
 * exact for 1-4 sharers.
 */
export class RoundRobinTime {
  private settledUnits = 0;
  private unitsPerInstruction = UNITS_PER_INSTRUCTION_TIME;
  private running: { readonly instructionCount: number } | undefined;
  private runningStart = 0;
  /** Processors sharing time (those that are on). */
  sharers = 1;

  constructor(sharers = 1) {
    this.setSharers(sharers);
  }

  /** Instruction times elapsed, counting the running processor's progress. */
  instructionTime(): number {
    let units = this.settledUnits;
    const running = this.running;
    if (running !== undefined) units += (running.instructionCount - this.runningStart) * this.unitsPerInstruction;
    return units / UNITS_PER_INSTRUCTION_TIME;
  }

  /** A processor starts (or resumes) executing: its instructions count from now. */
  begin(processor: { readonly instructionCount: number }): void {
    this.settle();
    this.running = processor;
    this.runningStart = processor.instructionCount;
  }

  /** The running processor stops executing (its progress so far is kept). */
  end(): void {
    this.settle();
    this.running = undefined;
  }

  /** The number of processors on changed (CPU_ON, CPU_OFF): instructions from now count at the new rate. */
  setSharers(count: number): void {
    if (!(count >= 1 && count <= 4)) count = Math.min(4, Math.max(1, count | 0));
    this.settle();
    this.sharers = count;
    this.unitsPerInstruction = UNITS_PER_INSTRUCTION_TIME / count;
  }

  /** A waiting processor lets `instructions` of its quantum pass as time. */
  idle(instructions: number): void {
    this.settledUnits += instructions * this.unitsPerInstruction;
  }

  /** Instructions the running (or next) processor executes until `instructionTimes` more have passed; at least 0. */
  instructionsFor(instructionTimes: number): number {
    return Math.max(0, Math.ceil(instructionTimes * this.sharers));
  }

  private settle(): void {
    const running = this.running;
    if (running === undefined) return;
    this.settledUnits += (running.instructionCount - this.runningStart) * this.unitsPerInstruction;
    this.runningStart = running.instructionCount;
  }
}
