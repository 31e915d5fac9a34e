import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Mode } from '../../../src/arch/arm/modes.js';
import { CODE_BASE, makeHarness } from '../../support/cpu-harness.js';

const NOP = 0xe320f000;
const WFI = 0xe320f003;
const VECTORS = 0x40000000;

/** A harness whose vectors (VBAR in RAM) are NOPs, so a handler's first instruction can run. */
function harness(thumb = false) {
  const h = makeHarness({ thumb });
  h.cpu.cp15.vbar = VECTORS;
  h.writeWords(VECTORS, [NOP, NOP, NOP, NOP, NOP, NOP, NOP, NOP, NOP]);
  return h;
}

test('interrupts: an asserted IRQ is taken at the next instruction boundary when CPSR.I is clear (B1.8.6)', () => {
  const h = harness();
  h.writeWords(CODE_BASE, [NOP, NOP, NOP]);
  h.cpu.maskI = 0;
  h.cpu.maskF = 0;
  h.run(1);
  h.cpu.setIrq(true);
  h.run(1);
  assert.equal(h.cpu.mode, Mode.Irq);
  // Preferred return = the instruction not yet executed (CODE_BASE + 4); LR = that + 4.
  assert.equal(h.cpu.r[14]! >>> 0, CODE_BASE + 8);
  assert.equal(h.cpu.getSpsr() & 0x1f, Mode.Svc);
  assert.equal(h.cpu.maskI, 1);
  assert.equal(h.cpu.maskA, 1);
  assert.equal(h.cpu.maskF, 0, 'IRQ entry leaves CPSR.F');
  assert.equal(h.cpu.pc >>> 0, 0x4000001c, 'the vector instruction ran');
});

test('interrupts: CPSR.I masks IRQ; the line stays asserted and is taken once unmasked', () => {
  const h = harness();
  h.writeWords(CODE_BASE, [NOP, NOP, NOP]);
  h.cpu.maskI = 1;
  h.cpu.setIrq(true);
  h.run(2);
  assert.equal(h.cpu.mode, Mode.Svc);
  h.cpu.maskI = 0;
  h.run(1);
  assert.equal(h.cpu.mode, Mode.Irq);
  assert.equal(h.cpu.r[14]! >>> 0, CODE_BASE + 12);
});

test('interrupts: FIQ is taken before IRQ and masks both (B1.8.6, B1.8.3)', () => {
  const h = harness();
  h.writeWords(CODE_BASE, [NOP]);
  h.cpu.maskI = 0;
  h.cpu.maskF = 0;
  h.cpu.setIrq(true);
  h.cpu.setFiq(true);
  h.run(1);
  assert.equal(h.cpu.mode, Mode.Fiq);
  assert.equal(h.cpu.maskF, 1);
  assert.equal(h.cpu.maskI, 1);
  assert.equal(h.cpu.r[14]! >>> 0, CODE_BASE + 4);
});

test('interrupts: in Thumb state LR is also the next instruction + 4', () => {
  const h = harness(true);
  h.writeHalfwords(CODE_BASE, [0xbf00, 0xbf00]); // nop (T16)
  h.cpu.maskI = 0;
  h.run(1);
  h.cpu.setIrq(true);
  h.run(1);
  assert.equal(h.cpu.mode, Mode.Irq);
  assert.equal(h.cpu.r[14]! >>> 0, CODE_BASE + 2 + 4);
  assert.equal(h.cpu.getSpsr() & 0x20, 0x20, 'SPSR.T');
  assert.equal(h.cpu.thumb, 0, 'handler in ARM state (SCTLR.TE = 0)');
});

test('interrupts: ISR shows the IRQ and FIQ inputs regardless of masking (B4.1.96)', () => {
  const h = harness();
  const isr = h.cpu.cp15.lookup(0, 12, 1, 0)!;
  assert.equal(isr.read!(h.cpu.cp15, h.cpu), 0);
  h.cpu.setIrq(true);
  assert.equal(isr.read!(h.cpu.cp15, h.cpu), 0x80);
  h.cpu.setFiq(true);
  h.cpu.setIrq(false);
  assert.equal(isr.read!(h.cpu.cp15, h.cpu), 0x40);
});

test('interrupts: WFI stops the run loop; a masked interrupt does not enter the handler', () => {
  const h = harness();
  h.writeWords(CODE_BASE, [WFI, NOP]);
  h.cpu.setIrq(true);
  h.run(5);
  assert.equal(h.cpu.waitingForInterrupt, true);
  assert.equal(h.cpu.mode, Mode.Svc);
});
