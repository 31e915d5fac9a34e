import assert from 'node:assert/strict';
import { test } from 'node:test';
import { HYP_SHIFT, Permission } from '../../../src/arch/arm/mmu/permissions.js';
import { Tlb } from '../../../src/arch/arm/mmu/tlb.js';

const RW = Permission.Read | Permission.Write;
const HYP_RW = RW << HYP_SHIFT;

test('stage2-tlb: PL1&0 entries hit only in their VMID; Hyp entries only for Hyp permissions, in any context', () => {
  // Distinct VA pages throughout: the TLB is direct-mapped by VA[22:12].
  const tlb = new Tlb();
  tlb.setContext(1, 7);
  tlb.fill(0x10001000, 0x40000000, RW, false, 12);
  tlb.fill(0x20002000, 0x40001000, RW, true, 12);
  tlb.fillHyp(0x30003000, 0x40002000, HYP_RW, 12);
  tlb.setContext(2, 7);
  assert.equal(tlb.lookup(0x10001000, Permission.Read), -1, 'same ASID, other VMID');
  assert.equal(tlb.lookup(0x20002000, Permission.Read), -1, 'global entries are global within their VMID');
  assert.equal(tlb.lookup(0x30003004, Permission.Read << HYP_SHIFT), 0x40002004);
  assert.equal(tlb.lookup(0x30003004, Permission.Read), -1, 'a Hyp entry has no PL1 permissions');
  tlb.setContext(1, 7);
  assert.equal(tlb.lookup(0x10001000, Permission.Read), 0x40000000);
  assert.equal(tlb.lookup(0x20002000, Permission.Read), 0x40001000);
});

test('stage2-tlb: a suspended context misses until setContext; fills keep the context\'s tags', () => {
  const tlb = new Tlb();
  tlb.setContext(3, 0);
  tlb.fill(0x10001000, 0x40000000, RW, true, 12);
  tlb.fillHyp(0x30003000, 0x40002000, HYP_RW, 12);
  tlb.suspendContext();
  assert.equal(tlb.lookup(0x10001000, Permission.Read), -1);
  assert.equal(tlb.lookup(0x30003000, Permission.Read << HYP_SHIFT), 0x40002000, 'Hyp lookups are unaffected');
  tlb.setContext(3, 0);
  assert.equal(tlb.lookup(0x10001000, Permission.Read), 0x40000000);
});

test('stage2-tlb: invalidation by VMID, of every VMID, of Hyp entries, and of Hyp entries by MVA inside a block', () => {
  const tlb = new Tlb();
  const fillAll = (): void => {
    tlb.setContext(1, 0);
    tlb.fill(0x10001000, 0x40000000, RW, true, 12);
    tlb.setContext(2, 0);
    tlb.fill(0x20002000, 0x40001000, RW, true, 12);
    tlb.fillHyp(0x30200000, 0x40200000, HYP_RW, 21);
    tlb.fillHyp(0x303ff000, 0x403ff000, HYP_RW, 21);
  };
  const present = (): boolean[] => {
    const hits: boolean[] = [];
    tlb.setContext(1, 0);
    hits.push(tlb.lookup(0x10001000, Permission.Read) >= 0);
    tlb.setContext(2, 0);
    hits.push(tlb.lookup(0x20002000, Permission.Read) >= 0);
    hits.push(tlb.lookup(0x30200000, Permission.Read << HYP_SHIFT) >= 0, tlb.lookup(0x303ff000, Permission.Read << HYP_SHIFT) >= 0);
    return hits;
  };
  fillAll();
  tlb.invalidateVmid(1);
  assert.deepEqual(present(), [false, true, true, true]);
  fillAll();
  tlb.invalidateAllVmids();
  assert.deepEqual(present(), [false, false, true, true]);
  fillAll();
  tlb.invalidateHypByVa(0x30323000);
  assert.deepEqual(present(), [true, true, false, false], 'both pages of the 2 MiB Hyp block');
  fillAll();
  tlb.invalidateHyp();
  assert.deepEqual(present(), [true, true, false, false]);
  tlb.invalidateByVa(0x20002000, -1, 1);
  assert.deepEqual(present(), [true, true, false, false], 'TLBIMVAA in VMID 1 leaves VMID 2');
  tlb.invalidateByVa(0x20002000, -1, 2);
  assert.deepEqual(present(), [true, false, false, false]);
});

test('stage2-tlb: with a single VMID filled, dropping another VMID\'s entries leaves them', () => {
  const tlb = new Tlb();
  tlb.setContext(0, 0);
  tlb.fill(0x10001000, 0x40000000, RW, false, 12);
  tlb.invalidateVmid(5);
  tlb.invalidateHyp();
  assert.equal(tlb.lookup(0x10001000, Permission.Read), 0x40000000);
  tlb.invalidateVmid(0);
  assert.equal(tlb.lookup(0x10001000, Permission.Read), -1);
});
