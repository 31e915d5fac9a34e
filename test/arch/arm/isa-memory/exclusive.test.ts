import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Mode } from '../../../../src/arch/arm/modes.js';
import { DATA, DATA_WORDS, decodesA32, decodesT32, readWord, reg, thumb, writeData, armWithData as a32 } from './memory-harness.js';

// LDREX*/STREX*/CLREX with the local exclusive monitor (ARM ARM A3.4, A8.8.75-78, A8.8.212-215).

const LDREX = 0xe1901f9f; // ldrex r1, [r0]
const STREX = 0xe1802f91; // strex r2, r1, [r0]
const CLREX = 0xf57ff01f;

test('LDREX then STREX to the same address succeeds (Rd = 0) and opens the monitor', () => {
  const h = a32([LDREX, STREX], { 0: DATA });
  h.run(1);
  assert.equal(reg(h, 1), DATA_WORDS[0]);
  assert.equal(h.cpu.exclusiveAddress, DATA);
  h.cpu.r[1] = 0x5a5a5a5a;
  h.run(1);
  assert.equal(reg(h, 2), 0);
  assert.equal(readWord(h, DATA), 0x5a5a5a5a);
  assert.equal(h.cpu.exclusiveAddress, -1);
});

test('STREX without a preceding LDREX fails (Rd = 1) and stores nothing', () => {
  const h = a32([STREX], { 0: DATA, 1: 0x5a5a5a5a });
  h.run(1);
  assert.equal(reg(h, 2), 1);
  assert.equal(readWord(h, DATA), DATA_WORDS[0]);
});

test('a second STREX after a successful one fails: every STREX clears the monitor', () => {
  const h = a32([LDREX, STREX, STREX], { 0: DATA });
  h.run(2);
  assert.equal(reg(h, 2), 0);
  h.cpu.r[1] = 7;
  h.run(1);
  assert.equal(reg(h, 2), 1);
  assert.equal(readWord(h, DATA), DATA_WORDS[0]);
});

test('STREX to another address than the LDREX fails and still clears the monitor', () => {
  const h = a32([LDREX, STREX], { 0: DATA });
  h.run(1);
  h.cpu.r[0] = DATA + 4;
  h.run(1);
  assert.equal(reg(h, 2), 1);
  assert.equal(readWord(h, DATA + 4), DATA_WORDS[1]);
  assert.equal(h.cpu.exclusiveAddress, -1);
});

test('CLREX and exception entry return the monitor to Open Access', () => {
  let h = a32([LDREX, CLREX, STREX], { 0: DATA });
  h.run(3);
  assert.equal(reg(h, 2), 1);
  h = a32([LDREX, 0xe7f000f0], { 0: DATA }); // ldrex; udf
  h.run(2);
  assert.equal(h.cpu.mode, Mode.Und);
  assert.equal(h.cpu.exclusiveAddress, -1);
});

test('LDREXB/STREXB and LDREXH/STREXH; a size mismatch fails', () => {
  let h = a32([0xe1d01f9f, 0xe1c02f91], { 0: DATA + 3 }); // ldrexb r1, [r0]; strexb r2, r1, [r0]
  h.run(1);
  assert.equal(reg(h, 1), 3);
  h.cpu.r[1] = 0x1ff;
  h.run(1);
  assert.equal(reg(h, 2), 0);
  assert.equal(readWord(h, DATA), 0xff020100);
  h = a32([0xe1f01f9f, 0xe1e02f91], { 0: DATA + 16 }); // ldrexh r1, [r0]; strexh r2, r1, [r0]
  h.run(1);
  assert.equal(reg(h, 1), 0xff7f);
  h.cpu.r[1] = 0x12345;
  h.run(1);
  assert.equal(reg(h, 2), 0);
  assert.equal(readWord(h, DATA + 16), 0x81802345);
  h = a32([0xe1d01f9f, STREX], { 0: DATA }); // ldrexb then strex (word)
  h.run(2);
  assert.equal(reg(h, 2), 1);
});

test('LDREXD/STREXD move a doubleword; they need doubleword alignment', () => {
  let h = a32([0xe1b02f9f, 0xe1a01f92], { 0: DATA + 8 }); // ldrexd r2, r3, [r0]; strexd r1, r2, r3, [r0]
  h.run(1);
  assert.deepEqual([reg(h, 2), reg(h, 3)], [DATA_WORDS[2], DATA_WORDS[3]]);
  h.cpu.r[2] = 0x22;
  h.cpu.r[3] = 0x33;
  h.run(1);
  assert.equal(reg(h, 1), 0);
  assert.deepEqual([readWord(h, DATA + 8), readWord(h, DATA + 12)], [0x22, 0x33]);
  h = a32([0xe1b02f9f], { 0: DATA + 4, 2: 1 }); // word aligned only
  h.run(1);
  assert.equal(h.cpu.mode, Mode.Abt);
  assert.equal(h.cpu.cp15.dfsr & 0x40f, 0x001);
  assert.equal(reg(h, 2), 1);
});

test('LDREX/STREX need natural alignment even when the monitor would fail', () => {
  const h = a32([STREX], { 0: DATA + 2, 2: 9 });
  h.run(1);
  assert.equal(h.cpu.mode, Mode.Abt);
  assert.equal(h.cpu.cp15.dfsr & 0x80f, 0x801);
  assert.equal(reg(h, 2), 9);
});

test('A32 exclusives QEMU treats as UNDEFINED', () => {
  assert.equal(decodesA32(0xe190ff9f), false); // ldrex pc, [r0]
  assert.equal(decodesA32(0xe19f1f9f), false); // ldrex r1, [pc]
  assert.equal(decodesA32(0xe1800f91), false); // strex r0, r1, [r0]
  assert.equal(decodesA32(0xe1802f92), false); // strex r2, r2, [r0]
  assert.equal(decodesA32(0xe1b01f9f), false); // ldrexd r1, r2, [r0]: odd Rt
  assert.equal(decodesA32(0xe1a03f92), false); // strexd r3, r2, r3, [r0]: Rd = Rt2
});

test('T32 LDREX/STREX with an immediate offset, LDREXD/STREXD with any Rt2, CLREX', () => {
  let h = thumb([0xe850, 0x1f02, 0xe840, 0x1202]); // ldrex r1, [r0, #8]; strex r2, r1, [r0, #8]
  writeData(h, DATA, DATA_WORDS);
  h.cpu.r[0] = DATA;
  h.run(1);
  assert.equal(reg(h, 1), DATA_WORDS[2]);
  h.cpu.r[1] = 0xabcdef;
  h.run(1);
  assert.equal(reg(h, 2), 0);
  assert.equal(readWord(h, DATA + 8), 0xabcdef);
  h = thumb([0xe8d0, 0x247f, 0xf3bf, 0x8f2f, 0xe8c0, 0x2471]); // ldrexd r2, r4, [r0]; clrex; strexd r1, r2, r4, [r0]
  writeData(h, DATA, DATA_WORDS);
  h.cpu.r[0] = DATA;
  h.run(1);
  assert.deepEqual([reg(h, 2), reg(h, 4)], [DATA_WORDS[0], DATA_WORDS[1]]);
  h.run(2);
  assert.equal(reg(h, 1), 1);
  assert.equal(decodesT32(0xe850, 0xdf00), false); // ldrex sp, [r0]
  assert.equal(decodesT32(0xe8d0, 0x227f), false); // ldrexd r2, r2, [r0]
});
