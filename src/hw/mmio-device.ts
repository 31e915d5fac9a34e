/**
 * A memory-mapped device as the bus sees it: accesses by offset within its region. Devices never
 * know where they are mapped. Offsets and sizes are validated by the bus; a device reads unknown
 * registers as zero and ignores unknown writes (logging once), never throwing at the guest.
 */
export interface MmioDevice {
  readonly name: string;
  read(offset: number, size: 1 | 2 | 4): number;
  write(offset: number, size: 1 | 2 | 4, value: number): void;
}
