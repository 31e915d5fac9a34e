import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DecodeTable, OUTSIDE_IT } from '../../../../src/arch/arm/decode-table.js';
import { a32ConditionalTable, t32Table } from '../../../../src/arch/arm/instruction-sets.js';
import { Mode } from '../../../../src/arch/arm/modes.js';
import { vfpEncodings } from '../../../../src/arch/arm/vfp/index.js';
import { CODE_BASE, makeHarness, type Harness } from '../../../support/cpu-harness.js';

/** Enable checks (B1.11), system registers (VMRS/VMSR), transfers and decoding of the VFP. */

const VADD_F32 = 0xee300a81; // vadd.f32 s0, s1, s2
const VMRS_R0_FPSCR = 0xeef10a10;
const VMRS_APSR_NZCV = 0xeef1fa10;
const VMSR_FPSCR_R1 = 0xeee11a10;
const VMRS_R0_FPEXC = 0xeef80a10;
const VMSR_FPEXC_R1 = 0xeee81a10;
const VMRS_R0_FPSID = 0xeef00a10;
const VMRS_R0_MVFR0 = 0xeef70a10;
const VMRS_R0_MVFR1 = 0xeef60a10;
const VCMP_S0_S1 = 0xeeb40a60;
const VNEG_F32 = 0xeeb10a60; // vneg.f32 s0, s1
const VMOV_S3_R2 = 0xee012a90;

/** Runs one A32 word; returns whether it took the Undefined Instruction exception. */
function runOne(h: Harness, word: number): boolean {
  h.cpu.cp15.vbar = 0x40000000;
  h.writeWords(CODE_BASE, [word]);
  h.cpu.pc = CODE_BASE;
  h.run(1);
  return h.cpu.pc === 0x40000004;
}

function f32(x: number): number {
  const b = new Float32Array([x]);
  return new Int32Array(b.buffer)[0]!;
}

test('vfp: encodings have no duplicates and the assembler\'s words decode in A32 and T32', () => {
  assert.deepEqual(DecodeTable.duplicates(vfpEncodings), []);
  assert.equal(a32ConditionalTable.encodingName(VADD_F32, OUTSIDE_IT), 'VADD (floating-point) A2');
  assert.equal(t32Table.encodingName(VADD_F32, OUTSIDE_IT), 'VADD (floating-point) A2');
  assert.equal(a32ConditionalTable.encodingName(0xed2d8b04, OUTSIDE_IT), 'VPUSH A1/A2');
  // Advanced SIMD (VADD.F32 q0, q0, q0) is not part of the VFP tables but of simd/'s.
  assert.equal(vfpEncodings.some((e) => ((0xf2000d40 & e.mask) ^ e.value) === 0), false);
  assert.equal(t32Table.encodingName(0xef000d40 | 0, OUTSIDE_IT), 'VADD, VSUB, VPADD, VABD (floating-point)');
});

test('vfp: an Advanced SIMD instruction is UNDEFINED on a processor without NEON', () => {
  assert.equal(runOne(makeHarness(), 0xf2000d40 | 0), true); // vadd.f32 q0, q0, q0
});

test('vfp: VADD runs in Thumb state behind the 1110 prefix', () => {
  const h = makeHarness({ thumb: true });
  h.writeHalfwords(CODE_BASE, [0xee30, 0x0a81]);
  h.cpu.vfp.words[1] = f32(1.5);
  h.cpu.vfp.words[2] = f32(2.25);
  h.run(1);
  assert.equal(h.cpu.vfp.words[0], f32(3.75));
  assert.equal(h.cpu.pc, CODE_BASE + 4);
});

test('vfp: FPEXC.EN = 0 makes data processing and FPSCR access UNDEFINED, but not FPEXC access at PL1', () => {
  const h = makeHarness();
  h.cpu.vfp.fpexc = 0;
  assert.equal(runOne(h, VADD_F32), true);
  h.cpu.setMode(Mode.Svc);
  assert.equal(runOne(h, VMRS_R0_FPSCR), true);
  h.cpu.setMode(Mode.Svc);
  assert.equal(runOne(h, VMRS_R0_FPEXC), false);
  assert.equal(h.cpu.r[0], 0);
  h.cpu.r[1] = -1;
  assert.equal(runOne(h, VMSR_FPEXC_R1), false);
  assert.equal(h.cpu.vfp.fpexc, 0x40000000, 'only FPEXC.EN is writable');
  assert.equal(runOne(h, VADD_F32), false);
});

test('vfp: CPACR cp10/cp11 must allow the privilege level; PL0 needs full access', () => {
  const h = makeHarness();
  h.cpu.cp15.cpacr = 0;
  assert.equal(runOne(h, VADD_F32), true, 'no access');
  h.cpu.setMode(Mode.Svc);
  assert.equal(runOne(h, VMRS_R0_FPEXC), true, 'FPEXC also needs CPACR');
  h.cpu.setMode(Mode.Svc);
  h.cpu.cp15.cpacr = 0x00500000; // cp10, cp11 = 0b01: PL1 only
  assert.equal(runOne(h, VADD_F32), false);
  h.cpu.setMode(Mode.Usr);
  assert.equal(runOne(h, VADD_F32), true, 'PL1-only access at PL0');
  h.cpu.setMode(Mode.Usr);
  h.cpu.cp15.cpacr = 0x00f00000;
  assert.equal(runOne(h, VADD_F32), false, 'full access at PL0');
  assert.equal(runOne(h, VMRS_R0_FPSCR), false, 'FPSCR is accessible at PL0');
  assert.equal(runOne(h, VMRS_R0_FPEXC), true, 'FPEXC is PL1 only');
  h.cpu.setMode(Mode.Usr);
  assert.equal(runOne(h, VMRS_R0_FPSID), true, 'FPSID is PL1 only in VFPv3');
  h.cpu.setMode(Mode.Svc);
  h.cpu.cp15.cpacr = 0x00a00000; // 0b10 is reserved: no access
  assert.equal(runOne(h, VADD_F32), true);
});

test('vfp: non-zero FPSCR.Len or Stride makes vector-capable data processing UNDEFINED, not VCMP or transfers', () => {
  const h = makeHarness();
  h.cpu.vfp.fpscr = 1 << 16; // Len = 1
  assert.equal(runOne(h, VADD_F32), true);
  h.cpu.setMode(Mode.Svc);
  assert.equal(runOne(h, VNEG_F32), true);
  h.cpu.setMode(Mode.Svc);
  h.cpu.vfp.fpscr = 1 << 20; // Stride = 1
  assert.equal(runOne(h, VADD_F32), true);
  h.cpu.setMode(Mode.Svc);
  assert.equal(runOne(h, VCMP_S0_S1), false);
  assert.equal(runOne(h, VMOV_S3_R2), false);
});

test('vfp: identification registers read as a Cortex-A15 VFPv4-D32 without Advanced SIMD', () => {
  const h = makeHarness();
  runOne(h, VMRS_R0_FPSID);
  assert.equal(h.cpu.r[0]! >>> 0, 0x410430f0);
  runOne(h, VMRS_R0_MVFR0);
  assert.equal(h.cpu.r[0]! >>> 0, 0x10110222);
  runOne(h, VMRS_R0_MVFR1);
  const mvfr1 = h.cpu.r[0]! >>> 0;
  assert.equal(mvfr1 >>> 28, 1, 'FMAC: Linux sets HWCAP_VFPv4 from MVFR1[31:28]');
  assert.equal(mvfr1 & 0x00ffff00, 0, 'no Advanced SIMD fields');
});

test('vfp: VMSR FPSCR keeps the architected bits; trap enables and QC (no NEON) read as zero', () => {
  const h = makeHarness();
  h.cpu.r[1] = -1;
  runOne(h, VMSR_FPSCR_R1);
  assert.equal(h.cpu.vfp.fpscr >>> 0, 0xf7f7009f);
  runOne(h, VMRS_R0_FPSCR);
  assert.equal(h.cpu.r[0]! >>> 0, 0xf7f7009f);
});

test('vfp: VCMP then VMRS APSR_nzcv copies the comparison to the APSR flags', () => {
  const h = makeHarness();
  h.cpu.vfp.words[0] = f32(1);
  h.cpu.vfp.words[1] = f32(2);
  runOne(h, VCMP_S0_S1);
  assert.equal(h.cpu.vfp.fpscr >>> 28, 0b1000);
  runOne(h, VMRS_APSR_NZCV);
  assert.deepEqual([h.cpu.nf, h.cpu.zf, h.cpu.cf, h.cpu.vf], [1, 0, 0, 0]);
  h.cpu.vfp.words[1] = 0x7fc00000;
  runOne(h, VCMP_S0_S1);
  runOne(h, VMRS_APSR_NZCV);
  assert.deepEqual([h.cpu.nf, h.cpu.zf, h.cpu.cf, h.cpu.vf], [0, 0, 1, 1]);
  assert.equal(h.cpu.vfp.fpscr & 1, 0, 'VCMP of a quiet NaN does not signal');
});

test('vfp: VMOV between core registers, singles, doubles and scalars', () => {
  const h = makeHarness();
  const { cpu } = h;
  const w = cpu.vfp.words;
  cpu.r[2] = 0x11223344;
  runOne(h, VMOV_S3_R2);
  assert.equal(w[3], 0x11223344);
  runOne(h, 0xee113a90); // vmov r3, s3
  assert.equal(cpu.r[3], 0x11223344);
  cpu.r[4] = 0x0a0b0c0d;
  cpu.r[5] = 0x01020304;
  runOne(h, 0xec454a12); // vmov s4, s5, r4, r5
  assert.deepEqual([w[4], w[5]], [0x0a0b0c0d, 0x01020304]);
  runOne(h, 0xec576a12); // vmov r6, r7, s4, s5
  assert.deepEqual([cpu.r[6], cpu.r[7]], [0x0a0b0c0d, 0x01020304]);
  runOne(h, 0xec454b15); // vmov d5, r4, r5
  assert.deepEqual([w[10], w[11]], [0x0a0b0c0d, 0x01020304]);
  cpu.r[8] = 0x7eadbeef;
  runOne(h, 0xee248b90); // vmov.32 d20[1], r8
  assert.equal(w[41], 0x7eadbeef);
  runOne(h, 0xee349b90); // vmov.32 r9, d20[1]
  assert.equal(cpu.r[9], 0x7eadbeef);
  runOne(h, 0xeeb60a00); // vmov.f32 s0, #0.5
  assert.equal(w[0], 0x3f000000);
  runOne(h, 0xeef81b00); // vmov.f64 d17, #-2.0
  assert.deepEqual([w[34], w[35]! >>> 0], [0, 0xc0000000]);
});

test('vfp: VMSR FPSCR, PC (UNPREDICTABLE) writes the PC as read, as QEMU does', () => {
  const h = makeHarness();
  runOne(h, 0xeee1fa10);
  assert.equal(h.cpu.vfp.fpscr >>> 0, ((CODE_BASE + 8) & 0xf7f7009f) >>> 0);
});
