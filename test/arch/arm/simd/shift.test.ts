import assert from 'node:assert/strict';
import { test } from 'node:test';
import { getD, neonHarness, run, setD } from './helpers.js';

/** Shifts by an immediate: right, rounding, insert, saturating, narrowing, widening. */

test('vshr.s8 #8 leaves the sign; vrshr.u16 #3 rounds', () => {
  const h = neonHarness();
  setD(h, 1, 0x00000000000080_7fn);
  run(h, 0xf2880011);
  assert.equal(getD(h, 0), '000000000000ff00');
  setD(h, 1, 0x0000_0000_000c_000bn);
  run(h, 0xf39d0211);
  assert.equal(getD(h, 0), '0000000000020001');
});

test('vsri.32 #8 and vsli.64 #60 insert into the destination', () => {
  const h = neonHarness();
  setD(h, 0, 0xaabbccdd_11223344n);
  setD(h, 1, 0x12345678_ffffffffn);
  run(h, 0xf3b80411);
  assert.equal(getD(h, 0), 'aa12345611ffffff');
  setD(h, 0, 0x0123456789abcdefn);
  setD(h, 1, 0x5n);
  run(h, 0xf3bc0591);
  assert.equal(getD(h, 0), '5123456789abcdef');
});

test('vqshlu.s8 #2 saturates negatives to 0 and large values to 255 (QC)', () => {
  const h = neonHarness();
  setD(h, 1, 0x00000000_0040_ff10n);
  run(h, 0xf38a0611);
  assert.equal(getD(h, 0), '0000000000ff0040');
  assert.equal(h.cpu.vfp.fpscr & 0x08000000, 0x08000000);
});

test('vqrshrun.s32 d0, q1, #4 narrows with rounding and unsigned saturation', () => {
  const h = neonHarness();
  setD(h, 2, 0xffffff00_00000018n);
  setD(h, 3, 0x7fffffff_00000007n);
  run(h, 0xf39c0852);
  assert.equal(getD(h, 0), 'ffff000000000002');
});

test('vshll.u8 #3, vmovl.s16 and vshll.i8 #8 (maximum shift) widen', () => {
  const h = neonHarness();
  setD(h, 2, 0x00000000000000ffn);
  run(h, 0xf38b0a12);
  assert.equal(getD(h, 0), '00000000000007f8');
  setD(h, 2, 0x0000000000008000n);
  run(h, 0xf2900a12);
  assert.equal(getD(h, 0), '00000000ffff8000');
  setD(h, 2, 0x00000000000001ffn);
  run(h, 0xf3b20302);
  assert.equal(getD(h, 0), '000000000100ff00');
});
