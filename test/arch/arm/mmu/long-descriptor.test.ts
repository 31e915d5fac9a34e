import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FaultStatus } from '../../../../src/arch/arm/guest-abort.js';
import { longDescriptorTtbrSelect, translateLongDescriptor } from '../../../../src/arch/arm/mmu/long-descriptor.js';
import { Permission, PL0_SHIFT } from '../../../../src/arch/arm/mmu/permissions.js';
import { WalkResult } from '../../../../src/arch/arm/mmu/walk.js';
import { TestWalkContext } from './walk-context.js';

const L1 = 0x40001000;
const L2 = 0x40002000;
const L3 = 0x40003000;
const EAE = 0x80000000;
const AF = 1 << 10;

function setup(): TestWalkContext {
  const ctx = new TestWalkContext();
  ctx.cp15.ttbcr = EAE;
  ctx.cp15.ttbr0 = L1;
  ctx.write64(L1 + 2 * 8, L2 | 3, 0);
  ctx.write64(L2 + 1 * 8, L3 | 3, 0);
  return ctx;
}
const walk = (ctx: TestWalkContext, va: number, needed: number = Permission.Read) =>
  translateLongDescriptor(ctx, va, needed, new WalkResult());

test('long-descriptor: TTBR0/TTBR1 selection by T0SZ/T1SZ (B3.6.4)', () => {
  assert.equal(longDescriptorTtbrSelect(0, 0xffffffff), 0);
  assert.equal(longDescriptorTtbrSelect(1, 0x7fffffff), 0);
  assert.equal(longDescriptorTtbrSelect(1, 0x80000000), 1);
  assert.equal(longDescriptorTtbrSelect(0x20000, 0xbfffffff), 0);
  assert.equal(longDescriptorTtbrSelect(0x20000, 0xc0000000), 1);
  assert.equal(longDescriptorTtbrSelect(0x20001, 0x80000000), -1);
});

test('long-descriptor: 2 MiB block and 4 KiB page through table descriptors, nG, 40-bit output', () => {
  const ctx = setup();
  ctx.write64(L2, 0x46000000 | AF | (1 << 11) | 1, 0x12);
  const block = walk(ctx, 0x80012345);
  assert.equal(block.fault, 0);
  assert.equal(block.physicalAddress, 0x12_46012345);
  assert.equal(block.blockShift, 21);
  assert.equal(block.global, false);
  ctx.write64(L3 + 5 * 8, 0x46205000 | AF | 3, 0);
  const page = walk(ctx, 0x80205abc);
  assert.equal(page.physicalAddress, 0x46205abc);
  assert.equal(page.level, 3);
});

test('long-descriptor: faults carry their level — translation, access flag, permission (B3.6.1, B3.13.3)', () => {
  const ctx = setup();
  let r = walk(ctx, 0xc0000000);
  assert.deepEqual([r.fault, r.level], [FaultStatus.TranslationSection, 1]);
  r = walk(ctx, 0x80400000);
  assert.deepEqual([r.fault, r.level], [FaultStatus.TranslationPage, 2]);
  ctx.write64(L3, 0x46200000 | AF | 1, 0); // 0b01 at level 3 is reserved
  r = walk(ctx, 0x80200000);
  assert.deepEqual([r.fault, r.level], [FaultStatus.TranslationPage, 3]);
  ctx.write64(L3, 0x46200000 | 3, 0); // AF = 0
  r = walk(ctx, 0x80200000);
  assert.deepEqual([r.fault, r.level], [FaultStatus.AccessFlagPage, 3]);
  ctx.write64(L3, 0x46200000 | AF | (2 << 6) | 3, 0); // AP[2:1]=10: PL1 read-only
  assert.equal(walk(ctx, 0x80200000, Permission.Read).fault, 0);
  r = walk(ctx, 0x80200000, Permission.Write);
  assert.deepEqual([r.fault, r.level], [FaultStatus.PermissionPage, 3]);
});

test('long-descriptor: APTable, XNTable and PXNTable restrict everything below them', () => {
  const ctx = setup();
  ctx.write64(L3, 0x46200000 | AF | (1 << 6) | 3, 0); // RW at PL0 and PL1
  assert.equal(walk(ctx, 0x80200000, Permission.Write << PL0_SHIFT).fault, 0);
  ctx.write64(L2 + 8, L3 | 3, 1 << 29); // APTable[0]: no PL0
  assert.equal(walk(ctx, 0x80200000, Permission.Read << PL0_SHIFT).fault, FaultStatus.PermissionPage);
  ctx.write64(L2 + 8, L3 | 3, 1 << 30); // APTable[1]: read-only
  assert.equal(walk(ctx, 0x80200000, Permission.Write).fault, FaultStatus.PermissionPage);
  assert.equal(walk(ctx, 0x80200000, Permission.Read << PL0_SHIFT).fault, 0);
  ctx.write64(L2 + 8, L3 | 3, 1 << 28); // XNTable
  assert.equal(walk(ctx, 0x80200000, Permission.Execute << PL0_SHIFT).fault, FaultStatus.PermissionPage);
  ctx.write64(L2 + 8, L3 | 3, 1 << 27); // PXNTable
  assert.equal(walk(ctx, 0x80200000, Permission.Execute).fault, FaultStatus.PermissionPage);
  assert.equal(walk(ctx, 0x80200000, Permission.Execute << PL0_SHIFT).fault, 0);
});

test('long-descriptor: AttrIndx selects a MAIR0/MAIR1 byte and SH is kept, for the 64-bit PAR', () => {
  const ctx = setup();
  ctx.cp15.prrr = 0xeeaa4400; // MAIR0
  ctx.cp15.nmrr = 0x112233ff; // MAIR1
  ctx.write64(L2, 0x46000000 | AF | (2 << 8) | (5 << 2) | 1, 0);
  const r = walk(ctx, 0x80000000);
  assert.equal(r.memoryAttributes, 0x33);
  assert.equal(r.shareability, 2);
});

test('long-descriptor: T1SZ=2 starts the TTBR1 walk at the second level', () => {
  const ctx = setup();
  ctx.cp15.ttbcr = EAE | (2 << 16) | 1;
  ctx.cp15.ttbr1 = 0x40005000;
  ctx.write64(0x40005000 + 3 * 8, 0x46600000 | AF | 1, 0);
  const r = walk(ctx, 0xc0612345);
  assert.equal(r.fault, 0);
  assert.equal(r.physicalAddress, 0x46612345);
  assert.equal(walk(ctx, 0x80000000).fault, FaultStatus.TranslationSection, 'between the two regions');
});
