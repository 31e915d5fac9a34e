import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CNT_CTL_ENABLE, TimerIndex } from '../../src/arch/arm/generic-timer.js';
import { Mode } from '../../src/arch/arm/modes.js';
import { PSCI_FN } from '../../src/board/psci.js';
import { SMP_QUANTUM, VirtBoard } from '../../src/board/virt-board.js';

/*
 * The virt board with several Cortex-A15s (issue 3): PSCI CPU_ON, per-processor MPIDR, GIC
 * banking and SGIs, exclusive monitors across turns, SEV/WFE, Inner Shareable TLB maintenance,
 * decoded-code coherence and a deterministic interleave, with hand-assembled A32 code in RAM.
 */

const GICD = 0x08000000;
const GICC = 0x08010000;
const CPU0_CODE = 0x40010000;
const CPU1_CODE = 0x40020000;
const DATA = 0x40080000;

// ---- A tiny A32 assembler -------------------------------------------------------------------

const AL = 0xe;
const NE = 0x1;
const movw = (rd: number, imm: number): number => 0xe3000000 | ((imm >>> 12) << 16) | (rd << 12) | (imm & 0xfff);
const movt = (rd: number, imm: number): number => 0xe3400000 | ((imm >>> 12) << 16) | (rd << 12) | (imm & 0xfff);
const load = (rd: number, value: number): number[] => [movw(rd, value & 0xffff), movt(rd, value >>> 16)];
const movImm = (rd: number, imm8: number): number => 0xe3a00000 | (rd << 12) | imm8;
const str = (t: number, n: number, imm = 0): number => 0xe5800000 | (n << 16) | (t << 12) | imm;
const ldr = (t: number, n: number, imm = 0): number => 0xe5900000 | (n << 16) | (t << 12) | imm;
const ldrb = (t: number, n: number, imm = 0): number => 0xe5d00000 | (n << 16) | (t << 12) | imm;
/** STR Rt, [Rn, Rm, LSL #2] */
const strIndexed = (t: number, n: number, m: number): number => 0xe7800100 | (n << 16) | (t << 12) | m;
const ldrex = (t: number, n: number): number => 0xe1900f9f | (n << 16) | (t << 12);
const strex = (d: number, t: number, n: number): number => 0xe1800f90 | (n << 16) | (d << 12) | t;
const mrcMpidr = (t: number): number => 0xee100fb0 | (t << 12);
const mcrVbar = (t: number): number => 0xee0c0f10 | (t << 12);
const HVC = 0xe1400070;
const NOP = 0xe1a00000;
const WFI = 0xe320f003;
const WFE = 0xe320f002;
const SEV = 0xe320f004;
const CPSIE_I = 0xf1080080;
const B_SELF = 0xeafffffe;
const TLBIALLIS = 0xee080f13; // mcr p15, 0, r0, c8, c3, 0
const TLBIALL = 0xee080f17; // mcr p15, 0, r0, c8, c7, 0

/** Builds code at `base`; `here()` is the address of the next word, `branch` resolves to a label address. */
class Program {
  readonly words: number[] = [];
  constructor(readonly base: number) {}
  here(): number {
    return this.base + 4 * this.words.length;
  }
  emit(...words: readonly (number | readonly number[])[]): this {
    for (const w of words) {
      if (typeof w === 'number') this.words.push(w);
      else this.words.push(...w);
    }
    return this;
  }
  branch(cond: number, target: number): this {
    const offset = ((target - (this.here() + 8)) >> 2) & 0xffffff;
    return this.emit(((cond << 28) | 0x0a000000 | offset) >>> 0);
  }
  /** PSCI CPU_ON(target, entry, context) through HVC; the result lands in r0. */
  cpuOn(target: number, entry: number, context: number): this {
    return this.emit(load(0, PSCI_FN.cpuOn), load(1, target), load(2, entry), load(3, context), HVC);
  }
  writeTo(board: VirtBoard): void {
    this.words.forEach((w, i) => board.bus.write(this.base + 4 * i, 4, w >>> 0));
  }
}

function twoCpuBoard(): VirtBoard {
  const board = new VirtBoard({ ramBytes: 1 << 20, uartOutput: () => {}, cpus: 2 });
  board.cpu.pc = CPU0_CODE;
  return board;
}

const word = (board: VirtBoard, address: number): number => board.bus.read(address, 4)! >>> 0;

// ---- Tests ----------------------------------------------------------------------------------

test('virt smp: secondaries start off; CPU_ON starts CPU 1 at the entry (SVC, masked, MMU off) with r0 = context id', () => {
  const board = twoCpuBoard();
  assert.equal(board.cpus.length, 2);
  assert.equal(board.cpu, board.cpus[0]);
  assert.equal(board.psci.isOn(1), false);
  new Program(CPU0_CODE).cpuOn(1, CPU1_CODE, 0x1234).emit(B_SELF).writeTo(board);
  new Program(CPU1_CODE).emit(0xe1a06000 /* mov r6, r0 */, B_SELF).writeTo(board);
  board.run(5000);
  const cpu1 = board.cpus[1]!;
  assert.equal(board.cpu.r[0], 0, 'CPU_ON returns SUCCESS');
  assert.equal(board.psci.isOn(1), true);
  assert.equal(cpu1.r[6], 0x1234, 'r0 = context id at the entry');
  assert.equal(cpu1.pc >>> 0, CPU1_CODE + 4, 'CPU 1 runs from the entry');
  assert.equal(cpu1.mode, Mode.Svc);
  assert.deepEqual([cpu1.maskA, cpu1.maskI, cpu1.maskF], [1, 1, 1]);
  assert.equal(cpu1.mem.mmu.enabled, false);
  assert.equal(board.instructionCount, board.cpus[0]!.instructionCount + cpu1.instructionCount);
});

test('virt smp: CPU_ON with bit 0 set starts in Thumb state; CPU_ON of a running CPU is ALREADY_ON; of CPU 2 of 2 INVALID_PARAMETERS', () => {
  const board = twoCpuBoard();
  new Program(CPU0_CODE)
    .cpuOn(1, CPU1_CODE | 1, 0)
    .emit(0xe1a05000) // mov r5, r0
    .cpuOn(1, CPU1_CODE, 0)
    .emit(0xe1a06000) // mov r6, r0
    .cpuOn(2, CPU1_CODE, 0)
    .emit(0xe1a07000, B_SELF) // mov r7, r0
    .writeTo(board);
  board.bus.write(CPU1_CODE, 2, 0xe7fe); // b . (T16)
  board.run(200);
  assert.deepEqual([board.cpu.r[5], board.cpu.r[6], board.cpu.r[7]], [0, -4, -2]);
  assert.equal(board.cpus[1]!.thumb, 1);
  assert.equal(board.cpus[1]!.pc >>> 0, CPU1_CODE);
});

test('virt smp: MPIDR is 0x80000000 | index on each CPU (QEMU virt), AFFINITY_INFO follows CPU_ON and CPU_OFF', () => {
  const board = new VirtBoard({ ramBytes: 1 << 20, uartOutput: () => {}, cpus: 3 });
  board.cpu.pc = CPU0_CODE;
  const cpu0 = new Program(CPU0_CODE)
    .emit(mrcMpidr(8))
    .emit(load(0, PSCI_FN.affinityInfo), load(1, 1), movImm(2, 0), HVC, 0xe1a09000 /* mov r9, r0 */)
    .cpuOn(1, CPU1_CODE, 0)
    .cpuOn(2, CPU1_CODE, 0);
  const spin = cpu0.here();
  cpu0.emit(NOP).branch(AL, spin).writeTo(board);
  // Each secondary records its MPIDR, then powers itself off.
  new Program(CPU1_CODE).emit(mrcMpidr(8), load(0, PSCI_FN.cpuOff), HVC, B_SELF).writeTo(board);
  board.run(100_000);
  assert.equal(board.cpus[0]!.r[8]! >>> 0, 0x80000000);
  assert.equal(board.cpus[1]!.r[8]! >>> 0, 0x80000001);
  assert.equal(board.cpus[2]!.r[8]! >>> 0, 0x80000002);
  assert.equal(board.cpus[0]!.r[9], 1, 'AFFINITY_INFO(1) before CPU_ON: OFF');
  assert.equal(board.psci.isOn(1), false, 'CPU_OFF powered CPU 1 off');
  assert.equal(board.psci.isOn(2), false);
  assert.equal(board.psci.isOn(0), true, 'the machine goes on with CPU 0');
  // L2CTLR[25:24] = CPUs - 1 (Cortex-A15 TRM, QEMU a15_l2ctlr_read).
  assert.equal(board.cpus[1]!.cp15.lookup(1, 9, 0, 2)!.read!(board.cpus[1]!.cp15, board.cpus[1]!), 2 << 24);
});

test('virt smp: the machine powers off when every CPU is off', () => {
  const board = twoCpuBoard();
  new Program(CPU0_CODE).cpuOn(1, CPU1_CODE, 0).emit(load(0, PSCI_FN.cpuOff), HVC, B_SELF).writeTo(board);
  const spin = new Program(CPU1_CODE);
  spin.emit(load(5, 3000));
  const loop = spin.here();
  spin.emit(0xe2555001 /* subs r5, r5, #1 */).branch(NE, loop).emit(load(0, PSCI_FN.cpuOff), HVC, B_SELF).writeTo(board);
  assert.deepEqual(board.run(1_000_000), { kind: 'power', event: 'cpu-off' });
  assert.equal(board.cpus[1]!.r[5], 0, 'CPU 1 finished its loop after CPU 0 went off');
});

/** Code that enables this CPU's GIC CPU interface (PMR 0xff, Group 0 on): r4 = GICC. */
const enableCpuInterface = (): number[] => [...load(4, GICC), movImm(1, 0xff), str(1, 4, 4), movImm(1, 1), str(1, 4, 0)];

test('virt smp: an SGI from CPU 0 to CPU 1 (GICD_SGIR target list) is taken by CPU 1 only, with source CPU 0', () => {
  const board = twoCpuBoard();
  board.bus.write(GICD, 4, 1); // distributor on
  const VECTORS0 = 0x40000000;
  const VECTORS1 = 0x40001000;
  // IRQ handlers: acknowledge, record the IAR value, stay.
  new Program(VECTORS0 + 0x18).emit(ldr(2, 4, 0x0c), load(6, DATA), str(2, 6, 0), B_SELF).writeTo(board);
  new Program(VECTORS1 + 0x18).emit(ldr(2, 4, 0x0c), load(6, DATA), str(2, 6, 4), B_SELF).writeTo(board);
  board.bus.write(DATA, 4, 0xdead);
  board.bus.write(DATA + 4, 4, 0xdead);
  // CPU 1: vectors, its own CPU interface, unmask IRQs, wait.
  const cpu1 = new Program(CPU1_CODE).emit(load(7, VECTORS1), mcrVbar(7), enableCpuInterface(), CPSIE_I);
  const wait1 = cpu1.here();
  cpu1.emit(WFI).branch(AL, wait1).writeTo(board);
  // CPU 0: the same, then start CPU 1, let it settle, and send SGI 5 to CPU 1 only.
  const cpu0 = new Program(CPU0_CODE).emit(load(7, VECTORS0), mcrVbar(7), enableCpuInterface(), CPSIE_I).cpuOn(1, CPU1_CODE, 0);
  cpu0.emit(load(5, 5000));
  const delay = cpu0.here();
  cpu0.emit(0xe2555001).branch(NE, delay);
  cpu0.emit(load(8, GICD + 0xf00), load(1, (0b10 << 16) | 5), str(1, 8, 0), B_SELF).writeTo(board);
  board.run(100_000);
  assert.equal(word(board, DATA + 4), 5, 'CPU 1 acknowledged SGI 5 from CPU 0');
  assert.equal(board.cpus[1]!.mode, Mode.Irq);
  assert.equal(word(board, DATA), 0xdead, 'CPU 0 took no interrupt');
  assert.equal(board.cpus[0]!.mode, Mode.Svc);
  assert.equal(board.gic.isPending(board.gic.slot(0, 5)), false);
});

test('virt smp: GICC_IAR and the banked ITARGETSR0 read each CPU\'s own state', () => {
  const board = twoCpuBoard();
  board.bus.write(GICD, 4, 1);
  // From the host (as CPU 0): SGI 3 pending for CPU 0, SGI 7 for CPU 1.
  board.bus.write(GICD + 0xf00, 4, (0b01 << 16) | 3);
  board.bus.write(GICD + 0xf00, 4, (0b10 << 16) | 7);
  const shared = new Program(0x40030000)
    .emit(enableCpuInterface(), ldr(2, 4, 0x0c)) // IAR, interrupts masked
    .emit(mrcMpidr(5), 0xe20550ff /* and r5, r5, #0xff */, load(6, DATA), strIndexed(2, 6, 5))
    .emit(load(8, GICD + 0x800), ldrb(7, 8, 0), load(6, DATA + 8), strIndexed(7, 6, 5), B_SELF);
  shared.writeTo(board);
  new Program(CPU0_CODE).cpuOn(1, 0x40030000, 0).branch(AL, 0x40030000).writeTo(board);
  board.run(10_000);
  assert.equal(word(board, DATA), 3, 'CPU 0 acknowledges its SGI 3');
  assert.equal(word(board, DATA + 4), 7, 'CPU 1 acknowledges its SGI 7');
  assert.equal(word(board, DATA + 8), 1, 'ITARGETSR0 reads CPU 0\'s own bit');
  assert.equal(word(board, DATA + 12), 2, 'ITARGETSR0 reads CPU 1\'s own bit');
});

test('virt smp: each CPU\'s generic timer drives its own PPI (virtual timer, ID 27)', () => {
  const board = twoCpuBoard();
  board.timers[1]!.writeCompareValue(TimerIndex.Virtual, 0, 0);
  board.timers[1]!.writeControl(TimerIndex.Virtual, CNT_CTL_ENABLE);
  assert.equal(board.gic.isPending(board.gic.slot(1, 27)), true);
  assert.equal(board.gic.isPending(board.gic.slot(0, 27)), false);
});

/** Both CPUs add 1 to the word at DATA `iterations` times with LDREX/STREX, then record that they are done. */
function exclusiveIncrementBoard(iterations: number): VirtBoard {
  const board = twoCpuBoard();
  const loop = new Program(0x40030000).emit(load(4, DATA), load(5, iterations));
  const again = loop.here();
  loop.emit(ldrex(1, 4), 0xe2811001 /* add r1, r1, #1 */, strex(2, 1, 4), 0xe3520000 /* cmp r2, #0 */).branch(NE, again);
  loop.emit(0xe2555001 /* subs r5, r5, #1 */).branch(NE, again).emit(movImm(9, 1), B_SELF).writeTo(board);
  new Program(CPU0_CODE).cpuOn(1, 0x40030000, 0).branch(AL, 0x40030000).writeTo(board);
  return board;
}

test('virt smp: an LDREX/STREX increment loop on two CPUs ends with the exact sum', () => {
  const board = exclusiveIncrementBoard(20_000);
  board.run(2_000_000);
  assert.equal(board.cpus[0]!.r[9], 1);
  assert.equal(board.cpus[1]!.r[9], 1);
  assert.equal(word(board, DATA), 40_000);
});

test('virt smp: a store by another CPU between LDREX and STREX makes the STREX fail (monitor cleared at the switch)', () => {
  const board = twoCpuBoard();
  board.bus.write(DATA, 4, 7);
  const cpu0 = new Program(CPU0_CODE).cpuOn(1, CPU1_CODE, 0).emit(load(4, DATA), movImm(3, 42));
  // Pad so that the LDREX is the last instruction of CPU 0's first quantum.
  while (cpu0.words.length < SMP_QUANTUM - 1) cpu0.emit(NOP);
  cpu0.emit(ldrex(1, 4), strex(2, 3, 4), B_SELF).writeTo(board);
  new Program(CPU1_CODE).emit(load(4, DATA), movImm(1, 99), str(1, 4, 0), B_SELF).writeTo(board);
  board.run(3 * SMP_QUANTUM);
  assert.equal(board.cpu.r[1], 7, 'LDREX read the old value');
  assert.equal(board.cpu.r[2], 1, 'STREX failed');
  assert.equal(word(board, DATA), 99, 'CPU 1\'s store stands');
});

test('virt smp: SEV on CPU 0 wakes CPU 1 from WFE; a WFE without an event keeps waiting', () => {
  const board = twoCpuBoard();
  const cpu1 = new Program(CPU1_CODE).emit(WFE, movImm(9, 1), B_SELF);
  cpu1.writeTo(board);
  const cpu0 = new Program(CPU0_CODE).cpuOn(1, CPU1_CODE, 0).emit(load(5, 20_000));
  const delay = cpu0.here();
  cpu0.emit(0xe2555001).branch(NE, delay).emit(SEV, B_SELF).writeTo(board);
  board.run(20_000);
  assert.equal(board.cpus[1]!.waitingForInterrupt, true, 'CPU 1 waits in WFE');
  assert.equal(board.cpus[1]!.r[9], 0);
  board.run(100_000);
  assert.equal(board.cpus[1]!.r[9], 1, 'the SEV woke CPU 1');
  assert.equal(board.cpus[1]!.waitingForInterrupt, false);
});

test('virt smp: the interleave is deterministic (two runs, same counts, registers and time)', () => {
  const state = (board: VirtBoard) => ({
    counts: board.cpus.map((c) => c.instructionCount),
    regs: board.cpus.map((c) => [...c.r]),
    time: board.elapsedNanoseconds(),
    sum: word(board, DATA),
  });
  const a = exclusiveIncrementBoard(5000);
  a.run(33_333);
  const b = exclusiveIncrementBoard(5000);
  // Cut into different calls: the round's position carries over, so the result is the same.
  b.run(10_000);
  b.run(20_001);
  b.run(33_333);
  assert.deepEqual(state(a), state(b));
  assert.equal(a.instructionCount, 33_333);
});

test('virt smp: time follows the round: two busy CPUs each run at 1 ns per instruction', () => {
  const board = twoCpuBoard();
  new Program(CPU0_CODE).cpuOn(1, CPU1_CODE, 0).emit(B_SELF).writeTo(board);
  new Program(CPU1_CODE).emit(B_SELF).writeTo(board);
  board.run(1_000_000);
  const t = board.elapsedNanoseconds();
  assert.ok(Math.abs(t - 500_000) <= SMP_QUANTUM, `time ${t} ns for 1e6 instructions on two CPUs`);
});

test('virt smp: TLBIALLIS on CPU 0 flushes CPU 1\'s TLB; TLBIALL only CPU 0\'s', () => {
  const board = twoCpuBoard();
  const tlb1 = board.cpus[1]!.mem.mmu.tlb;
  const fill = () => tlb1.fill(0x10000000, 0x40000000, 0xff, true, 12);
  fill();
  assert.equal(tlb1.lookup(0x10000000, 1), 0x40000000);
  new Program(CPU0_CODE).emit(TLBIALL, B_SELF).writeTo(board);
  board.run(1);
  assert.equal(tlb1.lookup(0x10000000, 1), 0x40000000, 'TLBIALL is local');
  board.cpu.pc = CPU0_CODE;
  new Program(CPU0_CODE).emit(TLBIALLIS, B_SELF).writeTo(board);
  let changes = 0;
  board.cpus[1]!.mem.mmu.observers.push({ translationsChanged: () => changes++, pagesChanged: () => {} });
  board.run(board.instructionCount + 1);
  assert.equal(tlb1.lookup(0x10000000, 1), -1, 'TLBIALLIS reached CPU 1');
  assert.ok(changes > 0, 'CPU 1\'s translated addresses were dropped');
});

test('virt smp: code written by CPU 1 replaces what CPU 0 has decoded (one decode cache)', () => {
  const board = twoCpuBoard();
  const CODE = 0x40040000;
  const cpu0 = new Program(CPU0_CODE).cpuOn(1, CPU1_CODE, 0).branch(AL, CODE);
  cpu0.writeTo(board);
  new Program(CODE).emit(movImm(0, 1)).branch(AL, CODE).writeTo(board);
  const cpu1 = new Program(CPU1_CODE).emit(load(5, 20_000));
  const delay = cpu1.here();
  cpu1.emit(0xe2555001).branch(NE, delay).emit(load(4, CODE), load(6, movImm(0, 2)), str(6, 4, 0), B_SELF).writeTo(board);
  board.run(10_000);
  assert.equal(board.cpu.r[0], 1, 'CPU 0 runs the first version');
  board.run(200_000);
  assert.equal(board.cpu.r[0], 2, 'CPU 0 runs the code CPU 1 wrote');
  assert.equal(board.executors[0]!.cache, board.executors[1]!.cache);
});

test('virt smp: two CPUs waiting with nothing armed halt the run; a board takes 1 to 4 CPUs', () => {
  const board = twoCpuBoard();
  new Program(CPU0_CODE).cpuOn(1, CPU1_CODE, 0).emit(WFI, B_SELF).writeTo(board);
  new Program(CPU1_CODE).emit(WFI, B_SELF).writeTo(board);
  const stop = board.run(100_000);
  assert.equal(stop.kind, 'halted');
  assert.throws(() => new VirtBoard({ ramBytes: 1 << 20, uartOutput: () => {}, cpus: 5 }), /1 to 4/);
  assert.throws(() => new VirtBoard({ ramBytes: 1 << 20, uartOutput: () => {}, cpus: 0 }), /1 to 4/);
});
