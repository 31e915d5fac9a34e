import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  absDiff64, add64, fromNumber64, int64Hi, int64Lo, roundingShiftRight64, satAdd64, satDoublingMul64, satShiftLeft64,
  saturateToWord, satSub64, shiftByAmount64, shiftLeft64, shiftRight64, sub64,
} from '../../../../src/arch/arm/simd/int64.js';
import { IntOp, lane64 } from '../../../../src/arch/arm/simd/integer.js';
import { saturation } from '../../../../src/arch/arm/simd/saturation.js';

/**
 * The (hi:lo) 64-bit lane arithmetic checked against exact BigInt references (the BigInt code it
 * replaced), on the boundary values where carries, saturation and sign extension go wrong.
 */

const U64 = (1n << 64n) - 1n;

const EDGES: readonly bigint[] = [
  0n, 1n, 2n, 0x7fffffffn, 0x80000000n, 0xffffffffn, 0x1_00000000n, 0x1_00000001n, 0x7fffffff_80000000n,
  0x7fffffff_ffffffffn, 0x80000000_00000000n, 0x80000000_00000001n, 0xffffffff_00000000n, 0xffffffff_7fffffffn,
  0xffffffff_80000000n, 0xffffffff_fffffffen, U64, 0x12345678_9abcdef0n, 0x00000000_c0000000n, 0x3fffffff_ffffffffn,
  0x40000000_00000000n, 0xc0000000_00000000n,
];

const SHIFTS = [0, 1, 2, 31, 32, 33, 62, 63, 64, 65, 100, 127];

const hiOf = (x: bigint): number => Number(BigInt.asIntN(32, BigInt.asUintN(64, x) >> 32n));
const loOf = (x: bigint): number => Number(BigInt.asIntN(32, x));
/** The result registers as the unsigned 64-bit value. */
const result = (): bigint => (BigInt(int64Hi >>> 0) << 32n) | BigInt(int64Lo >>> 0);
const asValue = (x: bigint, unsigned: boolean): bigint => (unsigned ? BigInt.asUintN(64, x) : BigInt.asIntN(64, x));

function refSaturate(x: bigint, bits: number, unsigned: boolean): { value: bigint; qc: boolean } {
  const b = BigInt(bits);
  const max = unsigned ? (1n << b) - 1n : (1n << (b - 1n)) - 1n;
  const min = unsigned ? 0n : -(1n << (b - 1n));
  if (x > max) return { value: max, qc: true };
  if (x < min) return { value: min, qc: true };
  return { value: x, qc: false };
}

function refShift(a: bigint, shift: number, unsigned: boolean, rounding: boolean, saturating: boolean): { value: bigint; qc: boolean } {
  const v = shift >= 0 ? a << BigInt(shift) : (a + (rounding ? 1n << BigInt(-shift - 1) : 0n)) >> BigInt(-shift);
  return saturating ? refSaturate(v, 64, unsigned) : { value: v, qc: false };
}

/** Runs `f` with QC cleared; returns the result registers as unsigned and whether QC was set. */
function observe(f: () => void): { value: bigint; qc: boolean } {
  saturation.qc = false;
  f();
  return { value: result(), qc: saturation.qc };
}

function check(actual: { value: bigint; qc: boolean }, expected: { value: bigint; qc: boolean }, what: string): void {
  assert.equal(actual.value.toString(16), BigInt.asUintN(64, expected.value).toString(16), what);
  assert.equal(actual.qc, expected.qc, `${what}: QC`);
}

test('int64: add64 / sub64 carry and borrow across the 32-bit halves and out of bit 63', () => {
  for (const a of EDGES) {
    for (const b of EDGES) {
      const carry = add64(hiOf(a), loOf(a), hiOf(b), loOf(b));
      assert.equal(result(), (a + b) & U64, `${a} + ${b}`);
      assert.equal(carry, a + b > U64 ? 1 : 0, `${a} + ${b}: carry`);
      const borrow = sub64(hiOf(a), loOf(a), hiOf(b), loOf(b));
      assert.equal(result(), (a - b) & U64, `${a} - ${b}`);
      assert.equal(borrow, a < b ? 1 : 0, `${a} - ${b}: borrow`);
    }
  }
});

test('int64: satAdd64 / satSub64 clip at the signed and unsigned 64-bit boundaries and set QC', () => {
  for (const unsigned of [false, true]) {
    for (const x of EDGES) {
      for (const y of EDGES) {
        const a = asValue(x, unsigned);
        const b = asValue(y, unsigned);
        const name = `${unsigned ? 'u' : 's'} ${a}, ${b}`;
        check(observe(() => satAdd64(hiOf(a), loOf(a), hiOf(b), loOf(b), unsigned)), refSaturate(a + b, 64, unsigned), `${name} add`);
        check(observe(() => satSub64(hiOf(a), loOf(a), hiOf(b), loOf(b), unsigned)), refSaturate(a - b, 64, unsigned), `${name} sub`);
      }
    }
  }
});

test('int64: absDiff64 of signed and unsigned values, including the full 2^64 - 1 span', () => {
  for (const unsigned of [false, true]) {
    for (const x of EDGES) {
      for (const y of EDGES) {
        const a = asValue(x, unsigned);
        const b = asValue(y, unsigned);
        absDiff64(hiOf(a), loOf(a), hiOf(b), loOf(b), unsigned);
        assert.equal(result(), a > b ? a - b : b - a, `${unsigned ? 'u' : 's'} |${a} - ${b}|`);
      }
    }
  }
});

test('int64: shifts by 0, 1, 31, 32, 33, 63, 64 and more, arithmetic and logical, rounding', () => {
  for (const x of EDGES) {
    for (const s of SHIFTS) {
      shiftLeft64(hiOf(x), loOf(x), s);
      assert.equal(result(), (x << BigInt(s)) & U64, `${x} << ${s}`);
      for (const unsigned of [false, true]) {
        const a = asValue(x, unsigned);
        shiftRight64(hiOf(a), loOf(a), s, unsigned);
        assert.equal(result(), (a >> BigInt(s)) & U64, `${a} >> ${s} (${unsigned ? 'u' : 's'})`);
        if (s === 0) continue;
        roundingShiftRight64(hiOf(a), loOf(a), s, unsigned);
        assert.equal(result(), ((a + (1n << BigInt(s - 1))) >> BigInt(s)) & U64, `${a} >>r ${s} (${unsigned ? 'u' : 's'})`);
      }
    }
  }
});

test('int64: satShiftLeft64 for signed, unsigned and signed-to-unsigned (VQSHLU) saturation', () => {
  const kinds: readonly [boolean, boolean][] = [[false, false], [true, true], [false, true], [true, false]];
  for (const [sourceUnsigned, resultUnsigned] of kinds) {
    for (const x of EDGES) {
      const a = asValue(x, sourceUnsigned);
      for (const s of SHIFTS) {
        check(observe(() => satShiftLeft64(hiOf(a), loOf(a), s, sourceUnsigned, resultUnsigned)),
          refSaturate(a << BigInt(s), 64, resultUnsigned), `${a} << ${s} (${sourceUnsigned ? 'u' : 's'} to ${resultUnsigned ? 'u' : 's'})`);
      }
    }
  }
});

test('int64: shiftByAmount64 matches VSHL/VRSHL/VQSHL/VQRSHL (register) for amounts -128..127', () => {
  for (const unsigned of [false, true]) {
    for (const x of EDGES) {
      const a = asValue(x, unsigned);
      for (let shift = -128; shift < 128; shift++) {
        for (const rounding of [false, true]) {
          for (const saturating of [false, true]) {
            check(observe(() => shiftByAmount64(hiOf(a), loOf(a), shift, unsigned, rounding, saturating)),
              refShift(a, shift, unsigned, rounding, saturating), `${a} by ${shift} r=${rounding} q=${saturating} u=${unsigned}`);
          }
        }
      }
    }
  }
});

test('int64: saturateToWord narrows 64-bit values to 32-bit signed or unsigned ranges', () => {
  const kinds: readonly [boolean, boolean][] = [[false, false], [true, true], [false, true], [true, false]];
  for (const [sourceUnsigned, resultUnsigned] of kinds) {
    for (const x of EDGES) {
      const a = asValue(x, sourceUnsigned);
      saturation.qc = false;
      const word = saturateToWord(hiOf(a), loOf(a), sourceUnsigned, resultUnsigned);
      const expected = refSaturate(a, 32, resultUnsigned);
      assert.equal(word >>> 0, Number(BigInt.asUintN(32, expected.value)), `${a} (${sourceUnsigned ? 'u' : 's'} to ${resultUnsigned ? 'u' : 's'})`);
      assert.equal(saturation.qc, expected.qc, `${a}: QC`);
    }
  }
});

test('int64: satDoublingMul64 saturates only -2^31 * -2^31; fromNumber64 splits negative numbers', () => {
  const words = [0, 1, -1, 2, 0x7fffffff, -0x7fffffff, -0x80000000, 0x12345678, -0x40000000];
  for (const a of words) {
    for (const b of words) {
      check(observe(() => satDoublingMul64(a, b)), refSaturate(2n * BigInt(a) * BigInt(b), 64, false), `2 * ${a} * ${b}`);
    }
  }
  for (const x of [0, 1, -1, 2 ** 32, -(2 ** 32), 2 ** 33 - 2, -(2 ** 33), 2 ** 52, -(2 ** 53) + 1]) {
    fromNumber64(x);
    assert.equal(result(), BigInt(x) & U64, `${x}`);
  }
});

test('int64: lane64 matches the BigInt lane arithmetic for every 64-bit operation', () => {
  const ref = (op: IntOp, a: bigint, b: bigint, acc: bigint, unsigned: boolean): { value: bigint; qc: boolean } => {
    const shift = Number(BigInt.asIntN(8, b));
    switch (op) {
      case IntOp.Add: return { value: a + b, qc: false };
      case IntOp.Sub: return { value: a - b, qc: false };
      case IntOp.SatAdd: return refSaturate(a + b, 64, unsigned);
      case IntOp.SatSub: return refSaturate(a - b, 64, unsigned);
      case IntOp.Shift: return refShift(a, shift, unsigned, false, false);
      case IntOp.SatShift: return refShift(a, shift, unsigned, false, true);
      case IntOp.RoundingShift: return refShift(a, shift, unsigned, true, false);
      case IntOp.SatRoundingShift: return refShift(a, shift, unsigned, true, true);
      case IntOp.AbsDiff: return { value: a > b ? a - b : b - a, qc: false };
      case IntOp.AbsDiffAccumulate: return { value: acc + (a > b ? a - b : b - a), qc: false };
      case IntOp.Mul: return { value: a * b, qc: false };
      case IntOp.MulAccumulate: return { value: acc + a * b, qc: false };
      case IntOp.MulSubtract: return { value: acc - a * b, qc: false };
      case IntOp.SatDoublingMul: return refSaturate(2n * a * b, 64, false);
      case IntOp.SatDoublingMulAccumulate: {
        const p = refSaturate(2n * a * b, 64, false);
        const r = refSaturate(acc + p.value, 64, false);
        return { value: r.value, qc: p.qc || r.qc };
      }
      default: {
        const p = refSaturate(2n * a * b, 64, false);
        const r = refSaturate(acc - p.value, 64, false);
        return { value: r.value, qc: p.qc || r.qc };
      }
    }
  };
  const full = [IntOp.Add, IntOp.Sub, IntOp.SatAdd, IntOp.SatSub, IntOp.Shift, IntOp.SatShift, IntOp.RoundingShift,
    IntOp.SatRoundingShift, IntOp.AbsDiff, IntOp.AbsDiffAccumulate];
  // The multiplies take 32-bit elements widened (the long forms); VQDMULL and friends are signed only.
  const multiplies = [IntOp.Mul, IntOp.MulAccumulate, IntOp.MulSubtract, IntOp.SatDoublingMul, IntOp.SatDoublingMulAccumulate,
    IntOp.SatDoublingMulSubtract];
  const shiftAmounts = [0n, 1n, 31n, 32n, 63n, 64n, 0x7fn, 0x80n, 0xffn, 0xc1n, 0xe0n, 0x1_000000c0n];
  const words = EDGES.filter((x) => x <= 0xffffffffn).concat([0xfffffffen]);
  for (const unsigned of [false, true]) {
    const accs = EDGES.map((x) => asValue(x, unsigned));
    for (const op of full) {
      const bs = op >= IntOp.Shift && op <= IntOp.SatRoundingShift ? shiftAmounts : EDGES;
      for (const x of EDGES) {
        for (const y of bs) {
          const a = asValue(x, unsigned);
          const b = asValue(y, unsigned);
          for (const acc of op === IntOp.AbsDiffAccumulate ? accs : [0n]) {
            check(observe(() => lane64(op, hiOf(a), loOf(a), hiOf(b), loOf(b), hiOf(acc), loOf(acc), unsigned)),
              ref(op, a, b, acc, unsigned), `op ${op} u=${unsigned} ${a}, ${b}, ${acc}`);
          }
        }
      }
    }
    for (const op of multiplies) {
      if (unsigned && op >= IntOp.SatDoublingMul) continue;
      for (const x of words) {
        for (const y of words) {
          const a = unsigned ? x : BigInt.asIntN(32, x);
          const b = unsigned ? y : BigInt.asIntN(32, y);
          for (const acc of accs) {
            check(observe(() => lane64(op, hiOf(a), loOf(a), hiOf(b), loOf(b), hiOf(acc), loOf(acc), unsigned)),
              ref(op, a, b, acc, unsigned), `op ${op} u=${unsigned} ${a}, ${b}, ${acc}`);
          }
        }
      }
    }
  }
});
