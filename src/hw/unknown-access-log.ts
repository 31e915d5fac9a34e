/**
 * Reports guest accesses a device does not support (unknown offsets, wrong access sizes) once per
 * kind of access and offset, so a guest polling a missing register cannot flood the log. The
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
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.log(`${this.device}: ${size}-byte ${access} at unsupported offset 0x${offset.toString(16)} ignored`);
  }
}
