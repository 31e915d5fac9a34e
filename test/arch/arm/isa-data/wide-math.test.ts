import assert from 'node:assert/strict';
import { test } from 'node:test';
import { productSource } from '../../../../src/arch/arm/isa-data/wide-math.js';

/** productSource compiled as a function of its operands, returning [lo, hi]. */
function product(signed: boolean): (a: number, b: number) => [number, number] {
  return new Function('a', 'b', `${productSource(signed, 'a', 'b', 'p_')}\nreturn [p_lo, p_hi];`) as (a: number, b: number) => [number, number];
}

test('productSource: the exact 64-bit product of 32-bit patterns, signed and unsigned', () => {
  const edges = [0, 1, -1, 2, 0x7fffffff, -0x80000000, 0xffff, 0x10000, 0x7fffffff - 1, 0x12345679, -0x6543210f];
  let seed = 0x9e3779b9;
  const next = (): number => (seed = (Math.imul(seed, 1664525) + 1013904223) | 0);
  const values = [...edges, ...Array.from({ length: 400 }, next)];
  for (const signed of [false, true]) {
    const run = product(signed);
    for (const a of values) {
      for (const b of values.slice(0, 60)) {
        const exact = signed ? BigInt(a) * BigInt(b) : BigInt(a >>> 0) * BigInt(b >>> 0);
        const expected = [Number(BigInt.asIntN(32, exact)), Number(BigInt.asIntN(32, exact >> 32n))];
        assert.deepEqual(run(a, b), expected, `${signed ? 'signed' : 'unsigned'} ${a} * ${b}`);
      }
    }
  }
});
