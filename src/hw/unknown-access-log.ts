/** Distinct unsupported accesses reported per device; a guest sweeping a register map gets this many lines and one more saying so. */
const REPORTED_PER_DEVICE = 16;

/**
 * Reports guest accesses a device does not support (unknown offsets, wrong access sizes) once per
 * kind of access and offset, and at most REPORTED_PER_DEVICE of them, so a guest polling a missing
 * register or sweeping every offset cannot flood the log. The
 * access itself reads as zero and is otherwise ignored by the device (STYLE: "logged once, never
 * crash").
 */
export class UnknownAccessLog {
  private readonly seen = new Set<string>();

  constructor(
    private readonly device: string,
    private readonly log: (message: string) => void,
  ) {}

  /** Logs the first `access` (e.g. 'read', 'config write') at `offset` of `size` bytes. */
  report(access: string, offset: number, size: number): void {
    const key = `${access}:${offset}:${size}`;
    if (this.seen.has(key) || this.seen.size > REPORTED_PER_DEVICE) return;
    this.seen.add(key);
    if (this.seen.size > REPORTED_PER_DEVICE) {
      this.log(`${this.device}: further unsupported accesses not reported`);
      return;
    }
    this.log(`${this.device}: ${size}-byte ${access} at unsupported offset 0x${offset.toString(16)} ignored`);
  }
}
