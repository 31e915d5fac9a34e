import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Mode } from '../../../../src/arch/arm/modes.js';
import { CODE_BASE, RAM_BASE, makeHarness, type Harness } from '../../../support/cpu-harness.js';

/** VLDR/VSTR/VLDM/VSTM/VPUSH/VPOP addressing modes, writeback, byte order and precise aborts. */

const DATA = RAM_BASE + 0x8000;

function setup(): Harness {
  const h = makeHarness();
  h.cpu.cp15.vbar = 0x40000000;
  const words = Array.from({ length: 64 }, (_, i) => 0x1000 + i);
  h.writeWords(DATA - 0x80, words);
  return h;
}

function runOne(h: Harness, word: number): void {
  h.writeWords(CODE_BASE, [word]);
  h.cpu.pc = CODE_BASE;
  h.run(1);
}

/** The word the setup stored at `address`. */
const memoryWord = (address: number): number => 0x1000 + (address - (DATA - 0x80)) / 4;

function readWord(h: Harness, address: number): number {
  return new DataView(h.bus.ram.buffer).getInt32(address - RAM_BASE, true);
}

test('vldm: increment after, no writeback, doubles (vldmia r0, {d1-d3})', () => {
  const h = setup();
  h.cpu.r[0] = DATA;
  runOne(h, 0xec901b06);
  const w = h.cpu.vfp.words;
  assert.deepEqual(Array.from(w.subarray(2, 8)), [0, 1, 2, 3, 4, 5].map((i) => memoryWord(DATA + 4 * i)));
  assert.equal(h.cpu.r[0], DATA);
});

test('vldm: increment after with writeback, singles (vldmia r0!, {s2-s4})', () => {
  const h = setup();
  h.cpu.r[0] = DATA;
  runOne(h, 0xecb01a03);
  assert.deepEqual(Array.from(h.cpu.vfp.words.subarray(2, 5)), [0, 1, 2].map((i) => memoryWord(DATA + 4 * i)));
  assert.equal(h.cpu.r[0], DATA + 12);
});

test('vldm: decrement before with writeback, high doubles (vldmdb r0!, {d30-d31})', () => {
  const h = setup();
  h.cpu.r[0] = DATA;
  runOne(h, 0xed70eb04);
  assert.deepEqual(Array.from(h.cpu.vfp.words.subarray(60, 64)), [-16, -12, -8, -4].map((o) => memoryWord(DATA + o)));
  assert.equal(h.cpu.r[0], DATA - 16);
});

test('vstm: increment after, with and without writeback, and decrement before', () => {
  const h = setup();
  const w = h.cpu.vfp.words;
  for (let i = 0; i < 64; i++) w[i] = 0x5000 + i;
  h.cpu.r[0] = DATA;
  runOne(h, 0xec801b06); // vstmia r0, {d1-d3}
  assert.deepEqual([0, 1, 2, 3, 4, 5].map((i) => readWord(h, DATA + 4 * i)), [2, 3, 4, 5, 6, 7].map((i) => 0x5000 + i));
  assert.equal(h.cpu.r[0], DATA);
  runOne(h, 0xeca01a03); // vstmia r0!, {s2-s4}
  assert.equal(h.cpu.r[0], DATA + 12);
  runOne(h, 0xed60eb04); // vstmdb r0!, {d30-d31}
  assert.equal(h.cpu.r[0], DATA - 4);
  assert.deepEqual([0, 1, 2, 3].map((i) => readWord(h, DATA - 4 + 4 * i)), [60, 61, 62, 63].map((i) => 0x5000 + i));
});

test('vpush/vpop: stack of doubles and singles', () => {
  const h = setup();
  const w = h.cpu.vfp.words;
  h.cpu.r[13] = DATA;
  w[16] = 1; w[17] = 2; w[18] = 3; w[19] = 4;
  runOne(h, 0xed2d8b04); // vpush {d8-d9}
  assert.equal(h.cpu.r[13], DATA - 16);
  assert.deepEqual([0, 1, 2, 3].map((i) => readWord(h, DATA - 16 + 4 * i)), [1, 2, 3, 4]);
  w.fill(0, 16, 20);
  runOne(h, 0xecbd8b04); // vpop {d8-d9}
  assert.equal(h.cpu.r[13], DATA);
  assert.deepEqual(Array.from(w.subarray(16, 20)), [1, 2, 3, 4]);
  w[1] = 7; w[2] = 8;
  runOne(h, 0xed6d0a02); // vpush {s1-s2}
  assert.equal(h.cpu.r[13], DATA - 8);
  assert.deepEqual([readWord(h, DATA - 8), readWord(h, DATA - 4)], [7, 8]);
});

test('vldr/vstr: immediate offsets up and down, and the PC-relative literal form', () => {
  const h = setup();
  const w = h.cpu.vfp.words;
  h.cpu.r[0] = DATA;
  runOne(h, 0xed107b02); // vldr d7, [r0, #-8]
  assert.deepEqual([w[14], w[15]], [memoryWord(DATA - 8), memoryWord(DATA - 4)]);
  runOne(h, 0xedd03a03); // vldr s7, [r0, #12]
  assert.equal(w[7], memoryWord(DATA + 12));
  runOne(h, 0xed807b04); // vstr d7, [r0, #16]
  assert.deepEqual([readWord(h, DATA + 16), readWord(h, DATA + 20)], [w[14], w[15]]);
  runOne(h, 0xed403a01); // vstr s7, [r0, #-4]
  assert.equal(readWord(h, DATA - 4), w[7]);
  h.writeWords(CODE_BASE + 16, [0xaaaa5555, 0x12345678]);
  runOne(h, 0xed9f3b02); // vldr d3, [pc, #8]: PC reads as CODE_BASE + 8
  assert.deepEqual([w[6], w[7]], [0xaaaa5555 | 0, 0x12345678]);
});

test('vldr: with big-endian data (CPSR.E) the first word is the high half of the double', () => {
  const h = setup();
  h.cpu.r[0] = DATA;
  h.cpu.bigEndianData = 1;
  runOne(h, 0xed107b02); // vldr d7, [r0, #-8]
  const swap = (x: number): number => ((x >>> 24) | ((x >>> 8) & 0xff00) | ((x & 0xff00) << 8) | (x << 24)) | 0;
  assert.deepEqual([h.cpu.vfp.words[14], h.cpu.vfp.words[15]], [swap(memoryWord(DATA - 4)), swap(memoryWord(DATA - 8))]);
});

test('vldm: a data abort part-way leaves the registers and the base unchanged', () => {
  const h = setup();
  const w = h.cpu.vfp.words;
  w.fill(0x77);
  const end = RAM_BASE + (1 << 20);
  h.cpu.r[0] = end - 8; // the third word is outside RAM
  runOne(h, 0xecb01a03); // vldmia r0!, {s2-s4}
  assert.equal(h.cpu.mode, Mode.Abt);
  assert.equal(h.cpu.r[0], end - 8);
  assert.deepEqual(Array.from(w.subarray(2, 5)), [0x77, 0x77, 0x77]);
});

test('vldm: unaligned base takes an alignment fault', () => {
  const h = setup();
  h.cpu.r[0] = DATA + 2;
  runOne(h, 0xec901b06);
  assert.equal(h.cpu.mode, Mode.Abt);
  assert.equal(h.cpu.cp15.dfsr & 0xf, 1);
});

test('vldm: empty or oversized register lists and PC writeback are UNDEFINED', () => {
  const h = setup();
  runOne(h, 0xec901b00); // vldmia r0, {} (imm8 = 0)
  assert.equal(h.cpu.mode, Mode.Und);
  h.cpu.setMode(Mode.Svc);
  runOne(h, 0xecb01a1f); // vldmia r0!, {s2...} 31 singles: s2+31 > 32
  assert.equal(h.cpu.mode, Mode.Und);
  h.cpu.setMode(Mode.Svc);
  runOne(h, 0xecbf1b02); // vldmia pc!, {d1}
  assert.equal(h.cpu.mode, Mode.Und);
});
