import { FaultStatus } from '../guest-abort.js';

/** TTBCR.EAE: the long-descriptor translation table format is in use (B4.1.153). */
export const TTBCR_EAE = 0x80000000;

/**
 * The long-descriptor fault status code (ARM ARM B3.13.3, table B3-24) of a fault, from its
 * short-descriptor code and the lookup level. Domain faults do not exist in that format.
 */
export function longDescriptorStatus(fs: FaultStatus, level: number): number {
  switch (fs) {
    case FaultStatus.Alignment: return 0b100001;
    case FaultStatus.Debug: return 0b100010;
    case FaultStatus.TranslationSection:
    case FaultStatus.TranslationPage: return 0b000100 | level;
    case FaultStatus.AccessFlagSection:
    case FaultStatus.AccessFlagPage: return 0b001000 | level;
    case FaultStatus.PermissionSection:
    case FaultStatus.PermissionPage: return 0b001100 | level;
    case FaultStatus.SyncExternalWalkFirstLevel:
    case FaultStatus.SyncExternalWalkSecondLevel: return 0b010100 | level;
    case FaultStatus.DomainSection:
    case FaultStatus.DomainPage: return 0b111100 | level;
    default: return 0b010000;
  }
}

/**
 * The DFSR/IFSR value of a fault, without WnR (B4.1.52, B4.1.96): the short-descriptor format
 * {FS[4] at bit 10, domain at [7:4], FS[3:0]}, or with TTBCR.EAE=1 the long-descriptor format
 * {LPAE bit 9, STATUS[5:0]}. The format follows TTBCR.EAE even with the MMU off, as in QEMU.
 */
export function faultStatusRegister(fs: FaultStatus, domain: number, level: number, ttbcr: number): number {
  if ((ttbcr & TTBCR_EAE) !== 0) return (1 << 9) | longDescriptorStatus(fs, level);
  return ((fs & 0x10) << 6) | ((domain & 0xf) << 4) | (fs & 0xf);
}
