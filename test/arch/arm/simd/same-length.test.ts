import assert from 'node:assert/strict';
import { test } from 'node:test';
import { getD, neonHarness, run, setD } from './helpers.js';

/** Integer three-registers-same and pairwise instructions; saturation sets FPSCR.QC. */

const QC = 0x08000000;

test('vadd.i8 wraps each lane; vadd.i64 q0, q1, q2 carries across the word boundary', () => {
  const h = neonHarness();
  setD(h, 1, 0xff7f010000000080n);
  setD(h, 2, 0x0101010100000080n);
  run(h, 0xf2010802);
  assert.equal(getD(h, 0), '0080020100000000');
  setD(h, 2, 0x00000000ffffffffn);
  setD(h, 3, -1n);
  setD(h, 4, 1n);
  setD(h, 5, 1n);
  run(h, 0xf2320844);
  assert.equal(getD(h, 0), '0000000100000000');
  assert.equal(getD(h, 1), '0000000000000000');
});

test('vqadd.s8 saturates to 127 / -128 and sets QC; QC stays clear otherwise', () => {
  const h = neonHarness();
  setD(h, 1, 0x0000000000807f01n);
  setD(h, 2, 0x0000000000ff0101n);
  run(h, 0xf2010012);
  assert.equal(getD(h, 0), '0000000000807f02');
  assert.equal(h.cpu.vfp.fpscr & QC, QC);
  h.cpu.vfp.fpscr = 0;
  setD(h, 1, 1n);
  run(h, 0xf2010012);
  assert.equal(h.cpu.vfp.fpscr & QC, 0);
});

test('vshl.s16 d0, d1, d2 shifts Vm by the signed low byte of each Vn lane (negative: arithmetic right)', () => {
  const h = neonHarness();
  setD(h, 1, 0x8001_8000_0004_0001n); // values (Vm)
  setD(h, 2, 0x0004_00ff_fffe_0010n); // shifts (Vn): +16, -2, -1 (low byte 0xff), +4
  run(h, 0xf2120401);
  // 1 << 16 = 0; 4 >> 2 = 1; -32768 >> 1 = 0xc000; 0x8001 << 4 = 0x0010
  assert.equal(getD(h, 0), '0010c00000010000');
});

test('vqdmulh.s32: (2ab) >> 32, and -2^31 * -2^31 saturates with QC', () => {
  const h = neonHarness();
  setD(h, 1, 0x80000000_40000000n);
  setD(h, 2, 0x80000000_40000000n);
  run(h, 0xf2210b02);
  assert.equal(getD(h, 0), '7fffffff20000000');
  assert.equal(h.cpu.vfp.fpscr & QC, QC);
});

test('vpadd.i16 adds adjacent pairs of Dn then Dm; vmul.p8 is carry-less', () => {
  const h = neonHarness();
  setD(h, 1, 0x0004_0003_0002_0001n);
  setD(h, 2, 0xffff_0001_0010_0020n);
  run(h, 0xf2110b12);
  assert.equal(getD(h, 0), '0000003000070003');
  setD(h, 1, 0x03n);
  setD(h, 2, 0x03n);
  run(h, 0xf3010912);
  assert.equal(getD(h, 0), '0000000000000005');
});

test('vcgt.u32 compares unsigned; vqrshl.u64 rounds a right shift', () => {
  const h = neonHarness();
  setD(h, 1, 0x80000000_00000001n);
  setD(h, 2, 0x7fffffff_00000002n);
  run(h, 0xf3210302);
  assert.equal(getD(h, 0), 'ffffffff00000000');
  setD(h, 1, 0x0000000000000007n); // value (Vm)
  setD(h, 2, 0x00000000000000ffn); // shift -1 (Vn)
  run(h, 0xf3320511);
  assert.equal(getD(h, 0), '0000000000000004');
});
