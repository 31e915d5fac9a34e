/**
 * What the processor needs from the board's physical address space. The board's bus implements
 * it; the processor never knows which devices are where.
 */
export interface PhysicalBus {
  /** Guest RAM, little-endian bytes, for direct access on the fast path. */
  readonly ram: Uint8Array;
  /** Physical address of ram[0]. */
  readonly ramBase: number;
  /**
   * One flag per 4 KiB page of `ram`: non-zero while the processor holds decoded code for that
   * page. Whoever writes RAM (processor stores, DMA) calls `codeWritten(page)` when it is set.
   */
  readonly codePages: Uint8Array;
  /** Set by the processors' decode cache: called when RAM in a page with a codePages flag was written. */
  codeWritten: (page: number) => void;
  /**
   * Called, each, when the processor sets a page's codePages flag: the processors' store fast
   * paths (DataAccess) stop reaching that page, so that its writes go where codeWritten is called.
   */
  readonly codeMarked: ((page: number) => void)[];
  /** Reads `size` (1, 2 or 4) bytes at a physical address; undefined when nothing decodes it. */
  read(address: number, size: 1 | 2 | 4): number | undefined;
  /** Writes `size` bytes; false when nothing decodes the address. */
  write(address: number, size: 1 | 2 | 4, value: number): boolean;
}
