import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Mode } from '../../../../src/arch/arm/modes.js';
import { CODE_BASE, DATA, DATA_WORDS, RAM_END, arm, decodesA32, decodesT16, decodesT32, readWord, reg, writeData, armWithData as a32, thumbWithData as t32 } from './memory-harness.js';

// LDM/STM and PUSH/POP (A8.8.57-60, A8.8.131-133, A8.8.197-200), User-register and exception-return
// forms (B9.3.5-6). Base-in-list stores follow QEMU 7.2 (the original base value is stored).

const W = DATA_WORDS;

const regs = (h: ReturnType<typeof arm>, ns: number[]) => ns.map((n) => reg(h, n));
const words = (h: ReturnType<typeof arm>, address: number, count: number) =>
  Array.from({ length: count }, (_, i) => readWord(h, address + 4 * i));

test('A32 LDM in all four addressing modes, with and without writeback', () => {
  let h = a32([0xe890000e], { 0: DATA }); // ldm r0, {r1, r2, r3}
  h.run(1);
  assert.deepEqual(regs(h, [1, 2, 3, 0]), [W[0], W[1], W[2], DATA]);
  h = a32([0xe8b0000e], { 0: DATA }); // ldm r0!, {r1, r2, r3}
  h.run(1);
  assert.deepEqual(regs(h, [1, 2, 3, 0]), [W[0], W[1], W[2], DATA + 12]);
  h = a32([0xe9b00006], { 0: DATA }); // ldmib r0!, {r1, r2}
  h.run(1);
  assert.deepEqual(regs(h, [1, 2, 0]), [W[1], W[2], DATA + 8]);
  h = a32([0xe8300006], { 0: DATA + 8 }); // ldmda r0!, {r1, r2}
  h.run(1);
  assert.deepEqual(regs(h, [1, 2, 0]), [W[1], W[2], DATA]);
  h = a32([0xe9300006], { 0: DATA + 8 }); // ldmdb r0!, {r1, r2}
  h.run(1);
  assert.deepEqual(regs(h, [1, 2, 0]), [W[0], W[1], DATA]);
});

test('A32 STM in all four addressing modes', () => {
  let h = a32([0xe8a0000e], { 0: DATA, 1: 1, 2: 2, 3: 3 }); // stmia r0!, {r1, r2, r3}
  h.run(1);
  assert.deepEqual([...words(h, DATA, 3), reg(h, 0)], [1, 2, 3, DATA + 12]);
  h = a32([0xe9800006], { 0: DATA, 1: 1, 2: 2 }); // stmib r0, {r1, r2}
  h.run(1);
  assert.deepEqual([...words(h, DATA, 3), reg(h, 0)], [W[0], 1, 2, DATA]);
  h = a32([0xe8200006], { 0: DATA + 8, 1: 1, 2: 2 }); // stmda r0!, {r1, r2}
  h.run(1);
  assert.deepEqual([...words(h, DATA, 3), reg(h, 0)], [W[0], 1, 2, DATA]);
  h = a32([0xe9200003], { 0: DATA + 8, 1: 1 }); // stmdb r0!, {r0, r1}: base is lowest, stores it
  h.run(1);
  assert.deepEqual([...words(h, DATA, 2), reg(h, 0)], [DATA + 8, 1, DATA]);
});

test('STM with the base in the list and not lowest stores the original base (QEMU)', () => {
  const h = a32([0xe8a10003], { 0: 0x55, 1: DATA }); // stmia r1!, {r0, r1}
  h.run(1);
  assert.deepEqual([...words(h, DATA, 2), reg(h, 1)], [0x55, DATA, DATA + 8]);
});

test('LDM with the base in the list and no writeback loads the base; with writeback is UNDEFINED', () => {
  const h = a32([0xe8900003], { 0: DATA }); // ldm r0, {r0, r1}
  h.run(1);
  assert.deepEqual(regs(h, [0, 1]), [W[0], W[1]]);
  assert.equal(decodesA32(0xe8b00003), false); // ldm r0!, {r0, r1}
  assert.equal(decodesA32(0xe8900000), false); // empty list
  assert.equal(decodesA32(0xe89f0006), false); // ldm pc, {r1, r2}
  assert.equal(decodesA32(0xe88f0006), false); // stm pc, {r1, r2}
});

test('LDM with the PC interworks; STM stores PC + 8', () => {
  let h = a32([0xe8908002], { 0: DATA }); // ldm r0, {r1, pc}
  writeData(h, DATA, [7, 0x40003001]);
  h.run(1);
  assert.deepEqual([reg(h, 1), h.cpu.pc, h.cpu.thumb], [7, 0x40003000, 1]);
  h = a32([0xe8808002], { 0: DATA, 1: 9 }); // stm r0, {r1, pc}
  h.run(1);
  assert.deepEqual(words(h, DATA, 2), [9, CODE_BASE + 8]);
});

test('A32 PUSH/POP (STMDB/LDMIA SP!)', () => {
  const h = a32([0xe92d4006, 0xe8bd8006], { 1: 1, 2: 2, 13: DATA + 64, 14: 0x40003000 }); // push {r1, r2, lr}; pop {r1, r2, pc}
  h.run(1);
  assert.deepEqual([...words(h, DATA + 52, 3), reg(h, 13)], [1, 2, 0x40003000, DATA + 52]);
  h.cpu.r[1] = h.cpu.r[2] = 0;
  h.run(1);
  assert.deepEqual([reg(h, 1), reg(h, 2), reg(h, 13), h.cpu.pc], [1, 2, DATA + 64, 0x40003000]);
});

test('an LDM whose third word aborts leaves every register unchanged and sets DFAR', () => {
  const base = RAM_END - 8;
  const h = a32([0xe8b0000e], { 0: base, 1: 11, 2: 22, 3: 33 }); // ldm r0!, {r1, r2, r3}
  h.run(1);
  assert.equal(h.cpu.mode, Mode.Abt);
  assert.equal(h.cpu.cp15.dfar >>> 0, RAM_END);
  assert.equal((h.cpu.cp15.dfsr >>> 11) & 1, 0); // a read
  assert.deepEqual(regs(h, [1, 2, 3]), [11, 22, 33]);
  assert.equal(h.cpu.readRegisterOfMode(0, Mode.Svc) >>> 0, base);
  assert.equal(reg(h, 14), CODE_BASE + 8);
  assert.equal(h.cpu.getSpsr() & 0x1f, Mode.Svc);
});

test('the base 0x3ffffff8 below RAM aborts on the first word, registers untouched', () => {
  const h = a32([0xe890000e], { 0: 0x3ffffff8, 1: 11, 2: 22, 3: 33 }); // ldm r0, {r1, r2, r3}
  h.run(1);
  assert.equal(h.cpu.mode, Mode.Abt);
  assert.equal(h.cpu.cp15.dfar >>> 0, 0x3ffffff8);
  assert.deepEqual(regs(h, [1, 2, 3]), [11, 22, 33]);
});

test('an unaligned LDM/STM base takes an alignment fault', () => {
  const h = a32([0xe8a0000e], { 0: DATA + 2 }); // stmia r0!, {r1, r2, r3}
  h.run(1);
  assert.equal(h.cpu.mode, Mode.Abt);
  assert.equal(h.cpu.cp15.dfsr & 0x80f, 0x801); // alignment, write
  assert.equal(h.cpu.readRegisterOfMode(0, Mode.Svc) >>> 0, DATA + 2);
});

test('STM (User registers) stores SP_usr and LR_usr from SVC mode', () => {
  const h = a32([0xe8c06000], { 0: DATA, 13: 0x1313, 14: 0x1414 }); // stmia r0, {sp, lr}^
  h.cpu.bankedSp[0] = 0xaaaa;
  h.cpu.bankedLr[0] = 0xbbbb;
  h.run(1);
  assert.deepEqual(words(h, DATA, 2), [0xaaaa, 0xbbbb]);
});

test('LDM (User registers) loads SP_usr and LR_usr, leaving the SVC ones', () => {
  const h = a32([0xe8d06000], { 0: DATA, 13: 0x1313, 14: 0x1414 }); // ldm r0, {sp, lr}^
  h.run(1);
  assert.deepEqual([h.cpu.readRegisterOfMode(13, Mode.Usr) >>> 0, h.cpu.readRegisterOfMode(14, Mode.Usr) >>> 0], [W[0], W[1]]);
  assert.deepEqual(regs(h, [13, 14]), [0x1313, 0x1414]);
  assert.equal(decodesA32(0xe8f06000), false); // ldm r0!, {sp, lr}^: no writeback
});

test('LDM (exception return) loads the PC and restores CPSR from SPSR', () => {
  const h = a32([0xe8f08002], { 0: DATA }); // ldm r0!, {r1, pc}^
  writeData(h, DATA, [0x1234, 0x40003003]);
  h.cpu.bankedSpsr[3] = 0x80000030; // SPSR_svc: N, Thumb, User mode
  h.run(1);
  assert.equal(h.cpu.mode, Mode.Usr);
  assert.equal(h.cpu.thumb, 1);
  assert.equal(h.cpu.nf, 1);
  assert.equal(h.cpu.pc, 0x40003002);
  assert.equal(reg(h, 1), 0x1234);
  assert.equal(reg(h, 0), DATA + 8);
});

test('LDM/STM ^ in User mode are UNDEFINED', () => {
  const h = a32([0xe8f08002], { 0: DATA });
  h.cpu.setMode(Mode.Usr);
  h.run(1);
  assert.equal(h.cpu.mode, Mode.Und);
  assert.equal(reg(h, 0), DATA);
});

test('T32 LDM/STM (IA, DB) and 16-bit LDM with writeback', () => {
  let h = t32([0xe890, 0x000e], { 0: DATA }); // ldmia.w r0, {r1, r2, r3}
  h.run(1);
  assert.deepEqual(regs(h, [1, 2, 3, 0]), [W[0], W[1], W[2], DATA]);
  h = t32([0xc80e], { 0: DATA }); // ldmia r0!, {r1, r2, r3}
  h.run(1);
  assert.deepEqual(regs(h, [1, 2, 3, 0]), [W[0], W[1], W[2], DATA + 12]);
  h = t32([0xe930, 0x0006], { 0: DATA + 8 }); // ldmdb r0!, {r1, r2}
  h.run(1);
  assert.deepEqual(regs(h, [1, 2, 0]), [W[0], W[1], DATA]);
  h = t32([0xe8a0, 0x000e], { 0: DATA, 1: 1, 2: 2, 3: 3 }); // stmia.w r0!, {r1, r2, r3}
  h.run(1);
  assert.deepEqual([...words(h, DATA, 3), reg(h, 0)], [1, 2, 3, DATA + 12]);
  h = t32([0xe920, 0x0006], { 0: DATA + 8, 1: 1, 2: 2 }); // stmdb r0!, {r1, r2}
  h.run(1);
  assert.deepEqual([...words(h, DATA, 2), reg(h, 0)], [1, 2, DATA]);
});

test('T16 LDM with the base in the list does not write back; T16 STM stores the original base', () => {
  let h = t32([0xc803], { 0: DATA }); // ldmia r0, {r0, r1}
  h.run(1);
  assert.deepEqual(regs(h, [0, 1]), [W[0], W[1]]);
  h = t32([0xc003], { 0: DATA, 1: 5 }); // stmia r0!, {r0, r1}
  h.run(1);
  assert.deepEqual([...words(h, DATA, 2), reg(h, 0)], [DATA, 5, DATA + 8]);
});

test('T16 and T32 PUSH/POP; POP {pc} interworks', () => {
  let h = t32([0xb502, 0xbd02], { 1: 1, 13: DATA + 64, 14: 0x40003001 }); // push {r1, lr}; pop {r1, pc}
  h.run(1);
  assert.deepEqual([...words(h, DATA + 56, 2), reg(h, 13)], [1, 0x40003001, DATA + 56]);
  h.cpu.r[1] = 0;
  h.run(1);
  assert.deepEqual([reg(h, 1), reg(h, 13), h.cpu.pc, h.cpu.thumb], [1, DATA + 64, 0x40003000, 1]);
  h = t32([0xe92d, 0x4006, 0xe8bd, 0x8006], { 1: 1, 2: 2, 13: DATA + 64, 14: 0x40003000 }); // push.w; pop.w {.., pc}
  h.run(2);
  assert.deepEqual([reg(h, 13), h.cpu.pc, h.cpu.thumb], [DATA + 64, 0x40003000, 0]);
});

test('T32 LDM UNDEFINED cases (QEMU 7.2): one register, writeback with base in list, Rn = PC', () => {
  assert.equal(decodesT32(0xe890, 0x0002), false); // ldmia.w r0, {r1}
  assert.equal(decodesT32(0xe8b0, 0x0003), false); // ldmia.w r0!, {r0, r1}
  assert.equal(decodesT32(0xe89f, 0x0006), false); // ldmia.w pc, {r1, r2}
  assert.equal(decodesT16(0xc800), false); // ldmia r0!, {}
  assert.equal(decodesT16(0xbc00), false); // pop {}
});

test('T32 LDM abort leaves the registers unchanged', () => {
  const h = t32([0xe8b0, 0x000e], { 0: RAM_END - 8, 1: 11, 2: 22, 3: 33 }); // ldmia.w r0!, {r1, r2, r3}
  h.run(1);
  assert.equal(h.cpu.mode, Mode.Abt);
  assert.equal(h.cpu.cp15.dfar >>> 0, RAM_END);
  assert.deepEqual(regs(h, [1, 2, 3]), [11, 22, 33]);
  assert.equal(h.cpu.readRegisterOfMode(0, Mode.Svc) >>> 0, RAM_END - 8);
});
