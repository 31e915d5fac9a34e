import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FaultStatus } from '../../../src/arch/arm/guest-abort.js';
import { HCR_VM } from '../../../src/arch/arm/hyp/hcr.js';
import { HostMemory, PageAllocator } from '../../../src/hypervisor/host-memory.js';
import { STAGE2_VTCR, Stage2Access, Stage2Memory, Stage2Table } from '../../../src/hypervisor/stage2/stage2-table.js';
import { abortOf, cp15Write64, makeHypHarness, setHcr, writeVtcr } from '../../arch/arm/mmu-hyp-tables.js';

/**
 * The hypervisor's stage 2 tables, checked by the processor's own stage 2 walk (mmu/stage2.ts,
 * itself compared with QEMU by the MMU tests): what a guest reaches through them, and what faults.
 */
function guestWith(map: (table: Stage2Table) => void) {
  const h = makeHypHarness();
  const memory = new HostMemory(h.bus);
  const table = new Stage2Table(memory, new PageAllocator(memory, 0x400f0000, 0x10000).allocatePage);
  map(table);
  writeVtcr(h, STAGE2_VTCR);
  const vttbr = table.vttbr(3);
  cp15Write64(h, 6, 2, vttbr.low, vttbr.high);
  setHcr(h, HCR_VM);
  return h;
}

test('stage2 table: 4 KiB pages and 2 MiB blocks take IPAs to the physical addresses given', () => {
  const h = guestWith((t) => {
    t.map(0x80000000, 0x40020000, 0x2000, Stage2Access.Read | Stage2Access.Write, Stage2Memory.Normal);
    t.map(0xc0000000, 0x40000000, 0x200000, Stage2Access.Read | Stage2Access.Write, Stage2Memory.Normal);
  });
  h.writeWords(0x40021008, [0x1234]);
  assert.equal(h.cpu.mem.load32(0x80001008), 0x1234);
  assert.equal(h.cpu.mem.load32(0xc0021008), 0x1234, 'the block maps IPA 0xc0000000 + n to PA 0x40000000 + n');
  h.cpu.mem.store32(0x80000010, 0xcafe);
  assert.equal(h.cpu.mem.load32(0xc0020010), 0xcafe);
});

test('stage2 table: VTTBR carries the VMID in bits [55:48] and the first-level table', () => {
  const h = makeHypHarness();
  const memory = new HostMemory(h.bus);
  const table = new Stage2Table(memory, new PageAllocator(memory, 0x400f0000, 0x10000).allocatePage);
  assert.deepEqual(table.vttbr(7), { low: 0x400f0000, high: 7 << 16 });
});

test('stage2 table: what is not mapped, written read-only or fetched without execute faults at stage 2', () => {
  const h = guestWith((t) => {
    t.map(0x80000000, 0x40020000, 0x1000, Stage2Access.Read, Stage2Memory.Normal);
    t.map(0x80001000, 0x40021000, 0x1000, Stage2Access.Read | Stage2Access.Write, Stage2Memory.Normal);
  });
  const write = abortOf(() => h.cpu.mem.store32(0x80000000, 1));
  assert.deepEqual([write.stage2, write.faultStatus, write.ipa], [true, FaultStatus.PermissionPage, 0x80000000]);
  const fetch = abortOf(() => h.cpu.mem.fetch32(0x80001000));
  assert.deepEqual([fetch.stage2, fetch.faultStatus], [true, FaultStatus.PermissionPage]);
  const nothing = abortOf(() => h.cpu.mem.load32(0x80002000));
  assert.deepEqual([nothing.stage2, nothing.faultStatus, nothing.level], [true, FaultStatus.TranslationPage, 3]);
  const far = abortOf(() => h.cpu.mem.load32(0x10000000));
  assert.deepEqual([far.stage2, far.faultStatus, far.level], [true, FaultStatus.TranslationSection, 1]);
});

test('stage2 table: a region over an existing block mapping is refused', () => {
  guestWith((t) => {
    t.map(0xc0000000, 0x40000000, 0x200000, Stage2Access.Read, Stage2Memory.Normal);
    assert.throws(() => t.map(0xc0001000, 0x40001000, 0x1000, Stage2Access.Read, Stage2Memory.Normal), /overlaps a block/);
  });
});
