import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FaultStatus } from '../../../../src/arch/arm/guest-abort.js';
import { Permission, PL0_SHIFT } from '../../../../src/arch/arm/mmu/permissions.js';
import { translateShortDescriptor } from '../../../../src/arch/arm/mmu/short-descriptor.js';
import { WalkResult } from '../../../../src/arch/arm/mmu/walk.js';
import { TestWalkContext } from './walk-context.js';

const TTB = 0x40004000;
const L2 = 0x40008000;
const READ = Permission.Read;
const WRITE = Permission.Write;
const FETCH = Permission.Execute;

function setup(): TestWalkContext {
  const ctx = new TestWalkContext();
  ctx.cp15.ttbr0 = TTB;
  ctx.cp15.dacr = 0x55555555; // every domain client
  return ctx;
}
const l1 = (ctx: TestWalkContext, va: number, desc: number) => ctx.write(TTB + (va >>> 20) * 4, desc);
const walk = (ctx: TestWalkContext, va: number, needed = READ) => translateShortDescriptor(ctx, va, needed, new WalkResult());

test('short-descriptor: section maps 1 MiB with base from bits [31:20] (B3.5.1)', () => {
  const ctx = setup();
  l1(ctx, 0x80000000, 0x46000000 | (3 << 10) | 2);
  const r = walk(ctx, 0x80012345);
  assert.equal(r.fault, 0);
  assert.equal(r.physicalAddress, 0x46012345);
  assert.equal(r.blockShift, 20);
  assert.equal(r.global, true);
  assert.equal(r.permissions, 0x3f);
});

test('short-descriptor: supersection maps 16 MiB with base from bits [31:24] and PA[39:32] from [23:20], [8:5]', () => {
  const ctx = setup();
  const desc = 0x47000000 | (0x3 << 20) | (0x1 << 5) | (1 << 18) | (3 << 10) | 2;
  l1(ctx, 0x82000000, desc);
  l1(ctx, 0x82f00000, desc);
  const r = walk(ctx, 0x82f45678);
  assert.equal(r.fault, 0);
  assert.equal(r.physicalAddress, 0x13_47f45678);
  assert.equal(r.blockShift, 24);
  assert.equal(r.supersection, true);
});

test('short-descriptor: TTBCR.N selects TTBR1 for VA[31:32-N] non-zero and shrinks the TTBR0 table', () => {
  const ctx = setup();
  ctx.cp15.ttbcr = 2;
  ctx.cp15.ttbr0 = 0x4000c000 | 0x123; // low bits below the 4 KiB table alignment ignored
  ctx.cp15.ttbr1 = TTB;
  ctx.write(0x4000c000 + 0x3ff * 4, 0x46000000 | (3 << 10) | 2);
  ctx.write(TTB + 0xc00 * 4, 0x46100000 | (3 << 10) | 2);
  assert.equal(walk(ctx, 0x3ff00010).physicalAddress, 0x46000010);
  assert.equal(walk(ctx, 0xc0000010).physicalAddress, 0x46100010);
});

test('short-descriptor: large and small pages of a page table (B3.5.1)', () => {
  const ctx = setup();
  l1(ctx, 0x81000000, L2 | (2 << 5) | 1);
  for (let i = 16; i < 32; i++) ctx.write(L2 + i * 4, 0x46210000 | (3 << 4) | 1);
  ctx.write(L2 + 1 * 4, 0x46201000 | (3 << 4) | (1 << 11) | 2);
  const large = walk(ctx, 0x8101fff0);
  assert.equal(large.physicalAddress, 0x4621fff0);
  assert.equal(large.blockShift, 16);
  const small = walk(ctx, 0x81001abc);
  assert.equal(small.physicalAddress, 0x46201abc);
  assert.equal(small.global, false, 'nG');
  assert.equal(small.domain, 2);
});

test('short-descriptor: faults — translation, domain (checked before the second level, as QEMU), external on walk', () => {
  const ctx = setup();
  ctx.cp15.dacr = 0x1; // domain 0 client, others no access
  let r = walk(ctx, 0x90000000);
  assert.equal(r.fault, FaultStatus.TranslationSection);
  l1(ctx, 0x81000000, L2 | (3 << 5) | 1);
  r = walk(ctx, 0x81000000);
  assert.deepEqual([r.fault, r.domain, r.level], [FaultStatus.DomainPage, 3, 2]);
  l1(ctx, 0x81000000, L2 | 1);
  r = walk(ctx, 0x81000000);
  assert.deepEqual([r.fault, r.level], [FaultStatus.TranslationPage, 2]);
  l1(ctx, 0x82000000, 0x50000000 | 1); // page table outside memory
  r = walk(ctx, 0x82000000);
  assert.equal(r.fault, FaultStatus.SyncExternalWalkSecondLevel);
});

test('short-descriptor: AP[2:0] permissions at PL1 and PL0, XN and PXN on fetch, manager domain (B3.7)', () => {
  const ctx = setup();
  l1(ctx, 0x80000000, 0x46000000 | (1 << 15) | (1 << 10) | 2); // AP=101: PL1 read-only
  assert.equal(walk(ctx, 0x80000000, READ).fault, 0);
  assert.equal(walk(ctx, 0x80000000, WRITE).fault, FaultStatus.PermissionSection);
  assert.equal(walk(ctx, 0x80000000, READ << PL0_SHIFT).fault, FaultStatus.PermissionSection);
  l1(ctx, 0x80100000, 0x46000000 | (2 << 10) | 2); // AP=010: PL0 read-only
  assert.equal(walk(ctx, 0x80100000, READ << PL0_SHIFT).fault, 0);
  assert.equal(walk(ctx, 0x80100000, WRITE << PL0_SHIFT).fault, FaultStatus.PermissionSection);
  l1(ctx, 0x80200000, 0x46000000 | (3 << 10) | 0x10 | 2); // XN
  assert.equal(walk(ctx, 0x80200000, FETCH).fault, FaultStatus.PermissionSection);
  l1(ctx, 0x80300000, 0x46000000 | (3 << 10) | 3); // PXN
  assert.equal(walk(ctx, 0x80300000, FETCH).fault, FaultStatus.PermissionSection);
  assert.equal(walk(ctx, 0x80300000, FETCH << PL0_SHIFT).fault, 0);
  ctx.cp15.dacr = 0x3; // domain 0 manager: no checks, XN included
  assert.equal(walk(ctx, 0x80200000, FETCH).fault, 0);
  assert.equal(walk(ctx, 0x80000000, WRITE << PL0_SHIFT).fault, 0);
});

test('short-descriptor: SCTLR.AFE uses AP[2:1] and gives access flag faults for AP[0]=0 (B3.7.3)', () => {
  const ctx = setup();
  ctx.cp15.sctlr |= 1 << 29;
  l1(ctx, 0x80000000, 0x46000000 | (2 << 10) | 2);
  assert.equal(walk(ctx, 0x80000000).fault, FaultStatus.AccessFlagSection);
  l1(ctx, 0x80100000, 0x46000000 | (1 << 10) | 2); // AP[2:1]=00: PL1 only
  assert.equal(walk(ctx, 0x80100000, WRITE).fault, 0);
  assert.equal(walk(ctx, 0x80100000, READ << PL0_SHIFT).fault, FaultStatus.PermissionSection);
});
