import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Mode } from '../../../../src/arch/arm/modes.js';
import { CODE_BASE, makeHarness, type Harness } from '../../../support/cpu-harness.js';

// Data-processing instructions that write the PC (ARM ARM A2.3.1 ALUWritePC, B9.3.20 "SUBS PC, LR
// and related instructions").

function harness(thumb: boolean, mode: Mode, spsr: number, lr: number): Harness {
  const h = makeHarness({ thumb });
  h.cpu.cp15.vbar = 0x40000000;
  h.cpu.writeSpsrByInstruction(spsr, 0xf);
  h.cpu.r[14] = lr;
  if (mode !== Mode.Svc) h.cpu.setMode(mode);
  return h;
}

test('A32 ADD PC, Rn, #imm interworks: bit 0 of the result selects Thumb (ALUWritePC)', () => {
  const h = makeHarness();
  h.writeWords(CODE_BASE, [0xe280f001]); // add pc, r0, #1
  h.cpu.r[0] = CODE_BASE + 0x100;
  h.run(1);
  assert.equal(h.cpu.pc, CODE_BASE + 0x100);
  assert.equal(h.cpu.thumb, 1);
});

test('A32 SUBS PC, LR, #4 in SVC mode is an exception return: CPSR from SPSR, flags not from the result', () => {
  const h = harness(false, Mode.Svc, 0xf0000010, CODE_BASE + 0x104);
  h.writeWords(CODE_BASE, [0xe25ef004]); // subs pc, lr, #4
  h.run(1);
  assert.equal(h.cpu.pc, CODE_BASE + 0x100);
  assert.equal(h.cpu.mode, Mode.Usr);
  assert.deepEqual([h.cpu.nf, h.cpu.zf, h.cpu.cf, h.cpu.vf], [1, 1, 1, 1]);
});

test('A32 MOVS PC, LR returns to Thumb state when SPSR.T is set', () => {
  const h = harness(false, Mode.Svc, 0x00000030, CODE_BASE + 0x201);
  h.writeWords(CODE_BASE, [0xe1b0f00e]); // movs pc, lr
  h.run(1);
  assert.equal(h.cpu.thumb, 1);
  assert.equal(h.cpu.pc, CODE_BASE + 0x200);
  assert.equal(h.cpu.mode, Mode.Usr);
});

test('A32 ADDS PC, LR, #0 is an exception return too (B9.3.20; QEMU 7.2 only treats SUBS and MOVS so)', () => {
  const h = harness(false, Mode.Svc, 0x00000013, CODE_BASE + 0x300);
  h.writeWords(CODE_BASE, [0xe29ef000]); // adds pc, lr, #0
  h.run(1);
  assert.equal(h.cpu.pc, CODE_BASE + 0x300);
  assert.equal(h.cpu.mode, Mode.Svc);
});

test('A32 SUBS PC, LR in User mode is UNDEFINED, as in QEMU', () => {
  const h = harness(false, Mode.Usr, 0, CODE_BASE + 0x104);
  h.writeWords(CODE_BASE, [0xe25ef004]); // subs pc, lr, #4
  h.run(1);
  assert.equal(h.cpu.mode, Mode.Und);
  assert.equal(h.cpu.pc, 0x40000004);
});

test('T16 ADD PC, Rm is a branch in Thumb state (bit 0 ignored)', () => {
  const h = makeHarness({ thumb: true });
  h.writeHalfwords(CODE_BASE, [0x4487]); // add pc, r0
  h.cpu.r[0] = 0x101;
  h.run(1);
  assert.equal(h.cpu.pc, CODE_BASE + 4 + 0x100);
  assert.equal(h.cpu.thumb, 1);
});
