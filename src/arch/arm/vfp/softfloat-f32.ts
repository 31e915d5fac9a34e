import {
  DEFAULT_NAN32, FLAG_DZC, FLAG_IOC, RM_MINUS_INF, f32BitsOf, f32Value, flushInput32, fp, isNaN32,
  nanKind32, pickNaNMulAdd, processNaN32, processNaNs32, productError,
} from './softfloat-env.js';
import { finishF32 } from './softfloat-round.js';

/**
 * Single-precision arithmetic on raw bits (ARM ARM A2.7: FPAdd, FPSub, FPMul, FPDiv, FPSqrt,
 * FPMulAdd). Every single is exactly a double and products of singles are exact in double, so
 * each operation computes its round-to-nearest double result plus the sign of the rounding error
 * (error-free transformations) and lets finishF32 round that exactly in the FPSCR mode.
 */

/** Exact zero result of an addition: +0, or -0 in round towards -Inf, unless both were -0 / +0. */
function exactZeroSum(aBits: number, bBits: number): number {
  if (aBits === bBits) return aBits; // +0 + +0, -0 + -0
  return fp.rmode === RM_MINUS_INF ? 0x80000000 | 0 : 0;
}

/** x + y for singles x, y (values) with bits aBits, bBits, neither a NaN. */
function sum(x: number, y: number, aBits: number, bBits: number): number {
  const s = x + y;
  if (s !== s) {
    fp.flags |= FLAG_IOC; // Inf - Inf
    return DEFAULT_NAN32;
  }
  if (s === Infinity || s === -Infinity) return f32BitsOf(s);
  if (s === 0) return exactZeroSum(aBits & 0x80000000, bBits & 0x80000000) | 0;
  const t = s - x;
  const e = (x - (s - t)) + (y - t);
  return finishF32(s, e > 0 ? 1 : e < 0 ? -1 : 0);
}

export function f32Add(a: number, b: number): number {
  a = flushInput32(a);
  b = flushInput32(b);
  if (isNaN32(a) || isNaN32(b)) return processNaNs32(a, b);
  return sum(f32Value(a), f32Value(b), a, b);
}

export function f32Sub(a: number, b: number): number {
  a = flushInput32(a);
  b = flushInput32(b);
  if (isNaN32(a) || isNaN32(b)) return processNaNs32(a, b);
  const nb = b ^ 0x80000000;
  return sum(f32Value(a), f32Value(nb), a, nb);
}

export function f32Mul(a: number, b: number): number {
  a = flushInput32(a);
  b = flushInput32(b);
  if (isNaN32(a) || isNaN32(b)) return processNaNs32(a, b);
  const p = f32Value(a) * f32Value(b);
  if (p !== p) {
    fp.flags |= FLAG_IOC; // Inf * 0
    return DEFAULT_NAN32;
  }
  if (p === 0 || p === Infinity || p === -Infinity) return f32BitsOf(p);
  return finishF32(p, 0);
}

export function f32Div(a: number, b: number): number {
  a = flushInput32(a);
  b = flushInput32(b);
  if (isNaN32(a) || isNaN32(b)) return processNaNs32(a, b);
  const x = f32Value(a);
  const y = f32Value(b);
  const q = x / y;
  if (q !== q) {
    fp.flags |= FLAG_IOC; // 0/0, Inf/Inf
    return DEFAULT_NAN32;
  }
  if (y === 0) {
    if (x !== Infinity && x !== -Infinity) fp.flags |= FLAG_DZC;
    return f32BitsOf(q);
  }
  if (q === 0 || q === Infinity || q === -Infinity) return f32BitsOf(q);
  // Residual x - q*y is exact: its sign, times y's, is the sign of (x/y - q).
  const p = q * y;
  const rem = (x - p) - productError(q, y, p);
  const r = rem > 0 ? 1 : rem < 0 ? -1 : 0;
  return finishF32(q, y < 0 ? -r : r);
}

export function f32Sqrt(a: number): number {
  a = flushInput32(a);
  if (isNaN32(a)) return processNaN32(a);
  const x = f32Value(a);
  if (x === 0) return a;
  if (x < 0) {
    fp.flags |= FLAG_IOC;
    return DEFAULT_NAN32;
  }
  if (x === Infinity) return a;
  const q = Math.sqrt(x);
  const p = q * q;
  const rem = (x - p) - productError(q, q, p);
  return finishF32(q, rem > 0 ? 1 : rem < 0 ? -1 : 0);
}

/** Fused addend + n * m with a single rounding (FPMulAdd, A2.7.x; QEMU float32_muladd). */
export function f32MulAdd(addend: number, n: number, m: number): number {
  addend = flushInput32(addend);
  n = flushInput32(n);
  m = flushInput32(m);
  const x = f32Value(n);
  const y = f32Value(m);
  const nInf = (n & 0x7fffffff) === 0x7f800000;
  const mInf = (m & 0x7fffffff) === 0x7f800000;
  const infTimesZero = (nInf && (m & 0x7fffffff) === 0) || (mInf && (n & 0x7fffffff) === 0);
  const kinds = nanKind32(addend) | nanKind32(n) | nanKind32(m);
  if (kinds !== 0) {
    const which = pickNaNMulAdd(nanKind32(addend), nanKind32(n), nanKind32(m), infTimesZero);
    if (which === 3) return DEFAULT_NAN32;
    return (which === 0 ? addend : which === 1 ? n : m) | 0x00400000;
  }
  if (infTimesZero) {
    fp.flags |= FLAG_IOC;
    return DEFAULT_NAN32;
  }
  const p = x * y; // exact: 48 significant bits, far from double over/underflow
  const productSign = (n ^ m) & 0x80000000;
  if (p === 0) {
    if ((addend & 0x7fffffff) !== 0) return addend;
    return exactZeroSum(productSign, addend & 0x80000000) | 0;
  }
  return sum(p, f32Value(addend), productSign, addend);
}

/** FPCompare (A2.7.x) as VCMP/VCMPE's NZCV: 0110 equal, 1000 less, 0010 greater, 0011 unordered. */
export function f32Compare(a: number, b: number, signalOnQuietNaN: boolean): number {
  a = flushInput32(a);
  b = flushInput32(b);
  if (isNaN32(a) || isNaN32(b)) {
    if (signalOnQuietNaN || nanKind32(a) === 2 || nanKind32(b) === 2) fp.flags |= FLAG_IOC;
    return 0b0011;
  }
  const x = f32Value(a);
  const y = f32Value(b);
  return x === y ? 0b0110 : x < y ? 0b1000 : 0b0010;
}
