import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Bank, Mode } from '../../../../src/arch/arm/modes.js';
import { CODE_BASE } from '../../../support/cpu-harness.js';
import { VECTORS, WITH_EL2, arm, thumb, u32 } from './helpers.js';

// MRS/MSR/CPS/SETEND (ARM ARM B9.3.2, B9.3.8-12, A8.8.151); encodings from arm-none-eabi-as.

test('MRS A1 / T1: CPSR with IT, J and T read as zero', () => {
  const h = arm([0xe10f0000]); // mrs r0, apsr
  h.cpu.nf = 1;
  h.cpu.cf = 1;
  h.cpu.ge = 0x5;
  h.run(1);
  // N, C, GE=0101, A I F masked, SVC mode (reset masks all three).
  assert.equal(u32(h.cpu.r[0]!), 0xa00501d3);
  const t = thumb([0xf3ef, 0x8000]); // mrs r0, apsr
  t.cpu.zf = 1;
  t.run(1);
  assert.equal(u32(t.cpu.r[0]!), 0x400001d3); // T (bit 5) reads as 0
});

test('MRS SPSR: reads the current mode SPSR; UNDEFINED in User mode', () => {
  const h = arm([0xe14f1000]); // mrs r1, spsr
  h.cpu.bankedSpsr[Bank.Svc] = 0x600001d0;
  h.run(1);
  assert.equal(u32(h.cpu.r[1]!), 0x600001d0);
  const u = arm([0xe14f1000]);
  u.cpu.setMode(Mode.Usr);
  u.run(1);
  assert.equal(u.cpu.mode, Mode.Und);
  assert.equal(u.cpu.pc, VECTORS + 4);
});

test('MSR (immediate) A1: CPSR_f sets the flags, CPSR_c changes mode with banking', () => {
  const h = arm([0xe328f20f, 0xe321f01f]); // msr cpsr_f, #0xf0000000; msr cpsr_c, #0x1f
  h.cpu.r[13] = 0x1000;
  h.cpu.writeRegisterOfMode(13, Mode.Sys, 0x2000);
  h.run(1);
  assert.deepEqual([h.cpu.nf, h.cpu.zf, h.cpu.cf, h.cpu.vf], [1, 1, 1, 1]);
  h.run(1);
  assert.equal(h.cpu.mode, Mode.Sys);
  assert.equal(h.cpu.r[13], 0x2000);
  // CPSR_c with I = F = A = 0 written: I and F cleared, A (byte x) untouched.
  assert.equal(h.cpu.maskI, 0);
  assert.equal(h.cpu.maskF, 0);
  assert.equal(h.cpu.maskA, 1);
});

test('MSR (register) A1 in User mode: only NZCVQ, GE and E change', () => {
  const h = arm([0xe12ff002]); // msr cpsr_fsxc, r2
  h.cpu.setMode(Mode.Usr);
  h.cpu.maskI = 0;
  h.cpu.r[2] = 0xf80f03d3; // NZCVQ, GE=1111, E, A, I, F, SVC mode
  h.run(1);
  assert.equal(h.cpu.mode, Mode.Usr);
  assert.deepEqual([h.cpu.nf, h.cpu.qf, h.cpu.ge, h.cpu.bigEndianData], [1, 1, 0xf, 1]);
  assert.equal(h.cpu.maskI, 0);
});

test('MSR (register) T1: CPSR_fc from SVC to IRQ mode', () => {
  const h = thumb([0xf382, 0x8900]); // msr cpsr_fc, r2
  h.cpu.r[2] = 0x80000012;
  h.run(1);
  assert.equal(h.cpu.mode, Mode.Irq);
  assert.equal(h.cpu.nf, 1);
  assert.equal(h.cpu.thumb, 1); // T is never written by MSR
});

test('MSR SPSR: only the selected bytes; UNDEFINED in User mode', () => {
  const h = arm([0xe169f003]); // msr spsr_fc, r3
  h.cpu.bankedSpsr[Bank.Svc] = 0x0000ff00;
  h.cpu.r[3] = 0xf1ff00ff | 0;
  h.run(1);
  assert.equal(u32(h.cpu.bankedSpsr[Bank.Svc]!), 0xf100ffff);
  const t = thumb([0xf393, 0x8f00]); // msr spsr_fsxc, r3
  t.cpu.r[3] = 0x20000030;
  t.run(1);
  assert.equal(u32(t.cpu.bankedSpsr[Bank.Svc]!), 0x20000030);
  const u = arm([0xe169f003]);
  u.cpu.setMode(Mode.Usr);
  u.run(1);
  assert.equal(u.cpu.mode, Mode.Und);
});

test('MRS (Banked register): R8_usr from FIQ, LR_irq and SPSR_svc from other modes', () => {
  const h = arm([0xe1002200, 0xe1003300], WITH_EL2); // mrs r2, r8_usr; mrs r3, lr_irq
  h.cpu.r[8] = 0x1234;
  h.cpu.writeRegisterOfMode(14, Mode.Irq, 0x5678);
  h.cpu.setMode(Mode.Fiq);
  h.cpu.r[8] = 0x9999; // r8_fiq
  h.run(2);
  assert.equal(h.cpu.r[2], 0x1234);
  assert.equal(h.cpu.r[3], 0x5678);
  const s = arm([0xe1424300], WITH_EL2); // mrs r4, spsr_svc
  s.cpu.bankedSpsr[Bank.Svc] = 0x1d3;
  s.cpu.setMode(Mode.Abt);
  s.run(1);
  assert.equal(s.cpu.r[4], 0x1d3);
});

test('MRS (Banked register): UNDEFINED for the current mode, R8_usr outside FIQ, ELR_hyp outside Hyp', () => {
  for (const [word, mode] of [[0xe1424300, Mode.Svc], [0xe1002200, Mode.Svc], [0xe10e5300, Mode.Svc]] as const) {
    const h = arm([word], WITH_EL2);
    h.cpu.setMode(mode);
    h.run(1);
    assert.equal(h.cpu.mode, Mode.Und, word.toString(16));
  }
});

test('MRS/MSR (Banked register) are UNDEFINED without the Virtualization Extensions (as QEMU virt)', () => {
  const h = arm([0xe1003300]); // mrs r3, lr_irq
  h.run(1);
  assert.equal(h.cpu.mode, Mode.Und);
});

test('MSR (Banked register) A1 / T1: SP_und, R10_fiq, SPSR_abt', () => {
  const h = arm([0xe127f306, 0xe12af207, 0xe164f308], WITH_EL2); // msr sp_und, r6; r10_fiq, r7; spsr_abt, r8
  h.cpu.r[6] = 0x6666;
  h.cpu.r[7] = 0x7777;
  h.cpu.r[8] = 0x1f0;
  h.cpu.r[10] = 0xaaaa;
  h.run(3);
  assert.equal(h.cpu.readRegisterOfMode(13, Mode.Und), 0x6666);
  assert.equal(h.cpu.readRegisterOfMode(10, Mode.Fiq), 0x7777);
  assert.equal(h.cpu.r[10], 0xaaaa);
  assert.equal(h.cpu.bankedSpsr[Bank.Abt], 0x1f0);
  const t = thumb([0xf386, 0x8730, 0xf3e0, 0x8330], WITH_EL2); // msr sp_und, r6; mrs r3, lr_irq
  t.cpu.r[6] = 0x4242;
  t.cpu.writeRegisterOfMode(14, Mode.Irq, 0x5151);
  t.run(2);
  assert.equal(t.cpu.readRegisterOfMode(13, Mode.Und), 0x4242);
  assert.equal(t.cpu.r[3], 0x5151);
});

test('MRS ELR_hyp from Hyp mode', () => {
  const h = arm([0xe10e5300], WITH_EL2); // mrs r5, elr_hyp
  h.cpu.setMode(Mode.Hyp);
  h.cpu.elrHyp = 0x40001234;
  h.run(1);
  assert.equal(h.cpu.r[5], 0x40001234);
});

test('CPS A1: CPSID i, CPSIE af, CPS #mode, CPSID aif with mode', () => {
  const h = arm([0xf1080140, 0xf10c0080, 0xf102001f, 0xf10e01d2]);
  h.cpu.maskI = 0;
  h.run(1); // cpsie af
  assert.deepEqual([h.cpu.maskA, h.cpu.maskI, h.cpu.maskF], [0, 0, 0]);
  h.run(1); // cpsid i
  assert.deepEqual([h.cpu.maskA, h.cpu.maskI, h.cpu.maskF], [0, 1, 0]);
  h.run(1); // cps #0x1f
  assert.equal(h.cpu.mode, Mode.Sys);
  h.run(1); // cpsid aif, #0x12
  assert.deepEqual([h.cpu.maskA, h.cpu.maskI, h.cpu.maskF, h.cpu.mode], [1, 1, 1, Mode.Irq]);
});

test('CPS has no effect in User mode', () => {
  const h = arm([0xf10e01d2]); // cpsid aif, #0x12
  h.cpu.setMode(Mode.Usr);
  h.cpu.maskA = h.cpu.maskI = h.cpu.maskF = 0;
  h.run(1);
  assert.deepEqual([h.cpu.maskA, h.cpu.maskI, h.cpu.maskF, h.cpu.mode], [0, 0, 0, Mode.Usr]);
  assert.equal(h.cpu.pc, CODE_BASE + 4);
});

test('CPS T1 and T2', () => {
  const h = thumb([0xb661, 0xb672, 0xf3af, 0x87f2]); // cpsie f; cpsid i; cpsid aif, #0x12
  h.cpu.maskI = 0;
  h.run(1);
  assert.deepEqual([h.cpu.maskA, h.cpu.maskI, h.cpu.maskF], [1, 0, 0]);
  h.run(1);
  assert.equal(h.cpu.maskI, 1);
  h.cpu.maskA = h.cpu.maskF = 0;
  h.run(1);
  assert.deepEqual([h.cpu.maskA, h.cpu.maskI, h.cpu.maskF, h.cpu.mode], [1, 1, 1, Mode.Irq]);
  const m = thumb([0xf3af, 0x811f]); // cps #0x1f
  m.run(1);
  assert.equal(m.cpu.mode, Mode.Sys);
});

test('SETEND A1 / T1 sets CPSR.E, also at PL0', () => {
  const h = arm([0xf1010200, 0xf1010000]); // setend be; setend le
  h.cpu.setMode(Mode.Usr);
  h.run(1);
  assert.equal(h.cpu.bigEndianData, 1);
  h.run(1);
  assert.equal(h.cpu.bigEndianData, 0);
  const t = thumb([0xb658]); // setend be
  t.run(1);
  assert.equal(t.cpu.bigEndianData, 1);
});

test('MSR ELR_hyp then ERET from Hyp mode (as QEMU virtualization=on)', () => {
  const h = arm([0xe12ef306, 0xe160006e], WITH_EL2); // msr elr_hyp, r6; eret
  h.cpu.setMode(Mode.Hyp);
  h.cpu.r[6] = CODE_BASE + 0x70;
  h.cpu.bankedSpsr[Bank.Hyp] = 0x1d3;
  h.run(2);
  assert.equal(h.cpu.elrHyp, CODE_BASE + 0x70);
  assert.equal(h.cpu.mode, Mode.Svc);
  assert.equal(h.cpu.pc, CODE_BASE + 0x70);
});
