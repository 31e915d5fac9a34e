import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FaultStatus, GuestAbort } from '../../../src/arch/arm/guest-abort.js';
import { HCR_TGE } from '../../../src/arch/arm/hyp/hcr.js';
import { a32Syndrome, t16Syndrome, t32Syndrome } from '../../../src/arch/arm/hyp/load-store-syndrome.js';
import { Mode } from '../../../src/arch/arm/modes.js';
import { CODE_BASE, HVBAR, hypHarness, hypThumbHarness, u32 } from './hyp-harness.js';

// Aborts taken to Hyp mode (ARM ARM B3.12.1, B3.13.6 "ISS encoding for a Data Abort"): HSR with
// the long-descriptor fault status, HDFAR/HIFAR, HPFAR = IPA[39:12] in bits [31:4]; ISV as
// QEMU 7.2 sets it (translate.c disas_set_da_iss, helper.c merge_syn_data_abort). Under QEMU,
// external aborts in Hyp mode gave HSR 0x97820010 (ldr r2, [rN]), 0x97830050 (str r3, [rN, #4]),
// 0x97640010 (ldrsh r4, [rN]) and 0x94000010 (ldr r4, [rN, #4]!): the same ISS rules.

const VA = 0x00801004;
const IPA = 0x123456789; // above 4 GiB: LPAE's 40-bit IPA space

function stage2Fault(isWrite: boolean, status = FaultStatus.TranslationPage, level = 3, s1ptw = false): GuestAbort {
  return new GuestAbort(false, status, VA, isWrite, 0, level, true, IPA, s1ptw);
}

test('hyp aborts: a stage 2 fault on STR r3, [r1, #4] from SVC: EC 0x24, ISV, SAS word, SRT 3, WnR, DFSC level 3; HDFAR, HPFAR', () => {
  const h = hypHarness([0xe5813004]);
  h.cpu.mem.store32 = () => { throw stage2Fault(true); };
  const dfsr = h.cpu.cp15.dfsr;
  h.run(1);
  assert.equal(h.cpu.mode, Mode.Hyp);
  assert.equal(u32(h.cpu.pc), HVBAR + 0x14);
  assert.equal(u32(h.cpu.elrHyp), CODE_BASE);
  assert.equal(u32(h.cpu.cp15.hsr), 0x93830047);
  assert.equal(u32(h.cpu.cp15.hdfar), VA);
  assert.equal(u32(h.cpu.cp15.hpfar), 0x01234560);
  assert.equal(h.cpu.cp15.dfsr, dfsr, 'the PL1 fault registers are untouched');
});

test('hyp aborts: LDRSH reports SAS halfword and SSE; a permission fault at level 2 is DFSC 0x0e', () => {
  const h = hypHarness([0xe1d020f0]); // ldrsh r2, [r0]
  h.cpu.mem.load16 = () => { throw stage2Fault(false, FaultStatus.PermissionSection, 2); };
  h.run(1);
  assert.equal(u32(h.cpu.cp15.hsr), 0x9362000e);
});

test('hyp aborts: no instruction syndrome with writeback (ISV = 0, IL = 0 on a v7 processor) or on a stage 1 walk (S1PTW)', () => {
  const wb = hypHarness([0xe5b10004]); // ldr r0, [r1, #4]!
  wb.cpu.mem.load32 = () => { throw stage2Fault(false); };
  wb.run(1);
  assert.equal(u32(wb.cpu.cp15.hsr), 0x90000007);
  const walk = hypHarness([0xe5813004]);
  walk.cpu.mem.store32 = () => { throw stage2Fault(true, FaultStatus.TranslationPage, 1, true); };
  walk.run(1);
  assert.equal(u32(walk.cpu.cp15.hsr), 0x900000c5);
});

test('hyp aborts: a T16 store has IL = 0 with ISV', () => {
  const h = hypThumbHarness([0x6001]); // str r1, [r0]
  h.cpu.mem.store32 = () => { throw stage2Fault(true); };
  h.run(1);
  assert.equal(u32(h.cpu.cp15.hsr), 0x91810047);
  assert.equal(u32(h.cpu.elrHyp), CODE_BASE);
});

test('hyp aborts: a data abort in Hyp mode is EC 0x25 through the Data Abort vector, long-descriptor status', () => {
  const h = hypHarness([0xe5813004], Mode.Hyp);
  h.cpu.mem.store32 = () => { throw new GuestAbort(false, FaultStatus.Alignment, VA, true); };
  const hpfar = h.cpu.cp15.hpfar;
  h.run(1);
  assert.equal(u32(h.cpu.pc), HVBAR + 0x10);
  assert.equal(u32(h.cpu.cp15.hsr), 0x97830061);
  assert.equal(h.cpu.cp15.hpfar, hpfar, 'HPFAR is written for stage 2 faults only');
});

test('hyp aborts: a prefetch abort in Hyp mode is EC 0x21 at vector 0x0c with HIFAR; from PL1 on stage 2 EC 0x20 with HPFAR', () => {
  const h = hypHarness([], Mode.Hyp);
  h.cpu.pc = 0x10000000; // nothing there: a synchronous external abort on the fetch
  h.run(1);
  assert.equal(u32(h.cpu.pc), HVBAR + 0x0c);
  assert.equal(u32(h.cpu.cp15.hsr), 0x84000010);
  assert.equal(u32(h.cpu.cp15.hifar), 0x10000000);
  assert.equal(u32(h.cpu.elrHyp), 0x10000000);
  const s2 = hypHarness([]);
  s2.cpu.mem.instructionPhysicalAddress = (va) => { throw new GuestAbort(true, FaultStatus.TranslationPage, va, false, 0, 2, true, IPA, false); };
  s2.run(1);
  assert.equal(u32(s2.cpu.pc), HVBAR + 0x14);
  assert.equal(u32(s2.cpu.cp15.hsr), 0x80000006);
  assert.equal(u32(s2.cpu.cp15.hifar), CODE_BASE);
  assert.equal(u32(s2.cpu.cp15.hpfar), 0x01234560);
});

test('hyp aborts: with HCR.TGE a PL0 stage 1 data abort goes to Hyp mode (EC 0x24); at PL1 it stays', () => {
  const h = hypHarness([0xe5813004], Mode.Usr);
  h.cpu.cp15.hcr = HCR_TGE;
  h.cpu.mem.store32 = () => { throw new GuestAbort(false, FaultStatus.TranslationPage, VA, true, 0, 3); };
  h.run(1);
  assert.equal(u32(h.cpu.pc), HVBAR + 0x14);
  assert.equal(u32(h.cpu.cp15.hsr), 0x93830047);
  const pl1 = hypHarness([0xe5813004]);
  pl1.cpu.cp15.hcr = HCR_TGE;
  pl1.cpu.mem.store32 = () => { throw new GuestAbort(false, FaultStatus.TranslationPage, VA, true, 0, 3); };
  pl1.run(1);
  assert.equal(pl1.cpu.mode, Mode.Abt);
});

test('hyp aborts: the instruction syndrome decoder (A32, T16, T32 single loads and stores)', () => {
  const ISV = 0x01000000;
  const IL = 0x02000000;
  assert.equal(a32Syndrome(0xe7421003), ISV | IL | (1 << 16), 'strb r1, [r2, -r3]');
  assert.equal(a32Syndrome(0xe59f1008), ISV | IL | (2 << 22) | (1 << 16), 'ldr r1, [pc, #8] (literal)');
  assert.equal(a32Syndrome(0xe1c020d0), 0, 'ldrd has none');
  assert.equal(a32Syndrome(0xe591f000), 0, 'ldr pc has none');
  assert.equal(a32Syndrome(0xe4910004), 0, 'post-indexed has none');
  assert.equal(a32Syndrome(0xe1d120b2), ISV | IL | (1 << 22) | (2 << 16), 'ldrh r2, [r1, #2]');
  assert.equal(t16Syndrome(0x5648), ISV | (1 << 21), 'ldrsb r0, [r1, r1]');
  assert.equal(t16Syndrome(0x4801), ISV | (2 << 22), 'ldr r0, [pc, #4]');
  assert.equal(t16Syndrome(0x9a01), ISV | (2 << 22) | (2 << 16), 'ldr r2, [sp, #4]');
  assert.equal(t16Syndrome(0x8843), ISV | (1 << 22) | (3 << 16), 'ldrh r3, [r0, #2]');
  assert.equal(t16Syndrome(0xc803), 0, 'ldm has none');
  assert.equal(t32Syndrome(0xf8d1, 0x5008), ISV | IL | (2 << 22) | (5 << 16), 'ldr.w r5, [r1, #8]');
  assert.equal(t32Syndrome(0xf912, 0x3004), ISV | IL | (1 << 21) | (3 << 16), 'ldrsb.w r3, [r2, r4]');
  assert.equal(t32Syndrome(0xf851, 0x0b04), 0, 'ldr r0, [r1], #4 (post-indexed)');
  assert.equal(t32Syndrome(0xf841, 0x0c04), ISV | IL | (2 << 22), 'str r0, [r1, #-4]');
  assert.equal(t32Syndrome(0xe9c1, 0x2300), 0, 'strd has none');
});

test('hyp aborts: a stage 2 fault inside a translated block reports the faulting instruction (ELR_hyp, ISV from it)', () => {
  // loop: add r0, r0, #1; cmp r0, #100; ldreq r5, [r2, #8]; b loop
  const h = hypHarness([0xe2800001, 0xe3500064, 0x05925008, 0xeafffffb]);
  h.cpu.mem.load32 = () => { throw stage2Fault(false); };
  h.run(400);
  assert.equal(h.cpu.mode, Mode.Hyp);
  assert.equal(h.cpu.r[0], 100);
  assert.equal(u32(h.cpu.elrHyp), CODE_BASE + 8);
  assert.equal(u32(h.cpu.cp15.hsr), 0x93850007);
});
