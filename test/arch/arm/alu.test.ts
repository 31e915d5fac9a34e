import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as alu from '../../../src/arch/arm/alu.js';

/** AddWithCarry as the ARM ARM writes it (A2.2.1): unbounded unsigned and signed sums. */
function reference(x: number, y: number, carryIn: number): [number, number, number] {
  const unsignedSum = BigInt(x >>> 0) + BigInt(y >>> 0) + BigInt(carryIn);
  const signedSum = BigInt(x | 0) + BigInt(y | 0) + BigInt(carryIn);
  const result = Number(BigInt.asIntN(32, unsignedSum));
  return [result, unsignedSum === BigInt(result >>> 0) ? 0 : 1, signedSum === BigInt(result) ? 0 : 1];
}

test('alu: addWithCarry gives the ARM ARM result, carry and overflow for edge and random operands', () => {
  const edges = [0, 1, 2, 0x7ffffffe, 0x7fffffff, 0x80000000, 0x80000001, 0xfffffffe, 0xffffffff, 0x12345678, 0xedcba987];
  let seed = 1;
  const random = (): number => (seed = (Math.imul(seed, 1103515245) + 12345) | 0);
  const operands = [...edges, ...Array.from({ length: 40 }, random)];
  for (const x of operands) {
    for (const y of operands) {
      for (const carryIn of [0, 1]) {
        // Operands as instructions pass them: int32 patterns (register values, ~imm) or unsigned ones.
        for (const [a, b] of [[x | 0, y | 0], [x >>> 0, y >>> 0]]) {
          const result = alu.addWithCarry(a!, b!, carryIn);
          assert.deepEqual([result, alu.addCarry, alu.addOverflow], reference(x, y, carryIn), `${x.toString(16)} + ${y.toString(16)} + ${carryIn}`);
        }
      }
    }
  }
});
