import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CNT_CTL_ENABLE, TimerIndex } from '../../src/arch/arm/generic-timer.js';
import { Mode } from '../../src/arch/arm/modes.js';
import { VirtBoard } from '../../src/board/virt-board.js';

const WFI = 0xe320f003;
const B_SELF = 0xeafffffe;
const B_MINUS_4 = 0xeafffffd; // b .-4 (back to the WFI before it)
const CODE = 0x40010000;
const GICD = 0x08000000;
const GICC = 0x08010000;

function makeBoard(code: number[]) {
  const board = new VirtBoard({ ramBytes: 1 << 20, uartOutput: () => {} });
  code.forEach((w, i) => board.bus.write(CODE + 4 * i, 4, w));
  board.bus.write(0x40000018, 4, B_SELF); // IRQ vector (VBAR 0x40000000)
  board.cpu.cp15.vbar = 0x40000000;
  board.cpu.pc = CODE;
  return board;
}

/** GIC on, virtual timer PPI (ID 27) enabled at priority 0, PMR open. */
function enableVirtualTimerInterrupt(board: VirtBoard): void {
  board.bus.write(GICD + 0x000, 4, 1);
  board.bus.write(GICD + 0x100, 4, 1 << 27);
  board.bus.write(GICC + 0x004, 4, 0xff);
  board.bus.write(GICC + 0x000, 4, 1);
}

test('virt board: WFI with no timer armed halts ("no event can ever come")', () => {
  const board = makeBoard([WFI, B_SELF]);
  const stop = board.run(1000);
  assert.equal(stop.kind, 'halted');
});

test('virt board: an idle WFI skips virtual time to the timer event, which wakes it even with CPSR.I set', () => {
  const board = makeBoard([WFI, B_MINUS_4]);
  enableVirtualTimerInterrupt(board);
  // 1 000 000 ticks at 62.5 MHz = 16 ms = 16 million instructions' time, skipped while idle.
  board.timer.writeCompareValue(TimerIndex.Virtual, 1_000_000, 0);
  board.timer.writeControl(TimerIndex.Virtual, CNT_CTL_ENABLE);
  assert.equal(board.cpu.maskI, 1);
  const started = Date.now();
  const stop = board.run(1000);
  assert.equal(stop.kind, 'instruction-limit');
  assert.equal(board.cpu.instructionCount, 1000);
  assert.ok(board.counter() >= 1_000_000, `counter ${board.counter()}`);
  assert.ok(board.clock.elapsedNanoseconds() >= 16_000_000);
  assert.ok(Date.now() - started < 2000, 'idle time costs no host time');
  assert.equal(board.cpu.mode, Mode.Svc, 'masked: no exception taken');
});

test('virt board: the timer IRQ is taken after WFI with LR = next instruction + 4 (B1.8.3, table B1-7)', () => {
  const board = makeBoard([WFI, B_SELF]);
  enableVirtualTimerInterrupt(board);
  board.cpu.maskI = 0;
  board.timer.writeTimerValue(TimerIndex.Virtual, 5000);
  board.timer.writeControl(TimerIndex.Virtual, CNT_CTL_ENABLE);
  board.run(100);
  assert.equal(board.cpu.mode, Mode.Irq);
  assert.equal(board.cpu.r[14]! >>> 0, CODE + 4 + 4);
  assert.equal(board.cpu.getSpsr() & 0x1f, Mode.Svc);
  assert.equal(board.gic.currentPending[0], 27);
});

test('virt board: a running guest sees the timer fire at its compare value, not at the end of a run slice', () => {
  const board = makeBoard([B_SELF]);
  enableVirtualTimerInterrupt(board);
  board.cpu.maskI = 0;
  board.timer.writeCompareValue(TimerIndex.Virtual, 100, 0); // 100 ticks = 1600 instructions
  board.timer.writeControl(TimerIndex.Virtual, CNT_CTL_ENABLE);
  // The counter reaches 100 once 1600 instructions have run; the IRQ is taken before the 1601st.
  board.run(1600);
  assert.equal(board.cpu.mode, Mode.Svc);
  board.run(1601);
  assert.equal(board.cpu.mode, Mode.Irq);
  assert.equal(board.cpu.r[14]! >>> 0, CODE + 4);
});

test('virt board: the PL011 interrupt reaches the GIC as SPI 1 (ID 33)', () => {
  const board = makeBoard([B_SELF]);
  board.bus.write(0x09000038, 4, 1 << 4); // UARTIMSC: RX
  board.uart.receive(new Uint8Array([0x41]));
  assert.equal((board.bus.read(GICD + 0x204, 4)! >>> 1) & 1, 1);
});

test('virt board: in wall-clock mode an idle WFI stops the run as idle with the host time to the event; it wakes once that has passed', async () => {
  const board = new VirtBoard({ ramBytes: 1 << 20, uartOutput: () => {}, wallClock: true });
  [WFI, B_MINUS_4].forEach((w, i) => board.bus.write(CODE + 4 * i, 4, w));
  board.cpu.pc = CODE;
  enableVirtualTimerInterrupt(board);
  board.timer.writeTimerValue(TimerIndex.Virtual, 62_500 * 20); // 20 ms of host time
  board.timer.writeControl(TimerIndex.Virtual, CNT_CTL_ENABLE);
  const stop = board.run(10);
  assert.equal(stop.kind, 'idle');
  const ms = stop.kind === 'idle' ? stop.nanoseconds / 1e6 : 0;
  assert.ok(ms > 5 && ms <= 20, `idle for ${ms} ms`);
  await new Promise((resolve) => setTimeout(resolve, ms + 2));
  assert.equal(board.run(10).kind, 'instruction-limit');
  assert.equal(board.clock.idleNanoseconds, 0, 'no virtual time skipped');
});

test('virt board: an idle WFI skips virtual time to the RTC match, whose interrupt (SPI 2, ID 34) wakes it', () => {
  const board = makeBoard([WFI, B_SELF]);
  const RTC = 0x09010000;
  board.bus.write(GICD + 0x000, 4, 1);
  board.bus.write(GICD + 0x104, 4, 1 << (34 - 32));
  board.bus.write(GICC + 0x004, 4, 0xff);
  board.bus.write(GICC + 0x000, 4, 1);
  const now = board.bus.read(RTC + 0x00, 4)!;
  board.bus.write(RTC + 0x10, 4, 1); // RTCIMSC
  board.bus.write(RTC + 0x04, 4, now + 3); // RTCMR, 3 s ahead
  const stop = board.run(100);
  assert.equal(stop.kind, 'instruction-limit');
  assert.ok(board.elapsedNanoseconds() >= 3e9, 'virtual time jumped to the match');
  assert.equal(board.bus.read(GICC + 0x00c, 4)! & 0x3ff, 34, 'GICC_IAR reads the RTC interrupt');
});
