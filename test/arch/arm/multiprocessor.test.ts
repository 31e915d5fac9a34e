import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Cpu } from '../../../src/arch/arm/cpu.js';
import { DecodeState } from '../../../src/arch/arm/decode-cache.js';
import { Executor } from '../../../src/arch/arm/executor.js';
import { Bus } from '../../../src/hw/bus.js';
import { CODE_BASE, makeHarness, RAM_BASE } from '../../support/cpu-harness.js';

/* What the processor model offers a multiprocessor board: identity, SEV/WFE, broadcast TLB maintenance, one decode cache. */

const readMpidr = (cpu: Cpu): number => cpu.cp15.lookup(0, 0, 0, 5)!.read!(cpu.cp15, cpu) >>> 0;

test('multiprocessor: MPIDR is 0x80000000 | Aff0 (QEMU virt), a uniprocessor\'s 0x80000000', () => {
  const bus = new Bus(RAM_BASE, 1 << 16);
  assert.equal(readMpidr(new Cpu(bus)), 0x80000000);
  assert.equal(readMpidr(new Cpu(bus, undefined, { index: 3, count: 4 })), 0x80000003);
});

test('multiprocessor: WFE waits for an event (waitingForEvent), WFI for an interrupt only; SEV goes through signalEvent', () => {
  const h = makeHarness();
  h.writeWords(CODE_BASE, [0xe320f002 /* wfe */, 0xe320f003 /* wfi */, 0xe320f004 /* sev */, 0xe320f002 /* wfe */]);
  h.run(1);
  assert.deepEqual([h.cpu.waitingForInterrupt, h.cpu.waitingForEvent], [true, true]);
  h.cpu.waitingForInterrupt = h.cpu.waitingForEvent = false;
  h.run(1);
  assert.deepEqual([h.cpu.waitingForInterrupt, h.cpu.waitingForEvent], [true, false]);
  h.cpu.waitingForInterrupt = false;
  let signalled = 0;
  h.cpu.signalEvent = () => {
    signalled++;
    h.cpu.eventRegister = 1;
  };
  h.run(2);
  assert.equal(signalled, 1);
  assert.equal(h.cpu.waitingForInterrupt, false, 'the WFE after SEV consumed the event');
  assert.equal(h.cpu.eventRegister, 0);
});

test('multiprocessor: Inner Shareable TLB operations go through mmu.innerShareable, the local forms do not', () => {
  const h = makeHarness();
  const other = makeHarness();
  h.cpu.mem.mmu.innerShareable = (operation) => {
    operation(h.cpu.mem.mmu);
    operation(other.cpu.mem.mmu);
  };
  const tlb = other.cpu.mem.mmu.tlb;
  tlb.fill(0x10001000, 0x40000000, 0xff, false, 12);
  tlb.fill(0x20002000, 0x40001000, 0xff, true, 12);
  h.cpu.r[0] = 0x10001000; // TLBIMVAIS, ASID 0
  h.writeWords(CODE_BASE, [0xee080f17 /* TLBIALL */, 0xee080f33 /* TLBIMVAIS r0 */, 0xee080f73 /* TLBIMVAAIS r0 */]);
  h.run(1);
  assert.equal(tlb.lookup(0x10001000, 1), 0x40000000, 'TLBIALL is local');
  h.run(1);
  assert.equal(tlb.lookup(0x10001000, 1), -1, 'TLBIMVAIS reached the other TLB');
  assert.equal(tlb.lookup(0x20002000, 1), 0x40001000);
  h.cpu.r[0] = 0x20002000;
  h.run(1);
  assert.equal(tlb.lookup(0x20002000, 1), -1, 'TLBIMVAAIS reached the other TLB');
});

test('multiprocessor: executors sharing a decode cache both see a page dropped by a write', () => {
  const bus = new Bus(RAM_BASE, 1 << 20);
  const a = new Executor(new Cpu(bus));
  const b = new Executor(new Cpu(bus), a.cache);
  assert.equal(b.cache, a.cache);
  bus.write(CODE_BASE, 4, 0xe3a00001); // mov r0, #1
  a.cpu.pc = CODE_BASE;
  a.run(1);
  assert.equal(a.cpu.r[0], 1);
  const generation = a.cache.generation;
  b.cpu.pc = CODE_BASE + 4;
  bus.write(CODE_BASE + 8, 4, 0xe3a00002); // mov r0, #2 (data for b's store below)
  b.cpu.r[1] = 0xe3a00003; // mov r0, #3
  b.cpu.r[2] = CODE_BASE;
  bus.write(CODE_BASE + 4, 4, 0xe5821000); // str r1, [r2]
  b.run(1);
  assert.ok(a.cache.generation > generation, 'the store by b dropped the page');
  a.cpu.pc = CODE_BASE;
  a.run(1);
  assert.equal(a.cpu.r[0], 3, 'a runs the new instruction');
});

test('multiprocessor: a shared translated block runs its page-crossing Thumb instruction through the running processor\'s translation', () => {
  const bus = new Bus(RAM_BASE, 1 << 20);
  const a = new Executor(new Cpu(bus));
  const b = new Executor(new Cpu(bus), a.cache);
  const writeHalfwords = (address: number, halfwords: number[]): void => halfwords.forEach((h, i) => bus.write(address + 2 * i, 2, h));
  // loop: adds r1, #1; nop; movw r0, #n (its first halfword the page's last); b loop
  writeHalfwords(0x40020ffa, [0x3101, 0xbf00, 0xf240]);
  writeHalfwords(0x40021000, [0x0001, 0xe7fa]); // n = 1
  writeHalfwords(0x40022000, [0x0002, 0xe7fa]); // n = 2
  // Each maps VA 0x80000000 to the loop's page and the next page to a second page of its own.
  const mapAndStart = (executor: Executor, ttb: number, nextPage: number): void => {
    const l2 = ttb + 0x4000;
    bus.write(ttb + 0x400 * 4, 4, 0x40000000 | (3 << 10) | 2);
    bus.write(ttb + 0x800 * 4, 4, l2 | 1);
    bus.write(l2, 4, 0x40020000 | (3 << 4) | 2);
    bus.write(l2 + 4, 4, nextPage | (3 << 4) | 2);
    const { cpu } = executor;
    cpu.cp15.ttbr0 = ttb;
    cpu.cp15.dacr = 1;
    cpu.cp15.writeSctlr(cpu.cp15.sctlr | 1);
    cpu.thumb = 1;
    cpu.pc = 0x80000ffa;
    executor.hotThreshold = 32;
  };
  mapAndStart(a, 0x40004000, 0x40021000);
  mapAndStart(b, 0x4000c000, 0x40022000);
  a.run(4 * 100);
  assert.equal(a.cpu.r[0], 1);
  assert.equal(a.cache.page(0x40020000, 1)?.blocks?.[0xffa >>> 1]?.length, 3, 'adds, nop, movw: one block');
  b.run(4 * 100);
  assert.equal(b.cpu.r[0], 2, 'b runs the block a translated, the movw through b\'s mapping');
  a.run(4 * 10);
  assert.equal(a.cpu.r[0], 1);
});

test('multiprocessor: a shared translated block loads through the running processor\'s RAM page cache, also after a second one joins', () => {
  const bus = new Bus(RAM_BASE, 1 << 20);
  const words = (address: number, values: number[]): void => values.forEach((v, i) => bus.write(address + 4 * i, 4, v));
  words(CODE_BASE, [
    0xe5910000, // loop: ldr r0, [r1]
    0xe0822000, //       add r2, r2, r0
    0xe2533001, //       subs r3, r3, #1
    0x1afffffb, //       bne loop
    0xeafffffe, //       b .
  ]);
  // Each maps VA 0x80000000 to a data page of its own, holding 5 for a and 7 for b.
  const mapAndStart = (executor: Executor, ttb: number, data: number, value: number): void => {
    const l2 = ttb + 0x4000;
    words(ttb + 0x400 * 4, [0x40000000 | (3 << 10) | 2]);
    words(ttb + 0x800 * 4, [l2 | 1]);
    words(l2, [data | (3 << 4) | 2]);
    words(data, [value]);
    const { cpu } = executor;
    cpu.cp15.ttbr0 = ttb;
    cpu.cp15.dacr = 1;
    cpu.cp15.writeSctlr(cpu.cp15.sctlr | 1);
    cpu.pc = CODE_BASE;
    cpu.r[1] = 0x80000000 | 0;
    cpu.r[2] = 0;
    cpu.r[3] = 100;
    executor.hotThreshold = 32;
  };
  const a = new Executor(new Cpu(bus));
  mapAndStart(a, 0x40040000, 0x40030000, 5);
  a.run(4 * 100 + 1);
  assert.equal(a.cache.page(CODE_BASE, 0)?.blocks?.[0]?.length, 4, 'the loop is a block');
  assert.equal(a.cpu.r[2], 500);
  // b joins: what was translated for a alone goes.
  const b = new Executor(new Cpu(bus), a.cache);
  mapAndStart(b, 0x40048000, 0x40031000, 7);
  b.run(4 * 100 + 1);
  assert.equal(b.cpu.r[2], 700, 'b\'s loads went through b\'s page cache and mapping');
  mapAndStart(a, 0x40040000, 0x40030000, 5);
  a.run(4 * 100 + 1);
  assert.equal(a.cpu.r[2], 500, 'and a\'s through a\'s, in the block b translated');
});

/** A loop whose STREX (a barrier: its store goes through DataAccess) writes a word at R2 (R1's value). */
const SELF_WRITING_LOOP = [
  0xe3a03001, // loop: mov r3, #1 (R1 holds mov r3, #2, which the store may put here)
  0xe0800003, //       add r0, r0, r3
  0xe1925f9f, //       ldrex r5, [r2]
  0xe1826f91, //       strex r6, r1, [r2]
  0xe2544001, //       subs r4, r4, #1
  0x1afffff9, //       bne loop
  0xeafffffe, //       b .
];

test('multiprocessor: a block that writes code breaks on whichever processor runs it, not only the last one made', () => {
  const DATA = CODE_BASE + 0x8000;
  /** R0 after five passes that write the loop's first instruction, first running `warm` passes that write data. */
  const passes = (executor: Executor, warm: number): number => {
    const { cpu } = executor;
    if (warm > 0) {
      cpu.pc = CODE_BASE;
      cpu.r.set([0, 0xe3a03002, DATA, 0, warm]);
      executor.run(6 * warm);
      assert.equal(cpu.r[0], warm);
      assert.equal(executor.cache.page(CODE_BASE, DecodeState.Arm)?.blocks?.[0]?.length, 6, 'the loop is a block');
    }
    cpu.pc = CODE_BASE;
    cpu.r.set([0, 0xe3a03002, CODE_BASE, 0, 5]);
    executor.run(6 * 5);
    return cpu.r[0]!;
  };
  const machine = (): Bus => {
    const bus = new Bus(RAM_BASE, 1 << 20);
    SELF_WRITING_LOOP.forEach((w, i) => bus.write(CODE_BASE + 4 * i, 4, w));
    return bus;
  };
  // The interpreter's answer: one pass of mov r3, #1, four of mov r3, #2.
  const interpreter = new Executor(new Cpu(machine()));
  interpreter.hotThreshold = 65535;
  const expected = passes(interpreter, 0);
  assert.equal(expected, 1 + 2 * 4);
  // The first of two processors, its loop translated and looping in place while its store goes to data.
  const bus = machine();
  const a = new Executor(new Cpu(bus));
  new Executor(new Cpu(bus), a.cache); // made last
  a.hotThreshold = 8;
  assert.equal(passes(a, 20), expected, 'the pass after the store runs the new instruction, as interpreted');
});
