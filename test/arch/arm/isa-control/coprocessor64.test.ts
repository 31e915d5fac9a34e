import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Mode } from '../../../../src/arch/arm/modes.js';
import { CODE_BASE, makeHarness } from '../../../support/cpu-harness.js';

// Encodings from arm-none-eabi-as: mcrr p15, 0, r2, r3, c2 / mrrc p15, 0, r4, r5, c2 / mrrc p15, 1, r4, r5, c14.
const MCRR_P15_0_R2_R3_C2 = 0xec432f02;
const MRRC_P15_0_R4_R5_C2 = 0xec554f02;
const MRRC_P15_1_R4_R5_C14 = 0xec554f1e;

test('MCRR/MRRC: a 64-bit CP15 register takes Rt as bits [31:0] and Rt2 as bits [63:32]', () => {
  const h = makeHarness();
  let stored = [0, 0];
  h.cpu.cp15.define64(0, 2, {
    name: 'TEST64',
    read: (c) => {
      c.low = stored[0]!;
      c.high = stored[1]!;
    },
    write: (_c, _cpu, low, high) => {
      stored = [low, high];
    },
  });
  h.writeWords(CODE_BASE, [MCRR_P15_0_R2_R3_C2, MRRC_P15_0_R4_R5_C2]);
  h.cpu.r[2] = 0x11223344;
  h.cpu.r[3] = 0x55667788;
  h.run(2);
  assert.deepEqual(stored, [0x11223344, 0x55667788]);
  assert.equal(h.cpu.r[4], 0x11223344);
  assert.equal(h.cpu.r[5], 0x55667788);
  assert.equal(h.cpu.mode, Mode.Svc);
});

test('MRRC: a 64-bit CP15 register that does not exist is UNDEFINED', () => {
  const h = makeHarness();
  h.writeWords(CODE_BASE, [MRRC_P15_1_R4_R5_C14]);
  h.run(1);
  assert.equal(h.cpu.mode, Mode.Und);
});
