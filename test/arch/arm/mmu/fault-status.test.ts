import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FaultStatus } from '../../../../src/arch/arm/guest-abort.js';
import { faultStatusRegister, TTBCR_EAE } from '../../../../src/arch/arm/mmu/fault-status.js';

test('fault status: short-descriptor DFSR has FS[4] at bit 10 and the domain at [7:4] (B4.1.52)', () => {
  assert.equal(faultStatusRegister(FaultStatus.DomainSection, 5, 1, 0), 0x059);
  assert.equal(faultStatusRegister(FaultStatus.PermissionPage, 7, 2, 0), 0x07f);
  assert.equal(faultStatusRegister(FaultStatus.AccessFlagPage, 0, 2, 0), 0x006);
  assert.equal(faultStatusRegister(FaultStatus.SyncExternalWalkSecondLevel, 1, 2, 0), 0x01e);
});

test('fault status: long-descriptor DFSR is LPAE (bit 9) with STATUS by level (B3.13.3, table B3-24)', () => {
  assert.equal(faultStatusRegister(FaultStatus.TranslationSection, 0, 1, TTBCR_EAE), 0x205);
  assert.equal(faultStatusRegister(FaultStatus.TranslationPage, 0, 3, TTBCR_EAE), 0x207);
  assert.equal(faultStatusRegister(FaultStatus.AccessFlagSection, 0, 2, TTBCR_EAE), 0x20a);
  assert.equal(faultStatusRegister(FaultStatus.PermissionPage, 0, 3, TTBCR_EAE), 0x20f);
  assert.equal(faultStatusRegister(FaultStatus.Alignment, 0, 0, TTBCR_EAE), 0x221);
  assert.equal(faultStatusRegister(FaultStatus.SyncExternal, 0, 0, TTBCR_EAE), 0x210);
});
