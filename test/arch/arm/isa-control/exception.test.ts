import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Cpu } from '../../../../src/arch/arm/cpu.js';
import { t32ControlEncodings } from '../../../../src/arch/arm/isa-control/index.js';
import { Bank, Mode } from '../../../../src/arch/arm/modes.js';
import { OUTSIDE_IT } from '../../../../src/arch/arm/decode-table.js';
import { CODE_BASE } from '../../../support/cpu-harness.js';
import { VECTORS, WITH_EL2, WITH_EL3, arm, thumb, u32 } from './helpers.js';

// Exception entry per ARM ARM B1.8.3-7 (tables B1-3 vectors, B1-7 LR offsets), QEMU for choices.

function recordSemihosting(cpu: Cpu): number[] {
  const calls: number[] = [];
  cpu.semihosting = (c) => {
    calls.push(c.r[0]!);
    c.r[0] = 42;
  };
  return calls;
}

test('SVC A1 from User mode: SVC mode, LR = next, SPSR = old CPSR, VBAR + 8, IRQ masked', () => {
  const h = arm([0xef000000]); // svc #0
  h.cpu.setMode(Mode.Usr);
  h.cpu.maskI = 0;
  h.cpu.zf = 1;
  h.run(1);
  assert.equal(h.cpu.mode, Mode.Svc);
  assert.equal(h.cpu.pc, VECTORS + 8);
  assert.equal(u32(h.cpu.r[14]!), CODE_BASE + 4);
  assert.equal(u32(h.cpu.getSpsr()), 0x40000150); // Z, A, F, usr (I was clear)
  assert.equal(h.cpu.maskI, 1);
  assert.equal(h.cpu.thumb, 0);
});

test('SVC T1: LR = next halfword, SPSR.T set, ARM state at the vector', () => {
  const h = thumb([0xdf01]); // svc #1
  h.run(1);
  assert.equal(h.cpu.pc, VECTORS + 8);
  assert.equal(u32(h.cpu.r[14]!), CODE_BASE + 2);
  assert.equal(h.cpu.getSpsr() & 0x20, 0x20);
  assert.equal(h.cpu.thumb, 0);
});

test('SVC 0x123456 / T16 SVC 0xAB: semihosting call at PL1, no exception, continues after', () => {
  const h = arm([0xef123456]);
  const calls = recordSemihosting(h.cpu);
  h.cpu.r[0] = 0x18;
  h.run(1);
  assert.deepEqual(calls, [0x18]);
  assert.equal(h.cpu.r[0], 42);
  assert.equal(h.cpu.mode, Mode.Svc);
  assert.equal(h.cpu.pc, CODE_BASE + 4);
  const t = thumb([0xdfab]);
  const tCalls = recordSemihosting(t.cpu);
  t.cpu.r[0] = 4;
  t.run(1);
  assert.deepEqual(tCalls, [4]);
  assert.equal(t.cpu.pc, CODE_BASE + 2);
});

test('SVC 0x123456 from User mode, or without a handler, is an ordinary SVC', () => {
  const h = arm([0xef123456]);
  const calls = recordSemihosting(h.cpu);
  h.cpu.setMode(Mode.Usr);
  h.run(1);
  assert.deepEqual(calls, []);
  assert.equal(h.cpu.mode, Mode.Svc);
  assert.equal(h.cpu.pc, VECTORS + 8);
  const g = arm([0xef123456]);
  g.run(1);
  assert.equal(g.cpu.pc, VECTORS + 8);
});

test('HLT #0xF000 (A32) / HLT #0x3C (T16): semihosting with a handler, else UNDEFINED', () => {
  const h = arm([0xe10f0070]); // hlt #0xf000
  const calls = recordSemihosting(h.cpu);
  h.run(1);
  assert.equal(calls.length, 1);
  assert.equal(h.cpu.pc, CODE_BASE + 4);
  const t = thumb([0xbabc]); // hlt #0x3c
  recordSemihosting(t.cpu);
  t.run(1);
  assert.equal(t.cpu.pc, CODE_BASE + 2);
  for (const g of [arm([0xe10f0070]), thumb([0xbabc])]) {
    g.run(1);
    assert.equal(g.cpu.mode, Mode.Und);
  }
  const other = arm([0xe1000071]); // hlt #1
  recordSemihosting(other.cpu);
  other.run(1);
  assert.equal(other.cpu.mode, Mode.Und);
});

test('BKPT A1 / T1: Prefetch Abort, LR = BKPT + 4, IFSR = debug event, IFAR = 0', () => {
  for (const h of [arm([0xe1212374]), thumb([0xbe34])]) {
    h.cpu.cp15.ifar = 0x1234;
    h.cpu.maskA = 0;
    h.run(1);
    assert.equal(h.cpu.mode, Mode.Abt);
    assert.equal(h.cpu.pc, VECTORS + 0x0c);
    assert.equal(u32(h.cpu.r[14]!), CODE_BASE + 4);
    assert.equal(h.cpu.cp15.ifsr, 0x2);
    assert.equal(h.cpu.cp15.ifar, 0);
    assert.equal(h.cpu.maskA, 1);
  }
});

test('UDF A1 / T1 / T2: Undefined Instruction, LR = address + 4 (ARM) or + 2 (Thumb)', () => {
  const cases = [[arm([0xe7fabcfd]), 4], [thumb([0xde12]), 2], [thumb([0xf7f1, 0xa234]), 2]] as const;
  for (const [h, offset] of cases) {
    h.run(1);
    assert.equal(h.cpu.mode, Mode.Und);
    assert.equal(h.cpu.pc, VECTORS + 4);
    assert.equal(u32(h.cpu.r[14]!), CODE_BASE + offset);
  }
});

test('SMC and HVC are UNDEFINED without EL3 / EL2 (QEMU virt)', () => {
  for (const h of [arm([0xe1600071]), arm([0xe1412374]), thumb([0xf7f1, 0x8000]), thumb([0xf7e1, 0x8234])]) {
    h.run(1);
    assert.equal(h.cpu.mode, Mode.Und);
  }
});

test('SMC with the Security Extensions: Monitor mode, LR = next, SPSR saved; UNDEFINED at PL0', () => {
  const h = arm([0xe1600071], WITH_EL3);
  h.run(1);
  assert.equal(h.cpu.mode, Mode.Mon);
  assert.equal(u32(h.cpu.r[14]!), CODE_BASE + 4);
  assert.equal(h.cpu.getSpsr() & 0x1f, Mode.Svc);
  const u = arm([0xe1600071], WITH_EL3);
  u.cpu.setMode(Mode.Usr);
  u.run(1);
  assert.equal(u.cpu.mode, Mode.Und);
});

test('ERET A1 / T1 in SVC mode: returns to LR with SPSR, to Thumb User mode', () => {
  for (const h of [arm([0xe160006e]), thumb([0xf3de, 0x8f00])]) {
    h.cpu.r[14] = CODE_BASE + 0x101;
    h.cpu.bankedSpsr[Bank.Svc] = 0x80000030; // N, T, usr
    h.run(1);
    assert.equal(h.cpu.mode, Mode.Usr);
    assert.equal(h.cpu.thumb, 1);
    assert.equal(h.cpu.nf, 1);
    assert.equal(h.cpu.pc, CODE_BASE + 0x100);
  }
});

test('ERET in Hyp mode returns to ELR_hyp with SPSR_hyp; UNDEFINED in User mode', () => {
  const h = arm([0xe160006e], WITH_EL2);
  h.cpu.setMode(Mode.Hyp);
  h.cpu.elrHyp = CODE_BASE + 0x200;
  h.cpu.r[14] = 0;
  h.cpu.bankedSpsr[Bank.Hyp] = 0x000001d3;
  h.run(1);
  assert.equal(h.cpu.mode, Mode.Svc);
  assert.equal(h.cpu.pc, CODE_BASE + 0x200);
  const u = arm([0xe160006e]);
  u.cpu.setMode(Mode.Usr);
  u.run(1);
  assert.equal(u.cpu.mode, Mode.Und);
});

test('SUBS PC, LR, #4 (T32): returns to LR - 4 with SPSR', () => {
  const h = thumb([0xf3de, 0x8f04]);
  h.cpu.setMode(Mode.Irq);
  h.cpu.r[14] = CODE_BASE + 0x84;
  h.cpu.bankedSpsr[Bank.Irq] = 0x00000013;
  h.run(1);
  assert.equal(h.cpu.mode, Mode.Svc);
  assert.equal(h.cpu.thumb, 0);
  assert.equal(h.cpu.pc, CODE_BASE + 0x80);
});

test('SUBS PC, LR, #imm8 (T32) is UNDEFINED in Hyp and User mode (as QEMU)', () => {
  // Built from this area's table directly (isa-data also lists the encoding).
  const entry = t32ControlEncodings.find((e) => e.name.startsWith('SUBS PC, LR'))!;
  for (const mode of [Mode.Hyp, Mode.Usr]) {
    const h = thumb([0xf3de, 0x8f04], WITH_EL2);
    h.cpu.setMode(mode);
    h.cpu.nextPc = CODE_BASE + 4;
    entry.build(0xf3de8f04 | 0, OUTSIDE_IT)!(h.cpu);
    // In Hyp mode the Undefined Instruction exception is taken to Hyp mode itself.
    assert.equal(h.cpu.mode, mode === Mode.Hyp ? Mode.Hyp : Mode.Und);
  }
});

test('exception return to Hyp mode from SVC mode keeps the mode (illegal return, as QEMU)', () => {
  const h = arm([0xe160006e], WITH_EL2);
  h.cpu.r[14] = CODE_BASE + 0x40;
  h.cpu.bankedSpsr[Bank.Svc] = 0x8000001a;
  h.run(1);
  assert.equal(h.cpu.mode, Mode.Svc);
  assert.equal(h.cpu.nf, 1);
  assert.equal(h.cpu.pc, CODE_BASE + 0x40);
});
