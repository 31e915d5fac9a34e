import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Mode } from '../../../../src/arch/arm/modes.js';
import { CODE_BASE, makeHarness } from '../../../support/cpu-harness.js';

// Encodings from arm-none-eabi-as.
const MCR_TEEHBR_R0 = 0xeec10e10; // mcr p14, 6, r0, c1, c0, 0
const MRC_TEEHBR_R1 = 0xeed11e10; // mrc p14, 6, r1, c1, c0, 0
const MCR_TEECR_R2 = 0xeec02e10; // mcr p14, 6, r2, c0, c0, 0

test('ThumbEE: TEEHBR is readable and writable at PL0 while TEECR.XED is 0 (ARM ARM B4.1.153)', () => {
  const h = makeHarness();
  h.cpu.setMode(Mode.Usr);
  h.writeWords(CODE_BASE, [MCR_TEEHBR_R0, MRC_TEEHBR_R1]);
  h.cpu.r[0] = 0x12345678;
  h.run(2);
  assert.equal(h.cpu.mode, Mode.Usr);
  assert.equal(h.cpu.r[1], 0x12345678);
});

test('ThumbEE: with TEECR.XED set by PL1, PL0 access to TEEHBR is UNDEFINED; TEECR keeps only XED', () => {
  const h = makeHarness();
  h.writeWords(CODE_BASE, [MCR_TEECR_R2]);
  h.cpu.r[2] = -1;
  h.run(1);
  assert.equal(h.cpu.cp14.teecr, 1);
  h.cpu.setMode(Mode.Usr);
  h.cpu.pc = CODE_BASE + 4;
  h.writeWords(CODE_BASE + 4, [MRC_TEEHBR_R1]);
  h.run(1);
  assert.equal(h.cpu.mode, Mode.Und);
});
