import type { AccessClass } from '../modes.js';

/**
 * Access permissions of a translation as a bit set, for both privilege levels of the PL1&0
 * regime at once so that one TLB entry serves PL1 and PL0 (LDRT from PL1 checks the PL0 bits).
 * An access needs one bit: Read/Write/Execute at PL1, shifted left by PL0_SHIFT for PL0, or by
 * HYP_SHIFT for the Hyp regime (PL2), whose translations are another regime's (B3.1).
 */
export const enum Permission {
  Read = 1,
  Write = 2,
  Execute = 4,
  /** Everything at PL1 and PL0 (not Hyp). */
  All = 0x3f,
}
export const PL0_SHIFT = 3;
export const HYP_SHIFT = 6;
/** Everything in the Hyp regime. */
export const HYP_ALL = 7 << HYP_SHIFT;
export const EXECUTE_ANY = Permission.Execute | (Permission.Execute << PL0_SHIFT) | (Permission.Execute << HYP_SHIFT);
export const WRITE_ANY = Permission.Write | (Permission.Write << PL0_SHIFT) | (Permission.Write << HYP_SHIFT);

/**
 * The bit an access of `accessClass` (PL1 = 0, PL0 = 1, Hyp = 2) needs: the class's permission
 * bits sit at 3 * class, so PL0_SHIFT and HYP_SHIFT are those of classes 1 and 2.
 */
export function neededPermission(bit: Permission, accessClass: AccessClass): number {
  return bit << (3 * accessClass);
}

/** The same Read/Write/Execute bits at both PL1 and PL0 (stage 2 permissions apply to both, B3.7.2). */
export function atBothLevels(bits: number): number {
  return bits | (bits << PL0_SHIFT);
}

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
