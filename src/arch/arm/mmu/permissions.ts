/**
 * Access permissions of a translation as a bit set, for both privilege levels at once so that one
 * TLB entry serves PL1 and PL0 (LDRT from PL1 checks the PL0 bits). An access needs one bit:
 * Read/Write/Execute at PL1, shifted left by PL0_SHIFT for PL0.
 */
export const enum Permission {
  Read = 1,
  Write = 2,
  Execute = 4,
  All = 0x3f,
}
export const PL0_SHIFT = 3;

/**
 * Read/write permission (Permission.Read | Permission.Write) from AP[2:0] under the full access
 * permissions model of ARMv7 (ARM ARM B3.7.1, table B3-8). AP = 0b100 is reserved (no access).
 */
export function fullModelReadWrite(ap: number, user: boolean): number {
  switch (ap) {
    case 1: return user ? 0 : Permission.Read | Permission.Write;
    case 2: return user ? Permission.Read : Permission.Read | Permission.Write;
    case 3: return Permission.Read | Permission.Write;
    case 5: return user ? 0 : Permission.Read;
    case 6:
    case 7: return Permission.Read;
    default: return 0;
  }
}

/** Read/write permission from AP[2:1] in the simplified model (B3.7.1, table B3-9; SCTLR.AFE=1 or LPAE). */
export function simplifiedModelReadWrite(ap21: number, user: boolean): number {
  switch (ap21 & 3) {
    case 0: return user ? 0 : Permission.Read | Permission.Write;
    case 1: return Permission.Read | Permission.Write;
    case 2: return user ? 0 : Permission.Read;
    default: return Permission.Read;
  }
}
