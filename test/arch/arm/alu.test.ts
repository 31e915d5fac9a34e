import assert from 'node:assert/strict';
import { test } from 'node:test';
import { addWithCarrySource, shift, shiftCSource, SRType } from '../../../src/arch/arm/alu.js';

/** AddWithCarry as the ARM ARM writes it (A2.2.1): unbounded unsigned and signed sums. */
function addReference(x: number, y: number, carryIn: number): [number, number, number] {
  const unsignedSum = BigInt(x >>> 0) + BigInt(y >>> 0) + BigInt(carryIn);
  const signedSum = BigInt(x | 0) + BigInt(y | 0) + BigInt(carryIn);
  const result = Number(BigInt.asIntN(32, unsignedSum));
  return [result, unsignedSum === BigInt(result >>> 0) ? 0 : 1, signedSum === BigInt(result) ? 0 : 1];
}

/** Shift_C as the ARM ARM writes it (A2.2.1, A8.4.3): on the bits as an unbounded integer. */
function shiftReference(x: number, type: SRType, amount: number, carryIn: number): [number, number] {
  if (amount === 0 && type !== SRType.RRX) return [x | 0, carryIn];
  const value = BigInt(x >>> 0);
  const n = BigInt(amount);
  const word = (v: bigint): number => Number(BigInt.asIntN(32, v));
  const bit = (v: bigint, i: bigint): number => Number((v >> i) & 1n);
  switch (type) {
    case SRType.LSL: return [word(value << n), bit(value << n, 32n)];
    case SRType.LSR: return [word(value >> n), bit(value, n - 1n)];
    case SRType.ASR: {
      const signed = BigInt(x | 0);
      return [word(signed >> n), Number(BigInt.asUintN(1, signed >> (n - 1n)))];
    }
    case SRType.ROR: {
      const m = n % 32n;
      const result = word((value >> m) | (value << (32n - m)));
      return [result, result >>> 31];
    }
    case SRType.RRX: return [word((BigInt(carryIn) << 31n) | (value >> 1n)), bit(value, 0n)];
  }
}

/** Edge operands, then pseudo-random ones (a fixed sequence). */
function operands(count: number): number[] {
  const edges = [0, 1, 2, 0x7ffffffe, 0x7fffffff, 0x80000000, 0x80000001, 0xfffffffe, 0xffffffff, 0x12345678, 0xedcba987];
  let seed = 1;
  const random = (): number => (seed = (Math.imul(seed, 1103515245) + 12345) | 0);
  return [...edges, ...Array.from({ length: count }, random)];
}

test('alu: AddWithCarry source gives the ARM ARM result, carry and overflow for edge and random operands', () => {
  const add = new Function('x', 'y', 'c', `${addWithCarrySource('x', 'y', 'c', 'sum', 'carry', 'overflow')} return [sum, carry, overflow];`) as
    (x: number, y: number, c: number) => [number, number, number];
  const addWithLiteralCarry = [0, 1].map((c) => new Function('x', 'y', `${addWithCarrySource('x', 'y', String(c), 'sum', 'carry', 'overflow')} return [sum, carry, overflow];`) as
    (x: number, y: number) => [number, number, number]);
  const values = operands(40);
  for (const x of values) {
    for (const y of values) {
      for (const carryIn of [0, 1]) {
        // Operands as instructions pass them: int32 patterns (register values, ~imm) or unsigned ones.
        for (const [a, b] of [[x | 0, y | 0], [x >>> 0, y >>> 0]]) {
          assert.deepEqual(add(a!, b!, carryIn), addReference(x, y, carryIn), `${x.toString(16)} + ${y.toString(16)} + ${carryIn}`);
          // A literal carry in, as SUB and ADD give it, picks its case when the source is written.
          assert.deepEqual(addWithLiteralCarry[carryIn]!(a!, b!), addReference(x, y, carryIn), `${x.toString(16)} + ${y.toString(16)} + literal ${carryIn}`);
        }
      }
    }
  }
});

test('alu: Shift_C source and shift give the ARM ARM result and carry for every type and amount 0-255', () => {
  const types = [SRType.LSL, SRType.LSR, SRType.ASR, SRType.ROR, SRType.RRX];
  const shiftC = types.map((type) => new Function('x', 'n', 'c', `${shiftCSource(type, 'x', 'n', 'c', 'result', 'carry')} return [result, carry];`) as
    (x: number, n: number, c: number) => [number, number]);
  for (const x of operands(12)) {
    for (const type of types) {
      for (let amount = type === SRType.RRX ? 1 : 0; amount < (type === SRType.RRX ? 2 : 256); amount++) {
        for (const carryIn of [0, 1]) {
          const expected = shiftReference(x, type, amount, carryIn);
          const what = `${x.toString(16)} type ${type} by ${amount}, carry in ${carryIn}`;
          assert.deepEqual(shiftC[type]!(x | 0, amount, carryIn), expected, what);
          assert.equal(shift(x, type, amount, carryIn), expected[0], what);
        }
      }
    }
  }
});

test('alu: Shift_C source with a literal amount (as a block embeds it) gives the ARM ARM result and carry', () => {
  for (const type of [SRType.LSL, SRType.LSR, SRType.ASR, SRType.ROR, SRType.RRX]) {
    for (let amount = type === SRType.RRX ? 1 : 0; amount < (type === SRType.RRX ? 2 : 64); amount++) {
      const shiftC = new Function('x', 'c', `${shiftCSource(type, 'x', String(amount), 'c', 'result', 'carry')} return [result, carry];`) as
        (x: number, c: number) => [number, number];
      for (const x of operands(12)) {
        for (const carryIn of [0, 1]) {
          assert.deepEqual(shiftC(x | 0, carryIn), shiftReference(x, type, amount, carryIn), `${x.toString(16)} type ${type} by literal ${amount}, carry in ${carryIn}`);
        }
      }
    }
  }
});
