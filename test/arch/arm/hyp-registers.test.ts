import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Cpu } from '../../../src/arch/arm/cpu.js';
import { HCR_TSC } from '../../../src/arch/arm/hyp/hcr.js';
import { Mode } from '../../../src/arch/arm/modes.js';
import { Bus } from '../../../src/hw/bus.js';
import { RAM_BASE } from '../../support/cpu-harness.js';
import { EL2, HVBAR, hypHarness, u32 } from './hyp-harness.js';

// The Hyp CP15 registers (ARM ARM B4.1, Virtualization Extensions registers): PL2 only, reset as
// QEMU 7.2's cortex-a15, and MIDR/MPIDR reading VPIDR/VMPIDR below Hyp mode (B4.1.105/106).

const MRC_HCR = 0xee910f11; // mrc p15, 4, r0, c1, c1, 0
const MCR_HCR = 0xee810f11; // mcr p15, 4, r0, c1, c1, 0
const MRC_MIDR = 0xee100f10;
const MRC_MPIDR = 0xee100fb0;

test('hyp registers: HCR and HSR are UNDEFINED at PL1 and PL0, readable in Hyp mode', () => {
  for (const word of [MRC_HCR, 0xee950f12 /* mrc p15, 4, r0, c5, c2, 0: HSR */]) {
    for (const mode of [Mode.Svc, Mode.Usr]) {
      const h = hypHarness([word], mode);
      h.run(1);
      assert.equal(h.cpu.mode, Mode.Und, `0x${word.toString(16)} in mode 0x${mode.toString(16)}`);
    }
  }
  const h = hypHarness([MRC_HCR], Mode.Hyp);
  h.cpu.cp15.hcr = 0x18;
  h.run(1);
  assert.equal(h.cpu.r[0], 0x18);
});

test('hyp registers: CBAR (opc1 = 4, c15) stays readable at PL1', () => {
  const h = hypHarness([0xee9f0f10]); // mrc p15, 4, r0, c15, c0, 0
  h.run(1);
  assert.equal(h.cpu.mode, Mode.Svc);
  assert.equal(h.cpu.r[0], 0x08000000);
});

test('hyp registers: reset values (VPIDR = MIDR, VMPIDR = MPIDR, HDCR.HPMN = 6, the rest zero)', () => {
  const cpu = new Cpu(new Bus(RAM_BASE, 1 << 16), EL2, { index: 1, count: 2 });
  const c = cpu.cp15;
  assert.equal(u32(c.vpidr), 0x414fc0f0);
  assert.equal(u32(c.vmpidr), 0x80000001);
  assert.equal(c.hdcr, 6);
  assert.deepEqual([c.hcr, c.hstr, c.hcptr, c.hsctlr, c.hvbar, c.hsr, c.hdfar, c.hifar, c.hpfar, c.htpidr], [0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
});

test('hyp registers: MIDR and MPIDR read VPIDR and VMPIDR at PL1, the real values in Hyp mode', () => {
  // mcr p15, 4, r1, c0, c0, 0 (VPIDR); mcr p15, 4, r2, c0, c0, 5 (VMPIDR); mrc MIDR; mrc MPIDR
  const h = hypHarness([0xee801f10, 0xee802fb0, MRC_MIDR, MRC_MPIDR], Mode.Hyp);
  h.cpu.r[1] = 0x410fc0f1;
  h.cpu.r[2] = 0x80000003 | 0;
  h.run(4);
  assert.equal(u32(h.cpu.r[0]!), 0x80000000);
  const pl1 = hypHarness([MRC_MIDR, 0xe1a03000 /* mov r3, r0 */, MRC_MPIDR]);
  pl1.cpu.cp15.vpidr = 0x410fc0f1;
  pl1.cpu.cp15.vmpidr = 0x80000003 | 0;
  pl1.run(3);
  assert.equal(u32(pl1.cpu.r[3]!), 0x410fc0f1);
  assert.equal(u32(pl1.cpu.r[0]!), 0x80000003);
});

test('hyp registers: HCR keeps the v7 bits [27:0]; TSC only with EL3 or the SMC firmware conduit (QEMU do_hcr_write)', () => {
  const h = hypHarness([MCR_HCR, MRC_HCR], Mode.Hyp);
  h.cpu.r[0] = -1;
  h.run(2);
  assert.equal(u32(h.cpu.r[0]!), 0x0fffffff & ~HCR_TSC);
  const smc = hypHarness([MCR_HCR, MRC_HCR], Mode.Hyp);
  smc.cpu.firmwareConduit = 'smc';
  smc.cpu.r[0] = -1;
  smc.run(2);
  assert.equal(u32(smc.cpu.r[0]!), 0x0fffffff);
});

test('hyp registers: HCR and HSCTLR writes recompute translation state; HVBAR drops bits [4:0]', () => {
  // mcr HCR; mcr p15, 4, r0, c1, c0, 0 (HSCTLR); mcr p15, 4, r0, c12, c0, 0 (HVBAR)
  const h = hypHarness([MCR_HCR, 0xee810f10, 0xee8c0f10], Mode.Hyp);
  let changes = 0;
  h.cpu.cp15.translationControlChanged = () => { changes++; };
  h.cpu.r[0] = HVBAR | 0x1f;
  h.run(3);
  assert.equal(changes, 2);
  assert.equal(u32(h.cpu.cp15.hvbar), HVBAR);
});

test('hyp registers: HTPIDR, HDFAR, HIFAR, HPFAR and HSR read back in Hyp mode', () => {
  // mcr/mrc p15, 4, rX, c13, c0, 2 (HTPIDR); mcr/mrc p15, 4, rX, c6, c0, 4 (HPFAR)
  const h = hypHarness([0xee8d0f50, 0xee9d1f50, 0xee860f90, 0xee962f90], Mode.Hyp);
  h.cpu.r[0] = 0x12345678;
  h.run(4);
  assert.equal(h.cpu.r[1], 0x12345678);
  assert.equal(h.cpu.r[2], 0x12345670, 'HPFAR bits [3:0] are RES0');
});

test('hyp registers: a register marked hypOnly is UNDEFINED below Hyp mode whatever its encoding', () => {
  const h = hypHarness([0xee070f98]); // mcr p15, 0, r0, c7, c8, 4 (ATS12NSOPR's encoding)
  let writes = 0;
  h.cpu.cp15.define(0, 7, 8, 4, { name: 'ATS12NSOPR', hypOnly: true, write: () => { writes++; } });
  h.run(1);
  assert.equal(h.cpu.mode, Mode.Und);
  const hyp = hypHarness([0xee070f98], Mode.Hyp);
  hyp.cpu.cp15.define(0, 7, 8, 4, { name: 'ATS12NSOPR', hypOnly: true, write: () => { writes++; } });
  hyp.run(1);
  assert.equal(writes, 1);
});
