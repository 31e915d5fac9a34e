import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Mode } from '../../../../src/arch/arm/modes.js';
import { CODE_BASE, DATA, decodesA32, readWord, reg, armWithData as a32, thumbWithData as t32 } from './memory-harness.js';

// LDRD/STRD (A8.8.72-74, A8.8.209-210) and SWP/SWPB (A8.8.229). Overlap cases follow
// qemu-system-arm 7.2 -cpu cortex-a15 as observed: LDRD writes Rt, Rt2, then the base.

test('A32 LDRD (immediate) offset, (register) post-indexed subtract, (register) pre-indexed', () => {
  let h = a32([0xe1c020d8], { 0: DATA }); // ldrd r2, r3, [r0, #8]
  h.run(1);
  assert.deepEqual([reg(h, 2), reg(h, 3), reg(h, 0)], [0x0b0a0908, 0x0f0e0d0c, DATA]);
  h = a32([0xe00020d1], { 0: DATA + 8, 1: 8 }); // ldrd r2, r3, [r0], -r1
  h.run(1);
  assert.deepEqual([reg(h, 2), reg(h, 3), reg(h, 0)], [0x0b0a0908, 0x0f0e0d0c, DATA]);
  h = a32([0xe1a020d1], { 0: DATA, 1: 16 }); // ldrd r2, r3, [r0, r1]!
  h.run(1);
  assert.deepEqual([reg(h, 2), reg(h, 3), reg(h, 0)], [0x8180ff7f, 0xdeadbeef, DATA + 16]);
});

test('A32 STRD pre-indexed with writeback', () => {
  const h = a32([0xe16040f8], { 0: DATA + 16, 4: 0x44444444, 5: 0x55555555 }); // strd r4, r5, [r0, #-8]!
  h.run(1);
  assert.deepEqual([readWord(h, DATA + 8), readWord(h, DATA + 12), reg(h, 0)], [0x44444444, 0x55555555, DATA + 8]);
});

test('A32 LDRD (literal) reads from PC + 8', () => {
  const h = a32([0xe14f00d8], {}); // ldrd r0, r1, [pc, #-8]: itself and the next word
  h.run(1);
  assert.deepEqual([reg(h, 0), reg(h, 1)], [0xe14f00d8, 0]);
});

test('LDRD with the base as Rt and writeback: the base writeback wins (QEMU)', () => {
  const h = a32([0xe0c000d8], { 0: DATA }); // ldrd r0, r1, [r0], #8
  h.run(1);
  assert.deepEqual([reg(h, 0), reg(h, 1)], [DATA + 8, 0x07060504]);
});

test('LDRD needs word alignment even with SCTLR.A clear (A3.2.1); registers unchanged', () => {
  const h = a32([0xe1c020d0], { 0: DATA + 2, 2: 1, 3: 2 }); // ldrd r2, r3, [r0]
  h.run(1);
  assert.equal(h.cpu.mode, Mode.Abt);
  assert.equal(h.cpu.cp15.dfar >>> 0, DATA + 2);
  assert.equal(h.cpu.cp15.dfsr & 0x40f, 0x001);
  assert.deepEqual([reg(h, 2), reg(h, 3)], [1, 2]);
});

test('LDRD whose second word aborts leaves Rt unchanged', () => {
  const h = a32([0xe1c020d0], { 0: 0x400ffffc, 2: 1, 3: 2 }); // ldrd r2, r3, [r0]: second word past RAM
  h.run(1);
  assert.equal(h.cpu.mode, Mode.Abt);
  assert.equal(h.cpu.cp15.dfar >>> 0, 0x40100000);
  assert.deepEqual([reg(h, 2), reg(h, 3)], [1, 2]);
});

test('A32 LDRD/STRD with odd Rt, or the unprivileged P=0 W=1 form, are UNDEFINED', () => {
  assert.equal(decodesA32(0xe1c010d8), false); // ldrd r1, r2, [r0, #8]
  assert.equal(decodesA32(0xe1c010f8), false); // strd r1, r2, [r0, #8]
  assert.equal(decodesA32(0xe0e020d8), false); // P=0 W=1
});

test('T32 LDRD/STRD: offset, post-indexed, pre-indexed, literal with Align(PC, 4)', () => {
  let h = t32([0xe9d0, 0x2302], { 0: DATA }); // ldrd r2, r3, [r0, #8]
  h.run(1);
  assert.deepEqual([reg(h, 2), reg(h, 3)], [0x0b0a0908, 0x0f0e0d0c]);
  h = t32([0xe870, 0x2302], { 0: DATA + 8 }); // ldrd r2, r3, [r0], #-8
  h.run(1);
  assert.deepEqual([reg(h, 2), reg(h, 3), reg(h, 0)], [0x0b0a0908, 0x0f0e0d0c, DATA]);
  h = t32([0xe960, 0x4502], { 0: DATA + 8, 4: 4, 5: 5 }); // strd r4, r5, [r0, #-8]!
  h.run(1);
  assert.deepEqual([readWord(h, DATA), readWord(h, DATA + 4), reg(h, 0)], [4, 5, DATA]);
  h = t32([0xbf00, 0xe95f, 0x2301, 0xbf00], {}); // at +2: ldrd r2, r3, [pc, #-4] -> CODE_BASE
  h.cpu.pc = CODE_BASE + 2;
  h.run(1);
  assert.deepEqual([reg(h, 2), reg(h, 3)], [0xe95fbf00, 0xbf002301]);
});

test('SWP and SWPB exchange register and memory (QEMU 7.2 executes them on cortex-a15)', () => {
  let h = a32([0xe1001092], { 0: DATA, 2: 0x11223344 }); // swp r1, r2, [r0]
  h.run(1);
  assert.equal(reg(h, 1), 0x03020100);
  assert.equal(readWord(h, DATA), 0x11223344);
  h = a32([0xe1401092], { 0: DATA + 1, 2: 0xaabbccdd }); // swpb r1, r2, [r0]
  h.run(1);
  assert.equal(reg(h, 1), 0x01);
  assert.equal(readWord(h, DATA), 0x0302dd00);
  h = a32([0xe1000090], { 0: DATA }); // swp r0, r0, [r0]
  h.run(1);
  assert.equal(reg(h, 0), 0x03020100);
  assert.equal(readWord(h, DATA), DATA);
});

test('SWP to an unaligned address takes an alignment fault before any change', () => {
  const h = a32([0xe1001092], { 0: DATA + 2, 1: 9, 2: 0x11223344 });
  h.run(1);
  assert.equal(h.cpu.mode, Mode.Abt);
  assert.equal(reg(h, 1), 9);
  assert.equal(readWord(h, DATA), 0x03020100);
});

test('big-endian data (CPSR.E): LDRD and LDREXD still put the lower-address word in Rt', () => {
  let h = a32([0xe1c020d0], { 0: DATA }); // ldrd r2, r3, [r0]
  h.cpu.bigEndianData = 1;
  h.run(1);
  assert.deepEqual([reg(h, 2), reg(h, 3)], [0x00010203, 0x04050607]);
  h = a32([0xe1b02f9f], { 0: DATA }); // ldrexd r2, r3, [r0]
  h.cpu.bigEndianData = 1;
  h.run(1);
  assert.deepEqual([reg(h, 2), reg(h, 3)], [0x00010203, 0x04050607]);
});
