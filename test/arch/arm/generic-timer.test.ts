import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Cp15Register, Cp15Register64 } from '../../../src/arch/arm/cp15.js';
import {
  CNT_CTL_ENABLE, CNT_CTL_IMASK, CNT_CTL_ISTATUS, CNTHCTL_PL1PCEN, CNTHCTL_PL1PCTEN, COUNTER_FREQUENCY_HZ, GenericTimer, physicalAccessTrapsToHyp, TimerIndex,
} from '../../../src/arch/arm/generic-timer.js';
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

// ---- Virtualization Extensions: CNTVOFF, CNTHCTL, the Hyp timer ---------------------------------

const mrc = (opc1: number, rt: number, crn: number, crm: number, opc2: number): number =>
  (0xee100f10 | (opc1 << 21) | (crn << 16) | (rt << 12) | (opc2 << 5) | crm) >>> 0;
const mcr = (opc1: number, rt: number, crn: number, crm: number, opc2: number): number => (mrc(opc1, rt, crn, crm, opc2) & ~(1 << 20)) >>> 0;
const mrrc = (opc1: number, rt: number, rt2: number, crm: number): number => (0xec500f00 | (rt2 << 16) | (rt << 12) | (opc1 << 4) | crm) >>> 0;
const mcrr = (opc1: number, rt: number, rt2: number, crm: number): number => (mrrc(opc1, rt, rt2, crm) & ~(1 << 20)) >>> 0;
const EL2 = { hasEl2: true, hasEl3: false, hasNeon: true };

test('generic timer: CNTVCT = CNTPCT - CNTVOFF, and the virtual timer compares CNTVCT: it fires at CVAL + CNTVOFF of the physical count (B8.1.2)', () => {
  const { clock, levels, timer } = makeTimer();
  clock.now = 10_000;
  timer.writeVirtualOffset(4000, 0);
  assert.equal(timer.virtualCount(), 6000);
  timer.writeCompareValue(TimerIndex.Virtual, 7000, 0);
  timer.writeControl(TimerIndex.Virtual, CNT_CTL_ENABLE);
  assert.equal(timer.nextEvent(), 11_000, 'in CNTPCT terms');
  assert.equal(timer.readTimerValue(TimerIndex.Virtual), 1000);
  clock.now = 10_999;
  timer.update();
  assert.deepEqual(levels, [false, false, false]);
  clock.now = 11_000;
  timer.update();
  assert.deepEqual(levels, [false, true, false]);
  // TVAL counts from CNTVCT: CVAL = 7000 + 500.
  timer.writeTimerValue(TimerIndex.Virtual, 500);
  assert.equal(timer.compareValue(TimerIndex.Virtual), 7500);
  assert.deepEqual(levels, [false, false, false]);
  // Moving CNTVOFF moves the virtual timer's event (and re-plans the run slice).
  let reprogrammed = 0;
  timer.onReprogram = () => reprogrammed++;
  timer.writeVirtualOffset(0, 0);
  assert.equal(reprogrammed, 1);
  assert.deepEqual(levels, [false, true, false], 'CNTVCT 11000 >= 7500');
});

test('generic timer: CNTVOFF above CNTPCT wraps CNTVCT modulo 2^64; the 64-bit compare stays unsigned', () => {
  const { clock, timer } = makeTimer();
  clock.now = 100;
  timer.writeVirtualOffset(200, 0);
  timer.writeCompareValue(TimerIndex.Virtual, 0xffffff00, 0xffffffff); // 2^64 - 256
  timer.writeControl(TimerIndex.Virtual, CNT_CTL_ENABLE);
  // CNTVCT = 2^64 - 100 >= 2^64 - 256.
  assert.equal(timer.readControl(TimerIndex.Virtual), CNT_CTL_ENABLE | CNT_CTL_ISTATUS);
  assert.equal(timer.readTimerValue(TimerIndex.Virtual), -156);
  timer.writeCompareValue(TimerIndex.Virtual, 0xfffffff0, 0xffffffff); // 2^64 - 16: 84 ticks away
  assert.equal(timer.readControl(TimerIndex.Virtual), CNT_CTL_ENABLE);
  assert.equal(timer.nextEvent(), 184);
});

test('generic timer: the Hyp timer (CNTHP) compares CNTPCT, ignores CNTVOFF, and drives the third output', () => {
  const { clock, levels, timer } = makeTimer();
  timer.writeVirtualOffset(500, 0);
  timer.writeTimerValue(TimerIndex.Hyp, 250);
  assert.equal(timer.compareValue(TimerIndex.Hyp), 1250);
  timer.writeControl(TimerIndex.Hyp, CNT_CTL_ENABLE);
  assert.equal(timer.nextEvent(), 1250);
  clock.now = 1250;
  timer.update();
  assert.deepEqual(levels, [false, false, true]);
  assert.equal(timer.readControl(TimerIndex.Hyp), CNT_CTL_ENABLE | CNT_CTL_ISTATUS);
});

test('generic timer: with the Virtualization Extensions, CNTVOFF (MCRR p15,4,c14), CNTHCTL (p15,4,c14,c1,0) and CNTHP_TVAL/CTL/CVAL (p15,4,c14,c2,0-1; MCRR p15,6,c14) work from Hyp mode', () => {
  const h = makeHarness({ features: EL2 });
  let now = 0x1_0000_0100;
  const timer = new GenericTimer(() => now, [{ set() {} }, { set() {} }, { set() {} }]);
  timer.install(h.cpu.cp15);
  h.cpu.setMode(Mode.Hyp);
  h.cpu.r[0] = 0x100;
  h.cpu.r[1] = 1;
  h.cpu.r[2] = 0;
  h.cpu.r[3] = 1000;
  h.cpu.r[6] = CNT_CTL_ENABLE;
  h.writeWords(CODE_BASE, [
    mrc(4, 7, 14, 1, 0), // r7 = CNTHCTL (reset value)
    mcr(4, 2, 14, 1, 0), // CNTHCTL = 0
    mrc(4, 8, 14, 1, 0), // r8 = CNTHCTL
    mcrr(4, 0, 1, 14), // CNTVOFF = 0x1_0000_0100
    mrrc(1, 4, 5, 14), // r4:r5 = CNTVCT
    mrrc(4, 9, 10, 14), // r9:r10 = CNTVOFF
    mcr(4, 3, 14, 2, 0), // CNTHP_TVAL = 1000
    mcr(4, 6, 14, 2, 1), // CNTHP_CTL = ENABLE
    mrrc(6, 11, 12, 14), // r11:r12 = CNTHP_CVAL
  ]);
  h.run(9);
  assert.equal(h.cpu.mode, Mode.Hyp, 'no exception');
  assert.equal(h.cpu.r[7], 3, 'CNTHCTL resets to PL1PCEN | PL1PCTEN, as QEMU');
  assert.equal(h.cpu.r[8], 0);
  assert.deepEqual([h.cpu.r[4], h.cpu.r[5]], [0, 0], 'CNTVCT = CNTPCT - CNTVOFF = 0');
  assert.deepEqual([h.cpu.r[9], h.cpu.r[10]], [0x100, 1]);
  assert.deepEqual([h.cpu.r[11], h.cpu.r[12]], [0x100 + 1000, 1], 'CNTHP_CVAL = CNTPCT + TVAL');
  assert.equal(timer.readControl(TimerIndex.Hyp), CNT_CTL_ENABLE);
  now += 1000;
  assert.equal(timer.readControl(TimerIndex.Hyp), CNT_CTL_ENABLE | CNT_CTL_ISTATUS);
  timer.reset();
  assert.deepEqual([timer.hypControl, timer.virtualOffsetLow, timer.virtualOffsetHigh, timer.control[TimerIndex.Hyp]], [3, 0, 0, 0]);
});

test('generic timer: without the Virtualization Extensions the Hyp timer registers do not exist (UNDEFINED); at PL0 they are UNDEFINED either way', () => {
  const hypRegisters = [mrc(4, 0, 14, 1, 0), mrc(4, 0, 14, 2, 1), mrrc(4, 0, 1, 14), mrrc(6, 0, 1, 14)];
  for (const [features, modes] of [[undefined, [Mode.Svc, Mode.Usr]], [EL2, [Mode.Usr]]] as const) {
    const h = makeHarness(features === undefined ? {} : { features });
    new GenericTimer(() => 0, [{ set() {} }, { set() {} }, { set() {} }]).install(h.cpu.cp15);
    for (const mode of modes) {
      for (const word of hypRegisters) {
        h.cpu.setMode(mode);
        h.cpu.pc = CODE_BASE;
        h.writeWords(CODE_BASE, [word]);
        h.run(1);
        assert.equal(h.cpu.mode, Mode.Und, `0x${word.toString(16)} in mode 0x${mode.toString(16)}${features ? ' with EL2' : ''}`);
      }
    }
  }
});

test('generic timer: CNTHCTL.PL1PCTEN / PL1PCEN clear trap PL1 and PL0 accesses to the physical counter / timer to Hyp mode; Hyp mode and EL2-less processors are never trapped', () => {
  const el2 = makeHarness({ features: EL2 }).cpu;
  const plain = makeHarness().cpu;
  el2.setMode(Mode.Svc);
  assert.equal(physicalAccessTrapsToHyp(el2, CNTHCTL_PL1PCEN | CNTHCTL_PL1PCTEN, CNTHCTL_PL1PCTEN), false);
  assert.equal(physicalAccessTrapsToHyp(el2, CNTHCTL_PL1PCEN, CNTHCTL_PL1PCTEN), true);
  assert.equal(physicalAccessTrapsToHyp(el2, CNTHCTL_PL1PCTEN, CNTHCTL_PL1PCEN), true);
  el2.setMode(Mode.Usr);
  assert.equal(physicalAccessTrapsToHyp(el2, 0, CNTHCTL_PL1PCEN), true);
  el2.setMode(Mode.Hyp);
  assert.equal(physicalAccessTrapsToHyp(el2, 0, CNTHCTL_PL1PCEN), false);
  assert.equal(physicalAccessTrapsToHyp(plain, 0, CNTHCTL_PL1PCEN), false);
});

test('generic timer: the physical timer and counter registers carry the CNTHCTL trap check; the virtual ones none', () => {
  const h = makeHarness({ features: EL2 });
  const timer = new GenericTimer(() => 0, [{ set() {} }, { set() {} }, { set() {} }]);
  timer.install(h.cpu.cp15);
  const trapped = (reg: Cp15Register | Cp15Register64 | undefined): boolean => reg?.trapsToHyp?.(h.cpu, false) === true;
  h.cpu.setMode(Mode.Svc);
  timer.hypControl = CNTHCTL_PL1PCTEN;
  assert.equal(trapped(h.cpu.cp15.lookup(0, 14, 2, 1)), true, 'CNTP_CTL');
  assert.equal(trapped(h.cpu.cp15.lookup(0, 14, 2, 0)), true, 'CNTP_TVAL');
  assert.equal(trapped(h.cpu.cp15.lookup64(2, 14)), true, 'CNTP_CVAL');
  assert.equal(trapped(h.cpu.cp15.lookup64(0, 14)), false, 'CNTPCT');
  timer.hypControl = CNTHCTL_PL1PCEN;
  assert.equal(trapped(h.cpu.cp15.lookup64(0, 14)), true, 'CNTPCT');
  assert.equal(trapped(h.cpu.cp15.lookup(0, 14, 3, 1)), false, 'CNTV_CTL');
});

test('generic timer: with the Virtualization Extensions CNTFRQ is writable in Hyp mode only (UNDEFINED at PL1, as QEMU)', () => {
  const h = makeHarness({ features: EL2 });
  const timer = new GenericTimer(() => 0, [{ set() {} }, { set() {} }, { set() {} }]);
  timer.install(h.cpu.cp15);
  h.cpu.r[0] = 1000;
  h.writeWords(CODE_BASE, [mcr(0, 0, 14, 0, 0)]);
  h.run(1);
  assert.equal(h.cpu.mode, Mode.Und);
  assert.equal(timer.frequency, COUNTER_FREQUENCY_HZ);
  h.cpu.setMode(Mode.Hyp);
  h.cpu.pc = CODE_BASE;
  h.run(1);
  assert.equal(timer.frequency, 1000);
});
