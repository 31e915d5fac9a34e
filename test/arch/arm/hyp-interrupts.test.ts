import assert from 'node:assert/strict';
import { test } from 'node:test';
import { HCR_AMO, HCR_FMO, HCR_IMO, HCR_TGE, HCR_VA, HCR_VF, HCR_VI } from '../../../src/arch/arm/hyp/hcr.js';
import { Mode } from '../../../src/arch/arm/modes.js';
import { CODE_BASE, HVBAR, VBAR, hypHarness, u32 } from './hyp-harness.js';

// Interrupt routing to Hyp mode and virtual interrupts (ARM ARM B1.8 asynchronous exceptions and
// their masking, B4.1.65 HCR.IMO/FMO/AMO/VI/VF/VA), in QEMU 7.2's priority order. Under QEMU
// (virtualization=on) HCR.VI with IMO read ISR = 0x080 at SVC and entered IRQ mode at VBAR + 0x18
// with LR = next + 4; HCR.VA with AMO entered Abort mode at VBAR + 0x10, LR = next + 8, DFSR 0x406.

const NOP = 0xe320f000;
const NOPS = [NOP, NOP, NOP, NOP];

test('hyp interrupts: with HCR.IMO a physical IRQ at PL1 goes to Hyp (vector 0x18) even with CPSR.I set; ELR_hyp = next', () => {
  const h = hypHarness(NOPS);
  h.cpu.cp15.hcr = HCR_IMO;
  h.cpu.cp15.hsr = 0x1234;
  h.cpu.maskI = 1;
  h.run(1);
  h.cpu.setIrq(true);
  h.run(1);
  assert.equal(h.cpu.mode, Mode.Hyp);
  assert.equal(u32(h.cpu.pc), HVBAR + 0x1c); // the vector's NOP ran
  assert.equal(u32(h.cpu.elrHyp), CODE_BASE + 4);
  assert.equal(h.cpu.cp15.hsr, 0x1234, 'IRQ entry leaves HSR');
  assert.deepEqual([h.cpu.maskA, h.cpu.maskI, h.cpu.maskF], [1, 1, 1]);
});

test('hyp interrupts: in Hyp mode a physical IRQ is masked by CPSR.I and taken at 0x18 when clear; FIQ with FMO at 0x1c', () => {
  const h = hypHarness(NOPS, Mode.Hyp);
  h.cpu.cp15.hcr = HCR_IMO | HCR_FMO;
  h.cpu.maskI = 1;
  h.cpu.setIrq(true);
  h.run(1);
  assert.equal(u32(h.cpu.pc), CODE_BASE + 4);
  h.cpu.maskI = 0;
  h.cpu.nextPc = h.cpu.pc;
  assert.equal(h.cpu.takePendingInterrupt(), true);
  assert.equal(u32(h.cpu.pc), HVBAR + 0x18);
  const f = hypHarness(NOPS);
  f.cpu.cp15.hcr = HCR_FMO;
  f.cpu.maskF = 1;
  f.cpu.setFiq(true);
  assert.equal(f.cpu.takePendingInterrupt(), true);
  assert.equal(u32(f.cpu.pc), HVBAR + 0x1c);
});

test('hyp interrupts: without IMO a physical IRQ stays at PL1', () => {
  const h = hypHarness(NOPS);
  h.cpu.setIrq(true);
  assert.equal(h.cpu.takePendingInterrupt(), true);
  assert.equal(h.cpu.mode, Mode.Irq);
});

test('hyp interrupts: HCR.VI with IMO is a virtual IRQ taken at PL1 (IRQ mode, VBAR + 0x18), masked by CPSR.I', () => {
  const h = hypHarness(NOPS);
  h.cpu.cp15.hcr = HCR_IMO | HCR_VI;
  h.cpu.virtualInterruptsChanged();
  h.cpu.maskI = 1;
  h.run(1);
  assert.equal(h.cpu.mode, Mode.Svc);
  h.cpu.maskI = 0;
  h.run(1);
  assert.equal(h.cpu.mode, Mode.Irq);
  assert.equal(u32(h.cpu.pc), VBAR + 0x1c);
  assert.equal(u32(h.cpu.r[14]!), CODE_BASE + 8);
});

test('hyp interrupts: the GIC vIRQ input is a virtual IRQ too; never taken in Hyp mode, nor without IMO', () => {
  const h = hypHarness(NOPS);
  h.cpu.cp15.hcr = HCR_IMO;
  h.cpu.setVirtualIrq(true);
  assert.equal(h.cpu.takePendingInterrupt(), true);
  assert.equal(h.cpu.mode, Mode.Irq);
  const hyp = hypHarness(NOPS, Mode.Hyp);
  hyp.cpu.cp15.hcr = HCR_IMO;
  hyp.cpu.setVirtualIrq(true);
  assert.equal(hyp.cpu.takePendingInterrupt(), false);
  const unrouted = hypHarness(NOPS);
  unrouted.cpu.setVirtualIrq(true);
  assert.equal(unrouted.cpu.takePendingInterrupt(), false);
  unrouted.cpu.setVirtualIrq(false);
  assert.equal(unrouted.cpu.interruptLines, 0);
});

test('hyp interrupts: a virtual FIQ (HCR.VF or vFIQ) with FMO enters FIQ mode', () => {
  const h = hypHarness(NOPS);
  h.cpu.cp15.hcr = HCR_FMO;
  h.cpu.setVirtualFiq(true);
  assert.equal(h.cpu.takePendingInterrupt(), true);
  assert.equal(h.cpu.mode, Mode.Fiq);
  const vf = hypHarness(NOPS);
  vf.cpu.cp15.hcr = HCR_FMO | HCR_VF;
  vf.cpu.virtualInterruptsChanged();
  assert.equal(vf.cpu.takePendingInterrupt(), true);
  assert.equal(vf.cpu.mode, Mode.Fiq);
});

test('hyp interrupts: HCR.VA with AMO is a virtual abort: Abort mode, DFSR async external, LR = next + 8, VA cleared', () => {
  const h = hypHarness(NOPS);
  h.cpu.cp15.hcr = HCR_AMO | HCR_VA;
  h.cpu.virtualInterruptsChanged();
  h.cpu.maskA = 1;
  h.run(1);
  assert.equal(h.cpu.mode, Mode.Svc, 'masked by CPSR.A');
  h.cpu.maskA = 0;
  h.cpu.nextPc = h.cpu.pc;
  assert.equal(h.cpu.takePendingInterrupt(), true);
  assert.equal(h.cpu.mode, Mode.Abt);
  assert.equal(u32(h.cpu.pc), VBAR + 0x10);
  assert.equal(u32(h.cpu.r[14]!), CODE_BASE + 4 + 8);
  assert.equal(h.cpu.cp15.dfsr, 0x406);
  assert.equal(h.cpu.cp15.hcr & HCR_VA, 0);
  assert.equal(h.cpu.interruptLines, 0);
});

test('hyp interrupts: a physical IRQ routed to Hyp is taken before a virtual IRQ', () => {
  const h = hypHarness(NOPS);
  h.cpu.cp15.hcr = HCR_IMO | HCR_VI;
  h.cpu.virtualInterruptsChanged();
  h.cpu.setIrq(true);
  assert.equal(h.cpu.takePendingInterrupt(), true);
  assert.equal(h.cpu.mode, Mode.Hyp);
});

test('hyp interrupts: HCR.TGE routes a PL0 physical IRQ to Hyp mode and disables virtual interrupts', () => {
  const h = hypHarness(NOPS, Mode.Usr);
  h.cpu.cp15.hcr = HCR_TGE | HCR_IMO | HCR_VI;
  h.cpu.virtualInterruptsChanged();
  assert.equal(h.cpu.takePendingInterrupt(), false);
  h.cpu.setIrq(true);
  assert.equal(h.cpu.takePendingInterrupt(), true);
  assert.equal(u32(h.cpu.pc), HVBAR + 0x18);
});

test('hyp interrupts: an MCR to HCR in Hyp mode raises HCR.VI, taken after ERET to SVC', () => {
  // mcr p15, 4, r0, c1, c1, 0 (HCR = IMO | VI); eret
  const h = hypHarness([0xee810f11, 0xe160006e, NOP], Mode.Hyp);
  h.cpu.r[0] = HCR_IMO | HCR_VI;
  h.cpu.elrHyp = CODE_BASE + 8;
  h.cpu.bankedSpsr[7] = Mode.Svc; // SPSR_hyp: SVC, interrupts unmasked
  h.run(2);
  assert.equal(h.cpu.mode, Mode.Svc);
  h.run(1);
  assert.equal(h.cpu.mode, Mode.Irq);
  assert.equal(u32(h.cpu.r[14]!), CODE_BASE + 8 + 4);
});

test('hyp interrupts: ISR shows the virtual IRQ and abort at PL1 with IMO/AMO, the physical lines in Hyp mode', () => {
  const h = hypHarness([0xee1c0f11, 0xee1c0f11]); // mrc p15, 0, r0, c12, c1, 0 (ISR), twice
  h.cpu.maskA = h.cpu.maskI = h.cpu.maskF = 1;
  h.cpu.cp15.hcr = HCR_IMO | HCR_AMO | HCR_VA;
  h.cpu.virtualInterruptsChanged();
  h.cpu.setFiq(true);
  h.run(1);
  assert.equal(h.cpu.r[0], 0x140, 'A (virtual) and F (physical, FMO clear)');
  h.cpu.setVirtualIrq(true);
  h.run(1);
  assert.equal(h.cpu.r[0], 0x1c0);
  const hyp = hypHarness([0xee1c0f11], Mode.Hyp);
  hyp.cpu.cp15.hcr = HCR_IMO;
  hyp.cpu.setVirtualIrq(true);
  hyp.cpu.maskI = 1;
  hyp.run(1);
  assert.equal(hyp.cpu.r[0], 0);
});
