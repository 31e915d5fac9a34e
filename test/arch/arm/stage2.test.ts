import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FaultStatus } from '../../../src/arch/arm/guest-abort.js';
import { HCR_DC, HCR_FB, HCR_PTW, HCR_VM } from '../../../src/arch/arm/hyp/hcr.js';
import { Mode } from '../../../src/arch/arm/modes.js';
import { combineAttributes, combineShareability } from '../../../src/arch/arm/mmu/memory-attributes.js';
import { Permission } from '../../../src/arch/arm/mmu/permissions.js';
import { translateStage2 } from '../../../src/arch/arm/mmu/stage2.js';
import { WalkResult } from '../../../src/arch/arm/mmu/walk.js';
import type { Harness } from '../../support/cpu-harness.js';
import {
  abortOf, cp15Write, cp15Write64, makeHypHarness, par, s1Leaf, s2Leaf, setHcr, tableDescriptor, write64,
  writeVtcr, writeVttbr, XN_HIGH,
} from './mmu-hyp-tables.js';

// Stage 2 (VTCR.T0SZ = 0, SL0 = 1: the walk starts at the first level).
const S2_L1 = 0x40090000;
const S2_L2 = 0x40091000;
const S2_L2_HIGH = 0x40092000;
const S2_L3 = 0x40093000;
// Stage 1, long-descriptor format (TTBCR.EAE = 1, T0SZ = 0).
const S1_L1 = 0x40094000;
const S1_L2 = 0x40095000;
const S1_L2_LOW = 0x40096000;
const S1_L3 = 0x40097000;
const VTCR_SL0_1 = 1 << 6;
const MOV_R0_1 = 0xe3a00001;
const MOV_R0_2 = 0xe3a00002;

/**
 * Stage 2, VMID 1:
 *   IPA 0x40000000: 2 MiB block, identity (RAM: code and all tables), Normal write-back;
 *   IPA 0x80010000 -> PA 0x40010000 (code); 0x80005000 -> 0x40005000 read-only;
 *   0x80006000: AF = 0; 0x80007000 -> 0x40007000 XN; 0x80008000 -> 0x40008000 Device;
 *   0x80009000 -> 0x40009000 outer Write-Through, inner Write-Back, Inner Shareable;
 *   nothing at 0x80200000 (second level) or 0xc0000000 (first level).
 * Stage 1 (set up by withStage1):
 *   VA 0x40000000: 2 MiB block to IPA 0x40000000;
 *   VA 0x1000 -> IPA 0x80005000, 0x2000 -> 0x80006000, 0x3000 -> 0x80200000,
 *   0x4000 -> 0x80010000, 0x5000 -> 0x80007000, 0x6000 -> 0xc0000000, 0x7000 -> 0x80009000,
 *   0x8000 -> 0x80008000, 0x9000 -> 0x80005000 as PL1-only, Strongly-ordered (AttrIndx 2);
 *   VA 0x80000000: a second-level table at IPA 0x80200000 (not mapped by stage 2);
 *   VA 0xc0000000: a second-level table at IPA 0x80008000 (stage 2 Device memory).
 */
function stage2Harness(): Harness {
  const h = makeHypHarness();
  write64(h, S2_L1 + 1 * 8, tableDescriptor(S2_L2));
  write64(h, S2_L1 + 2 * 8, tableDescriptor(S2_L2_HIGH));
  write64(h, S2_L2, s2Leaf(0x40000000));
  write64(h, S2_L2_HIGH, tableDescriptor(S2_L3));
  write64(h, S2_L3 + 0x10 * 8, s2Leaf(0x40010000, { page: true }));
  write64(h, S2_L3 + 5 * 8, s2Leaf(0x40005000, { page: true, s2ap: 1 }));
  write64(h, S2_L3 + 6 * 8, s2Leaf(0x40006000, { page: true, af: false }));
  write64(h, S2_L3 + 7 * 8, s2Leaf(0x40007000, { page: true }), XN_HIGH);
  write64(h, S2_L3 + 8 * 8, s2Leaf(0x40008000, { page: true, memAttr: 0b0001 }));
  write64(h, S2_L3 + 9 * 8, s2Leaf(0x40009000, { page: true, memAttr: 0b1011, sh: 3 }));
  writeVtcr(h, VTCR_SL0_1);
  writeVttbr(h, S2_L1, 1);
  setHcr(h, HCR_VM);
  return h;
}

function withStage1(h: Harness): Harness {
  write64(h, S1_L1, tableDescriptor(S1_L2_LOW));
  write64(h, S1_L1 + 1 * 8, tableDescriptor(S1_L2));
  write64(h, S1_L1 + 2 * 8, tableDescriptor(0x80200000));
  write64(h, S1_L1 + 3 * 8, tableDescriptor(0x80008000));
  write64(h, S1_L2, s1Leaf(0x40000000));
  write64(h, S1_L2_LOW, tableDescriptor(S1_L3));
  const pages: [number, number][] = [
    [1, 0x80005000], [2, 0x80006000], [3, 0x80200000], [4, 0x80010000], [5, 0x80007000], [6, 0xc0000000],
    [7, 0x80009000], [8, 0x80008000],
  ];
  for (const [index, ipa] of pages) write64(h, S1_L3 + index * 8, s1Leaf(ipa, { page: true }));
  write64(h, S1_L3 + 9 * 8, s1Leaf(0x80005000, { page: true, ap: 0, attrIndx: 2 }));
  // The table at IPA 0x80008000 (PA 0x40008000): VA 0xc0000000 -> IPA 0x40000000.
  write64(h, 0x40008000, s1Leaf(0x40000000));
  cp15Write(h, 0, 10, 2, 0, 0x0044ff); // MAIR0: 0 Normal WB, 1 Normal NC, 2 Strongly-ordered
  cp15Write(h, 0, 2, 0, 2, 0x80000000); // TTBCR.EAE
  cp15Write64(h, 0, 2, S1_L1, 0); // TTBR0
  h.cpu.cp15.writeSctlr(h.cpu.cp15.sctlr | 1);
  return h;
}

test('stage2: data accesses translate VA to IPA by stage 1 and IPA to PA by stage 2', () => {
  const h = withStage1(stage2Harness());
  h.writeWords(0x40005010, [0x5a5a]);
  assert.equal(h.cpu.mem.load32(0x00001010), 0x5a5a);
  assert.equal(h.cpu.mem.load32(0x40005010), 0x5a5a, 'identity at both stages');
  const abort = abortOf(() => h.cpu.mem.store32(0x00001010, 1));
  assert.deepEqual(
    [abort.stage2, abort.faultStatus, abort.level, abort.ipa, abort.s1ptw, abort.isWrite, abort.address >>> 0],
    [true, FaultStatus.PermissionPage, 3, 0x80005010, false, true, 0x00001010],
    'stage 2 makes the page read-only',
  );
});

test('stage2: with stage 1 off and HCR.VM set, VA = IPA and stage 2 still translates', () => {
  const h = stage2Harness();
  h.writeWords(0x40005010, [0x77]);
  assert.equal(h.cpu.mem.load32(0x80005010), 0x77);
  assert.equal(abortOf(() => h.cpu.mem.store8(0x80005010, 1)).stage2, true);
});

test('stage2: instruction fetches translate through stage 2, and stage 2 XN is a prefetch abort', () => {
  const h = stage2Harness();
  h.writeWords(0x40010000, [MOV_R0_1, MOV_R0_2]);
  h.cpu.pc = 0x80010000;
  h.run(1);
  assert.equal(h.cpu.r[0], 1);
  withStage1(h);
  h.cpu.pc = 0x00004004;
  h.run(1);
  assert.equal(h.cpu.r[0], 2, 'VA 0x4004 -> IPA 0x80010004 -> PA 0x40010004');
  const abort = abortOf(() => h.cpu.mem.instructionPhysicalAddress(0x00005000));
  assert.deepEqual([abort.isPrefetch, abort.stage2, abort.faultStatus, abort.level, abort.ipa],
    [true, true, FaultStatus.PermissionPage, 3, 0x80007000]);
  assert.equal(h.cpu.mem.load32(0x00005000), 0, 'an XN page is still readable');
});

test('stage2: translation faults at the first and second level and access flag faults carry the IPA', () => {
  const h = withStage1(stage2Harness());
  let abort = abortOf(() => h.cpu.mem.load32(0x00006004));
  assert.deepEqual([abort.stage2, abort.faultStatus, abort.level, abort.ipa, abort.s1ptw],
    [true, FaultStatus.TranslationSection, 1, 0xc0000004, false]);
  abort = abortOf(() => h.cpu.mem.load32(0x00003008));
  assert.deepEqual([abort.stage2, abort.faultStatus, abort.level, abort.ipa], [true, FaultStatus.TranslationPage, 2, 0x80200008]);
  abort = abortOf(() => h.cpu.mem.load32(0x00002000));
  assert.deepEqual([abort.stage2, abort.faultStatus, abort.level, abort.ipa], [true, FaultStatus.AccessFlagPage, 3, 0x80006000]);
  abort = abortOf(() => h.cpu.mem.load32(0x00010000));
  assert.deepEqual([abort.stage2, abort.faultStatus, abort.level], [false, FaultStatus.TranslationPage, 3], 'a stage 1 fault');
});

test('stage2: a stage 1 table walk read that stage 2 does not map is a stage 2 fault with S1PTW', () => {
  const h = withStage1(stage2Harness());
  const abort = abortOf(() => h.cpu.mem.load32(0x80400000));
  // The second-level table is at IPA 0x80200000; VA[29:21] = 2 selects its third descriptor.
  assert.deepEqual(
    [abort.stage2, abort.s1ptw, abort.faultStatus, abort.level, abort.ipa, abort.address >>> 0, abort.isPrefetch],
    [true, true, FaultStatus.TranslationPage, 2, 0x80200010, 0x80400000, false],
  );
  const fetch = abortOf(() => h.cpu.mem.instructionPhysicalAddress(0x80400000));
  assert.deepEqual([fetch.isPrefetch, fetch.stage2, fetch.s1ptw], [true, true, true]);
});

test('stage2: HCR.PTW makes a stage 1 walk into stage 2 Device memory a stage 2 permission fault', () => {
  const h = withStage1(stage2Harness());
  h.writeWords(0x40000100, [0x31]);
  assert.equal(h.cpu.mem.load32(0xc0000100), 0x31, 'without PTW the walk reads the Device page');
  setHcr(h, HCR_VM | HCR_PTW);
  const abort = abortOf(() => h.cpu.mem.load32(0xc0000100));
  assert.deepEqual([abort.stage2, abort.s1ptw, abort.faultStatus, abort.level, abort.ipa],
    [true, true, FaultStatus.PermissionPage, 3, 0x80008000]);
  assert.equal(h.cpu.mem.load32(0x00001000), 0, 'walks through Normal memory are unaffected');
});

test('stage2: HCR.DC disables stage 1 (VA = IPA, Normal write-back) and turns stage 2 on without HCR.VM', () => {
  const h = withStage1(stage2Harness());
  setHcr(h, HCR_DC);
  h.writeWords(0x40005010, [0xdc]);
  assert.equal(h.cpu.mem.load32(0x80005010), 0xdc, 'stage 1 would not map VA 0x80005010 like this');
  cp15Write(h, 0, 7, 8, 4, 0x80009000); // ATS12NSOPR
  assert.deepEqual(par(h), [0x40009000 | (1 << 11) | (1 << 9) | (3 << 7), 0xbf000000],
    'Normal WB at stage 1 combined with outer WT / inner WB');
});

test('stage2: ATS12NSOPR combines the attributes of both stages (B3.8): Device wins, the less cacheable wins', () => {
  const h = withStage1(stage2Harness());
  h.cpu.setMode(Mode.Hyp);
  cp15Write(h, 0, 7, 8, 4, 0x00007abc);
  assert.deepEqual(par(h), [0x40009000 | (1 << 11) | (1 << 9) | (3 << 7), 0xbf000000], 'WB + (WT outer, WB inner)');
  cp15Write(h, 0, 7, 8, 4, 0x00008000);
  assert.deepEqual(par(h), [0x40008000 | (1 << 11) | (1 << 9) | (2 << 7), 0x04000000], 'stage 2 Device: Outer Shareable');
  cp15Write(h, 0, 7, 8, 4, 0x00009000);
  assert.deepEqual(par(h), [0x40005000 | (1 << 11) | (1 << 9) | (2 << 7), 0x00000000], 'stage 1 Strongly-ordered');
});

test('stage2: ATS12NSO* report both stages\' faults in the 64-bit PAR (FSTAGE, S2WLK)', () => {
  const h = withStage1(stage2Harness());
  h.cpu.setMode(Mode.Hyp);
  cp15Write(h, 0, 7, 8, 5, 0x00001000); // ATS12NSOPW: stage 2 permission fault, level 3
  assert.deepEqual(par(h), [(1 << 11) | (1 << 9) | (0b001111 << 1) | 1, 0]);
  cp15Write(h, 0, 7, 8, 4, 0x80400000); // ATS12NSOPR: stage 2 translation fault (level 2) on the walk
  assert.deepEqual(par(h), [(1 << 11) | (1 << 9) | (1 << 8) | (0b000110 << 1) | 1, 0]);
  cp15Write(h, 0, 7, 8, 6, 0x00009000); // ATS12NSOUR: stage 1 permission fault (PL1-only page)
  assert.deepEqual(par(h), [(1 << 11) | (0b001111 << 1) | 1, 0]);
  cp15Write(h, 0, 7, 8, 7, 0x40000008); // ATS12NSOUW
  assert.deepEqual(par(h), [0x40000000 | (1 << 11) | (1 << 9), 0xff000000]);
});

test('stage2: ATS12NSOPR uses the 32-bit PAR without stage 2 and short descriptors', () => {
  const h = makeHypHarness();
  h.cpu.setMode(Mode.Hyp);
  cp15Write(h, 0, 7, 8, 4, 0x12345678);
  assert.deepEqual(par(h), [0x12345000 | (1 << 9), 0]);
});

test('stage2: ATS1CPR from PL1 gives the IPA; a stage 2 fault on its walk is a data abort to Hyp', () => {
  const h = withStage1(stage2Harness());
  cp15Write(h, 0, 7, 8, 0, 0x00001abc);
  assert.deepEqual(par(h), [(0x80005000 | (1 << 11) | (1 << 9)) >>> 0, 0xff000000]);
  const abort = abortOf(() => cp15Write(h, 0, 7, 8, 0, 0x80400000));
  assert.deepEqual([abort.isPrefetch, abort.stage2, abort.s1ptw, abort.isWrite, abort.ipa], [false, true, true, true, 0x80200010]);
  h.cpu.setMode(Mode.Hyp);
  cp15Write(h, 0, 7, 8, 0, 0x80400000);
  assert.deepEqual(par(h), [(1 << 11) | (1 << 9) | (1 << 8) | (0b000110 << 1) | 1, 0], 'in Hyp mode the fault goes to PAR');
});

/**
 * A second stage 2 root for VMID 2: IPA 0x40000000 identity, IPA 0x80005000 -> PA 0x4000a000,
 * 0x8000d000 -> 0x4000d000. Each test page holds its number (0x40005000: 5, 0x40009000: 9...).
 * (The TLB is direct-mapped by VA: entries meant to stay cached use VAs of their own.)
 */
const VM2_L1 = 0x400a0000;
const VM2_L3 = 0x400a2000;
function addSecondVm(h: Harness): void {
  write64(h, VM2_L1 + 1 * 8, tableDescriptor(S2_L2));
  write64(h, VM2_L1 + 2 * 8, tableDescriptor(0x400a1000));
  write64(h, 0x400a1000, tableDescriptor(VM2_L3));
  write64(h, VM2_L3 + 5 * 8, s2Leaf(0x4000a000, { page: true }));
  write64(h, VM2_L3 + 0xd * 8, s2Leaf(0x4000d000, { page: true }));
  for (const page of [5, 9, 0xa, 0xb, 0xc, 0xd]) h.writeWords(0x40000000 + page * 0x1000, [page]);
}

/** VMID 1 has IPA 0x80009000 cached, VMID 2 (current) IPA 0x8000d000; then both tables change. */
function bothVmsCached(h: Harness): void {
  addSecondVm(h);
  writeVttbr(h, S2_L1, 1);
  assert.equal(h.cpu.mem.load32(0x80009000), 9);
  writeVttbr(h, VM2_L1, 2);
  assert.equal(h.cpu.mem.load32(0x8000d000), 0xd);
  write64(h, S2_L3 + 9 * 8, s2Leaf(0x4000b000, { page: true }));
  write64(h, VM2_L3 + 0xd * 8, s2Leaf(0x4000c000, { page: true }));
}

test('stage2: each VMID translates by its own tables; the TLB keeps its entries across switches, never stale ones', () => {
  const h = stage2Harness();
  addSecondVm(h);
  assert.equal(h.cpu.mem.load32(0x80005000), 5);
  assert.equal(h.cpu.mem.load32(0x80009000), 9);
  writeVttbr(h, VM2_L1, 2);
  assert.equal(h.cpu.mem.load32(0x80005000), 0xa, 'VMID 2 does not hit VMID 1\'s entry for the same VA');
  // VMID 1's stage 2 changes without maintenance: its TLB entry is still there when it returns.
  write64(h, S2_L3 + 9 * 8, s2Leaf(0x4000b000, { page: true }));
  writeVttbr(h, S2_L1, 1);
  assert.equal(h.cpu.mem.load32(0x80009000), 9, 'VMID 1 entry kept while VMID 2 ran');
  // The same VMID with another VTTBR base is never served the old tables' entries.
  writeVttbr(h, VM2_L1, 1);
  assert.equal(h.cpu.mem.load32(0x80005000), 0xa);
  writeVttbr(h, S2_L1, 1);
  assert.equal(h.cpu.mem.load32(0x80009000), 0xb);
  // Nor after HCR.VM changes: with VM off the address is a PA.
  setHcr(h, 0);
  assert.equal(abortOf(() => h.cpu.mem.load32(0x80009000)).faultStatus, FaultStatus.SyncExternal);
});

test('stage2: TLBIALL at PL1 drops only the current VMID\'s entries; TLBIALLNSNH every VMID\'s; TLBIALLH neither', () => {
  const h = stage2Harness();
  bothVmsCached(h);
  writeVttbr(h, S2_L1, 1);
  cp15Write(h, 4, 8, 7, 0, 0); // TLBIALLH: Hyp entries only
  assert.equal(h.cpu.mem.load32(0x80009000), 9);
  cp15Write(h, 0, 8, 7, 0, 0); // TLBIALL, VMID 1
  assert.equal(h.cpu.mem.load32(0x80009000), 0xb);
  writeVttbr(h, VM2_L1, 2);
  assert.equal(h.cpu.mem.load32(0x8000d000), 0xd, 'VMID 2 untouched by VMID 1\'s TLBIALL');
  cp15Write(h, 4, 8, 3, 4, 0); // TLBIALLNSNHIS
  assert.equal(h.cpu.mem.load32(0x8000d000), 0xc);
  write64(h, VM2_L3 + 0xd * 8, s2Leaf(0x4000d000, { page: true }));
  cp15Write(h, 4, 8, 7, 4, 0); // TLBIALLNSNH
  assert.equal(h.cpu.mem.load32(0x8000d000), 0xd);
});

test('stage2: TLBIMVAA, TLBIASID and TLBIMVA at PL1 act in the current VMID only', () => {
  const h = stage2Harness();
  bothVmsCached(h);
  cp15Write(h, 0, 8, 7, 3, 0x80009000); // TLBIMVAA in VMID 2: VMID 1's entry for that VA stays
  cp15Write(h, 0, 8, 7, 3, 0x8000d000);
  assert.equal(h.cpu.mem.load32(0x8000d000), 0xc);
  writeVttbr(h, S2_L1, 1);
  assert.equal(h.cpu.mem.load32(0x80009000), 9);
  cp15Write(h, 0, 8, 7, 2, 0); // TLBIASID 0: stage 1 is off, the flat entries are global
  assert.equal(h.cpu.mem.load32(0x80009000), 9);
  cp15Write(h, 0, 8, 7, 1, 0x80009000); // TLBIMVA
  assert.equal(h.cpu.mem.load32(0x80009000), 0xb);
});

test('stage2: Inner Shareable operations carry the issuer\'s VMID; HCR.FB broadcasts TLBIALL from PL1', () => {
  const h = stage2Harness();
  const other = stage2Harness();
  h.cpu.mem.mmu.innerShareable = (operation) => {
    operation(h.cpu.mem.mmu);
    operation(other.cpu.mem.mmu);
  };
  bothVmsCached(other); // the other processor runs VMID 2
  cp15Write(h, 0, 8, 3, 0, 0); // TLBIALLIS from VMID 1
  assert.equal(other.cpu.mem.load32(0x8000d000), 0xd, 'the other processor\'s VMID 2 entry stays');
  writeVttbr(other, S2_L1, 1);
  assert.equal(other.cpu.mem.load32(0x80009000), 0xb, 'its VMID 1 entry went');
  write64(other, S2_L3 + 9 * 8, s2Leaf(0x40009000, { page: true }));
  cp15Write(h, 0, 8, 7, 0, 0); // TLBIALL: local
  assert.equal(other.cpu.mem.load32(0x80009000), 0xb);
  setHcr(h, HCR_VM | HCR_FB);
  cp15Write(h, 0, 8, 7, 0, 0); // TLBIALL with HCR.FB: broadcast
  assert.equal(other.cpu.mem.load32(0x80009000), 9);
});

test('stage2: VTCR — 40-bit IPAs with concatenated first-level tables, a second-level start, invalid setups', () => {
  const h = stage2Harness();
  const mmu = h.cpu.mem.mmu;
  const walk = (ipa: number) => translateStage2(mmu, ipa, Permission.Read, false, new WalkResult());
  // T0SZ = -8 (S = 1), SL0 = 1: 1024 first-level entries (two pages) from VTTBR.
  write64(h, 0x400b0000 + 0x205 * 8, s2Leaf(0x40000000));
  writeVtcr(h, 0x18 | VTCR_SL0_1);
  writeVttbr(h, 0x400b0000, 1);
  let r = walk(0x81_40012345);
  assert.deepEqual([r.fault, r.physicalAddress, r.level], [0, 0x40012345, 1]);
  // T0SZ = 0, SL0 = 0: 2048 second-level entries (four pages).
  write64(h, 0x400b0000 + 0x401 * 8, tableDescriptor(S2_L3));
  writeVtcr(h, 0);
  r = walk(0x80205000);
  assert.deepEqual([r.fault, r.physicalAddress, r.level], [0, 0x40005000, 3]);
  // T0SZ = 1: 31-bit IPAs; above them, or with SL0 = 2, a translation fault at the first level.
  writeVtcr(h, 1);
  r = walk(0x80000000);
  assert.deepEqual([r.fault, r.level, r.stage2], [FaultStatus.TranslationSection, 1, true]);
  writeVtcr(h, 2 << 6);
  r = walk(0x40000000);
  assert.deepEqual([r.fault, r.level], [FaultStatus.TranslationSection, 1]);
});

test('stage2: short-descriptor stage 1 (as Linux guests use) reads its tables through stage 2 too', () => {
  const h = stage2Harness();
  const ttb = 0x40098000;
  h.writeWords(ttb + 1 * 4, [0x80000000 | (3 << 10) | 2]); // VA 0x00100000: section at IPA 0x80000000
  h.writeWords(ttb + 2 * 4, [0x80200400 | 1]); // VA 0x00200000: page table at IPA 0x80200400 (unmapped)
  h.writeWords(ttb + 0x400 * 4, [0x40000000 | (3 << 10) | 2]); // VA 0x40000000: identity section
  h.cpu.cp15.ttbr0 = ttb;
  h.cpu.cp15.dacr = 1;
  h.cpu.cp15.writeSctlr(h.cpu.cp15.sctlr | 1);
  h.writeWords(0x40005010, [0x5d]);
  assert.equal(h.cpu.mem.load32(0x00105010), 0x5d, 'VA 0x105010 -> IPA 0x80005010 -> PA 0x40005010');
  const abort = abortOf(() => h.cpu.mem.load32(0x00203000));
  assert.deepEqual([abort.stage2, abort.s1ptw, abort.faultStatus, abort.level, abort.ipa],
    [true, true, FaultStatus.TranslationPage, 2, 0x80200400 + 3 * 4]);
  write64(h, S2_L3 + 5 * 8, s2Leaf(0x40005000, { page: true, s2ap: 0 }));
  cp15Write(h, 4, 8, 7, 4, 0); // stage 2 changes need TLBIALLNSNH
  const denied = abortOf(() => h.cpu.mem.load32(0x00105010));
  assert.deepEqual([denied.stage2, denied.s1ptw, denied.faultStatus, denied.ipa], [true, false, FaultStatus.PermissionPage, 0x80005010]);
});

test('stage2: attribute combination — memory type, each cacheability field, shareability', () => {
  assert.equal(combineAttributes(0xff, 0b1111), 0xff, 'WB with WB');
  assert.equal(combineAttributes(0xff, 0b0101), 0x44, 'stage 2 Non-cacheable');
  assert.equal(combineAttributes(0x44, 0b1111), 0x44, 'stage 1 Non-cacheable');
  assert.equal(combineAttributes(0xae, 0b1111), 0xae, 'stage 1 Write-Through stays, hints too');
  assert.equal(combineAttributes(0xfe, 0b1010), 0xba, 'stage 2 Write-Through keeps stage 1\'s hints');
  assert.equal(combineAttributes(0x04, 0b1111), 0x04, 'stage 1 Device');
  assert.equal(combineAttributes(0x04, 0b0000), 0x00, 'stage 2 Strongly-ordered over Device');
  assert.equal(combineAttributes(0xff, 0b0001), 0x04, 'stage 2 Device');
  assert.equal(combineShareability(0b00, 0b11, 0xff), 0b11);
  assert.equal(combineShareability(0b11, 0b10, 0xff), 0b10);
  assert.equal(combineShareability(0b00, 0b00, 0x44), 0b10, 'Normal Non-cacheable is Outer Shareable');
  assert.equal(combineShareability(0b00, 0b00, 0x04), 0b10, 'Device is Outer Shareable');
  assert.equal(combineShareability(0b00, 0b00, 0xff), 0b00);
});
