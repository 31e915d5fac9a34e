import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CNT_CTL_ENABLE, CNT_CTL_IMASK, CNT_CTL_ISTATUS, COUNTER_FREQUENCY_HZ, GenericTimer, TimerIndex } from '../../../src/arch/arm/generic-timer.js';
import { Mode } from '../../../src/arch/arm/modes.js';
import { CODE_BASE, makeHarness } from '../../support/cpu-harness.js';

function makeTimer() {
  const clock = { now: 1000 };
  const levels = [false, false, false];
  const timer = new GenericTimer(() => clock.now, [
    { set: (l) => { levels[0] = l; } },
    { set: (l) => { levels[1] = l; } },
    { set: (l) => { levels[2] = l; } },
  ]);
  return { clock, levels, timer };
}

test('generic timer: CNTFRQ reads 62.5 MHz as QEMU virt programs it', () => {
  assert.equal(COUNTER_FREQUENCY_HZ, 62_500_000);
  const h = makeHarness();
  new GenericTimer(() => 0, [{ set() {} }, { set() {} }, { set() {} }]).install(h.cpu.cp15);
  assert.equal(h.cpu.cp15.lookup(0, 14, 0, 0)!.read!(h.cpu.cp15, h.cpu), 62_500_000);
});

test('generic timer: TVAL write sets CVAL = count + SignExtend(TVAL); TVAL reads CVAL - count as signed 32 bits (B8.2.3)', () => {
  const { clock, timer } = makeTimer();
  timer.writeTimerValue(TimerIndex.Virtual, 500);
  assert.equal(timer.compareValue(TimerIndex.Virtual), 1500);
  clock.now = 1600;
  assert.equal(timer.readTimerValue(TimerIndex.Virtual), -100);
  timer.writeTimerValue(TimerIndex.Physical, -2000 >>> 0);
  // 1600 - 2000 wraps modulo 2^64
  assert.equal(timer.compareHigh[TimerIndex.Physical], 0xffffffff);
  assert.equal(timer.compareLow[TimerIndex.Physical], (1600 - 2000) >>> 0);
});

test('generic timer: ISTATUS when enabled and CVAL <= count; output = ENABLE && ISTATUS && !IMASK (B8.2.4)', () => {
  const { clock, levels, timer } = makeTimer();
  timer.writeCompareValue(TimerIndex.Physical, 2000, 0);
  timer.writeControl(TimerIndex.Physical, CNT_CTL_ENABLE);
  assert.equal(timer.readControl(TimerIndex.Physical), CNT_CTL_ENABLE);
  assert.equal(timer.nextEvent(), 2000);
  clock.now = 2000;
  timer.update();
  assert.equal(timer.readControl(TimerIndex.Physical), CNT_CTL_ENABLE | CNT_CTL_ISTATUS);
  assert.deepEqual(levels, [true, false, false]);
  timer.writeControl(TimerIndex.Physical, CNT_CTL_ENABLE | CNT_CTL_IMASK);
  assert.equal(timer.readControl(TimerIndex.Physical), CNT_CTL_ENABLE | CNT_CTL_IMASK | CNT_CTL_ISTATUS);
  assert.deepEqual(levels, [false, false, false]);
  // Disabled: ISTATUS reads 0 (as QEMU) and the output is low.
  timer.writeControl(TimerIndex.Physical, 0);
  assert.equal(timer.readControl(TimerIndex.Physical), 0);
  assert.equal(timer.nextEvent(), Number.POSITIVE_INFINITY);
});

test('generic timer: a masked or disabled timer is no event; the earliest enabled compare value is', () => {
  const { timer } = makeTimer();
  timer.writeCompareValue(TimerIndex.Physical, 5000, 0);
  timer.writeCompareValue(TimerIndex.Virtual, 3000, 0);
  timer.writeControl(TimerIndex.Physical, CNT_CTL_ENABLE);
  timer.writeControl(TimerIndex.Virtual, CNT_CTL_ENABLE | CNT_CTL_IMASK);
  assert.equal(timer.nextEvent(), 5000);
  timer.writeControl(TimerIndex.Virtual, CNT_CTL_ENABLE);
  assert.equal(timer.nextEvent(), 3000);
});

// mrrc p15, 1, r4, r5, c14 (CNTVCT) and mrc p15, 0, r0, c14, c3, 1 (CNTV_CTL), from arm-none-eabi-as.
const MRRC_CNTVCT_R4_R5 = 0xec554f1e;
const MRC_CNTV_CTL_R0 = 0xee1e0f33;

test('generic timer: CNTVCT through MRRC; PL0 access follows CNTKCTL (B4.1.26)', () => {
  const h = makeHarness();
  const timer = new GenericTimer(() => 0x1_2345_6789, [{ set() {} }, { set() {} }, { set() {} }]);
  timer.install(h.cpu.cp15);
  h.writeWords(CODE_BASE, [MRRC_CNTVCT_R4_R5, MRC_CNTV_CTL_R0]);
  h.run(1);
  assert.equal(h.cpu.r[4]! >>> 0, 0x23456789);
  assert.equal(h.cpu.r[5], 1);
  // User mode without PL0VCTEN: UNDEFINED
  h.cpu.pc = CODE_BASE;
  h.cpu.setMode(Mode.Usr);
  h.run(1);
  assert.equal(h.cpu.mode, Mode.Und);
  timer.kernelControl = 0x2 | 0x100; // PL0VCTEN, PL0VTEN
  h.cpu.setMode(Mode.Usr);
  h.cpu.pc = CODE_BASE;
  h.run(2);
  assert.equal(h.cpu.mode, Mode.Usr);
  assert.equal(h.cpu.r[0], 0);
});

test('generic timer: a snapshot restores CTL/CVAL/CNTKCTL/CNTFRQ and re-drives the outputs', () => {
  const a = makeTimer();
  a.timer.frequency = 1000;
  a.timer.kernelControl = 0x303;
  a.timer.writeCompareValue(TimerIndex.Virtual, 10, 0);
  a.timer.writeControl(TimerIndex.Virtual, CNT_CTL_ENABLE);
  const b = makeTimer();
  b.timer.restore(a.timer.snapshot());
  assert.equal(b.timer.frequency, 1000);
  assert.equal(b.timer.kernelControl, 0x303);
  assert.equal(b.timer.readControl(TimerIndex.Virtual), CNT_CTL_ENABLE | CNT_CTL_ISTATUS);
  assert.deepEqual(b.levels, [false, true, false]);
});
