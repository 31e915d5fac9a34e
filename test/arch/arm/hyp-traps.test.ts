import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  HCR_TAC, HCR_TID0, HCR_TID2, HCR_TID3, HCR_TIDCP, HCR_TSC, HCR_TSW, HCR_TTLB, HCR_TVM, HCR_TWE, HCR_TWI,
} from '../../../src/arch/arm/hyp/hcr.js';
import { Mode } from '../../../src/arch/arm/modes.js';
import type { Harness } from '../../support/cpu-harness.js';
import { CODE_BASE, HVBAR, VBAR, hypHarness, hypThumbHarness, u32 } from './hyp-harness.js';

// Traps to Hyp mode (ARM ARM B1.14) and their HSR values (B3.13.6), each as QEMU 7.2 builds it
// (syndrome.h: CV = 1, COND = 0xE, IL = 1 for coprocessor traps). A Hyp-mode guest under
// `qemu-system-arm -M virt,virtualization=on -cpu cortex-a15` gave the same HSR for TWI, TVM
// (MCR and MCRR), TAC, TTLB, TID2, TID0/TID3 on VMRS, TSC, HSTR.T13, TDA, TDRA, TPM and TCP10;
// the traps QEMU's v7 core lacks (see hyp/coprocessor-traps.ts) are checked against the formula.

/** Runs one instruction and checks it was trapped: Hyp Trap entry, ELR_hyp = it, the HSR. */
function assertTrapped(h: Harness, hsr: number, message?: string): void {
  h.run(1);
  assert.equal(h.cpu.mode, Mode.Hyp, message);
  assert.equal(u32(h.cpu.pc), HVBAR + 0x14, message);
  assert.equal(u32(h.cpu.elrHyp), CODE_BASE, message);
  assert.equal(u32(h.cpu.cp15.hsr), hsr, message);
}

function withHcr(words: readonly number[], hcr: number, mode: number = Mode.Svc): Harness {
  const h = hypHarness(words, mode);
  h.cpu.cp15.hcr = hcr;
  return h;
}

test('hyp traps: WFI with HCR.TWI and WFE with HCR.TWE: EC 0x01, TI, IL from the instruction size', () => {
  assertTrapped(withHcr([0xe320f003], HCR_TWI), 0x07e00000);
  assertTrapped(withHcr([0xe320f002], HCR_TWE), 0x07e00001);
  const t = hypThumbHarness([0xbf30]);
  t.cpu.cp15.hcr = HCR_TWI;
  assertTrapped(t, 0x05e00000, 'T16 WFI has IL = 0');
});

test('hyp traps: WFI is not trapped in Hyp mode, nor when an interrupt is pending (it would not wait)', () => {
  const hyp = withHcr([0xe320f003], HCR_TWI, Mode.Hyp);
  hyp.run(1);
  assert.equal(hyp.cpu.waitingForInterrupt, true);
  const pending = withHcr([0xe320f003], HCR_TWI);
  pending.cpu.maskI = 1;
  pending.cpu.setIrq(true);
  pending.run(1);
  assert.equal(pending.cpu.mode, Mode.Svc);
});

test('hyp traps: HCR.TID3 traps MRC ID_PFR0 (EC 0x03); HCR.TID2 CTR; HCR.TIDCP the L2CTLR encoding', () => {
  assertTrapped(withHcr([0xee103f11], HCR_TID3), 0x0fe00063); // mrc p15, 0, r3, c0, c1, 0
  assertTrapped(withHcr([0xee100f30], HCR_TID2), 0x0fe20001); // mrc p15, 0, r0, c0, c0, 1
  assertTrapped(withHcr([0xee390f50], HCR_TIDCP), 0x0fe46401); // mrc p15, 1, r0, c9, c0, 2
  const free = withHcr([0xee103f11], HCR_TID2);
  free.run(1);
  assert.equal(free.cpu.r[3], 0x00001131, 'ID_PFR0 reads normally without TID3');
});

test('hyp traps: HCR.TVM traps SCTLR writes, not reads; HCR.TAC traps ACTLR; TSW DCISW; TTLB TLBIALL', () => {
  assertTrapped(withHcr([0xee010f10], HCR_TVM), 0x0fe00400); // mcr p15, 0, r0, c1, c0, 0
  const read = withHcr([0xee110f10], HCR_TVM);
  read.run(1);
  assert.equal(read.cpu.mode, Mode.Svc);
  assertTrapped(withHcr([0xee111f30], HCR_TAC), 0x0fe20421); // mrc p15, 0, r1, c1, c0, 1
  assertTrapped(withHcr([0xee070f56], HCR_TSW), 0x0fe41c0c); // mcr p15, 0, r0, c7, c6, 2
  assertTrapped(withHcr([0xee080f17], HCR_TTLB), 0x0fe0200e); // mcr p15, 0, r0, c8, c7, 0
});

test('hyp traps: HCR.TVM traps MCRR TTBR0 (EC 0x04: Opc1, Rt2, Rt, CRm)', () => {
  assertTrapped(withHcr([0xec432f02], HCR_TVM), 0x13e00c44); // mcrr p15, 0, r2, r3, c2
});

test('hyp traps: HSTR.T13 traps a PL0 TPIDRURW read; at PL1 HSTR.T1 takes priority over a missing register', () => {
  const user = hypHarness([0xee1d0f50], Mode.Usr); // mrc p15, 0, r0, c13, c0, 2
  user.cpu.cp15.hstr = 1 << 13;
  assertTrapped(user, 0x0fe43401);
  const missing = hypHarness([0xee110fb0]); // mrc p15, 0, r0, c1, c0, 5: no such register
  missing.cpu.cp15.hstr = 1 << 1;
  assertTrapped(missing, 0x0fea0401);
  const undef = hypHarness([0xee110fb0]);
  undef.run(1);
  assert.equal(undef.cpu.mode, Mode.Und);
  // A PL0 access that is UNDEFINED at PL0 stays UNDEFINED even when HSTR traps its CRn.
  const pl1Only = hypHarness([0xee110f10], Mode.Usr); // SCTLR read at PL0
  pl1Only.cpu.cp15.hstr = 1 << 1;
  pl1Only.run(1);
  assert.equal(pl1Only.cpu.mode, Mode.Und);
});

test('hyp traps: HDCR.TDA traps CP14 DBGDIDR (EC 0x05), also from PL0; HDCR.TDRA the 64-bit DBGDRAR (EC 0x0c)', () => {
  const tda = hypHarness([0xee100e10]); // mrc p14, 0, r0, c0, c0, 0
  tda.cpu.cp15.hdcr = 1 << 9;
  assertTrapped(tda, 0x17e00001);
  const user = hypHarness([0xee100e10], Mode.Usr);
  user.cpu.cp15.hdcr = 1 << 9;
  assertTrapped(user, 0x17e00001);
  const tdra = hypHarness([0xec510e01]); // mrrc p14, 0, r0, r1, c1
  tdra.cpu.cp15.hdcr = 1 << 11;
  assertTrapped(tdra, 0x33e00403);
  const undef = hypHarness([0xec510e01]);
  undef.run(1);
  assert.equal(undef.cpu.mode, Mode.Und, 'there is no 64-bit CP14 register to read');
});

test('hyp traps: HDCR.TPMCR traps PMCR (EC 0x03), HDCR.TPM every Performance Monitors register', () => {
  const tpmcr = hypHarness([0xee190f1c]); // mrc p15, 0, r0, c9, c12, 0
  tpmcr.cpu.cp15.hdcr = 1 << 5;
  assertTrapped(tpmcr, 0x0fe02419);
  const other = hypHarness([0xee190f3c]); // mrc p15, 0, r0, c9, c12, 1 (PMCNTENSET)
  other.cpu.cp15.hdcr = 1 << 5;
  other.run(1);
  assert.equal(other.cpu.mode, Mode.Svc);
  const tpm = hypHarness([0xee190f3c]);
  tpm.cpu.cp15.hdcr = 1 << 6;
  assertTrapped(tpm, 0x0fe22419);
});

test('hyp traps: SMC with HCR.TSC on the SMC conduit: EC 0x13, preferred return the SMC; otherwise the firmware call', () => {
  const trapped = withHcr([0xe1600070], HCR_TSC);
  trapped.cpu.firmwareConduit = 'smc';
  const calls: number[] = [];
  trapped.cpu.firmwareCall = (cpu) => { calls.push(cpu.r[0]!); };
  assertTrapped(trapped, 0x4e000000);
  const called = hypHarness([0xe1600070]);
  called.cpu.firmwareConduit = 'smc';
  called.cpu.firmwareCall = (cpu) => { calls.push(cpu.r[0]!); cpu.r[0] = 7; };
  called.cpu.r[0] = 0x84000000;
  called.run(1);
  assert.equal(called.cpu.mode, Mode.Svc);
  assert.equal(called.cpu.r[0], 7);
  assert.equal(u32(called.cpu.pc), CODE_BASE + 4);
  assert.deepEqual(calls, [0x84000000 | 0]);
  // With the HVC conduit (and no EL3), SMC is UNDEFINED, TSC or not (QEMU helper_pre_smc).
  const undef = withHcr([0xe1600070], HCR_TSC);
  undef.run(1);
  assert.equal(undef.cpu.mode, Mode.Und);
});

test('hyp traps: HCPTR.TCP10 traps VFP from PL1 (EC 0x07, coproc 0xA) and, in Hyp mode, through the Undefined vector', () => {
  const h = hypHarness([0xeef10a10]); // vmrs r0, fpscr
  h.cpu.cp15.hcptr = 3 << 10;
  assertTrapped(h, 0x1fe0000a);
  const hyp = hypHarness([0xeef10a10], Mode.Hyp);
  hyp.cpu.cp15.hcptr = 1 << 10;
  hyp.cpu.cp15.cpacr = 0; // CPACR does not apply in Hyp mode
  hyp.run(1);
  assert.equal(u32(hyp.cpu.pc), HVBAR + 0x04);
  assert.equal(u32(hyp.cpu.cp15.hsr), 0x1fe0000a);
  // CPACR is checked first: a PL1 access it denies is UNDEFINED at PL1.
  const cpacr = hypHarness([0xeef10a10]);
  cpacr.cpu.cp15.hcptr = 1 << 10;
  cpacr.cpu.cp15.cpacr = 0;
  cpacr.run(1);
  assert.equal(cpacr.cpu.mode, Mode.Und);
  assert.equal(u32(cpacr.cpu.pc), VBAR + 0x04);
  // The trap syndrome is not left behind for a later, unrelated UNDEFINED instruction.
  const later = hypHarness([0xe7f000f0], Mode.Hyp);
  later.cpu.cp15.cpacr = 0;
  later.run(1);
  assert.equal(later.cpu.cp15.hsr, 0);
});

test('hyp traps: VMRS MVFR0 with HCR.TID3 and FPSID with HCR.TID0 (EC 0x08, opc1 = 7, CRn = the register)', () => {
  assertTrapped(withHcr([0xeef71a10], HCR_TID3), 0x23e1dc21); // vmrs r1, mvfr0
  assertTrapped(withHcr([0xeef01a10], HCR_TID0), 0x23e1c021); // vmrs r1, fpsid
  const hyp = withHcr([0xeef71a10], HCR_TID3, Mode.Hyp);
  hyp.run(1);
  assert.equal(hyp.cpu.r[1], 0x10110222, 'Hyp mode reads MVFR0');
});

test('hyp traps: HCPTR.TCPAC traps CPACR accesses from PL1', () => {
  const h = hypHarness([0xee111f50]); // mrc p15, 0, r1, c1, c0, 2
  h.cpu.cp15.hcptr = 1 << 31;
  assertTrapped(h, 0x0fe40421);
});

test('hyp traps: nothing traps in Hyp mode', () => {
  const h = withHcr([0xee111f30, 0xee010f10], HCR_TAC | HCR_TVM, Mode.Hyp);
  h.cpu.cp15.hstr = 0xbfef;
  h.run(2);
  assert.equal(u32(h.cpu.pc), CODE_BASE + 8);
});
