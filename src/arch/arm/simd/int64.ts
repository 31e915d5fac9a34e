import { smul64, wideHi, wideLo } from '../isa-data/wide-math.js';
import { saturation } from './saturation.js';

/**
 * Exact 64-bit lane arithmetic of the Advanced SIMD instructions on pairs of 32-bit halves, so
 * that no BigInt is allocated per instruction (issue 4). A value is (hi:lo), both signed 32-bit
 * patterns; whether it reads as signed or unsigned is the caller's `unsigned` flag. Results are
 * left in `int64Hi` / `int64Lo` (like isa-data/wide-math.ts): read them right after the call.
 * Saturating functions set `saturation.qc` when they clip (FPSCR.QC, ARM ARM A2.6.6).
 */

export let int64Hi = 0;
export let int64Lo = 0;

const MIN_HI = -0x80000000;

function set(hi: number, lo: number): void {
  int64Hi = hi | 0;
  int64Lo = lo | 0;
}

/** The largest value of the signed or unsigned 64-bit range, QC set. */
function saturateHigh(unsigned: boolean): void {
  saturation.qc = true;
  set(unsigned ? -1 : 0x7fffffff, -1);
}

/** The smallest value of the signed or unsigned 64-bit range, QC set. */
function saturateLow(unsigned: boolean): void {
  saturation.qc = true;
  set(unsigned ? 0 : MIN_HI, 0);
}

/** An integer x with |x| < 2^53 as (hi:lo), modulo 2^64. */
export function fromNumber64(x: number): void {
  set(Math.floor(x / 0x100000000), x);
}

/** A 32-bit element (signed or unsigned pattern) extended to 64 bits: its high word. */
export function extendHigh(x: number, unsigned: boolean): number {
  return unsigned ? 0 : x >> 31;
}

/** a + b modulo 2^64; returns the carry out of bit 63 (1 when the unsigned sum overflowed). */
export function add64(aHi: number, aLo: number, bHi: number, bLo: number): number {
  const lo = (aLo >>> 0) + (bLo >>> 0);
  const hi = (aHi >>> 0) + (bHi >>> 0) + (lo > 0xffffffff ? 1 : 0);
  set(hi, lo);
  return hi > 0xffffffff ? 1 : 0;
}

/** a - b modulo 2^64; returns the borrow out of bit 63 (1 when a < b unsigned). */
export function sub64(aHi: number, aLo: number, bHi: number, bLo: number): number {
  const borrowLo = (aLo >>> 0) < (bLo >>> 0) ? 1 : 0;
  const hi = (aHi >>> 0) - (bHi >>> 0) - borrowLo;
  set(hi, aLo - bLo);
  return hi < 0 ? 1 : 0;
}

/** a < b, both signed or both unsigned. */
export function lessThan64(aHi: number, aLo: number, bHi: number, bLo: number, unsigned: boolean): boolean {
  if (aHi !== bHi) return unsigned ? aHi >>> 0 < bHi >>> 0 : aHi < bHi;
  return aLo >>> 0 < bLo >>> 0;
}

/** SignedSatQ / UnsignedSatQ(a + b, 64). */
export function satAdd64(aHi: number, aLo: number, bHi: number, bLo: number, unsigned: boolean): void {
  const carry = add64(aHi, aLo, bHi, bLo);
  if (unsigned) {
    if (carry !== 0) saturateHigh(true);
  } else if (((aHi ^ int64Hi) & (bHi ^ int64Hi)) < 0) {
    // Operands of one sign, a sum of the other: the sign of a says which way it overflowed.
    if (aHi < 0) saturateLow(false);
    else saturateHigh(false);
  }
}

/** SignedSatQ / UnsignedSatQ(a - b, 64). */
export function satSub64(aHi: number, aLo: number, bHi: number, bLo: number, unsigned: boolean): void {
  const borrow = sub64(aHi, aLo, bHi, bLo);
  if (unsigned) {
    if (borrow !== 0) saturateLow(true);
  } else if (((aHi ^ bHi) & (aHi ^ int64Hi)) < 0) {
    if (aHi < 0) saturateLow(false);
    else saturateHigh(false);
  }
}

/** |a - b| (as an unsigned 64-bit value). */
export function absDiff64(aHi: number, aLo: number, bHi: number, bLo: number, unsigned: boolean): void {
  if (lessThan64(aHi, aLo, bHi, bLo, unsigned)) sub64(bHi, bLo, aHi, aLo);
  else sub64(aHi, aLo, bHi, bLo);
}

/** a << s for s >= 0, modulo 2^64. */
export function shiftLeft64(hi: number, lo: number, s: number): void {
  if (s === 0) set(hi, lo);
  else if (s >= 64) set(0, 0);
  else if (s >= 32) set(lo << (s - 32), 0);
  else set((hi << s) | (lo >>> (32 - s)), lo << s);
}

/** a >> s for s >= 0, arithmetic for signed a, logical for unsigned a (exact: floor(a / 2^s)). */
export function shiftRight64(hi: number, lo: number, s: number, unsigned: boolean): void {
  const fill = unsigned ? 0 : hi >> 31;
  if (s === 0) set(hi, lo);
  else if (s >= 64) set(fill, fill);
  else if (s >= 32) set(fill, unsigned ? hi >>> (s - 32) : hi >> (s - 32));
  else set(unsigned ? hi >>> s : hi >> s, (lo >>> s) | (hi << (32 - s)));
}

/** Bit k (k >= 0) of a, bits past 63 being copies of the sign of a signed value. */
function bit64(hi: number, lo: number, k: number, unsigned: boolean): number {
  if (k < 32) return (lo >>> k) & 1;
  if (k < 64) return (hi >>> (k - 32)) & 1;
  return unsigned ? 0 : hi >>> 31;
}

/**
 * (a + 2^(s-1)) >> s for s >= 1, exact: floor(a / 2^s) plus the last bit shifted out. The result
 * always fits the 64-bit range of a's signedness, so it never saturates.
 */
export function roundingShiftRight64(hi: number, lo: number, s: number, unsigned: boolean): void {
  const round = bit64(hi, lo, s - 1, unsigned);
  shiftRight64(hi, lo, s, unsigned);
  if (round !== 0) add64(int64Hi, int64Lo, 0, 1);
}

/**
 * a * 2^s for s >= 0, saturated to the signed or unsigned 64-bit range (VQSHL, VQSHLU): the
 * shift fits exactly when shifting the result back gives a again (and, for an unsigned source
 * with a signed result, the top bit is clear).
 */
export function satShiftLeft64(hi: number, lo: number, s: number, sourceUnsigned: boolean, resultUnsigned: boolean): void {
  const negative = !sourceUnsigned && hi < 0;
  if (negative && resultUnsigned) return saturateLow(true);
  if (hi === 0 && lo === 0) return set(0, 0);
  if (s < 64) {
    shiftLeft64(hi, lo, s);
    const rHi = int64Hi;
    const rLo = int64Lo;
    shiftRight64(rHi, rLo, s, sourceUnsigned || resultUnsigned);
    const roundTrips = int64Hi === (hi | 0) && int64Lo === (lo | 0);
    if (roundTrips && (resultUnsigned || !sourceUnsigned || rHi >= 0)) return set(rHi, rLo);
  }
  if (negative) saturateLow(false);
  else saturateHigh(resultUnsigned);
}

/**
 * a shifted left by `shift` (right when negative, rounding if asked), saturated if asked, else
 * modulo 2^64 (A8 VSHL, VRSHL, VQSHL, VQRSHL (register) with 64-bit elements).
 */
export function shiftByAmount64(hi: number, lo: number, shift: number, unsigned: boolean, rounding: boolean, saturating: boolean): void {
  if (shift >= 0) {
    if (saturating) satShiftLeft64(hi, lo, shift, unsigned, unsigned);
    else shiftLeft64(hi, lo, shift);
  } else if (rounding) roundingShiftRight64(hi, lo, -shift, unsigned);
  else shiftRight64(hi, lo, -shift, unsigned);
}

/** 2 * a * b for signed 32-bit a, b, saturated: only -2^31 * -2^31 overflows (VQDMULL). */
export function satDoublingMul64(a: number, b: number): void {
  if ((a | 0) === MIN_HI && (b | 0) === MIN_HI) return saturateHigh(false);
  smul64(a, b);
  shiftLeft64(wideHi, wideLo, 1);
}

/**
 * SignedSatQ / UnsignedSatQ of the 64-bit value a (read as `sourceUnsigned` says) to 32 bits, as
 * a 32-bit pattern (VQMOVN, VQMOVUN, VQSHRN ...).
 */
export function saturateToWord(hi: number, lo: number, sourceUnsigned: boolean, resultUnsigned: boolean): number {
  if (!sourceUnsigned && hi < 0) {
    if (resultUnsigned) {
      saturation.qc = true;
      return 0;
    }
    if (hi === -1 && lo < 0) return lo;
    saturation.qc = true;
    return MIN_HI;
  }
  if (hi !== 0 || (!resultUnsigned && lo < 0)) {
    saturation.qc = true;
    return resultUnsigned ? -1 : 0x7fffffff;
  }
  return lo;
}
