import {
  FLAG_IOC, FLAG_IXC, FLAG_OFC, FLAG_UFC, RM_NEAREST, RM_ZERO, f32BitsOf, f32Value, fp, roundsAwayFromZero,
} from './softfloat-env.js';

/**
 * Rounding of exact results to a destination format: FPRound (ARM ARM A2.7.x pseudocode) as QEMU
 * implements it for ARM: tininess is detected before rounding, Underflow is signalled only when
 * the result is also inexact, FZ flushes a tiny result to a signed zero with UFC and no IXC, and
 * overflow gives Inf or the largest normal depending on the rounding direction.
 *
 * Two routes:
 *  - finishF32(q, residual): the exact result is known as its round-to-nearest double `q` plus
 *    the sign of (exact - q). Every single-precision grid point and midpoint is a double, so this
 *    determines the correctly rounded single in every mode (single-precision fast path).
 *  - roundPackBig(...): the exact result as sign * m * 2^e with a BigInt m (double slow path,
 *    FMA of doubles, half precision).
 */

const MAX32 = 3.4028234663852886e38; // (2 - 2^-23) * 2^127
const OVERFLOW_MIDPOINT32 = 3.4028235677973366e38; // 2^128 - 2^103
const TWO_128 = 2 ** 128;
const MIN_NORMAL32 = 2 ** -126;

/** Whether the magnitude |exact| (known as |q| and residual r in magnitude direction) is >= t. */
function atLeast(a: number, r: number, t: number): boolean {
  return a > t || (a === t && r >= 0);
}

/**
 * The single-precision bits of the exact value `q + tiny`, where q is the exact value rounded to
 * the nearest double and `residual` the sign of (exact - q). q must be finite and, if zero, exact.
 */
export function finishF32(q: number, residual: number): number {
  if (q === 0) return f32BitsOf(q);
  if (fp.rmode === RM_NEAREST) {
    const magnitude = q < 0 ? -q : q;
    if (magnitude > MIN_NORMAL32 && magnitude < MAX32) {
      // Common case: a normal result to nearest. Math.fround breaks ties to even; a tie of q
      // that the residual breaks goes to the neighbour 2q - f on the residual's side.
      let f = Math.fround(q);
      if (f === q) {
        if (residual === 0) return f32BitsOf(f);
      } else if (residual !== 0) {
        const other = 2 * q - f;
        if (Math.fround(other) === other && (other > f) === (residual > 0)) f = other;
      }
      fp.flags |= FLAG_IXC;
      return f32BitsOf(f);
    }
  }
  const negative = q < 0;
  const sign = negative ? 0x80000000 | 0 : 0;
  const a = negative ? -q : q;
  const r = negative ? -residual : residual;
  const away = fp.rmode !== RM_NEAREST && fp.rmode !== RM_ZERO && roundsAwayFromZero(negative);
  if (a > MAX32 || (a === MAX32 && r > 0)) {
    const overflow = fp.rmode === RM_NEAREST ? atLeast(a, r, OVERFLOW_MIDPOINT32) : away || atLeast(a, r, TWO_128);
    if (overflow) {
      fp.flags |= FLAG_OFC | FLAG_IXC;
      return sign | (fp.rmode === RM_NEAREST || away ? 0x7f800000 : 0x7f7fffff);
    }
    fp.flags |= FLAG_IXC;
    return sign | 0x7f7fffff;
  }
  const tiny = a < MIN_NORMAL32 || (a === MIN_NORMAL32 && r < 0);
  if (tiny && fp.fz) {
    fp.flags |= FLAG_UFC;
    return sign;
  }
  const nearestBits = f32BitsOf(a);
  const nearest = f32Value(nearestBits);
  let bits: number;
  if (nearest === a) {
    if (r === 0) return sign | nearestBits;
    if (fp.rmode === RM_NEAREST) bits = nearestBits;
    else if (away) bits = r > 0 ? nearestBits + 1 : nearestBits;
    else bits = r < 0 ? nearestBits - 1 : nearestBits;
  } else {
    // a lies strictly between two singles: `nearest` and its neighbour on a's side.
    const above = a > nearest;
    const otherBits = above ? nearestBits + 1 : nearestBits - 1;
    const upperBits = above ? otherBits : nearestBits;
    const lowerBits = above ? nearestBits : otherBits;
    if (fp.rmode === RM_NEAREST) {
      const isMidpoint = 2 * Math.abs(a - nearest) === Math.abs(f32Value(otherBits) - nearest);
      bits = isMidpoint && r !== 0 ? (r > 0 ? upperBits : lowerBits) : nearestBits;
    } else {
      bits = away ? upperBits : lowerBits;
    }
  }
  fp.flags |= tiny ? FLAG_IXC | FLAG_UFC : FLAG_IXC;
  return sign | bits;
}

/** Number of significant bits of a positive BigInt. */
function bitLength(m: bigint): number {
  return m.toString(2).length;
}

/** A destination format for roundPackBig. */
export interface FloatFormat {
  /** Width of the encoding (64, 16). */
  readonly totalBits: number;
  /** Fraction bits (52, 10). */
  readonly fractionBits: number;
  /** Exponent of the smallest normal (-1022, -14). */
  readonly minExponent: number;
  /** Biased exponent field value of Inf/NaN (2047, 31). */
  readonly maxField: number;
  /** ARM alternative half-precision: no Inf/NaN, the top exponent is normal. */
  readonly alternative: boolean;
}

export const FORMAT64: FloatFormat = { totalBits: 64, fractionBits: 52, minExponent: -1022, maxField: 2047, alternative: false };
export const FORMAT16: FloatFormat = { totalBits: 16, fractionBits: 10, minExponent: -14, maxField: 31, alternative: false };
export const FORMAT16_AHP: FloatFormat = { totalBits: 16, fractionBits: 10, minExponent: -14, maxField: 31, alternative: true };

/**
 * Bits (as a BigInt, sign included) of the value (-1)^negative * m * 2^e, m > 0, rounded to
 * `format` in the current mode. `flushable`: FZ applies to the result (not for half precision).
 */
export function roundPackBig(format: FloatFormat, negative: boolean, m: bigint, e: number, flushable: boolean): bigint {
  const f = format.fractionBits;
  const signBit = negative ? 1n << BigInt(format.totalBits - 1) : 0n;
  const msb = e + bitLength(m) - 1;
  const tiny = msb < format.minExponent;
  if (tiny && flushable && fp.fz) {
    fp.flags |= FLAG_UFC;
    return signBit;
  }
  let lsb = Math.max(msb, format.minExponent) - f;
  const shift = lsb - e;
  let mant: bigint;
  let inexact = false;
  if (shift <= 0) {
    mant = m << BigInt(-shift);
  } else {
    const s = BigInt(shift);
    mant = m >> s;
    const rem = m - (mant << s);
    if (rem !== 0n) {
      inexact = true;
      const half = 1n << (s - 1n);
      let increment: boolean;
      if (fp.rmode === RM_NEAREST) increment = rem > half || (rem === half && (mant & 1n) === 1n);
      else increment = roundsAwayFromZero(negative);
      if (increment) mant += 1n;
    }
  }
  if (mant >= 1n << BigInt(f + 1)) {
    mant >>= 1n;
    lsb++;
  }
  const fractionMask = (1n << BigInt(f)) - 1n;
  const biased = mant < 1n << BigInt(f) ? 0 : lsb + f - format.minExponent + 1;
  if (format.alternative) {
    if (biased > format.maxField) {
      // QEMU's arm_althp overflow: Invalid Operation (replacing Inexact), largest magnitude.
      fp.flags |= FLAG_IOC;
      return signBit | (BigInt(format.maxField) << BigInt(f)) | fractionMask;
    }
  } else if (biased >= format.maxField) {
    fp.flags |= FLAG_OFC | FLAG_IXC;
    const toInfinity = fp.rmode === RM_NEAREST || (fp.rmode !== RM_ZERO && roundsAwayFromZero(negative));
    if (toInfinity) return signBit | (BigInt(format.maxField) << BigInt(f));
    return signBit | (BigInt(format.maxField - 1) << BigInt(f)) | fractionMask;
  }
  if (inexact) fp.flags |= tiny ? FLAG_IXC | FLAG_UFC : FLAG_IXC;
  return signBit | (BigInt(biased) << BigInt(f)) | (mant & fractionMask);
}

/** Significand and exponent of a finite non-zero double's bits: value = m * 2^e. Sets unpackedE. */
export let unpackedE = 0;
export function unpack64(high: number, low: number): bigint {
  const field = (high >>> 20) & 0x7ff;
  const fraction = (BigInt(high & 0xfffff) << 32n) | BigInt(low >>> 0);
  if (field === 0) {
    unpackedE = -1074;
    return fraction;
  }
  unpackedE = field - 1075;
  return fraction | (1n << 52n);
}
