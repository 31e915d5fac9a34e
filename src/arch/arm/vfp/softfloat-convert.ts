import {
  DEFAULT_NAN32, FLAG_IDC, FLAG_IOC, FLAG_IXC, RM_MINUS_INF, RM_NEAREST, RM_PLUS_INF, f32Value, flushInput32, fp,
  isNaN32, isNaN64, processNaN32, writeDefaultNaN64,
} from './softfloat-env.js';
import { FORMAT16, FORMAT16_AHP, finishF32, roundPackBig } from './softfloat-round.js';

/**
 * Conversions (ARM ARM pseudocode FPConvert, FPToFixed, FixedToFP; the VCVT forms):
 * single <-> double, single/double <-> 16/32-bit signed/unsigned fixed point (integers are fixed
 * point with no fraction bits), single <-> half (IEEE or alternative format, FPSCR.AHP).
 */

const MIN_NORMAL64 = 2 ** -1022;

function flushInput64(x: number): number {
  if (fp.fz && x !== 0 && x > -MIN_NORMAL64 && x < MIN_NORMAL64) {
    fp.flags |= FLAG_IDC;
    return x < 0 ? -0 : 0;
  }
  return x;
}

/** D(d) = S value `a` (bits) as a double: exact, NaNs quieted with their payload (FPConvert). */
export function f32ToF64(w: Int32Array, f: Float64Array, d: number, a: number): void {
  a = flushInput32(a);
  if (isNaN32(a)) {
    const q = processNaN32(a);
    if (fp.dn) {
      writeDefaultNaN64(w, d);
    } else {
      w[2 * d] = q << 29;
      w[2 * d + 1] = (q & 0x80000000) | 0x7ff00000 | ((q & 0x007fffff) >>> 3);
    }
    return;
  }
  f[d] = f32Value(a);
}

/** Single-precision bits of D(m), rounded in the FPSCR mode (FPConvert). */
export function f64ToF32(w: Int32Array, f: Float64Array, m: number): number {
  const x = flushInput64(f[m]!);
  if (x !== x) {
    const hi = w[2 * m + 1]!;
    if ((hi & 0x00080000) === 0) fp.flags |= FLAG_IOC;
    if (fp.dn) return DEFAULT_NAN32;
    return (hi & 0x80000000) | 0x7fc00000 | ((hi & 0x0007ffff) << 3) | (w[2 * m]! >>> 29);
  }
  if (x === Infinity || x === -Infinity) return x > 0 ? 0x7f800000 : 0xff800000 | 0;
  return finishF32(x, 0);
}

/** Single-precision bits of the exact value `x` (an integer scaled by a power of two). */
export function exactToF32(x: number): number {
  return finishF32(x, 0);
}

/** Round to an integral value in the FPSCR mode, or towards zero. `x` is finite. */
function roundToIntegral(x: number, towardZero: boolean): number {
  if (x >= 4503599627370496 || x <= -4503599627370496) return x; // |x| >= 2^52: integral
  if (towardZero) return Math.trunc(x);
  switch (fp.rmode) {
    case RM_NEAREST: {
      const floor = Math.floor(x);
      const diff = x - floor;
      if (diff > 0.5) return floor + 1;
      if (diff < 0.5) return floor;
      return floor % 2 === 0 ? floor : floor + 1;
    }
    case RM_PLUS_INF: return Math.ceil(x);
    case RM_MINUS_INF: return Math.floor(x);
    default: return Math.trunc(x);
  }
}

/**
 * FPToFixed: the finite or infinite value `x` (flushed, not NaN) times 2^fractionBits, rounded,
 * saturated to a `size`-bit signed/unsigned integer with Invalid Operation (and no Inexact) when
 * out of range. Returns the result sign/zero extended to 32 bits.
 */
function toFixed(x: number, fractionBits: number, unsigned: boolean, size: number, towardZero: boolean): number {
  const scaled = x * 2 ** fractionBits;
  const max = unsigned ? 2 ** size - 1 : 2 ** (size - 1) - 1;
  const min = unsigned ? 0 : -(2 ** (size - 1));
  if (scaled === Infinity) {
    fp.flags |= FLAG_IOC;
    return max | 0;
  }
  if (scaled === -Infinity) {
    fp.flags |= FLAG_IOC;
    return min | 0;
  }
  const r = roundToIntegral(scaled, towardZero);
  if (r > max) {
    fp.flags |= FLAG_IOC;
    return max | 0;
  }
  if (r < min) {
    fp.flags |= FLAG_IOC;
    return min | 0;
  }
  // (A negative fraction count can scale a denormal to zero: that is inexact too.)
  if (r !== scaled || (scaled === 0 && x !== 0)) fp.flags |= FLAG_IXC;
  return r | 0;
}

/** VCVT/VCVTR/VCVT (fixed) from a single: NaN converts to 0 with Invalid Operation (as QEMU). */
export function f32ToFixed(a: number, fractionBits: number, unsigned: boolean, size: number, towardZero: boolean): number {
  if (isNaN32(a)) {
    fp.flags |= FLAG_IOC;
    return 0;
  }
  return toFixed(f32Value(flushInput32(a)), fractionBits, unsigned, size, towardZero);
}

export function f64ToFixed(
  w: Int32Array, f: Float64Array, m: number, fractionBits: number, unsigned: boolean, size: number, towardZero: boolean,
): number {
  if (isNaN64(w, m)) {
    fp.flags |= FLAG_IOC;
    return 0;
  }
  return toFixed(flushInput64(f[m]!), fractionBits, unsigned, size, towardZero);
}

/** The value of a `size`-bit fixed-point operand (low bits of `bits`) with `fractionBits`. */
export function fixedValue(bits: number, fractionBits: number, unsigned: boolean, size: number): number {
  let v: number;
  if (size === 16) v = unsigned ? bits & 0xffff : (bits << 16) >> 16;
  else v = unsigned ? bits >>> 0 : bits | 0;
  return v / 2 ** fractionBits;
}

// ---- Half precision (ARM ARM "Floating-point half-precision formats") -------------------------------------------------------------

/** Single bits of the half `h` (IEEE, or alternative format under FPSCR.AHP): exact. */
export function f16ToF32(h: number): number {
  const sign = (h & 0x8000) << 16;
  const field = (h >>> 10) & 0x1f;
  const fraction = h & 0x3ff;
  if (field === 0x1f && !fp.ahp) {
    if (fraction === 0) return sign | 0x7f800000;
    return processNaN32(sign | 0x7f800000 | (fraction << 13));
  }
  if (field === 0) {
    if (fraction === 0) return sign;
    // Half denormals are normal singles; FZ does not apply to half-precision inputs (QEMU).
    const shift = Math.clz32(fraction) - 21; // normalise bit 10
    return sign | ((113 - shift) << 23) | (((fraction << shift) & 0x3ff) << 13);
  }
  return sign | ((field + 112) << 23) | (fraction << 13);
}

/** Half bits of the single `a`, rounded in the FPSCR mode; FZ flushes the input, not the result. */
export function f32ToF16(a: number): number {
  a = flushInput32(a);
  const sign = (a >>> 16) & 0x8000;
  if (isNaN32(a)) {
    if (fp.ahp) {
      fp.flags |= FLAG_IOC; // no NaN in the alternative format: a zero of the NaN's sign
      return sign;
    }
    const q = processNaN32(a);
    return fp.dn ? 0x7e00 : sign | 0x7e00 | ((q & 0x007fffff) >>> 13);
  }
  const magnitude = a & 0x7fffffff;
  if (magnitude === 0x7f800000) {
    if (fp.ahp) {
      fp.flags |= FLAG_IOC;
      return sign | 0x7fff;
    }
    return sign | 0x7c00;
  }
  if (magnitude === 0) return sign;
  const field = magnitude >>> 23;
  const m = BigInt(field === 0 ? magnitude : (magnitude & 0x7fffff) | 0x800000);
  const e = (field === 0 ? 1 : field) - 150;
  return Number(roundPackBig(fp.ahp ? FORMAT16_AHP : FORMAT16, sign !== 0, m, e, false));
}
