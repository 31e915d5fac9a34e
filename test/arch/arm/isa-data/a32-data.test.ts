import assert from 'node:assert/strict';
import { test } from 'node:test';
import { nzcv, reg, runA32 } from './run-one.js';

// Encodings from arm-none-eabi-as -mcpu=cortex-a15; expected values from the ARM ARM pseudocode
// (and checked against qemu-arm by tools/qemu-vectors.mjs).

const N = 8, Z = 4, C = 2, V = 1;

test('A32 ADDS (register): signed overflow sets N and V, clears C (AddWithCarry, A2.2.1)', () => {
  const h = runA32([0xe0910002], { r: { 1: 0x7fffffff, 2: 1 } }); // adds r0, r1, r2
  assert.equal(reg(h, 0), 0x80000000);
  assert.equal(nzcv(h), N | V);
});

test('A32 SUBS (immediate): 0 - 1 borrows, so C is clear', () => {
  const h = runA32([0xe2510001], { r: { 1: 0 }, nzcv: C }); // subs r0, r1, #1
  assert.equal(reg(h, 0), 0xffffffff);
  assert.equal(nzcv(h), N);
});

test('A32 LSRS #32 (MOV register, imm5 = 0): result 0, carry is bit 31', () => {
  const h = runA32([0xe1b00021], { r: { 1: 0x80000001 } }); // lsrs r0, r1, #32
  assert.equal(reg(h, 0), 0);
  assert.equal(nzcv(h), Z | C);
});

test('A32 RRX shifts the carry flag in and leaves flags alone without S', () => {
  const h = runA32([0xe1a00061], { r: { 1: 3 }, nzcv: C }); // rrx r0, r1
  assert.equal(reg(h, 0), 0x80000001);
  assert.equal(nzcv(h), C);
});

test('A32 AND (register-shifted register) uses only the bottom byte of Rs', () => {
  const h = runA32([0xe0010312], { r: { 1: 0xffffffff, 2: 1, 3: 0x104 } }); // and r0, r1, r2, lsl r3
  assert.equal(reg(h, 0), 0x10);
});

test('A32 ANDS with a rotated immediate sets C from bit 31 of the constant (ARMExpandImm_C)', () => {
  const h = runA32([0xe2110102], { r: { 1: 0x80000000 } }); // ands r0, r1, #0x80000000
  assert.equal(reg(h, 0), 0x80000000);
  assert.equal(nzcv(h), N | C);
});

test('A32 RSCS: Rm - Rn - NOT(C)', () => {
  const h = runA32([0xe0f10002], { r: { 1: 5, 2: 3 }, nzcv: C }); // rscs r0, r1, r2
  assert.equal(reg(h, 0), 0xfffffffe);
  assert.equal(nzcv(h), N);
});

test('A32 MOVW then MOVT build a 32-bit constant', () => {
  const h = runA32([0xe3010234, 0xe34a0bcd]); // movw r0, #0x1234; movt r0, #0xabcd
  assert.equal(reg(h, 0), 0xabcd1234);
});

test('A32 a failed condition does nothing (ADDEQ with Z clear)', () => {
  const h = runA32([0x00910002], { r: { 0: 7, 1: 1, 2: 2 } }); // addseq r0, r1, r2
  assert.equal(reg(h, 0), 7);
  assert.equal(nzcv(h), 0);
});

test('A32 UMULL, SMLAL, UMAAL: exact 64-bit results', () => {
  let h = runA32([0xe0810392], { r: { 2: 0xffffffff, 3: 0xffffffff } }); // umull r0, r1, r2, r3
  assert.deepEqual([reg(h, 0), reg(h, 1)], [1, 0xfffffffe]);
  h = runA32([0xe0e10392], { r: { 0: 1, 1: 0, 2: -1, 3: 2 } }); // smlal r0, r1, r2, r3
  assert.deepEqual([reg(h, 0), reg(h, 1)], [0xffffffff, 0xffffffff]);
  h = runA32([0xe0410392], { r: { 0: -1, 1: -1, 2: -1, 3: -1 } }); // umaal r0, r1, r2, r3
  assert.deepEqual([reg(h, 0), reg(h, 1)], [0xffffffff, 0xffffffff]);
});

test('A32 MLS: Ra - Rn * Rm', () => {
  const h = runA32([0xe0603291], { r: { 1: 3, 2: 4, 3: 100 } }); // mls r0, r1, r2, r3
  assert.equal(reg(h, 0), 88);
});

test('A32 SMLABB sets Q when the accumulation overflows', () => {
  const h = runA32([0xe1003281], { r: { 1: 0x8000, 2: 0x8000, 3: 0x40000000 } }); // smlabb r0, r1, r2, r3
  assert.equal(reg(h, 0), 0x80000000);
  assert.equal(h.cpu.qf, 1);
});

test('A32 SMMULR rounds the high word; SMLALD adds both products to 64 bits', () => {
  let h = runA32([0xe750f231], { r: { 1: 0x40000000, 2: 3 } }); // smmulr r0, r1, r2
  assert.equal(reg(h, 0), 1);
  h = runA32([0xe7410312], { r: { 0: 0, 1: 0, 2: 0xffff0000, 3: 0x00010000 } }); // smlald r0, r1, r2, r3
  assert.deepEqual([reg(h, 0), reg(h, 1)], [0xffffffff, 0xffffffff]);
});

test('A32 SDIV/UDIV: INT_MIN / -1 = INT_MIN, divide by zero gives 0, unsigned division', () => {
  assert.equal(reg(runA32([0xe710f211], { r: { 1: 0x80000000, 2: -1 } }), 0), 0x80000000); // sdiv r0, r1, r2
  assert.equal(reg(runA32([0xe710f211], { r: { 0: 5, 1: 9, 2: 0 } }), 0), 0);
  assert.equal(reg(runA32([0xe730f211], { r: { 1: 0xffffffff, 2: 2 } }), 0), 0x7fffffff); // udiv r0, r1, r2
});

test('A32 QADD, SSAT, USAT16 saturate and set Q', () => {
  let h = runA32([0xe1020051], { r: { 1: 0x7fffffff, 2: 1 } }); // qadd r0, r1, r2
  assert.equal(reg(h, 0), 0x7fffffff);
  assert.equal(h.cpu.qf, 1);
  h = runA32([0xe6a70211], { r: { 1: 0x10 } }); // ssat r0, #8, r1, lsl #4
  assert.equal(reg(h, 0), 0x7f);
  assert.equal(h.cpu.qf, 1);
  h = runA32([0xe6e40f31], { r: { 1: 0xfffe0005 } }); // usat16 r0, #4, r1
  assert.equal(reg(h, 0), 5);
  assert.equal(h.cpu.qf, 1);
});

test('A32 UADD8 sets GE per byte carry, and SEL picks bytes by GE', () => {
  const h = runA32([0xe6510f92, 0xe6830fb4], { r: { 1: 0x80ff0102, 2: 0x80010203, 3: 0x11223344, 4: 0xaabbccdd } }); // uadd8 r0, r1, r2; sel r0, r3, r4
  assert.equal(h.cpu.ge, 0b1100);
  assert.equal(reg(h, 0), 0x1122ccdd);
});

test('A32 SHADD16 halves each signed sum', () => {
  const h = runA32([0xe6310f12], { r: { 1: 0x7fff8000, 2: 0x7fff8000 } }); // shadd16 r0, r1, r2
  assert.equal(reg(h, 0), 0x7fff8000);
});

test('A32 PKHTB, SXTAB16, RBIT, CLZ', () => {
  assert.equal(reg(runA32([0xe6810852], { r: { 1: 0x12345678, 2: 0xabcd0000 } }), 0), 0x1234abcd); // pkhtb r0, r1, r2, asr #16
  assert.equal(reg(runA32([0xe6810472], { r: { 1: 0x00010001, 2: 0x80ff7f01 } }), 0), 0xff810080); // sxtab16 r0, r1, r2, ror #8
  assert.equal(reg(runA32([0xe6ff0f31], { r: { 1: 1 } }), 0), 0x80000000); // rbit r0, r1
  assert.equal(reg(runA32([0xe16f0f11], { r: { 1: 0x10000 } }), 0), 15); // clz r0, r1
});

test('A32 BFI and SBFX', () => {
  assert.equal(reg(runA32([0xe7cb0211], { r: { 0: 0xffffffff, 1: 0x12 } }), 0), 0xfffff12f); // bfi r0, r1, #4, #8
  assert.equal(reg(runA32([0xe7a70251], { r: { 1: 0xf80 } }), 0), 0xfffffff8); // sbfx r0, r1, #4, #8
});

test('A32 BFI with msb < lsb is UNDEFINED, as in QEMU', () => {
  const h = runA32([0xe7c30411]); // bfi with lsb 8, msb 3
  assert.equal(h.cpu.mode, 0x1b);
});
