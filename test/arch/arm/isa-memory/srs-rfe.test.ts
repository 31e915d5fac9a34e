import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Bank, Mode } from '../../../../src/arch/arm/modes.js';
import { CODE_BASE, DATA, arm, decodesA32, decodesT32, readWord, reg, thumb, writeData } from './memory-harness.js';

// SRS (B9.3.16) and RFE (B9.3.13), A32 and T32. The UNPREDICTABLE User/System-mode cases UNDEF as
// in QEMU 7.2.

const SPSR_SVC = 0x600001d3;

function inSvc(h: ReturnType<typeof arm>) {
  h.cpu.r[14] = 0x4000_1111;
  h.cpu.bankedSpsr[Bank.Svc] = SPSR_SVC;
  return h;
}

const words = (h: ReturnType<typeof arm>, address: number, count: number) =>
  Array.from({ length: count }, (_, i) => readWord(h, address + 4 * i));

test('SRSDB sp!, #irq stores LR_svc and SPSR_svc on the IRQ stack and writes SP_irq back', () => {
  const h = inSvc(arm([0xf96d0512]));
  h.cpu.bankedSp[Bank.Irq] = DATA + 16;
  h.cpu.r[13] = 0x1234;
  h.run(1);
  assert.deepEqual(words(h, DATA + 8, 2), [0x40001111, SPSR_SVC]);
  assert.equal(h.cpu.bankedSp[Bank.Irq]! >>> 0, DATA + 8);
  assert.equal(reg(h, 13), 0x1234);
  assert.equal(h.cpu.mode, Mode.Svc);
});

test('SRSIA sp, #svc uses the current SP without writeback', () => {
  const h = inSvc(arm([0xf8cd0513]));
  h.cpu.r[13] = DATA;
  h.run(1);
  assert.deepEqual(words(h, DATA, 2), [0x40001111, SPSR_SVC]);
  assert.equal(reg(h, 13), DATA);
});

test('SRSDA sp!, #sys and SRSIB sp, #fiq address the other banks', () => {
  let h = inSvc(arm([0xf86d051f]));
  h.cpu.bankedSp[Bank.Usr] = DATA + 8;
  h.run(1);
  assert.deepEqual(words(h, DATA + 4, 2), [0x40001111, SPSR_SVC]);
  assert.equal(h.cpu.readRegisterOfMode(13, Mode.Sys) >>> 0, DATA);
  h = inSvc(arm([0xf9cd0511]));
  h.cpu.bankedSp[Bank.Fiq] = DATA;
  h.run(1);
  assert.deepEqual(words(h, DATA + 4, 2), [0x40001111, SPSR_SVC]);
  assert.equal(h.cpu.bankedSp[Bank.Fiq]! >>> 0, DATA);
});

test('SRS is UNDEFINED in User and System mode, and to Monitor mode from outside it', () => {
  for (const mode of [Mode.Usr, Mode.Sys]) {
    const h = arm([0xf96d0512]);
    h.cpu.setMode(mode);
    h.cpu.bankedSp[Bank.Irq] = DATA + 16;
    h.run(1);
    assert.equal(h.cpu.mode, Mode.Und);
    assert.equal(readWord(h, DATA + 8), 0);
  }
  const h = inSvc(arm([0xf96d0516])); // srsdb sp!, #mon
  h.run(1);
  assert.equal(h.cpu.mode, Mode.Und);
  assert.equal(decodesA32(0xf96d051a), false); // #hyp
  assert.equal(decodesA32(0xf96d0505), false); // not a mode
});

test('RFEIA sp! returns to Thumb User mode and writes SP_svc back first', () => {
  const h = arm([0xf8bd0a00]);
  writeData(h, DATA, [0x40003001, 0x80000030]);
  h.cpu.r[13] = DATA;
  h.run(1);
  assert.equal(h.cpu.mode, Mode.Usr);
  assert.equal(h.cpu.thumb, 1);
  assert.equal(h.cpu.nf, 1);
  assert.equal(h.cpu.pc, 0x40003000);
  assert.equal(h.cpu.readRegisterOfMode(13, Mode.Svc) >>> 0, DATA + 8);
});

test('RFEDB/RFEDA/RFEIB address below and above the base; ARM state aligns the PC', () => {
  const cases: [number, number, number, number][] = [
    // [instruction, base, address of the PC word, written-back base]
    [0xf9100a00, DATA + 8, DATA, DATA + 8], // rfedb r0
    [0xf8300a00, DATA + 4, DATA, DATA - 4], // rfeda r0!
    [0xf9900a00, DATA - 4, DATA, DATA - 4], // rfeib r0
  ];
  for (const [instr, base, at, after] of cases) {
    const h = arm([instr]);
    writeData(h, at, [0x40003006, 0x000001d3]);
    h.cpu.r[0] = base;
    h.run(1);
    assert.equal(h.cpu.mode, Mode.Svc);
    assert.equal(h.cpu.thumb, 0);
    assert.equal(h.cpu.pc, 0x40003004);
    assert.equal(reg(h, 0), after);
  }
});

test('RFE is UNDEFINED in User mode; an aborting RFE changes nothing', () => {
  let h = arm([0xf8b00a00]); // rfeia r0!
  h.cpu.setMode(Mode.Usr);
  h.cpu.r[0] = DATA;
  h.run(1);
  assert.equal(h.cpu.mode, Mode.Und);
  h = arm([0xf8b00a00]);
  h.cpu.r[0] = DATA + 2;
  h.run(1);
  assert.equal(h.cpu.mode, Mode.Abt);
  assert.equal(h.cpu.readRegisterOfMode(0, Mode.Svc) >>> 0, DATA + 2);
});

test('T32 SRSDB/SRSIA and RFEIA/RFEDB', () => {
  let h = inSvc(thumb([0xe82d, 0xc012])); // srsdb sp!, #irq
  h.cpu.bankedSp[Bank.Irq] = DATA + 16;
  h.run(1);
  assert.deepEqual(words(h, DATA + 8, 2), [0x40001111, SPSR_SVC]);
  assert.equal(h.cpu.bankedSp[Bank.Irq]! >>> 0, DATA + 8);
  h = inSvc(thumb([0xe9ad, 0xc01f])); // srsia sp!, #sys
  h.cpu.bankedSp[Bank.Usr] = DATA;
  h.run(1);
  assert.deepEqual(words(h, DATA, 2), [0x40001111, SPSR_SVC]);
  assert.equal(h.cpu.bankedSp[Bank.Usr]! >>> 0, DATA + 8);
  h = thumb([0xe830, 0xc000]); // rfedb r0!
  writeData(h, DATA, [0x40003000, 0x000001d3]);
  h.cpu.r[0] = DATA + 8;
  h.run(1);
  assert.deepEqual([h.cpu.pc, h.cpu.thumb, h.cpu.mode, reg(h, 0)], [0x40003000, 0, Mode.Svc, DATA]);
  assert.notEqual(h.cpu.pc, CODE_BASE + 4);
  assert.equal(decodesT32(0xe9b0, 0xc000, { inItBlock: true, lastInItBlock: false }), false); // rfeia r0!
  assert.equal(decodesT32(0xe9b0, 0xc000, { inItBlock: true, lastInItBlock: true }), true);
});
