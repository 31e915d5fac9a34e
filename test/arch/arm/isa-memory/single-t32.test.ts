import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Mode } from '../../../../src/arch/arm/modes.js';
import { CODE_BASE, DATA, DATA_WORDS, decodesT16, decodesT32, readWord, reg, thumb, writeData } from './memory-harness.js';

// T32 (16- and 32-bit) single loads and stores: ARM ARM A6.2.4, A6.3.7-A6.3.10, A8.8.

function setup(halfwords: number[], r: Record<number, number>) {
  const h = thumb(halfwords);
  writeData(h, DATA, DATA_WORDS);
  for (const [n, v] of Object.entries(r)) h.cpu.r[Number(n)] = v;
  return h;
}

const IN_IT = { inItBlock: true, lastInItBlock: false };
const LAST_IN_IT = { inItBlock: true, lastInItBlock: true };

test('T16 LDR (literal): Align(PC, 4) + imm8 * 4', () => {
  // At CODE_BASE: Align(CODE_BASE + 4, 4) + 4 = CODE_BASE + 8.
  let h = setup([0x4901, 0xbf00, 0xbf00, 0xbf00, 0x5678, 0x1234], {}); // ldr r1, [pc, #4]
  h.run(1);
  assert.equal(reg(h, 1), 0x12345678);
  // At CODE_BASE + 2: Align(CODE_BASE + 6, 4) = CODE_BASE + 4, + 4 = CODE_BASE + 8 again.
  h = setup([0xbf00, 0x4901, 0xbf00, 0xbf00, 0x5678, 0x1234], {});
  h.cpu.pc = CODE_BASE + 2;
  h.run(1);
  assert.equal(reg(h, 1), 0x12345678);
});

test('T16 immediate, register and SP-relative forms', () => {
  let h = setup([0x6841], { 0: DATA }); // ldr r1, [r0, #4]
  h.run(1);
  assert.equal(reg(h, 1), 0x07060504);
  h = setup([0x80c1], { 0: DATA, 1: 0xaaaa5555 }); // strh r1, [r0, #6]
  h.run(1);
  assert.equal(readWord(h, DATA + 4), 0x55550504);
  h = setup([0x5681], { 0: DATA, 2: 19 }); // ldrsb r1, [r0, r2]
  h.run(1);
  assert.equal(reg(h, 1), 0xffffff81);
  h = setup([0x9902], { 13: DATA }); // ldr r1, [sp, #8]
  h.run(1);
  assert.equal(reg(h, 1), 0x0b0a0908);
  h = setup([0x91ff], { 13: DATA, 1: 0x600df00d }); // str r1, [sp, #1020]
  h.run(1);
  assert.equal(readWord(h, DATA + 1020), 0x600df00d);
  h = setup([0x7fc1], { 0: DATA - 12 }); // ldrb r1, [r0, #31]
  h.run(1);
  assert.equal(reg(h, 1), 0x81);
  h = setup([0x8fc1], { 0: DATA - 44 }); // ldrh r1, [r0, #62]
  h.run(1);
  assert.equal(reg(h, 1), 0x8180);
  h = setup([0x5081], { 0: DATA, 1: 0x11223344, 2: 8 }); // str r1, [r0, r2]
  h.run(1);
  assert.equal(readWord(h, DATA + 8), 0x11223344);
  h = setup([0x5e81], { 0: DATA, 2: 17 }); // ldrsh r1, [r0, r2]
  h.run(1);
  assert.equal(reg(h, 1), 0xffff80ff);
});

test('T32 LDR (immediate): imm12, negative imm8, pre- and post-indexed', () => {
  let h = setup([0xf8d0, 0x1ffc], { 0: DATA - 4092 }); // ldr.w r1, [r0, #4092]
  h.run(1);
  assert.equal(reg(h, 1), 0x03020100);
  h = setup([0xf850, 0x1c04], { 0: DATA + 4 }); // ldr r1, [r0, #-4]
  h.run(1);
  assert.equal(reg(h, 1), 0x03020100);
  assert.equal(reg(h, 0), DATA + 4);
  h = setup([0xf850, 0x1f04], { 0: DATA }); // ldr r1, [r0, #4]!
  h.run(1);
  assert.equal(reg(h, 1), 0x07060504);
  assert.equal(reg(h, 0), DATA + 4);
  h = setup([0xf850, 0x1904], { 0: DATA }); // ldr r1, [r0], #-4
  h.run(1);
  assert.equal(reg(h, 1), 0x03020100);
  assert.equal(reg(h, 0), DATA - 4);
  assert.equal(h.cpu.pc, CODE_BASE + 4);
});

test('T32 LDR (register) with LSL #3, LDRSH/LDRSB (immediate), STRH pre-indexed', () => {
  let h = setup([0xf850, 0x1032], { 0: DATA, 2: 2 }); // ldr.w r1, [r0, r2, lsl #3]
  h.run(1);
  assert.equal(reg(h, 1), 0x8180ff7f);
  h = setup([0xf9b0, 0x1002], { 0: DATA + 16 }); // ldrsh.w r1, [r0, #2]
  h.run(1);
  assert.equal(reg(h, 1), 0xffff8180);
  h = setup([0xf910, 0x1c01], { 0: DATA + 17 }); // ldrsb.w r1, [r0, #-1]
  h.run(1);
  assert.equal(reg(h, 1), 0x7f);
  h = setup([0xf820, 0x1d02], { 0: DATA + 2, 1: 0xbeef }); // strh.w r1, [r0, #-2]!
  h.run(1);
  assert.equal(readWord(h, DATA), 0x0302beef);
  assert.equal(reg(h, 0), DATA);
});

test('T32 literal loads use Align(PC, 4), either sign', () => {
  // ldrb.w r1, [pc, #-3] at CODE_BASE + 2: Align(CODE_BASE + 6, 4) - 3 = CODE_BASE + 1.
  let h = setup([0xbf00, 0xf81f, 0x1003], {});
  h.cpu.pc = CODE_BASE + 2;
  h.run(1);
  assert.equal(reg(h, 1), 0xbf);
  h = setup([0xf85f, 0x1004], {}); // ldr.w r1, [pc, #-4]: Align(CODE_BASE + 4) - 4 = itself
  h.run(1);
  assert.equal(reg(h, 1), 0x1004f85f);
});

test('T32 LDR PC interworks; inside an IT block only as the last instruction', () => {
  const h = setup([0xf8d0, 0xf000], { 0: DATA }); // ldr.w pc, [r0]
  writeData(h, DATA, [0x40003000]);
  h.run(1);
  assert.equal(h.cpu.pc, 0x40003000);
  assert.equal(h.cpu.thumb, 0);
  assert.equal(decodesT32(0xf8d0, 0xf000, IN_IT), false);
  assert.equal(decodesT32(0xf8d0, 0xf000, LAST_IN_IT), true);
  assert.equal(decodesT16(0xbd01, IN_IT), false); // pop {r0, pc}
  assert.equal(decodesT16(0xbd01, LAST_IN_IT), true);
});

test('T32 LDRT/STRBT: offset addressing, no writeback', () => {
  let h = setup([0xf850, 0x1e08], { 0: DATA }); // ldrt r1, [r0, #8]
  h.run(1);
  assert.equal(reg(h, 1), 0x0b0a0908);
  assert.equal(reg(h, 0), DATA);
  h = setup([0xf800, 0x1e03], { 0: DATA, 1: 0x77 }); // strbt r1, [r0, #3]
  h.run(1);
  assert.equal(readWord(h, DATA), 0x77020100);
});

test('T32 preload hints run as NOPs; stores with Rn = PC and reserved PUW values are UNDEFINED', () => {
  const h = setup([0xf890, 0xf004, 0xf810, 0xfc04, 0xf910, 0xf001, 0xf8b0, 0xf008], { 0: 0x10000000 });
  h.run(4);
  assert.equal(h.cpu.mode, Mode.Svc);
  assert.equal(h.cpu.pc, CODE_BASE + 16);
  assert.equal(decodesT32(0xf8cf, 0x1000), false); // str.w r1, [pc, #0]
  assert.equal(decodesT32(0xf850, 0x1804), false); // ldr r1, [r0], PUW = 000
  assert.equal(decodesT32(0xf850, 0x1a04), false); // ldr r1, [r0], PUW = 010
});

test('T32 load abort leaves the base register unchanged', () => {
  const h = setup([0xf850, 0x1f04], { 0: 0x0ffffffc, 1: 5 }); // ldr r1, [r0, #4]!
  h.run(1);
  assert.equal(h.cpu.mode, Mode.Abt);
  assert.equal(h.cpu.cp15.dfar >>> 0, 0x10000000);
  assert.equal(h.cpu.readRegisterOfMode(0, Mode.Svc) >>> 0, 0x0ffffffc);
  assert.equal(reg(h, 1), 5);
  assert.equal(reg(h, 14), CODE_BASE + 8);
});
