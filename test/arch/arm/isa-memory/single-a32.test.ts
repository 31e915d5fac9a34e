import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Mode } from '../../../../src/arch/arm/modes.js';
import { CODE_BASE, DATA, DATA_WORDS, arm, readWord, reg, writeData } from './memory-harness.js';

// Expected values follow ARM ARM A8.8 (LDR/STR and friends) and, for the UNPREDICTABLE
// writeback-overlap cases, what qemu-system-arm 7.2 -cpu cortex-a15 was seen to do.

function setup(words: number[], r: Record<number, number>) {
  const h = arm(words);
  writeData(h, DATA, DATA_WORDS);
  for (const [n, v] of Object.entries(r)) h.cpu.r[Number(n)] = v;
  return h;
}

test('LDR (immediate, ARM): offset addressing leaves the base', () => {
  const h = setup([0xe5901004], { 0: DATA }); // ldr r1, [r0, #4]
  h.run(1);
  assert.equal(reg(h, 1), 0x07060504);
  assert.equal(reg(h, 0), DATA);
  assert.equal(h.cpu.pc, CODE_BASE + 4);
});

test('LDR (immediate, ARM): pre-indexed with writeback, negative offset', () => {
  const h = setup([0xe5301004], { 0: DATA + 8 }); // ldr r1, [r0, #-4]!
  h.run(1);
  assert.equal(reg(h, 1), 0x07060504);
  assert.equal(reg(h, 0), DATA + 4);
});

test('LDR (immediate, ARM): post-indexed loads at the base, then adds', () => {
  const h = setup([0xe4901008], { 0: DATA }); // ldr r1, [r0], #8
  h.run(1);
  assert.equal(reg(h, 1), 0x03020100);
  assert.equal(reg(h, 0), DATA + 8);
});

test('LDR (register): LSL #2 offset; LSR #1 subtracted with writeback; RRX post-indexed', () => {
  let h = setup([0xe7901102], { 0: DATA, 2: 3 }); // ldr r1, [r0, r2, lsl #2]
  h.run(1);
  assert.equal(reg(h, 1), 0x0f0e0d0c);
  h = setup([0xe73010a2], { 0: DATA + 16, 2: 16 }); // ldr r1, [r0, -r2, lsr #1]!
  h.run(1);
  assert.equal(reg(h, 1), 0x0b0a0908);
  assert.equal(reg(h, 0), DATA + 8);
  h = setup([0xe6901062], { 0: DATA, 2: 8 }); // ldr r1, [r0], r2, rrx (C = 1: 0x80000004)
  h.cpu.cf = 1;
  h.run(1);
  assert.equal(reg(h, 1), 0x03020100);
  assert.equal(reg(h, 0), (DATA + 0x80000004) >>> 0);
});

test('LDR: an unaligned word load rotates nothing in ARMv7 (SCTLR.A = 0 permits it, A3.2.1)', () => {
  const h = setup([0xe5901001], { 0: DATA }); // ldr r1, [r0, #1]
  h.run(1);
  assert.equal(reg(h, 1), 0x04030201);
});

test('LDR (literal): PC reads as the instruction address + 8', () => {
  const h = setup([0xe59f1008, 0, 0, 0, 0xcafef00d], {}); // ldr r1, [pc, #8]
  h.run(1);
  assert.equal(reg(h, 1), 0xcafef00d);
  const h2 = setup([0xe51f1008], {}); // ldr r1, [pc, #-8]: loads itself
  h2.run(1);
  assert.equal(reg(h2, 1), 0xe51f1008);
});

test('LDRB/STRB: byte zero-extended; STRB pre-indexed writes one byte', () => {
  let h = setup([0xe5d01003], { 0: DATA }); // ldrb r1, [r0, #3]
  h.run(1);
  assert.equal(reg(h, 1), 0x03);
  h = setup([0xe5e01001], { 0: DATA, 1: 0x1234ab }); // strb r1, [r0, #1]!
  h.run(1);
  assert.equal(readWord(h, DATA), 0x0302ab00);
  assert.equal(reg(h, 0), DATA + 1);
});

test('STR: post-indexed store with a negative immediate', () => {
  const h = setup([0xe4001004], { 0: DATA, 1: 0xfeedface }); // str r1, [r0], #-4
  h.run(1);
  assert.equal(readWord(h, DATA), 0xfeedface);
  assert.equal(reg(h, 0), DATA - 4);
});

test('STR PC stores the instruction address + 8 (PCStoreValue)', () => {
  const h = setup([0xe580f000], { 0: DATA }); // str pc, [r0]
  h.run(1);
  assert.equal(readWord(h, DATA), CODE_BASE + 8);
});

test('LDR PC interworks: bit 0 selects Thumb (LoadWritePC, A2.3.1)', () => {
  let h = setup([0xe590f000], { 0: DATA }); // ldr pc, [r0]
  writeData(h, DATA, [0x40003001]);
  h.run(1);
  assert.equal(h.cpu.pc, 0x40003000);
  assert.equal(h.cpu.thumb, 1);
  h = setup([0xe590f000], { 0: DATA });
  writeData(h, DATA, [0x40003004]);
  h.run(1);
  assert.equal(h.cpu.pc, 0x40003004);
  assert.equal(h.cpu.thumb, 0);
});

test('LDRH/LDRSH/LDRSB/STRH: immediate and register forms, sign extension', () => {
  let h = setup([0xe1d010b2], { 0: DATA }); // ldrh r1, [r0, #2]
  h.run(1);
  assert.equal(reg(h, 1), 0x0302);
  h = setup([0xe17010f2], { 0: DATA + 18 }); // ldrsh r1, [r0, #-2]!
  h.run(1);
  assert.equal(reg(h, 1), 0xffffff7f);
  assert.equal(reg(h, 0), DATA + 16);
  h = setup([0xe09010d2], { 0: DATA + 19, 2: 5 }); // ldrsb r1, [r0], r2
  h.run(1);
  assert.equal(reg(h, 1), 0xffffff81);
  assert.equal(reg(h, 0), DATA + 24);
  h = setup([0xe10010b2], { 0: DATA + 8, 1: 0xbeefcafe, 2: 2 }); // strh r1, [r0, -r2]
  h.run(1);
  assert.equal(readWord(h, DATA + 4), 0xcafe0504);
  assert.equal(reg(h, 0), DATA + 8);
});

test('LDRH (literal) and LDRSB (literal) address from the PC', () => {
  let h = setup([0xe1df10b4, 0, 0, 0x0000abcd], {}); // ldrh r1, [pc, #4]: PC + 8 + 4
  h.run(1);
  assert.equal(reg(h, 1), 0xabcd);
  h = setup([0xe15f10d7], {}); // ldrsb r1, [pc, #-7]: byte 1 of itself (0x10)
  h.run(1);
  assert.equal(reg(h, 1), 0x10);
});

test('writeback to the loaded register: the loaded value wins (as QEMU); STR stores the old base', () => {
  let h = setup([0xe5b00004], { 0: DATA }); // ldr r0, [r0, #4]!
  h.run(1);
  assert.equal(reg(h, 0), 0x07060504);
  h = setup([0xe4900004], { 0: DATA }); // ldr r0, [r0], #4
  h.run(1);
  assert.equal(reg(h, 0), 0x03020100);
  h = setup([0xe5a00004], { 0: DATA }); // str r0, [r0, #4]!
  h.run(1);
  assert.equal(readWord(h, DATA + 4), DATA);
  assert.equal(reg(h, 0), DATA + 4);
});

test('LDRT/STRBT/LDRSHT/LDRHT: post-indexed unprivileged accesses', () => {
  let h = setup([0xe4b01004], { 0: DATA }); // ldrt r1, [r0], #4
  h.run(1);
  assert.equal(reg(h, 1), 0x03020100);
  assert.equal(reg(h, 0), DATA + 4);
  h = setup([0xe6601082], { 0: DATA + 8, 1: 0x99, 2: 2 }); // strbt r1, [r0], -r2, lsl #1
  h.run(1);
  assert.equal(readWord(h, DATA + 8), 0x0b0a0999);
  assert.equal(reg(h, 0), DATA + 4);
  h = setup([0xe0f010f2], { 0: DATA + 16 }); // ldrsht r1, [r0], #2
  h.run(1);
  assert.equal(reg(h, 1), 0xffffff7f);
  assert.equal(reg(h, 0), DATA + 18);
  h = setup([0xe03010b2], { 0: DATA + 18, 2: 6 }); // ldrht r1, [r0], -r2
  h.run(1);
  assert.equal(reg(h, 1), 0x8180);
  assert.equal(reg(h, 0), DATA + 12);
});

test('a failed condition skips the load', () => {
  const h = setup([0x15901000], { 0: DATA, 1: 7 }); // ldrne r1, [r0]
  h.cpu.zf = 1;
  h.run(1);
  assert.equal(reg(h, 1), 7);
});

test('an aborting load changes no register and takes a data abort with DFAR', () => {
  const h = setup([0xe4901004], { 0: 0x10000000, 1: 7 }); // ldr r1, [r0], #4
  h.run(1);
  assert.equal(h.cpu.mode, Mode.Abt);
  assert.equal(h.cpu.cp15.dfar >>> 0, 0x10000000);
  assert.equal(h.cpu.readRegisterOfMode(0, Mode.Svc) >>> 0, 0x10000000);
  assert.equal(reg(h, 1), 7);
  assert.equal(reg(h, 14), CODE_BASE + 8);
});

test('with SCTLR.A set an unaligned LDR takes an alignment fault', () => {
  const h = setup([0xe5901001], { 0: DATA }); // ldr r1, [r0, #1]
  h.cpu.cp15.writeSctlr(h.cpu.cp15.sctlr | 2); // SCTLR.A
  h.run(1);
  assert.equal(h.cpu.mode, Mode.Abt);
  assert.equal(h.cpu.cp15.dfsr & 0x40f, 0x001);
});

test('PLD/PLDW/PLI are hints: no effect, not UNDEFINED', () => {
  const h = setup([0xf5d0f004, 0xf790f001, 0xf450f008, 0xf55ff008], { 0: 0x10000000 });
  h.run(4);
  assert.equal(h.cpu.mode, Mode.Svc);
  assert.equal(h.cpu.pc, CODE_BASE + 16);
});
