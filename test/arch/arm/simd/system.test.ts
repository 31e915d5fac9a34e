import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DecodeTable } from '../../../../src/arch/arm/decode-table.js';
import { simdA32Encodings, simdCoprocessorEncodings, simdT32Encodings } from '../../../../src/arch/arm/simd/index.js';
import { VIRT_CPU_FEATURES } from '../../../../src/board/virt-board.js';
import { neonHarness, run } from './helpers.js';

/** What a processor with Advanced SIMD shows: MVFR0/MVFR1 as QEMU's cortex-a15, FPSCR.QC, CPACR.ASEDIS. */

const VMRS_R0_MVFR0 = 0xeef70a10;
const VMRS_R0_MVFR1 = 0xeef60a10;
const VMSR_FPSCR_R1 = 0xeee11a10;
const MCR_CPACR_R1 = 0xee011f50;
const MRC_CPACR_R0 = 0xee110f50;

test('the virt board has Advanced SIMD', () => {
  assert.equal(VIRT_CPU_FEATURES.hasNeon, true);
});

test('MVFR0 = 0x10110222 and MVFR1 = 0x11111111, as QEMU 7.2 cortex-a15', () => {
  const h = neonHarness();
  run(h, VMRS_R0_MVFR0);
  assert.equal(h.cpu.r[0]! >>> 0, 0x10110222);
  run(h, VMRS_R0_MVFR1);
  assert.equal(h.cpu.r[0]! >>> 0, 0x11111111);
});

test('FPSCR.QC is writable', () => {
  const h = neonHarness();
  h.cpu.r[1] = 0x08000000;
  run(h, VMSR_FPSCR_R1);
  assert.equal(h.cpu.vfp.fpscr, 0x08000000);
});

test('CPACR.ASEDIS is writable and makes Advanced SIMD, not VFP, UNDEFINED', () => {
  const h = neonHarness();
  h.cpu.r[1] = 0x80f00000 | 0;
  run(h, MCR_CPACR_R1);
  run(h, MRC_CPACR_R0);
  assert.equal(h.cpu.r[0]! >>> 0, 0x80f00000);
  assert.equal(run(h, 0xf2242154), true, 'vorr q1, q2, q2');
  assert.equal(run(h, VMRS_R0_MVFR1), false);
});

test('Advanced SIMD encodings: no duplicate entries in A32 or T32', () => {
  assert.deepEqual(DecodeTable.duplicates(simdA32Encodings), []);
  assert.deepEqual(DecodeTable.duplicates(simdT32Encodings), []);
  assert.deepEqual(DecodeTable.duplicates(simdCoprocessorEncodings), []);
});
