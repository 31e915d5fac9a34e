import assert from 'node:assert/strict';
import { test } from 'node:test';
import { getD, neonHarness, run, setD } from './helpers.js';

/**
 * Advanced SIMD single precision: the standard FPSCR value (flush-to-zero, default NaN, round to
 * nearest) whatever FPSCR says, with the exception flags still accumulated in FPSCR.
 */

const IOC = 1;
const DZC = 2;
const IXC = 0x10;
const IDC = 0x80;

test('vadd.f32 flushes a denormal input and returns the default NaN though FPSCR.FZ and DN are clear', () => {
  const h = neonHarness();
  h.cpu.vfp.fpscr = 0x00c00000; // round towards zero: ignored
  setD(h, 1, 0x7f800001_00000001n);
  setD(h, 2, 0x3f800000_00000000n);
  run(h, 0xf2010d02);
  assert.equal(getD(h, 0), '7fc0000000000000');
  assert.equal(h.cpu.vfp.fpscr, 0x00c00000 | IOC | IDC);
});

test('vrecpe.f32: 1.0 estimates 0x3f7f8000; 0 gives +Inf with DZC', () => {
  const h = neonHarness();
  setD(h, 1, 0x00000000_3f800000n);
  run(h, 0xf3bb0501);
  assert.equal(getD(h, 0), '7f8000003f7f8000');
  assert.equal(h.cpu.vfp.fpscr & DZC, DZC);
});

test('vcvt.s32.f32 rounds towards zero and saturates; vcvt.f32.u32 #16 from fixed point', () => {
  const h = neonHarness();
  setD(h, 1, 0x4f32d05e_bfc00000n); // 3e9, -1.5
  run(h, 0xf3bb0701);
  assert.equal(getD(h, 0), '7fffffffffffffff');
  assert.equal(h.cpu.vfp.fpscr & (IOC | IXC), IOC | IXC);
  setD(h, 1, 0x00000000_00018000n);
  run(h, 0xf3b00e11);
  assert.equal(getD(h, 0), '000000003fc00000');
});

test('vmax.f32: max(+0, -0) is +0, a NaN operand gives the default NaN', () => {
  const h = neonHarness();
  setD(h, 1, 0x3f800000_80000000n);
  setD(h, 2, 0x7fc12345_00000000n);
  run(h, 0xf2010f02);
  assert.equal(getD(h, 0), '7fc0000000000000');
});

test('vrsqrts.f32: (3 - a * b) / 2, and 1.5 for infinity times zero', () => {
  const h = neonHarness();
  setD(h, 1, 0x7f800000_3f800000n);
  setD(h, 2, 0x00000000_3f800000n);
  run(h, 0xf2210f12);
  assert.equal(getD(h, 0), '3fc000003f800000');
});

test('vmla.f32 q0, q1, d4[1] by scalar; vcvt.f16.f32 d0, q1', () => {
  const h = neonHarness();
  setD(h, 0, 0x3f800000_3f800000n);
  setD(h, 1, 0x3f800000_3f800000n);
  setD(h, 2, 0x40000000_3f800000n); // lanes 1, 2
  setD(h, 3, 0x40400000_40800000n); // lanes 4, 3
  setD(h, 4, 0x40000000_00000000n); // [1] = 2
  run(h, 0xf3a20164);
  assert.equal(getD(h, 0), '40a0000040400000'); // 1 + 1 * 2, 1 + 2 * 2
  assert.equal(getD(h, 1), '40e0000041100000'); // 1 + 4 * 2, 1 + 3 * 2
  run(h, 0xf3b60602);
  assert.equal(getD(h, 0), '4200440040003c00'); // halves of 1, 2, 4, 3
});
