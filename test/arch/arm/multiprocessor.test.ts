import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Cpu } from '../../../src/arch/arm/cpu.js';
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
