import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Permission, PL0_SHIFT } from '../../../../src/arch/arm/mmu/permissions.js';
import { Tlb } from '../../../../src/arch/arm/mmu/tlb.js';

const RW = Permission.Read | Permission.Write;

test('tlb: a filled page hits with its physical address and misses without the needed permission', () => {
  const tlb = new Tlb();
  assert.equal(tlb.lookup(0x80001234, Permission.Read), -1);
  tlb.fill(0x80001000, 0x46005000, Permission.Read, true, 12);
  assert.equal(tlb.lookup(0x80001234, Permission.Read), 0x46005234);
  assert.equal(tlb.lookup(0x80001234, Permission.Write), -1);
  assert.equal(tlb.lookup(0x80001234, Permission.Read << PL0_SHIFT), -1);
  assert.equal(tlb.lookup(0x80002234, Permission.Read), -1);
});

test('tlb: a non-global entry hits only under its ASID (B3.9.1), a global one under any', () => {
  const tlb = new Tlb();
  tlb.setContext(0, 1);
  tlb.fill(0x10000000, 0x40000000, RW, false, 12);
  tlb.fill(0x20001000, 0x40001000, RW, true, 12);
  tlb.setContext(0, 2);
  assert.equal(tlb.lookup(0x10000000, Permission.Read), -1);
  assert.equal(tlb.lookup(0x20001004, Permission.Read), 0x40001004);
  tlb.setContext(0, 1);
  assert.equal(tlb.lookup(0x10000008, Permission.Read), 0x40000008);
});

test('tlb: TLBIMVA drops entries of the given ASID and global ones; TLBIMVAA any ASID', () => {
  const tlb = new Tlb();
  tlb.setContext(0, 1);
  tlb.fill(0x10000000, 0x40000000, RW, false, 12);
  tlb.fill(0x20001000, 0x40001000, RW, true, 12);
  tlb.invalidateByVa(0x10000000, 2);
  assert.equal(tlb.lookup(0x10000000, Permission.Read), 0x40000000, 'another ASID leaves it');
  tlb.invalidateByVa(0x10000abc, 1);
  assert.equal(tlb.lookup(0x10000000, Permission.Read), -1);
  tlb.invalidateByVa(0x20001000, 7);
  assert.equal(tlb.lookup(0x20001000, Permission.Read), -1, 'global entries match any ASID');
  tlb.fill(0x10000000, 0x40000000, RW, false, 12);
  tlb.invalidateByVa(0x10000000, -1);
  assert.equal(tlb.lookup(0x10000000, Permission.Read), -1);
});

test('tlb: invalidation by MVA inside a section drops every page cached from that section', () => {
  const tlb = new Tlb();
  tlb.fill(0x80000000, 0x46000000, RW, true, 20);
  tlb.fill(0x800ff000, 0x460ff000, RW, true, 20);
  tlb.fill(0x80100000, 0x46100000, RW, true, 20);
  tlb.invalidateByVa(0x80045000, 0);
  assert.equal(tlb.lookup(0x80000000, Permission.Read), -1);
  assert.equal(tlb.lookup(0x800ff000, Permission.Read), -1);
  assert.equal(tlb.lookup(0x80100000, Permission.Read), 0x46100000, 'the next section stays');
});

test('tlb: invalidation by MVA reports the largest mapping cached around the address until none is left', () => {
  const tlb = new Tlb();
  tlb.setContext(0, 5);
  tlb.fill(0x80200000, 0x46200000, RW, true, 12);
  assert.equal(tlb.invalidateByVa(0x80200000, 0), 12, 'pages only');
  tlb.fill(0x80000000, 0x46000000, RW, true, 20);
  tlb.fill(0x80001000, 0x46001000, RW, false, 20); // ASID 5's
  assert.equal(tlb.invalidateByVa(0x80045000, 0), 20);
  assert.equal(tlb.lookup(0x80000000, Permission.Read), -1);
  assert.equal(tlb.lookup(0x80001000, Permission.Read), 0x46001000, 'ASID 5 is not ASID 0');
  assert.equal(tlb.invalidateByVa(0x80045000, 0), 20, 'an entry of that section is still there');
  assert.equal(tlb.invalidateByVa(0x80045000, -1), 20);
  assert.equal(tlb.lookup(0x80001000, Permission.Read), -1);
  assert.equal(tlb.invalidateByVa(0x80045000, -1), 12, 'nothing of the section is left');
});

test('tlb: invalidation by MVA drops 64 KiB pages and supersections wherever their pages sit', () => {
  const tlb = new Tlb();
  tlb.fill(0x9000f000, 0x4700f000, RW, true, 16);
  tlb.fill(0xa0000000, 0x48000000, RW, true, 24);
  tlb.fill(0xa0fff000, 0x48fff000, RW, true, 24);
  tlb.fill(0xa1000000, 0x49000000, RW, true, 24);
  assert.equal(tlb.invalidateByVa(0x90003000, 0), 16);
  assert.equal(tlb.lookup(0x9000f000, Permission.Read), -1);
  assert.equal(tlb.invalidateByVa(0xa0800000, 0), 24);
  assert.equal(tlb.lookup(0xa0000000, Permission.Read), -1);
  assert.equal(tlb.lookup(0xa0fff000, Permission.Read), -1);
  assert.equal(tlb.lookup(0xa1000000, Permission.Read), 0x49000000, 'the next supersection stays');
});

test('tlb: TLBIASID drops only non-global entries of that ASID; TLBIALL everything', () => {
  const tlb = new Tlb();
  tlb.setContext(0, 3);
  tlb.fill(0x1000, 0x40000000, RW, false, 12);
  tlb.fill(0x2000, 0x40001000, RW, true, 12);
  tlb.setContext(0, 4);
  tlb.fill(0x3000, 0x40002000, RW, false, 12);
  tlb.invalidateByAsid(3);
  assert.equal(tlb.lookup(0x3000, Permission.Read), 0x40002000);
  assert.equal(tlb.lookup(0x2000, Permission.Read), 0x40001000);
  tlb.setContext(0, 3);
  assert.equal(tlb.lookup(0x1000, Permission.Read), -1);
  tlb.invalidateAll();
  assert.equal(tlb.lookup(0x2000, Permission.Read), -1);
});
