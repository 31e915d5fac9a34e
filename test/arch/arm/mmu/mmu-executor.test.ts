import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Mode } from '../../../../src/arch/arm/modes.js';
import { makeHarness, type Harness } from '../../../support/cpu-harness.js';

const TTB = 0x40004000;
const L2 = 0x40008000;
const LDR_R0_R1 = 0xe5910000;
const LDRT_R0_R1 = 0xe4b10000;
const MOV_R0_1 = 0xe3a00001;
const MOV_R0_2 = 0xe3a00002;

/** Identity section for RAM (code at 0x40010000), client domain 0, MMU on. */
function mmuHarness(): Harness {
  const h = makeHarness();
  h.writeWords(TTB + 0x400 * 4, [0x40000000 | (3 << 10) | 2]);
  h.cpu.cp15.ttbr0 = TTB;
  h.cpu.cp15.dacr = 1;
  h.cpu.cp15.writeSctlr(h.cpu.cp15.sctlr | 1);
  return h;
}

function cp15Write(h: Harness, crn: number, crm: number, opc2: number, value: number): void {
  h.cpu.cp15.lookup(0, crn, crm, opc2)!.write!(h.cpu.cp15, h.cpu, value);
}

test('mmu: a load from an unmapped section is a data abort with DFSR 0x005 and DFAR the address', () => {
  const h = mmuHarness();
  h.writeWords(0x40010000, [LDR_R0_R1]);
  h.cpu.r[1] = 0x90000004 | 0;
  h.run(1);
  assert.equal(h.cpu.mode, Mode.Abt);
  assert.equal(h.cpu.cp15.dfsr, 0x005);
  assert.equal(h.cpu.cp15.dfar >>> 0, 0x90000004);
});

test('mmu: LDRT at PL1 is checked against PL0 permissions (AP=001 section)', () => {
  const h = mmuHarness();
  h.writeWords(TTB + 0x800 * 4, [0x40000000 | (1 << 10) | 2]);
  h.writeWords(0x40010000, [LDR_R0_R1, LDRT_R0_R1]);
  h.writeWords(0x40000100, [0x12345678]);
  h.cpu.r[1] = 0x80000100 | 0;
  h.run(1);
  assert.equal(h.cpu.r[0], 0x12345678);
  assert.equal(h.cpu.mode, Mode.Svc);
  h.run(1);
  assert.equal(h.cpu.mode, Mode.Abt);
  assert.equal(h.cpu.cp15.dfsr, 0x00d);
});

test('mmu: instruction fetch translates again after TLBIALL (the executor forgets its fetched page)', () => {
  const h = mmuHarness();
  h.writeWords(TTB + 0x800 * 4, [L2 | 1]);
  h.writeWords(L2, [0x40020000 | (3 << 4) | 2]);
  h.writeWords(0x40020000, [MOV_R0_1]);
  h.writeWords(0x40021000, [MOV_R0_2]);
  h.cpu.pc = 0x80000000;
  h.run(1);
  assert.equal(h.cpu.r[0], 1);
  h.writeWords(L2, [0x40021000 | (3 << 4) | 2]);
  cp15Write(h, 8, 7, 0, 0); // TLBIALL
  h.cpu.pc = 0x80000000;
  h.run(1);
  assert.equal(h.cpu.r[0], 2);
});

test('mmu: a fetch in User mode from a PL1-only page is a prefetch abort even right after PL1 ran there', () => {
  const h = mmuHarness();
  h.writeWords(TTB + 0x800 * 4, [0x40000000 | (1 << 10) | 2]);
  h.writeWords(0x40010000, [MOV_R0_1, MOV_R0_2]);
  h.cpu.pc = 0x80010000;
  h.run(1);
  assert.equal(h.cpu.r[0], 1);
  h.cpu.setMode(Mode.Usr);
  h.run(1);
  assert.equal(h.cpu.mode, Mode.Abt);
  assert.equal(h.cpu.cp15.ifsr, 0x00d);
  assert.equal(h.cpu.cp15.ifar >>> 0, 0x80010004);
});

test('mmu: ATS1CPR leaves PA and NS in PAR, or F and the fault status', () => {
  const h = mmuHarness();
  h.writeWords(TTB + 0x800 * 4, [0x40000000 | (3 << 10) | 2]);
  cp15Write(h, 7, 8, 0, 0x80012345);
  assert.equal(h.cpu.cp15.par >>> 0, 0x40012200);
  cp15Write(h, 7, 8, 0, 0x90000000);
  assert.equal(h.cpu.cp15.par, 0x0b); // F, FS = translation fault (section)
});
