import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CODE_BASE } from '../../../support/cpu-harness.js';
import { DATA, countingBytes, getD, neonHarness, run, setD } from './helpers.js';

/**
 * T32 forms decode to the same instructions as the A32 ones (the top byte 0xF2/0xF3 becomes
 * 0xEF/0xFF, 0xF4 becomes 0xF9; the coprocessor-space transfers keep theirs), and Advanced SIMD
 * instructions work inside translated blocks, aborts included.
 */

/** [A32 word, T32 word (GNU as)] pairs. */
const PAIRS: readonly [number, number][] = [
  [0xf2010012, 0xef010012], // vqadd.s8 d0, d1, d2
  [0xf2a20c03, 0xefa20c03], // vmull.s32 q0, d2, d3
  [0xf3b80411, 0xffb80411], // vsri.32 d0, d1, #8
  [0xf3b10903, 0xffb10903], // vtbl.8 d0, {d1-d2}, d3
  [0xf3bb0501, 0xffbb0501], // vrecpe.f32 d0, d1
  [0xf420094f, 0xf920094f], // vld2.16 {d0, d2}, [r0]
  [0xf484035f, 0xf984035f], // vst4.8 {d0[2]-d3[2]}, [r4:32]
  [0xee401b70, 0xee401b70], // vmov.8 d0[3], r1
  [0xeea23b30, 0xeea23b30], // vdup.16 q1, r3
  [0xf387045f, 0xff87045f], // vmov.i32 q0, #0xff0000
  [0xf3210302, 0xff210302], // vcgt.u32 d0, d1, d2
  [0xf392024b, 0xff92024b], // vmlal.u16 q0, d2, d3[1]
];

function state(thumb: boolean, word: number): string[] {
  const h = neonHarness(thumb);
  countingBytes(h, 256);
  for (let n = 0; n < 32; n++) setD(h, n, BigInt(n + 1) * 0x0123456789abcdefn);
  h.cpu.r[0] = DATA;
  h.cpu.r[1] = 0x11223344;
  h.cpu.r[3] = 0x55667788;
  h.cpu.r[4] = DATA + 64;
  assert.equal(run(h, word), false, `${word.toString(16)} UNDEFINED`);
  return [...Array.from({ length: 32 }, (_, n) => getD(h, n)), h.cpu.vfp.fpscr.toString(16), ...Array.from(h.bus.ram.subarray(DATA - 0x40000000, DATA - 0x40000000 + 128), String)];
}

test('T32 encodings give the same results as their A32 forms', () => {
  for (const [a32, t32] of PAIRS) assert.deepEqual(state(true, t32), state(false, a32), a32.toString(16));
});

test('translated blocks: a hot NEON loop computes what the interpreter does, and an alignment abort in it is precise', () => {
  const h = neonHarness();
  // loop: vadd.i32 q0, q0, q1; vld1.32 {d4}, [r0:64]!; subs r2, r2, #1; bne loop
  h.writeWords(CODE_BASE, [0xf2200842, 0xf420479d, 0xe2522001, 0x1afffffb]);
  countingBytes(h, 1024);
  setD(h, 2, 0x0000000200000001n);
  setD(h, 3, 0x0000000400000003n);
  h.cpu.r[0] = DATA;
  h.cpu.r[2] = 100;
  h.cpu.pc = CODE_BASE;
  h.run(400);
  assert.equal(getD(h, 0), '000000c800000064');
  assert.equal(getD(h, 1), '000001900000012c');
  assert.equal(h.cpu.r[0], DATA + 800);
  assert.equal(getD(h, 4), new DataView(h.bus.ram.buffer).getBigUint64(DATA + 792 - 0x40000000, true).toString(16).padStart(16, '0'));
  // Again from the (now translated) loop with a misaligned r0, the budget holding whole blocks:
  // the abort is taken at the VLD1 (the data abort vector spins on B .).
  h.writeWords(0x40000010, [0xeafffffe]);
  h.cpu.r[0] = DATA + 4;
  h.cpu.r[2] = 10;
  h.cpu.pc = CODE_BASE;
  h.run(40);
  assert.equal(h.cpu.pc, 0x40000010, 'data abort vector');
  assert.equal(h.cpu.r[14], CODE_BASE + 4 + 8, 'LR_abt = address of the VLD1 + 8');
  assert.equal(getD(h, 0), '000000ca00000065', 'the VADD before it completed');
  assert.equal(h.cpu.cp15.dfar >>> 0, DATA + 4);
  assert.equal(h.cpu.r[2], 10, 'the SUBS after it did not run');
});
