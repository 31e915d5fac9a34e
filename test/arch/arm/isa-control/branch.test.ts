import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Mode } from '../../../../src/arch/arm/modes.js';
import { CODE_BASE } from '../../../support/cpu-harness.js';
import { VECTORS, arm, thumb, u32 } from './helpers.js';

// Encodings from arm-none-eabi-as; targets per ARM ARM A8.8.18/25-28 (PC = address + 8 / + 4).

test('B A1: target is PC+8 + imm24:00', () => {
  const h = arm([0xea00003e]); // b .+0x100
  h.run(1);
  assert.equal(h.cpu.pc, CODE_BASE + 0x100);
});

test('B A1 with a failing condition falls through', () => {
  const h = arm([0x0a00003e]); // beq .+0x100
  h.cpu.zf = 0;
  h.run(1);
  assert.equal(h.cpu.pc, CODE_BASE + 4);
});

test('BL A1: LR = next instruction, backward target', () => {
  const h = arm([0xebfffffc]); // bl .-8
  h.run(1);
  assert.equal(h.cpu.pc, CODE_BASE - 8);
  assert.equal(u32(h.cpu.r[14]!), CODE_BASE + 4);
  assert.equal(h.cpu.thumb, 0);
});

test('BLX (immediate) A2: switches to Thumb, H bit adds 2', () => {
  for (const [word, offset] of [[0xfa000002, 0x10], [0xfb000002, 0x12]] as const) {
    const h = arm([word]);
    h.run(1);
    assert.equal(h.cpu.thumb, 1);
    assert.equal(h.cpu.pc, CODE_BASE + offset);
    assert.equal(u32(h.cpu.r[14]!), CODE_BASE + 4);
  }
});

test('BX A1: bit 0 selects Thumb; BXJ behaves as BX', () => {
  for (const word of [0xe12fff13, 0xe12fff23]) { // bx r3 / bxj r3
    const h = arm([word]);
    h.cpu.r[3] = CODE_BASE + 0x41;
    h.run(1);
    assert.equal(h.cpu.thumb, 1);
    assert.equal(h.cpu.pc, CODE_BASE + 0x40);
  }
});

test('BLX (register) A1: LR = next instruction; BLX LR reads the target first', () => {
  const h = arm([0xe12fff35]); // blx r5
  h.cpu.r[5] = CODE_BASE + 0x201;
  h.run(1);
  assert.equal(h.cpu.pc, CODE_BASE + 0x200);
  assert.equal(h.cpu.thumb, 1);
  assert.equal(u32(h.cpu.r[14]!), CODE_BASE + 4);
  const g = arm([0xe12fff3e]); // blx lr
  g.cpu.r[14] = CODE_BASE + 0x300;
  g.run(1);
  assert.equal(g.cpu.pc, CODE_BASE + 0x300);
  assert.equal(u32(g.cpu.r[14]!), CODE_BASE + 4);
});

test('B T1: conditional on the encoded condition', () => {
  const taken = thumb([0xd00e]); // beq .+0x20
  taken.cpu.zf = 1;
  taken.run(1);
  assert.equal(taken.cpu.pc, CODE_BASE + 0x20);
  const notTaken = thumb([0xd00e]);
  notTaken.cpu.zf = 0;
  notTaken.run(1);
  assert.equal(notTaken.cpu.pc, CODE_BASE + 2);
});

test('B T2 and B T4 / B T3 (32-bit)', () => {
  const t2 = thumb([0xe7fc]); // b .-4
  t2.run(1);
  assert.equal(t2.cpu.pc, CODE_BASE - 4);
  const t4 = thumb([0xf000, 0xbffe]); // b.w .+0x1000
  t4.run(1);
  assert.equal(t4.cpu.pc, CODE_BASE + 0x1000);
  const t3 = thumb([0xf47f, 0xaf7e]); // bne.w .-0x100
  t3.cpu.zf = 0;
  t3.run(1);
  assert.equal(t3.cpu.pc, CODE_BASE - 0x100);
  const t3n = thumb([0xf47f, 0xaf7e]);
  t3n.cpu.zf = 1;
  t3n.run(1);
  assert.equal(t3n.cpu.pc, CODE_BASE + 4);
});

test('BL T1: LR = next instruction | 1, stays in Thumb', () => {
  const h = thumb([0xf123, 0xfa29]); // bl .+0x123456
  h.run(1);
  assert.equal(h.cpu.pc, CODE_BASE + 0x123456);
  assert.equal(h.cpu.thumb, 1);
  assert.equal(u32(h.cpu.r[14]!), (CODE_BASE + 4) | 1);
});

test('BLX (immediate) T2: to ARM at Align(PC, 4) + imm32', () => {
  const h = thumb([0xf000, 0xeffe]); // blx: imm32 = 0xffc
  h.run(1);
  assert.equal(h.cpu.thumb, 0);
  assert.equal(h.cpu.pc, CODE_BASE + 0x1000);
  assert.equal(u32(h.cpu.r[14]!), (CODE_BASE + 4) | 1);
  const g = thumb([0xf000, 0xeffe], undefined, 2); // at CODE_BASE + 2: Align(CODE_BASE + 6, 4) + 0xffc
  g.run(1);
  assert.equal(g.cpu.pc, CODE_BASE + 0x1000);
  assert.equal(u32(g.cpu.r[14]!), (CODE_BASE + 6) | 1);
});

test('BX T1 to ARM and BLX (register) T1 with LR bit 0 set', () => {
  const h = thumb([0x4718]); // bx r3
  h.cpu.r[3] = CODE_BASE + 0x80;
  h.run(1);
  assert.equal(h.cpu.thumb, 0);
  assert.equal(h.cpu.pc, CODE_BASE + 0x80);
  const g = thumb([0x47a8]); // blx r5
  g.cpu.r[5] = CODE_BASE + 0x81;
  g.run(1);
  assert.equal(g.cpu.thumb, 1);
  assert.equal(g.cpu.pc, CODE_BASE + 0x80);
  assert.equal(u32(g.cpu.r[14]!), (CODE_BASE + 2) | 1);
});

test('BX PC in Thumb goes to ARM state at Align(PC, 4)', () => {
  const h = thumb([0x4778]); // bx pc
  h.run(1);
  assert.equal(h.cpu.thumb, 0);
  assert.equal(h.cpu.pc, CODE_BASE + 4);
});

test('CBZ / CBNZ: forward branch on (non)zero, flags untouched', () => {
  const cbz = thumb([0xb132]); // cbz r2, .+0x10
  cbz.cpu.r[2] = 0;
  cbz.cpu.zf = 0;
  cbz.run(1);
  assert.equal(cbz.cpu.pc, CODE_BASE + 0x10);
  assert.equal(cbz.cpu.zf, 0);
  const cbzNot = thumb([0xb132]);
  cbzNot.cpu.r[2] = 5;
  cbzNot.run(1);
  assert.equal(cbzNot.cpu.pc, CODE_BASE + 2);
  const cbnz = thumb([0xbb02]); // cbnz r2, .+0x44
  cbnz.cpu.r[2] = 1;
  cbnz.run(1);
  assert.equal(cbnz.cpu.pc, CODE_BASE + 0x44);
});

test('TBB: byte table at Rn + Rm; TBH: halfword table following the instruction (Rn = PC)', () => {
  const h = thumb([0xe8d1, 0xf002]); // tbb [r1, r2]
  h.writeWords(CODE_BASE + 0x100, [0x40302010]);
  h.cpu.r[1] = CODE_BASE + 0x100;
  h.cpu.r[2] = 2;
  h.run(1);
  assert.equal(h.cpu.pc, CODE_BASE + 4 + 2 * 0x30);
  const g = thumb([0xe8df, 0xf013, 0x0005, 0x0123]); // tbh [pc, r3, lsl #1]; table at CODE_BASE + 4
  g.cpu.r[3] = 1;
  g.run(1);
  assert.equal(g.cpu.pc, CODE_BASE + 4 + 2 * 0x123);
});

test('IT: ITTE EQ sets ITSTATE and the block runs then/then/else', () => {
  // itte eq; sev; nop; b .+0x20 (else, last in block)
  for (const z of [1, 0]) {
    const h = thumb([0xbf06, 0xbf40, 0xbf00, 0xe00e]);
    h.cpu.zf = z;
    h.run(1);
    assert.equal(h.cpu.itState, 0x06);
    h.run(3);
    assert.equal(h.cpu.itState, 0);
    assert.equal(h.cpu.eventRegister, z); // SEV ran only when EQ
    assert.equal(h.cpu.pc, z ? CODE_BASE + 8 : CODE_BASE + 6 + 0x20);
  }
});

test('IT: ITE NE with a BL as the last instruction', () => {
  // ite ne; sev; bl .+0x100 (else: EQ)
  const h = thumb([0xbf14, 0xbf40, 0xf000, 0xf87e]);
  h.cpu.zf = 1;
  h.run(3);
  assert.equal(h.cpu.eventRegister, 0);
  assert.equal(h.cpu.pc, CODE_BASE + 4 + 0x100);
  assert.equal(u32(h.cpu.r[14]!), (CODE_BASE + 8) | 1);
});

test('B<c> T1 inside an IT block is UNDEFINED (as QEMU)', () => {
  const h = thumb([0xbf08, 0xd00e]); // it eq; beq .+0x20
  h.cpu.zf = 1;
  h.run(2);
  assert.equal(h.cpu.mode, Mode.Und);
  assert.equal(h.cpu.pc, VECTORS + 4);
});
