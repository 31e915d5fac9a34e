/** Processor modes, CPSR.M encodings (ARM ARM B1.3.1, table B1-1). */
export const enum Mode {
  Usr = 0x10,
  Fiq = 0x11,
  Irq = 0x12,
  Svc = 0x13,
  Mon = 0x16,
  Abt = 0x17,
  Hyp = 0x1a,
  Und = 0x1b,
  Sys = 0x1f,
}

/** Index of the register bank a mode uses for SP, LR and SPSR (usr and sys share bank 0). */
export const enum Bank {
  Usr = 0,
  Fiq = 1,
  Irq = 2,
  Svc = 3,
  Abt = 4,
  Und = 5,
  Mon = 6,
  Hyp = 7,
}

export const BANK_COUNT = 8;

/** Returns the bank of a mode, or -1 if the encoding is not a valid mode. */
export function bankOf(mode: number): number {
  switch (mode) {
    case Mode.Usr:
    case Mode.Sys:
      return Bank.Usr;
    case Mode.Fiq:
      return Bank.Fiq;
    case Mode.Irq:
      return Bank.Irq;
    case Mode.Svc:
      return Bank.Svc;
    case Mode.Mon:
      return Bank.Mon;
    case Mode.Abt:
      return Bank.Abt;
    case Mode.Hyp:
      return Bank.Hyp;
    case Mode.Und:
      return Bank.Und;
    default:
      return -1;
  }
}

export function modeName(mode: number): string {
  switch (mode) {
    case Mode.Usr: return 'usr';
    case Mode.Fiq: return 'fiq';
    case Mode.Irq: return 'irq';
    case Mode.Svc: return 'svc';
    case Mode.Mon: return 'mon';
    case Mode.Abt: return 'abt';
    case Mode.Hyp: return 'hyp';
    case Mode.Und: return 'und';
    case Mode.Sys: return 'sys';
    default: return `invalid(0x${mode.toString(16)})`;
  }
}

/**
 * Which translation a data access in a mode gets: the PL1&0 regime at PL1 or at PL0 (User), or
 * Hyp's own regime (B3.1). Data-access caches are kept per class.
 */
export const enum AccessClass {
  Pl1 = 0,
  Pl0 = 1,
  Hyp = 2,
}

export function accessClassOf(mode: number): AccessClass {
  return mode === Mode.Usr ? AccessClass.Pl0 : mode === Mode.Hyp ? AccessClass.Hyp : AccessClass.Pl1;
}
