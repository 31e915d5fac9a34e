/** A level-sensitive interrupt output of a device; the board connects it to an interrupt controller. */
export interface InterruptLine {
  set(level: boolean): void;
}

/** An unconnected line (a device whose interrupt the board does not wire). */
export const UNCONNECTED: InterruptLine = { set: () => {} };
