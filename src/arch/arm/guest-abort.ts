/**
 * Fault status encodings of the short-descriptor format (ARM ARM B3.13.3, table B3-23), as the
 * 5-bit FS value {FS[4], FS[3:0]}.
 */
export const enum FaultStatus {
  Alignment = 0b00001,
  Debug = 0b00010,
  TranslationSection = 0b00101,
  TranslationPage = 0b00111,
  SyncExternal = 0b01000,
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
  ) {}
}
