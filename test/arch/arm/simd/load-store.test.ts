import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DATA, countingBytes, getBytes, getD, neonHarness, run, setD } from './helpers.js';

/** VLD1-4/VST1-4: multiple structures, one lane, all lanes; writeback; alignment; UNDEFINED forms. */

test('vld1.8 {d0}, [r0]: eight bytes in order, no writeback', () => {
  const h = neonHarness();
  countingBytes(h);
  h.cpu.r[0] = DATA;
  assert.equal(run(h, 0xf420070f), false);
  assert.equal(getD(h, 0), '0706050403020100');
  assert.equal(h.cpu.r[0], DATA);
});

test('vld1.32 {d1-d4}, [r0:128]!: four registers, writeback by 32; misaligned base faults', () => {
  const h = neonHarness();
  countingBytes(h);
  h.cpu.r[0] = DATA;
  run(h, 0xf42012ad);
  assert.deepEqual([1, 2, 3, 4].map((n) => getD(h, n)), ['0706050403020100', '0f0e0d0c0b0a0908', '1716151413121110', '1f1e1d1c1b1a1918']);
  assert.equal(h.cpu.r[0], DATA + 32);
  // :128 needs 16-byte alignment: a data abort (vector 0x10), registers and base unchanged.
  setD(h, 1, 0n);
  h.cpu.r[0] = DATA + 8;
  run(h, 0xf42012ad);
  assert.equal(h.cpu.pc, 0x40000010);
  assert.equal(h.cpu.cp15.dfsr & 0x40f, 1, 'DFSR: alignment fault');
  assert.equal(getD(h, 1), '0000000000000000');
  assert.equal(h.cpu.r[0], DATA + 8);
});

test('vst1.8 {d0-d1}, [r1], r2: sixteen bytes, writeback by a register', () => {
  const h = neonHarness();
  setD(h, 0, 0x0807060504030201n);
  setD(h, 1, 0x100f0e0d0c0b0a09n);
  h.cpu.r[1] = DATA;
  h.cpu.r[2] = 100;
  run(h, 0xf4010a02);
  assert.deepEqual(getBytes(h, DATA, 16), Array.from({ length: 16 }, (_, i) => i + 1));
  assert.equal(h.cpu.r[1], DATA + 100);
});

test('vld2.16 {d0, d2}, [r0]: de-interleaves pairs of halfwords (inc 2)', () => {
  const h = neonHarness();
  countingBytes(h);
  h.cpu.r[0] = DATA;
  run(h, 0xf420094f);
  assert.equal(getD(h, 0), '0d0c090805040100');
  assert.equal(getD(h, 2), '0f0e0b0a07060302');
});

test('vld3.8 {d0[1], d1[1], d2[1]}, [r0]: one lane of three registers, other lanes kept', () => {
  const h = neonHarness();
  countingBytes(h);
  for (const n of [0, 1, 2]) setD(h, n, -1n);
  h.cpu.r[0] = DATA + 5;
  run(h, 0xf4a0022f);
  assert.deepEqual([0, 1, 2].map((n) => getD(h, n)), ['ffffffffffff05ff', 'ffffffffffff06ff', 'ffffffffffff07ff']);
});

test('vld4.32 {d0[]-d3[]}, [r0:128]: all lanes, 16-byte alignment (size 11)', () => {
  const h = neonHarness();
  countingBytes(h);
  h.cpu.r[0] = DATA;
  run(h, 0xf4a00fdf);
  assert.deepEqual([0, 1, 2, 3].map((n) => getD(h, n)), ['0302010003020100', '0706050407060504', '0b0a09080b0a0908', '0f0e0d0c0f0e0d0c']);
  h.cpu.r[0] = DATA + 8;
  run(h, 0xf4a00fdf);
  assert.equal(h.cpu.pc, 0x40000010);
  // vld4.32 {d0[]-d3[]}, [r0:64] (size 10, a = 1): 8 bytes.
  assert.equal(run(h, 0xf4a00f9f), false);
  h.cpu.r[0] = DATA + 4;
  run(h, 0xf4a00f9f);
  assert.equal(h.cpu.pc, 0x40000010);
});

test('vld1.16 {d3[], d4[]}, [r0:16]!: one halfword into every lane of two registers, writeback by 2', () => {
  const h = neonHarness();
  countingBytes(h);
  h.cpu.r[0] = DATA + 6;
  run(h, 0xf4a03c7d);
  assert.equal(getD(h, 3), '0706070607060706');
  assert.equal(getD(h, 4), '0706070607060706');
  assert.equal(h.cpu.r[0], DATA + 8);
});

test('vst4.8 {d0[2]-d3[2]}, [r4:32]: one lane of four registers; :32 alignment', () => {
  const h = neonHarness();
  for (const n of [0, 1, 2, 3]) setD(h, n, BigInt(0x11 * (n + 1)) << 16n);
  h.cpu.r[4] = DATA;
  run(h, 0xf484035f);
  assert.deepEqual(getBytes(h, DATA, 4), [0x11, 0x22, 0x33, 0x44]);
  h.cpu.r[4] = DATA + 2;
  run(h, 0xf484035f);
  assert.equal(h.cpu.pc, 0x40000010);
});

test('vld1.8 T32 (0xf920070f) decodes to the same instruction as A32', () => {
  const h = neonHarness(true);
  countingBytes(h);
  h.cpu.r[0] = DATA + 8;
  assert.equal(run(h, 0xf920070f), false);
  assert.equal(getD(h, 0), '0f0e0d0c0b0a0908');
});

test('UNDEFINED: without NEON, with CPACR.ASEDIS, with FPEXC.EN clear, and bad type/align/size fields', () => {
  assert.equal(run(neonHarness(false, { hasEl2: false, hasEl3: false, hasNeon: false }), 0xf420070f), true);
  const asedis = neonHarness();
  asedis.cpu.cp15.cpacr |= 0x80000000;
  assert.equal(run(asedis, 0xf420070f), true);
  const disabled = neonHarness();
  disabled.cpu.vfp.fpexc = 0;
  assert.equal(run(disabled, 0xf420070f), true);
  const h = neonHarness();
  h.cpu.r[0] = DATA;
  assert.equal(run(h, 0xf4200b0f), true, 'type 1011');
  assert.equal(run(h, 0xf420072f), true, 'VLD1 one register with align<1> set');
  assert.equal(run(h, 0xf42008cf), true, 'VLD2 with size 11');
  assert.equal(run(h, 0xf4a0001f), true, 'VLD1.8 single lane with index_align<0> set');
  assert.equal(run(h, 0xf4a00e1f), true, 'VLD3 all lanes with a = 1');
  assert.equal(run(h, 0xf4000c0f), true, 'VST1 all lanes does not exist');
  assert.equal(run(h, 0xf4a0000f | (1 << 22) | (14 << 12) | (2 << 8)), true, 'VLD3.8 one lane from D30: past D31');
});

test('register lists past D31 use hidden registers D32-D63, as in QEMU: vld1.64 {d30-d33} then vst1.64 {d30-d33}', () => {
  const h = neonHarness();
  countingBytes(h, 64);
  h.cpu.r[0] = DATA;
  h.cpu.r[1] = DATA + 32;
  assert.equal(run(h, 0xf460e2cf), false);
  assert.equal(getD(h, 31), '0f0e0d0c0b0a0908');
  assert.equal(run(h, 0xf441e2cf), false);
  assert.deepEqual(getBytes(h, DATA + 32, 32), Array.from({ length: 32 }, (_, i) => i));
});

test('vld1.8 {d0}, [pc], r2: writeback to the PC branches to PC + 8 + R2, as in QEMU', () => {
  const h = neonHarness();
  h.cpu.r[2] = 8;
  assert.equal(run(h, 0xf42f0702), false);
  assert.equal(h.cpu.pc, 0x40010000 + 16);
});
