import assert from 'node:assert/strict';
import { test } from 'node:test';
import { getD, neonHarness, run, setD } from './helpers.js';

/** Long, wide, narrow and by-scalar forms. */

test('vmull.s32 q0, d2, d3: exact 64-bit products', () => {
  const h = neonHarness();
  setD(h, 2, 0x80000000_7fffffffn);
  setD(h, 3, 0x80000000_fffffffen);
  run(h, 0xf2a20c03);
  assert.equal(getD(h, 0), 'ffffffff00000002', '0x7fffffff * -2');
  assert.equal(getD(h, 1), '4000000000000000');
});

test('vaddhn.i64 d0, q1, q2 keeps the high words of the sums', () => {
  const h = neonHarness();
  setD(h, 2, 0x00000001_ffffffffn);
  setD(h, 3, 0xffffffff_00000000n);
  setD(h, 4, 0x00000000_00000001n);
  setD(h, 5, 0x00000001_00000000n);
  run(h, 0xf2a20404);
  assert.equal(getD(h, 0), '0000000000000002');
});

test('vqdmlal.s16 saturates the doubled product -32768 * -32768 and sets QC', () => {
  const h = neonHarness();
  setD(h, 0, 0n);
  setD(h, 1, 0n);
  setD(h, 2, 0x8000n);
  setD(h, 3, 0x8000n);
  run(h, 0xf2920903);
  assert.equal(getD(h, 0), '000000007fffffff');
  assert.equal(h.cpu.vfp.fpscr & 0x08000000, 0x08000000);
});

test('vmlal.u16 q0, d2, d3[1]: by scalar, accumulating into 32-bit lanes', () => {
  const h = neonHarness();
  setD(h, 0, 0x00000001_00000002n);
  setD(h, 1, 0n);
  setD(h, 2, 0x0004_0003_0002_ffffn);
  setD(h, 3, 0x0000_0000_0010_0000n);
  run(h, 0xf392024b);
  assert.equal(getD(h, 0), '00000021000ffff2');
  assert.equal(getD(h, 1), '0000004000000030');
});
