import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Cpu } from '../../../src/arch/arm/cpu.js';
import { HCR_TGE } from '../../../src/arch/arm/hyp/hcr.js';
import { Bank, Mode } from '../../../src/arch/arm/modes.js';
import { Bus } from '../../../src/hw/bus.js';
import { RAM_BASE } from '../../support/cpu-harness.js';
import { CODE_BASE, EL2, HVBAR, VBAR, hypHarness, hypThumbHarness, u32 } from './hyp-harness.js';

// Hyp mode exception entry and return (ARM ARM B1.8 "Exception handling", Hyp vector table
// B1.8.1; HSR B3.13.6), compared with QEMU 7.2's arm_cpu_do_interrupt_aarch32_hyp; under QEMU a
// UDF in Hyp mode gave vector 0x04 with HSR 0 and ELR = the UDF, HVC in Hyp mode vector 0x08 and
// from SVC vector 0x14, HSR 0x4a00<imm16>, ELR = the next instruction.

const HVC_1234 = 0xe1412374;
const ERET = 0xe160006e;
const UDF = 0xe7f000f0;
const SVC_12 = 0xef000012;

test('hyp: a processor with EL2 and no EL3 resets into Hyp mode with A, I, F masked (QEMU virtualization=on)', () => {
  const cpu = new Cpu(new Bus(RAM_BASE, 1 << 16), EL2);
  assert.equal(cpu.mode, Mode.Hyp);
  assert.deepEqual([cpu.maskA, cpu.maskI, cpu.maskF, cpu.thumb], [1, 1, 1, 0]);
  const secure = new Cpu(new Bus(RAM_BASE, 1 << 16), { ...EL2, hasEl3: true });
  assert.equal(secure.mode, Mode.Svc);
});

test('hyp: HVC from SVC enters the Hyp Trap vector with HSR EC 0x12, imm16, ELR_hyp = next, SPSR_hyp = CPSR', () => {
  const h = hypHarness([HVC_1234]);
  h.cpu.zf = 1;
  const cpsr = h.cpu.getCpsr();
  h.run(1);
  assert.equal(h.cpu.mode, Mode.Hyp);
  assert.equal(u32(h.cpu.pc), HVBAR + 0x14);
  assert.equal(u32(h.cpu.cp15.hsr), 0x4a001234);
  assert.equal(u32(h.cpu.elrHyp), CODE_BASE + 4);
  assert.equal(h.cpu.bankedSpsr[Bank.Hyp], cpsr);
  assert.deepEqual([h.cpu.maskA, h.cpu.maskI, h.cpu.maskF], [1, 1, 1]);
});

test('hyp: HVC in Hyp mode uses the HVC vector (0x08); T32 HVC assembles imm4:imm12', () => {
  const h = hypHarness([HVC_1234], Mode.Hyp);
  h.run(1);
  assert.equal(u32(h.cpu.pc), HVBAR + 0x08);
  assert.equal(u32(h.cpu.cp15.hsr), 0x4a001234);
  const t = hypThumbHarness([0xf7e1, 0x8234]); // hvc #0x1234
  t.run(1);
  assert.equal(u32(t.cpu.pc), HVBAR + 0x14);
  assert.equal(u32(t.cpu.cp15.hsr), 0x4a001234);
  assert.equal(u32(t.cpu.elrHyp), CODE_BASE + 4);
});

test('hyp: HVC then ERET in the handler returns to the next instruction with the CPSR restored', () => {
  const h = hypHarness([HVC_1234]);
  h.writeWords(HVBAR + 0x14, [ERET]);
  h.cpu.nf = 1;
  h.run(2);
  assert.equal(h.cpu.mode, Mode.Svc);
  assert.equal(u32(h.cpu.pc), CODE_BASE + 4);
  assert.deepEqual([h.cpu.nf, h.cpu.maskI, h.cpu.maskF, h.cpu.maskA], [1, 0, 0, 0]);
});

test('hyp: HVC is UNDEFINED at PL0', () => {
  const h = hypHarness([HVC_1234], Mode.Usr);
  h.run(1);
  assert.equal(h.cpu.mode, Mode.Und);
  assert.equal(u32(h.cpu.pc), VBAR + 0x04);
});

test('hyp: an UNDEFINED instruction in Hyp mode stays in Hyp mode: vector 0x04, HSR 0 (unknown), ELR_hyp = the instruction', () => {
  const h = hypHarness([UDF], Mode.Hyp);
  h.cpu.cp15.hsr = -1;
  h.run(1);
  assert.equal(h.cpu.mode, Mode.Hyp);
  assert.equal(u32(h.cpu.pc), HVBAR + 0x04);
  assert.equal(h.cpu.cp15.hsr, 0);
  assert.equal(u32(h.cpu.elrHyp), CODE_BASE);
  assert.equal(h.cpu.bankedSpsr[Bank.Hyp]! & 0x1f, Mode.Hyp);
});

test('hyp: SUBS PC, LR (T32) in Hyp mode is an Undefined Instruction exception taken to Hyp mode', () => {
  const h = hypThumbHarness([0xf3de, 0x8f04], Mode.Hyp);
  h.run(1);
  assert.equal(h.cpu.mode, Mode.Hyp);
  assert.equal(u32(h.cpu.pc), HVBAR + 0x04);
});

test('hyp: SVC in Hyp mode: vector 0x08, HSR EC 0x11 with imm16 and IL, ELR_hyp = next', () => {
  const h = hypHarness([SVC_12], Mode.Hyp);
  h.run(1);
  assert.equal(u32(h.cpu.pc), HVBAR + 0x08);
  assert.equal(u32(h.cpu.cp15.hsr), 0x46000012);
  assert.equal(u32(h.cpu.elrHyp), CODE_BASE + 4);
});

test('hyp: HCR.TGE routes PL0 UNDEFINED to the Hyp Trap vector (EC 0x00) and a T16 SVC with EC 0x11, IL = 0', () => {
  const h = hypHarness([UDF], Mode.Usr);
  h.cpu.cp15.hcr = HCR_TGE;
  h.run(1);
  assert.equal(h.cpu.mode, Mode.Hyp);
  assert.equal(u32(h.cpu.pc), HVBAR + 0x14);
  assert.equal(h.cpu.cp15.hsr, 0);
  assert.equal(u32(h.cpu.elrHyp), CODE_BASE);
  const t = hypThumbHarness([0xdf05], Mode.Usr); // svc #5
  t.cpu.cp15.hcr = HCR_TGE;
  t.run(1);
  assert.equal(u32(t.cpu.pc), HVBAR + 0x14);
  assert.equal(u32(t.cpu.cp15.hsr), 0x44000005);
  assert.equal(u32(t.cpu.elrHyp), CODE_BASE + 2);
  // Without TGE, and at PL1 even with it, the exceptions stay at PL1.
  const svc = hypHarness([UDF]);
  svc.cpu.cp15.hcr = HCR_TGE;
  svc.run(1);
  assert.equal(svc.cpu.mode, Mode.Und);
});

test('hyp: Hyp entry takes CPSR.T and CPSR.E from HSCTLR.TE and HSCTLR.EE, not SCTLR', () => {
  const h = hypHarness([HVC_1234]);
  h.cpu.cp15.hsctlr = (1 << 30) | (1 << 25);
  h.run(1);
  assert.equal(h.cpu.thumb, 1);
  assert.equal(h.cpu.bigEndianData, 1);
  const l = hypHarness([UDF]);
  l.cpu.cp15.hsctlr = 1 << 30;
  l.run(1);
  assert.equal(l.cpu.thumb, 0, 'a PL1 exception still follows SCTLR.TE');
});

// ---- Banked registers (B9.3.9-10 MRS/MSR (Banked register)) ----

const MRS_R0_ELR_HYP = 0xe10e0300;
const MSR_ELR_HYP_R1 = 0xe12ef301;
const MSR_SP_HYP_R1 = 0xe12ff301;
const MRS_R2_SPSR_HYP = 0xe14e2300;

test('hyp: MRS/MSR ELR_hyp are valid in Hyp mode; SP_hyp and SPSR_hyp from Hyp mode are UNDEFINED (Monitor only)', () => {
  const h = hypHarness([MRS_R0_ELR_HYP, MSR_ELR_HYP_R1], Mode.Hyp);
  h.cpu.elrHyp = 0x1234;
  h.cpu.r[1] = 0x5678;
  h.run(2);
  assert.equal(h.cpu.r[0], 0x1234);
  assert.equal(h.cpu.elrHyp, 0x5678);
  for (const word of [MSR_SP_HYP_R1, MRS_R2_SPSR_HYP]) {
    const u = hypHarness([word], Mode.Hyp);
    u.run(1);
    assert.equal(u32(u.cpu.pc), HVBAR + 0x04, `0x${word.toString(16)} is UNDEFINED in Hyp mode`);
  }
});

test('hyp: ELR_hyp is UNDEFINED to MRS from a PL1 mode', () => {
  const h = hypHarness([MRS_R0_ELR_HYP]);
  h.run(1);
  assert.equal(h.cpu.mode, Mode.Und);
});
