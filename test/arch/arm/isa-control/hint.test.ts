import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CODE_BASE } from '../../../support/cpu-harness.js';
import { arm, thumb } from './helpers.js';

// Hints and barriers (ARM ARM A8.8.423-425, B1.8.13, A8.8.43-44, A8.8.53).

test('WFI A1 / T1 / T2 stops the run loop after the instruction', () => {
  const cases = [[arm([0xe320f003, 0xe320f000]), 4], [thumb([0xbf30, 0xbf00]), 2], [thumb([0xf3af, 0x8003, 0xbf00]), 4]] as const;
  for (const [h, size] of cases) {
    const ran = h.executor.run(10);
    assert.equal(ran, 1);
    assert.equal(h.cpu.waitingForInterrupt, true);
    assert.equal(h.cpu.pc, CODE_BASE + size);
  }
});

test('WFE waits without an event, and consumes a pending one', () => {
  const h = arm([0xe320f002, 0xe320f000]);
  assert.equal(h.executor.run(10), 1);
  assert.equal(h.cpu.waitingForInterrupt, true);
  const g = arm([0xe320f004, 0xe320f002, 0xe320f000]); // sev; wfe; nop
  g.executor.run(3);
  assert.equal(g.cpu.waitingForInterrupt, false);
  assert.equal(g.cpu.eventRegister, 0);
  assert.equal(g.cpu.pc, CODE_BASE + 12);
  const t = thumb([0xbf40, 0xbf20, 0xbf00]); // sev; wfe; nop (T16)
  t.executor.run(3);
  assert.equal(t.cpu.waitingForInterrupt, false);
  assert.equal(t.cpu.pc, CODE_BASE + 6);
});

test('SEV A1 / T2 sets the event register', () => {
  for (const h of [arm([0xe320f004]), thumb([0xf3af, 0x8004])]) {
    h.run(1);
    assert.equal(h.cpu.eventRegister, 1);
  }
});

test('NOP, YIELD, DBG, reserved hints and barriers only advance the PC', () => {
  // nop; yield; dbg #5; reserved hint 0x14 (CSDB); dsb sy; dmb ish; isb sy
  const h = arm([0xe320f000, 0xe320f001, 0xe320f0f5, 0xe320f014, 0xf57ff04f, 0xf57ff05b, 0xf57ff06f]);
  const before = Array.from(h.cpu.r);
  h.run(7);
  assert.equal(h.cpu.pc, CODE_BASE + 28);
  assert.deepEqual(Array.from(h.cpu.r).slice(0, 15), before.slice(0, 15));
  // nop.w; dbg #3; dsb sy; dmb sy; isb sy; nop; yield
  const t = thumb([0xf3af, 0x8000, 0xf3af, 0x80f3, 0xf3bf, 0x8f4f, 0xf3bf, 0x8f5f, 0xf3bf, 0x8f6f, 0xbf00, 0xbf10]);
  t.run(7);
  assert.equal(t.cpu.pc, CODE_BASE + 24);
  assert.equal(t.cpu.mode, 0x13);
});
