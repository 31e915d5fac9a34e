/**
 * Fault status encodings of the short-descriptor format (ARM ARM B3.13.3, table B3-23), as the
 * 5-bit FS value {FS[4], FS[3:0]}.
 */
export const enum FaultStatus {
  Alignment = 0b00001,
  Debug = 0b00010,
  AccessFlagSection = 0b00011,
  TranslationSection = 0b00101,
  AccessFlagPage = 0b00110,
  TranslationPage = 0b00111,
  SyncExternal = 0b01000,
  SyncExternalWalkFirstLevel = 0b01100,
  SyncExternalWalkSecondLevel = 0b01110,
  DomainSection = 0b01001,
  DomainPage = 0b01011,
  PermissionSection = 0b01101,
  PermissionPage = 0b01111,
}

/**
 * A synchronous abort raised while executing an instruction: a data abort for a load or store, a
 * prefetch abort for an instruction fetch. Thrown out of the memory access and caught by the
 * executor, which takes the exception with the faulting instruction's state left unchanged.
 */
export class GuestAbort {
  constructor(
    readonly isPrefetch: boolean,
    readonly faultStatus: FaultStatus,
    readonly address: number,
    readonly isWrite: boolean,
    /** Domain of the translation that faulted (short-descriptor DFSR/IFSR bits [7:4]). */
    readonly domain = 0,
    /** Lookup level of a translation fault, for the long-descriptor status (B3.13.3). */
    readonly level = 0,
    /**
     * A fault of the stage 2 translation (B3.12.1): always taken to Hyp mode, with the
     * intermediate physical address `ipa` reported in HPFAR (B4.1.70).
     */
    readonly stage2 = false,
    readonly ipa = 0,
    /** The stage 2 fault happened on a stage 1 translation table walk (HSR ISS.S1PTW). */
    readonly s1ptw = false,
  ) {}
}
