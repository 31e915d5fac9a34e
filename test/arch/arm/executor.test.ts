import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Mode } from '../../../src/arch/arm/modes.js';
import { CODE_BASE, makeHarness } from '../../support/cpu-harness.js';

test('executor: an UNDEFINED A32 word takes the Undefined Instruction exception at VBAR+4 with LR = PC+4', () => {
  const h = makeHarness();
  h.cpu.cp15.vbar = 0x40000000;
  h.writeWords(CODE_BASE, [0xe7f000f0]); // UDF #0
  h.run(1);
  assert.equal(h.cpu.mode, Mode.Und);
  assert.equal(h.cpu.pc, 0x40000004);
  assert.equal(h.cpu.r[14]! >>> 0, CODE_BASE + 4);
  assert.equal(h.cpu.getSpsr() & 0x1f, Mode.Svc);
  assert.equal(h.cpu.maskI, 1);
});
