import assert from 'node:assert/strict';
import { test } from 'node:test';
import { getD, neonHarness, run, setD } from './helpers.js';

/** Two-register miscellaneous instructions, permutations, VEXT and table lookups. */

function one(word: number, inputs: Record<number, bigint>, reg = 0): string {
  const h = neonHarness();
  for (const [n, v] of Object.entries(inputs)) setD(h, Number(n), v);
  assert.equal(run(h, word), false);
  return getD(h, reg);
}

test('vrev64.8 reverses bytes; vpadal.u8 accumulates pair sums into halfwords', () => {
  assert.equal(one(0xf3b00001, { 1: 0x0807060504030201n }), '0102030405060708');
  assert.equal(one(0xf3b00681, { 0: 0x0001000100010001n, 1: -1n }), '01ff01ff01ff01ff');
});

test('vcls.s8, vclz.i16, vcnt.8 count bits per lane', () => {
  assert.equal(one(0xf3b00401, { 1: 0x203fc0408001ff00n }), '0101010000060707');
  assert.equal(one(0xf3b40481, { 1: 0x00ff800000000001n }), '000800000010000f');
  assert.equal(one(0xf3b00501, { 1: 0x0000000001030fffn }), '0000000001020408');
});

test('vqabs.s8: |-128| saturates to 127 with QC', () => {
  const h = neonHarness();
  setD(h, 1, 0xff80n);
  run(h, 0xf3b00701);
  assert.equal(getD(h, 0), '000000000000017f');
  assert.equal(h.cpu.vfp.fpscr & 0x08000000, 0x08000000);
});

test('vtrn.16, vuzp.8, vzip.8 rearrange both registers', () => {
  const h = neonHarness();
  const reset = (a: bigint, b: bigint): void => {
    setD(h, 0, a);
    setD(h, 1, b);
  };
  reset(0x0003000200010000n, 0x0013001200110010n);
  run(h, 0xf3b60081);
  assert.deepEqual([getD(h, 0), getD(h, 1)], ['0012000200100000', '0013000300110001']);
  reset(0x0706050403020100n, 0x1716151413121110n);
  run(h, 0xf3b20101);
  assert.deepEqual([getD(h, 0), getD(h, 1)], ['1614121006040200', '1715131107050301']);
  reset(0x0706050403020100n, 0x1716151413121110n);
  run(h, 0xf3b20181);
  assert.deepEqual([getD(h, 0), getD(h, 1)], ['1303120211011000', '1707160615051404']);
});

test('vqmovn.s32 d0, q1 saturates each lane to 16 bits', () => {
  assert.equal(one(0xf3b60282, { 2: 0xfffffff0_00010000n, 3: 0x80000000_00000005n }), '80000005fff07fff');
});

test('vext.8 #3; vtbl.8 with two table registers; vtbx.8 keeps out-of-range lanes', () => {
  assert.equal(one(0xf2b10302, { 1: 0x0706050403020100n, 2: 0x1716151413121110n }), '1211100706050403');
  const indexes = 0x090701ff08100f00n;
  assert.equal(one(0xf3b10903, { 1: 0x2726252423222120n, 2: 0x2f2e2d2c2b2a2928n, 3: indexes }), '2927210028002f20');
  assert.equal(one(0xf3b10843, { 0: 0xaaaaaaaaaaaaaaaan, 1: 0x2726252423222120n, 3: indexes }), 'aa2721aaaaaaaa20');
});
