import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CODE_BASE } from '../../../support/cpu-harness.js';
import { nzcv, reg, runT32 } from './run-one.js';

// Encodings from arm-none-eabi-as -mcpu=cortex-a15 -mthumb; expected values from the ARM ARM
// pseudocode (and checked against qemu-arm by tools/qemu-vectors.mjs).

const N = 8, Z = 4, C = 2;

test('T16 ADDS (register) sets flags outside an IT block and not inside one (A6.2)', () => {
  let h = runT32([0x1888], { r: { 1: 0xffffffff, 2: 1 } }); // adds r0, r1, r2
  assert.equal(reg(h, 0), 0);
  assert.equal(nzcv(h), Z | C);
  h = runT32([0x1888], { r: { 1: 0xffffffff, 2: 1 }, inIt: true }); // add r0, r1, r2 inside IT AL
  assert.equal(reg(h, 0), 0);
  assert.equal(nzcv(h), 0);
  assert.equal(h.cpu.itState, 0);
});

test('T16 LSLS (immediate), MULS, NEGS (RSB #0), SXTB', () => {
  let h = runT32([0x0048], { r: { 1: 0x80000000 } }); // lsls r0, r1, #1
  assert.equal(reg(h, 0), 0);
  assert.equal(nzcv(h), Z | C);
  h = runT32([0x4348], { r: { 0: 5, 1: 0 }, nzcv: C }); // muls r0, r1, r0: C unchanged
  assert.equal(reg(h, 0), 0);
  assert.equal(nzcv(h), Z | C);
  h = runT32([0x4248], { r: { 1: 1 } }); // negs r0, r1
  assert.equal(reg(h, 0), 0xffffffff);
  assert.equal(nzcv(h), N);
  assert.equal(reg(runT32([0xb248], { r: { 1: 0x80 } }), 0), 0xffffff80); // sxtb r0, r1
});

test('T16 ADD (register) with PC reads PC as the instruction address + 4', () => {
  const h = runT32([0x4478], { r: { 0: 1 } }); // add r0, pc
  assert.equal(reg(h, 0), CODE_BASE + 5);
});

test('T16 MOV PC, Rm branches without leaving Thumb state (ALUWritePC)', () => {
  const h = runT32([0x468f], { r: { 1: CODE_BASE + 0x101 } }); // mov pc, r1
  assert.equal(h.cpu.pc, CODE_BASE + 0x100);
  assert.equal(h.cpu.thumb, 1);
});

test('T32 ADR (ADDW from PC) uses Align(PC, 4)', () => {
  // movs r7, #0 then, at CODE_BASE + 2, addw r0, pc, #2: Align(CODE_BASE + 6, 4) + 2.
  const h = runT32([0x2700, 0xf20f, 0x0002], {}, 2);
  assert.equal(reg(h, 0), CODE_BASE + 6);
});

test('T32 modified immediates: ADD.W with a replicated constant, ORN', () => {
  assert.equal(reg(runT32([0xf101, 0x10ff], { r: { 1: 1 } }), 0), 0x00ff0100); // add.w r0, r1, #0x00ff00ff
  assert.equal(reg(runT32([0xf061, 0x00ff], { r: { 1: 0 } }), 0), 0xffffff00); // orn r0, r1, #0xff
});

test('T32 SUB.W (register, ASR #3), LSL.W (register), SUBW, MOVT', () => {
  assert.equal(reg(runT32([0xeba1, 0x00e2], { r: { 1: 0, 2: 0x80000000 } }), 0), 0x10000000); // sub.w r0, r1, r2, asr #3
  assert.equal(reg(runT32([0xfa01, 0xf002], { r: { 1: 1, 2: 31 } }), 0), 0x80000000); // lsl.w r0, r1, r2
  assert.equal(reg(runT32([0xf6a1, 0x70ff], { r: { 1: 0x1000 } }), 0), 1); // subw r0, r1, #0xfff
  assert.equal(reg(runT32([0xf6ca, 0x30cd], { r: { 0: 0x1234 } }), 0), 0xabcd1234); // movt r0, #0xabcd
});

test('T32 MLA, SMULL, SMULWT, SDIV', () => {
  assert.equal(reg(runT32([0xfb01, 0x3002], { r: { 1: 3, 2: 4, 3: 100 } }), 0), 112); // mla r0, r1, r2, r3
  const h = runT32([0xfb82, 0x0103], { r: { 2: -2, 3: 3 } }); // smull r0, r1, r2, r3
  assert.deepEqual([reg(h, 0), reg(h, 1)], [0xfffffffa, 0xffffffff]);
  assert.equal(reg(runT32([0xfb31, 0xf012], { r: { 1: 0x40000000, 2: 0x00020000 } }), 0), 0x8000); // smulwt r0, r1, r2
  assert.equal(reg(runT32([0xfb91, 0xf0f2], { r: { 1: -7, 2: 2 } }), 0), 0xfffffffd); // sdiv r0, r1, r2
});

test('T32 QDSUB saturates the doubling and sets Q; USAT with ASR', () => {
  let h = runT32([0xfa82, 0xf0b1], { r: { 1: 0, 2: 0x40000000 } }); // qdsub r0, r1, r2
  assert.equal(reg(h, 0), 0x80000001);
  assert.equal(h.cpu.qf, 1);
  h = runT32([0xf3a1, 0x0087], { r: { 1: 0x400 } }); // usat r0, #7, r1, asr #2
  assert.equal(reg(h, 0), 0x7f);
  assert.equal(h.cpu.qf, 1);
});

test('T32 SSUB16 sets GE per halfword; UQSUB8 clamps at zero', () => {
  const h = runT32([0xfad1, 0xf002], { r: { 1: 0x00010005, 2: 0x00020003 } }); // ssub16 r0, r1, r2
  assert.equal(reg(h, 0), 0xffff0002);
  assert.equal(h.cpu.ge, 0b0011);
  assert.equal(reg(runT32([0xfac1, 0xf052], { r: { 1: 0x10203040, 2: 0x20102050 } }), 0), 0x00101000); // uqsub8 r0, r1, r2
});

test('T32 UXTAH with rotation, REVSH (T16), UBFX, BFC', () => {
  assert.equal(reg(runT32([0xfa11, 0xf0a2], { r: { 1: 0x10000, 2: 0xffff0000 } }), 0), 0x1ffff); // uxtah r0, r1, r2, ror #16
  assert.equal(reg(runT32([0xbac8], { r: { 1: 0x80ff } }), 0), 0xffffff80); // revsh r0, r1
  assert.equal(reg(runT32([0xf3c1, 0x7003], { r: { 1: 0xa0000000 } }), 0), 0xa); // ubfx r0, r1, #28, #4
  assert.equal(reg(runT32([0xf36f, 0x2017], { r: { 0: 0xffffffff } }), 0), 0xff0000ff); // bfc r0, #8, #16
});
