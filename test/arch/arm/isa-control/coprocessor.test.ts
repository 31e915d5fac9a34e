import assert from 'node:assert/strict';
import { test } from 'node:test';
import { coprocessorEncodings } from '../../../../src/arch/arm/isa-control/index.js';
import { OUTSIDE_IT } from '../../../../src/arch/arm/decode-table.js';
import { Mode } from '../../../../src/arch/arm/modes.js';
import { CODE_BASE } from '../../../support/cpu-harness.js';
import { VECTORS, arm, thumb, u32 } from './helpers.js';

// MCR/MRC (ARM ARM A8.8.99, A8.8.107; B4.1 CP15; C11 CP14); encodings from arm-none-eabi-as.
const MCR_TPIDRURW_R1 = 0xee0d1f50; // mcr p15, 0, r1, c13, c0, 2
const MRC_TPIDRURW_R0 = 0xee1d0f50; // mrc p15, 0, r0, c13, c0, 2
const MRC_MIDR_R0 = 0xee100f10; // mrc p15, 0, r0, c0, c0, 0

test('MCR/MRC A1: TPIDRURW round trip, also from User mode', () => {
  for (const mode of [Mode.Svc, Mode.Usr]) {
    const h = arm([MCR_TPIDRURW_R1, MRC_TPIDRURW_R0]);
    h.cpu.setMode(mode);
    h.cpu.r[1] = 0xcafef00d | 0;
    h.run(2);
    assert.equal(u32(h.cpu.cp15.tpidrurw), 0xcafef00d);
    assert.equal(u32(h.cpu.r[0]!), 0xcafef00d);
    assert.equal(h.cpu.pc, CODE_BASE + 8);
  }
});

test('MCR/MRC T1 (T32 form behind the 1110 prefix): TPIDRURW round trip', () => {
  const h = thumb([0xee0d, 0x1f50, 0xee1d, 0x0f50]);
  h.cpu.r[1] = 0x11223344;
  h.run(2);
  assert.equal(h.cpu.r[0], 0x11223344);
});

test('MRC MIDR reads the Cortex-A15 r4p0 main ID', () => {
  const h = arm([MRC_MIDR_R0]);
  h.run(1);
  assert.equal(u32(h.cpu.r[0]!), 0x414fc0f0);
});

test('MRC with Rt = PC writes APSR.NZCV from bits [31:28]', () => {
  const h = arm([0xee10ff10]); // mrc p15, 0, APSR_nzcv, c0, c0, 0 (MIDR = 0x4...)
  h.cpu.nf = h.cpu.cf = h.cpu.vf = 1;
  h.run(1);
  assert.deepEqual([h.cpu.nf, h.cpu.zf, h.cpu.cf, h.cpu.vf], [0, 1, 0, 0]);
  assert.equal(h.cpu.pc, CODE_BASE + 4);
});

test('MRC of an unknown CP15 register is UNDEFINED', () => {
  const h = arm([0xee1f0fff]); // mrc p15, 0, r0, c15, c15, 7
  h.run(1);
  assert.equal(h.cpu.mode, Mode.Und);
  assert.equal(h.cpu.pc, VECTORS + 4);
});

test('PL1 CP15 registers are UNDEFINED at PL0; TPIDRURO is read-only there', () => {
  for (const word of [0xee110f10, 0xee0d1f70]) { // mrc SCTLR; mcr TPIDRURO
    const h = arm([word]);
    h.cpu.setMode(Mode.Usr);
    h.run(1);
    assert.equal(h.cpu.mode, Mode.Und, word.toString(16));
  }
  const r = arm([0xee1d0f70]); // mrc p15, 0, r0, c13, c0, 3 (TPIDRURO)
  r.cpu.cp15.tpidruro = 0x77;
  r.cpu.setMode(Mode.Usr);
  r.run(1);
  assert.equal(r.cpu.r[0], 0x77);
});

test('MRC of a write-only CP15 operation is UNDEFINED', () => {
  const h = arm([0xee170f15]); // mrc p15, 0, r0, c7, c5, 0 (ICIALLU)
  h.run(1);
  assert.equal(h.cpu.mode, Mode.Und);
});

test('MCR writes CP15 state: VBAR moves the vectors', () => {
  const h = arm([0xee0c2f10, 0xef000000]); // mcr p15, 0, r2, c12, c0, 0; svc #0
  h.cpu.r[2] = 0x40008000;
  h.run(2);
  assert.equal(h.cpu.pc, 0x40008008);
});

test('CP14: DBGDIDR reads 0x3515f021 (PL0 too); DBGDSCRext round trip; OS lock', () => {
  const h = arm([0xee100e10]); // mrc p14, 0, r0, c0, c0, 0
  h.cpu.setMode(Mode.Usr);
  h.run(1);
  assert.equal(u32(h.cpu.r[0]!), 0x3515f021);
  // mcr p14, 0, r1, c0, c2, 2; mrc p14, 0, r2, c0, c1, 0 (DBGDSCRint); mrc p14, 0, r3, c1, c1, 4 (OSLSR)
  // mcr p14, 0, r4, c1, c0, 4 (OSLAR); mrc p14, 0, r5, c1, c1, 4
  const g = arm([0xee001e52, 0xee102e11, 0xee113e91, 0xee014e90, 0xee115e91]);
  g.cpu.r[1] = 0x8000;
  g.cpu.r[4] = 0;
  g.run(5);
  assert.equal(g.cpu.r[2], 0x8000);
  assert.equal(g.cpu.r[3], 10);
  assert.equal(g.cpu.r[5], 8);
});

test('CP14 PL1 registers are UNDEFINED at PL0', () => {
  const h = arm([0xee102e11]); // mrc p14, 0, r2, c0, c1, 0 (DBGDSCRint)
  h.cpu.setMode(Mode.Usr);
  h.run(1);
  assert.equal(h.cpu.mode, Mode.Und);
});

test('MRRC/MCRR to an unimplemented CP15 register, other coprocessors, MCR2 and CDP are UNDEFINED', () => {
  // mrrc p15, 2, r0, r1, c2 (no such register; opc1 0/1 are TTBR0/TTBR1); mcr p5, 0, r0, c1, c0, 0;
  // mcr2 p15, ...; cdp p5, ...
  for (const word of [0xec510f22, 0xee010510, 0xfe010f10, 0xee121583]) {
    const h = arm([word]);
    h.run(1);
    assert.equal(h.cpu.mode, Mode.Und, word.toString(16));
  }
});

test('coprocessor entries leave cp10 and cp11 to the VFP area', () => {
  // vmov s0, r0 = mcr p10; vmov r0, r1, d0 = mrrc p11; vadd.f32 = cdp p10; vldr = ldc p11
  for (const word of [0xee000a10, 0xec510b10, 0xee300a20, 0xed900b00]) {
    for (const e of coprocessorEncodings) {
      if (((word & e.mask) ^ e.value) === 0) assert.equal(e.build(word | 0, OUTSIDE_IT), null, `${e.name} ${word.toString(16)}`);
    }
  }
});
