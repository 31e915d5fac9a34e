import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Cpu } from '../../../src/arch/arm/cpu.js';
import { Bus } from '../../../src/hw/bus.js';

function pmu() {
  const cpu = new Cpu(new Bus(0x40000000, 1 << 16));
  const reg = (crm: number, opc2: number) => cpu.cp15.lookup(0, 9, crm, opc2)!;
  const read = (crm: number, opc2: number) => reg(crm, opc2).read!(cpu.cp15, cpu) >>> 0;
  const write = (crm: number, opc2: number, v: number) => reg(crm, opc2).write!(cpu.cp15, cpu, v);
  return { cpu, reg, read, write };
}
const PMCR = [12, 0] as const, CNTENSET = [12, 1] as const, CNTENCLR = [12, 2] as const, OVSR = [12, 3] as const;
const SWINC = [12, 4] as const, SELR = [12, 5] as const, CCNTR = [13, 0] as const, EVTYPER = [13, 1] as const, EVCNTR = [13, 2] as const;
const USERENR = [14, 0] as const, INTENSET = [14, 1] as const;

test('pmu: PMCR reads as QEMU\'s Cortex-A15 (0x410F3000: ARM, 6 event counters), E/D/X/DP writable, P and C read as zero', () => {
  const { read, write } = pmu();
  assert.equal(read(...PMCR), 0x410f3000);
  write(...PMCR, 0xffffffff);
  assert.equal(read(...PMCR), 0x410f3039);
});

test('pmu: the enable and interrupt-enable sets have bit 31 and bits [5:0]; PMUSERENR keeps EN only; PMCEID0/1 are UNDEFINED as in QEMU', () => {
  const { read, write, cpu } = pmu();
  write(...CNTENSET, 0xffffffff);
  assert.equal(read(...CNTENSET), 0x8000003f);
  write(...CNTENCLR, 0x80000001);
  assert.equal(read(...CNTENSET), 0x3e);
  write(...INTENSET, 0xffffffff);
  assert.equal(read(...INTENSET), 0x8000003f);
  write(...USERENR, 0xf);
  assert.equal(read(...USERENR), 1);
  assert.equal(cpu.cp15.lookup(0, 9, 12, 6), undefined);
  assert.equal(cpu.cp15.lookup(0, 9, 12, 7), undefined);
});

test('pmu: the cycle counter counts executed instructions while PMCR.E and PMCNTENSET.C are set, /64 with PMCR.D; PMCR.C resets it', () => {
  const { cpu, read, write } = pmu();
  cpu.instructionCount = 1000;
  write(...CNTENSET, 0x80000000);
  cpu.instructionCount = 2000;
  assert.equal(read(...CCNTR), 0, 'PMCR.E clear: stopped');
  write(...PMCR, 1);
  cpu.instructionCount = 2500;
  assert.equal(read(...CCNTR), 500);
  write(...PMCR, 1 | 8);
  cpu.instructionCount = 2500 + 640;
  assert.equal(read(...CCNTR), 510);
  write(...PMCR, 1 | 4);
  assert.equal(read(...CCNTR), 0);
});

test('pmu: event counters count instructions (0x08) and cycles (0x11) through PMSELR/PMXEVTYPER/PMXEVCNTR, software increments (0x00), and overflow into PMOVSR', () => {
  const { cpu, read, write } = pmu();
  write(...PMCR, 1);
  write(...SELR, 2);
  write(...EVTYPER, 0x08);
  write(...EVCNTR, 0xfffffff0);
  write(...SELR, 3);
  write(...EVTYPER, 0x00);
  write(...SELR, 4);
  write(...EVTYPER, 0x13); // an event this model does not count
  write(...CNTENSET, 0b11100);
  cpu.instructionCount += 0x20;
  write(...SWINC, 0b1000);
  write(...SWINC, 0b1000);
  write(...SELR, 2);
  assert.equal(read(...EVCNTR), 0x10);
  write(...SELR, 3);
  assert.equal(read(...EVCNTR), 2);
  write(...SELR, 4);
  assert.equal(read(...EVCNTR), 0);
  assert.equal(read(...OVSR), 0b100);
  write(...OVSR, 0b100);
  assert.equal(read(...OVSR), 0);
  write(...SELR, 9);
  assert.equal(read(...EVTYPER), 0, 'no counter 9: RAZ');
});

test('pmu: PL0 access follows PMUSERENR.EN, except PMINTENSET which is PL1 only', () => {
  const { cpu, reg, write } = pmu();
  assert.equal(reg(...PMCR).pl0Access!(cpu, false), false);
  write(...USERENR, 1);
  assert.equal(reg(...PMCR).pl0Access!(cpu, false), true);
  assert.equal(reg(...CCNTR).pl0Access!(cpu, true), true);
  assert.equal(reg(...INTENSET).pl0Access, undefined);
  assert.notEqual(reg(...INTENSET).pl0Read, true);
  assert.equal(reg(...USERENR).pl0Read, true);
  assert.notEqual(reg(...USERENR).pl0Write, true);
});
