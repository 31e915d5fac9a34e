import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FaultStatus } from '../../../src/arch/arm/guest-abort.js';
import { HCR_VM } from '../../../src/arch/arm/hyp/hcr.js';
import { Mode } from '../../../src/arch/arm/modes.js';
import { makeHarness, type Harness } from '../../support/cpu-harness.js';
import { hypHarness as instructionHarness } from './hyp-harness.js';
import {
  abortOf, cp15Write, cp15Write64, makeHypHarness, par, s1Leaf, s2Leaf, setHcr, setHsctlr, tableDescriptor,
  write64, writeHtcr, writeHttbr, writeVtcr, writeVttbr, XN_HIGH,
} from './mmu-hyp-tables.js';

const H_L1 = 0x40080000;
const H_L2 = 0x40081000;
const H_L2_HIGH = 0x40082000;
const H_L3 = 0x40083000;
const HSCTLR_M = 1;
const HSCTLR_A = 1 << 1;
const HSCTLR_WXN = 1 << 19;
const MOV_R0_1 = 0xe3a00001;
const MOV_R0_2 = 0xe3a00002;

/**
 * Hyp's stage 1 tables (HTCR.T0SZ = 0, lookup from the first level):
 * VA 0x40000000: 2 MiB block, identity, read/write, executable;
 * VA 0xc0005000: page at PA 0x40005000, read-only; 0xc0006000: page at 0x40006000, XN;
 * 0xc0007000: page with AF = 0; 0xc0010000: page at 0x40010000 (the harness's code).
 * The processor is in Hyp mode with HSCTLR.M set.
 */
function hypHarness(): Harness {
  const h = makeHypHarness();
  write64(h, H_L1 + 1 * 8, tableDescriptor(H_L2));
  write64(h, H_L1 + 3 * 8, tableDescriptor(H_L2_HIGH));
  write64(h, H_L2, s1Leaf(0x40000000));
  write64(h, H_L2_HIGH, tableDescriptor(H_L3));
  write64(h, H_L3 + 5 * 8, s1Leaf(0x40005000, { page: true, ap: 2 }));
  write64(h, H_L3 + 6 * 8, s1Leaf(0x40006000, { page: true }), XN_HIGH);
  write64(h, H_L3 + 7 * 8, s1Leaf(0x40007000, { page: true, af: false }));
  write64(h, H_L3 + 0x10 * 8, s1Leaf(0x40010000, { page: true }));
  writeHtcr(h, 0);
  writeHttbr(h, H_L1);
  h.cpu.setMode(Mode.Hyp);
  setHsctlr(h, HSCTLR_M);
  return h;
}

test('mmu-hyp: Hyp mode loads and stores translate through HTTBR when HSCTLR.M (block and page)', () => {
  const h = hypHarness();
  h.writeWords(0x40005010, [0x11223344]);
  assert.equal(h.cpu.mem.load32(0xc0005010), 0x11223344);
  h.cpu.mem.store32(0x40020000, 0x55667788);
  assert.equal(h.cpu.mem.load32(0x40020000), 0x55667788);
  assert.equal(h.cpu.mem.instructionPhysicalAddress(0xc0010004), 0x40010004);
});

test('mmu-hyp: Hyp mode fetches through its own stage 1', () => {
  const h = hypHarness();
  h.writeWords(0x40010000, [MOV_R0_1]);
  h.cpu.pc = 0xc0010000;
  h.run(1);
  assert.equal(h.cpu.r[0], 1);
  assert.equal(h.cpu.pc >>> 0, 0xc0010004);
});

test('mmu-hyp: a Hyp mode fetch translates again after TLBIMVAH (the executor forgets its fetched page)', () => {
  const h = hypHarness();
  h.writeWords(0x40010000, [MOV_R0_1]);
  h.writeWords(0x40011000, [MOV_R0_2]);
  h.cpu.pc = 0xc0010000;
  h.run(1);
  assert.equal(h.cpu.r[0], 1);
  write64(h, H_L3 + 0x10 * 8, s1Leaf(0x40011000, { page: true }));
  cp15Write(h, 4, 8, 7, 1, 0xc0010000); // TLBIMVAH
  h.cpu.pc = 0xc0010000;
  h.run(1);
  assert.equal(h.cpu.r[0], 2);
});

test('mmu-hyp: Hyp faults — translation (level 1), access flag and permission (level 3), XN on fetch', () => {
  const h = hypHarness();
  let abort = abortOf(() => h.cpu.mem.load32(0x00001000));
  assert.deepEqual([abort.faultStatus, abort.level, abort.stage2], [FaultStatus.TranslationSection, 1, false]);
  abort = abortOf(() => h.cpu.mem.load32(0xc0007000));
  assert.deepEqual([abort.faultStatus, abort.level], [FaultStatus.AccessFlagPage, 3]);
  abort = abortOf(() => h.cpu.mem.store32(0xc0005000, 1));
  assert.deepEqual([abort.faultStatus, abort.level, abort.isWrite, abort.address >>> 0], [FaultStatus.PermissionPage, 3, true, 0xc0005000]);
  assert.equal(h.cpu.mem.load32(0xc0006000), 0, 'an XN page is readable');
  abort = abortOf(() => h.cpu.mem.instructionPhysicalAddress(0xc0006000));
  assert.deepEqual([abort.isPrefetch, abort.faultStatus, abort.level], [true, FaultStatus.PermissionPage, 3]);
});

test('mmu-hyp: AP[1] does not matter in Hyp mode (single privilege level), APTable[1] makes a subtree read-only', () => {
  const h = hypHarness();
  write64(h, H_L3 + 5 * 8, s1Leaf(0x40005000, { page: true, ap: 0 }));
  cp15Write(h, 4, 8, 7, 0, 0); // TLBIALLH
  h.cpu.mem.store32(0xc0005000, 7);
  write64(h, H_L2_HIGH, tableDescriptor(H_L3), 1 << 30); // APTable[1]
  cp15Write(h, 4, 8, 7, 0, 0);
  assert.equal(abortOf(() => h.cpu.mem.store32(0xc0005000, 7)).faultStatus, FaultStatus.PermissionPage);
  assert.equal(h.cpu.mem.load32(0xc0005000), 7);
});

test('mmu-hyp: HTCR.T0SZ limits the translated range; HTCR.T0SZ = 2 starts the walk at the second level', () => {
  const h = hypHarness();
  writeHtcr(h, 1);
  assert.equal(h.cpu.mem.load32(0x40000100), 0);
  const abort = abortOf(() => h.cpu.mem.load32(0xc0005000));
  assert.deepEqual([abort.faultStatus, abort.level], [FaultStatus.TranslationSection, 1]);
  // T0SZ = 2: VA[29:21] index a second-level table at HTTBR (1 GiB of VA).
  writeHtcr(h, 2);
  writeHttbr(h, 0x40084000); // a table whose entry 2 maps VA 0x00400000
  write64(h, 0x40084000 + 2 * 8, s1Leaf(0x40000000));
  h.writeWords(0x40000100, [0x99]);
  assert.equal(h.cpu.mem.load32(0x00400100), 0x99);
});

test('mmu-hyp: HSCTLR.WXN makes writable Hyp memory execute-never', () => {
  const h = hypHarness();
  setHsctlr(h, HSCTLR_M | HSCTLR_WXN);
  const abort = abortOf(() => h.cpu.mem.instructionPhysicalAddress(0x40010000));
  assert.deepEqual([abort.isPrefetch, abort.faultStatus, abort.level], [true, FaultStatus.PermissionPage, 2]);
  assert.equal(h.cpu.mem.instructionPhysicalAddress(0xc0005000), 0x40005000, 'read-only memory still executes');
});

test('mmu-hyp: without HSCTLR.M Hyp mode is flat, even while the PL1&0 regime translates', () => {
  const h = hypHarness();
  setHsctlr(h, 0);
  // Stage 2 on for PL1&0, mapping IPA 0x40000000 to PA 0x40200000: Hyp must not use it.
  write64(h, 0x40090000 + 1 * 8, tableDescriptor(0x40091000));
  write64(h, 0x40091000, s2Leaf(0x40200000));
  writeVtcr(h, 1 << 6);
  writeVttbr(h, 0x40090000, 1);
  setHcr(h, HCR_VM);
  assert.ok(h.cpu.mem.mmu.enabled);
  h.writeWords(0x40005010, [0xabcd]);
  assert.equal(h.cpu.mem.load32(0x40005010), 0xabcd);
  assert.equal(h.cpu.mem.instructionPhysicalAddress(0x40010000), 0x40010000);
});

test('mmu-hyp: Hyp translations are not used at PL1, nor PL1&0 ones in Hyp mode', () => {
  const h = hypHarness();
  h.writeWords(0x40005010, [0x1234]);
  assert.equal(h.cpu.mem.load32(0xc0005010), 0x1234);
  h.cpu.setMode(Mode.Svc);
  // PL1 with its MMU off: the flat map, so 0xc0005010 is nothing (an external abort).
  assert.equal(abortOf(() => h.cpu.mem.load32(0xc0005010)).faultStatus, FaultStatus.SyncExternal);
  assert.equal(h.cpu.mem.load32(0x40005010), 0x1234);
  h.cpu.setMode(Mode.Hyp);
  assert.equal(h.cpu.mem.load32(0xc0005010), 0x1234);
});

test('mmu-hyp: HSCTLR.A makes unaligned accesses fault in Hyp mode; SCTLR.A does not', () => {
  const h = hypHarness();
  h.cpu.cp15.writeSctlr(h.cpu.cp15.sctlr | 2);
  assert.equal(h.cpu.mem.load32(0x40000101), 0);
  setHsctlr(h, HSCTLR_M | HSCTLR_A);
  const abort = abortOf(() => h.cpu.mem.load32(0x40000101));
  assert.equal(abort.faultStatus, FaultStatus.Alignment);
  h.cpu.setMode(Mode.Svc);
  assert.equal(abortOf(() => h.cpu.mem.load16(0x40000101)).faultStatus, FaultStatus.Alignment, 'SCTLR.A at PL1');
});

test('mmu-hyp: TLBIMVAH and TLBIALLH drop Hyp translations; until then the TLB keeps the old one', () => {
  const h = hypHarness();
  h.writeWords(0x40005000, [5]);
  h.writeWords(0x40007000, [7]);
  h.writeWords(0x40008000, [8]);
  assert.equal(h.cpu.mem.load32(0xc0005000), 5);
  write64(h, H_L3 + 5 * 8, s1Leaf(0x40007000, { page: true }));
  assert.equal(h.cpu.mem.load32(0xc0005000), 5, 'cached');
  cp15Write(h, 4, 8, 7, 1, 0xc0006000); // TLBIMVAH, another page
  assert.equal(h.cpu.mem.load32(0xc0005000), 5);
  cp15Write(h, 4, 8, 7, 1, 0xc0005000); // TLBIMVAH
  assert.equal(h.cpu.mem.load32(0xc0005000), 7);
  write64(h, H_L3 + 5 * 8, s1Leaf(0x40005000, { page: true }));
  cp15Write(h, 4, 8, 3, 1, 0xc0005000); // TLBIMVAHIS
  assert.equal(h.cpu.mem.load32(0xc0005000), 5);
  write64(h, H_L3 + 5 * 8, s1Leaf(0x40007000, { page: true }));
  cp15Write(h, 4, 8, 7, 1, 0xc0005000);
  assert.equal(h.cpu.mem.load32(0xc0005000), 7);
  write64(h, H_L3 + 5 * 8, s1Leaf(0x40008000, { page: true }));
  cp15Write(h, 4, 8, 3, 0, 0); // TLBIALLHIS
  assert.equal(h.cpu.mem.load32(0xc0005000), 8);
  write64(h, H_L3 + 5 * 8, s1Leaf(0x40005000, { page: true }));
  cp15Write(h, 4, 8, 7, 0, 0); // TLBIALLH
  assert.equal(h.cpu.mem.load32(0xc0005000), 5);
});

test('mmu-hyp: ATS1HR/ATS1HW put the Hyp translation in the 64-bit PAR (attributes from HMAIR0)', () => {
  const h = hypHarness();
  cp15Write(h, 4, 10, 2, 0, 0x000000ff); // HMAIR0: AttrIndx 0 = Normal write-back
  cp15Write(h, 4, 7, 8, 0, 0xc0005abc); // ATS1HR
  assert.deepEqual(par(h), [0x40005000 | (1 << 11) | (1 << 9), 0xff000000]);
  cp15Write(h, 4, 7, 8, 1, 0xc0005abc); // ATS1HW: permission fault, level 3
  assert.deepEqual(par(h), [(1 << 11) | (0b001111 << 1) | 1, 0]);
  setHsctlr(h, 0);
  cp15Write(h, 4, 7, 8, 1, 0x12345678);
  assert.deepEqual(par(h), [0x12345000 | (1 << 11) | (1 << 9), 0], 'HSCTLR.M = 0: the flat map');
});

test('mmu-hyp: the Hyp and stage 2 registers exist only with EL2, are PL2-only, and read back as written (as QEMU)', () => {
  assert.equal(makeHarness().cpu.cp15.lookup64(6, 2), undefined, 'no VTTBR without the Virtualization Extensions');
  const h = makeHypHarness();
  const cp15 = h.cpu.cp15;
  const mcr = (opc1: number, crn: number, crm: number, opc2: number): number =>
    (0xee000f10 | (opc1 << 21) | (crn << 16) | (opc2 << 5) | crm) >>> 0;
  const mcrr = (opc1: number, crm: number): number => (0xec400f00 | (1 << 12) | (opc1 << 4) | crm) >>> 0; // mcrr p15, opc1, r0, r1, crm
  const words = [[4, 2, 0, 2], [4, 2, 1, 2], [4, 10, 2, 0], [4, 10, 2, 1], [4, 7, 8, 0], [4, 7, 8, 1],
    [0, 7, 8, 4], [0, 7, 8, 5], [0, 7, 8, 6], [0, 7, 8, 7], [4, 8, 3, 0], [4, 8, 3, 1], [4, 8, 3, 4], [4, 8, 7, 0], [4, 8, 7, 1], [4, 8, 7, 4],
  ].map(([opc1, crn, crm, opc2]) => mcr(opc1!, crn!, crm!, opc2!));
  for (const word of [...words, mcrr(4, 2), mcrr(6, 2)]) {
    const below = instructionHarness([word], Mode.Svc);
    below.run(1);
    assert.equal(below.cpu.mode, Mode.Und, `0x${word.toString(16)} is UNDEFINED at PL1`);
  }
  const read64 = (opc1: number): [number, number] => {
    cp15.lookup64(opc1, 2)!.read!(cp15, h.cpu);
    return [cp15.low >>> 0, cp15.high >>> 0];
  };
  cp15Write64(h, 6, 2, 0x40090000, 0x00050001);
  assert.deepEqual(read64(6), [0x40090000, 0x00050001]);
  assert.equal(h.cpu.mem.mmu.currentVmid(), 5, 'VMID is VTTBR[55:48]');
  cp15Write64(h, 4, 2, 0x40080000, 0x12);
  assert.deepEqual(read64(4), [0x40080000, 0x12]);
  cp15Write(h, 4, 2, 1, 2, 0x80003547);
  assert.equal(cp15.lookup(4, 2, 1, 2)!.read!(cp15, h.cpu) >>> 0, 0x80003547);
  cp15Write(h, 4, 2, 0, 2, 0x80003502);
  assert.equal(cp15.lookup(4, 2, 0, 2)!.read!(cp15, h.cpu) >>> 0, 0x80003502);
});

test('mmu-hyp: translation register writes tell the MMU\'s observers; HMAIR writes and unchanged values do not', () => {
  const h = hypHarness();
  const mmu = h.cpu.mem.mmu;
  let changes = 0;
  mmu.observers.push({ translationsChanged: () => changes++, pagesChanged: () => {} });
  let g = changes;
  writeHttbr(h, H_L1 + 0x100);
  assert.ok(changes > g, 'HTTBR');
  g = changes;
  writeVttbr(h, 0x40090000, 3);
  assert.ok(changes > g, 'VTTBR');
  g = changes;
  writeVtcr(h, 1 << 6);
  assert.ok(changes > g, 'VTCR');
  g = changes;
  setHcr(h, HCR_VM);
  assert.ok(changes > g, 'HCR.VM');
  g = changes;
  cp15Write(h, 4, 10, 2, 0, 0x44);
  setHcr(h, HCR_VM | (1 << 7)); // HCR.VI: not a translation control
  assert.equal(changes, g);
});
