/** Constants of the flattened devicetree format (Devicetree Specification v0.4, chapter 5). */
export const FDT_MAGIC = 0xd00dfeed;
export const FDT_HEADER_SIZE = 40;
/** The version written, and the oldest version it is backwards compatible with (5.2). */
export const FDT_VERSION = 17;
export const FDT_LAST_COMPATIBLE_VERSION = 16;

/** Structure block tokens (5.4.1). */
export const FDT_BEGIN_NODE = 0x1;
export const FDT_END_NODE = 0x2;
export const FDT_PROP = 0x3;
export const FDT_NOP = 0x4;
export const FDT_END = 0x9;

/** A memory reservation block entry (5.3): a physical range the OS must not use. */
export interface FdtReservation {
  readonly address: number;
  readonly size: number;
}
