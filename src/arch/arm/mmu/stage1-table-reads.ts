import type { Cp15 } from '../cp15.js';
import { FaultStatus } from '../guest-abort.js';
import { HCR_PTW } from '../hyp/hcr.js';
import { isStage2Device } from './memory-attributes.js';
import { Permission } from './permissions.js';
import { translateStage2 } from './stage2.js';
import { WalkResult, type WalkContext } from './walk.js';

/**
 * The memory a stage 1 walk of the PL1&0 regime reads while stage 2 is on (ARM ARM B3.6.5,
 * B3.12.1): every descriptor address is an IPA, itself translated by stage 2 as a read. With
 * HCR.PTW (B4.1.65), a table that stage 2 puts in Device or Strongly-ordered memory is a stage 2
 * permission fault. A stage 2 fault ends the walk (the read returns undefined) and is kept in
 * `fault`, with S1PTW, for the MMU to report in place of the walk's own outcome. The last page
 * translated is remembered until the next `begin()`, as both words of a descriptor (and often
 * the next levels' tables) share it.
 */
export class Stage1TableReads implements WalkContext {
  readonly fault = new WalkResult();
  faulted = false;
  private ipaPage = -1;
  private paPage = 0;

  constructor(readonly cp15: Cp15, private readonly physical: WalkContext) {}

  /** Starts a walk. */
  begin(): this {
    this.faulted = false;
    this.ipaPage = -1;
    return this;
  }

  readPhysicalWord(ipa: number): number | undefined {
    const page = Math.floor(ipa / 4096);
    if (page !== this.ipaPage) {
      const r = translateStage2(this.physical, ipa, Permission.Read, true, this.fault);
      if (r.fault === 0 && (this.cp15.hcr & HCR_PTW) !== 0 && isStage2Device(r.memoryAttributes)) {
        r.failedStage2(r.level === 1 ? FaultStatus.PermissionSection : FaultStatus.PermissionPage, r.level, ipa, true);
      }
      if (r.fault !== 0) {
        this.faulted = true;
        return undefined;
      }
      this.ipaPage = page;
      this.paPage = Math.floor(r.physicalAddress / 4096);
    }
    return this.physical.readPhysicalWord(this.paPage * 4096 + (ipa % 4096));
  }
}
