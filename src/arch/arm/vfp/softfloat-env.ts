/**
 * Shared state and helpers of the softfloat core: the FPSCR controls of the operation in
 * progress, the cumulative exception flags it raises, raw-bit views and NaN handling for
 * single and double precision (ARM ARM A2.7 "Floating-point data types and arithmetic":
 * "Floating-point exceptions", FPProcessNaN / FPProcessNaNs).
 *
 * The core works on raw bit patterns: a single is an int32 of its bits; a double lives in a
 * pair of int32 words (low, high) that a Float64Array overlays. JS numbers are used only for
 * values that are not NaN, so NaN payloads and signalling NaNs never pass through host floats.
 */

/** FPSCR cumulative exception bits (ARM ARM "FPSCR"). */
export const FLAG_IOC = 1 << 0;
export const FLAG_DZC = 1 << 1;
export const FLAG_OFC = 1 << 2;
export const FLAG_UFC = 1 << 3;
export const FLAG_IXC = 1 << 4;
export const FLAG_IDC = 1 << 7;

/** FPSCR.RMode values. */
export const RM_NEAREST = 0;
export const RM_PLUS_INF = 1;
export const RM_MINUS_INF = 2;
export const RM_ZERO = 3;

export const FPSCR_AHP = 1 << 26;
export const FPSCR_DN = 1 << 25;
export const FPSCR_FZ = 1 << 24;

/** Controls of the operation in progress and the flags it raised (ORed into FPSCR after it). */
export const fp = { rmode: 0, fz: false, dn: false, ahp: false, flags: 0 };

/** Starts an operation under the controls of `fpscr`. */
export function beginOp(fpscr: number): void {
  fp.rmode = (fpscr >>> 22) & 3;
  fp.fz = (fpscr & FPSCR_FZ) !== 0;
  fp.dn = (fpscr & FPSCR_DN) !== 0;
  fp.ahp = (fpscr & FPSCR_AHP) !== 0;
  fp.flags = 0;
}

/**
 * Whether rounding goes away from zero for a result of this sign in directed modes: round
 * towards +Inf for positive values, towards -Inf for negative ones.
 */
export function roundsAwayFromZero(negative: boolean): boolean {
  return fp.rmode === RM_PLUS_INF ? !negative : fp.rmode === RM_MINUS_INF && negative;
}

// ---- Raw bit views ---------------------------------------------------------------------------

const f32View = new Float32Array(1);
const f32Bits = new Int32Array(f32View.buffer);
const f64View = new Float64Array(1);
const f64Bits = new Int32Array(f64View.buffer);

/** The value of single-precision bits that are not a NaN. */
export function f32Value(bits: number): number {
  f32Bits[0] = bits;
  return f32View[0]!;
}

/** Single-precision bits of a number, rounded to nearest (exact when `x` is a single). */
export function f32BitsOf(x: number): number {
  f32View[0] = x;
  return f32Bits[0]!;
}

/** High word of the double bits of `x` (not a NaN). */
export function f64High(x: number): number {
  f64View[0] = x;
  return f64Bits[1]!;
}

export function f64Low(x: number): number {
  f64View[0] = x;
  return f64Bits[0]!;
}

/** The next double of larger (up) or smaller magnitude than the positive finite `x`. */
export function f64Step(x: number, up: boolean): number {
  f64View[0] = x;
  let lo = f64Bits[0]!;
  let hi = f64Bits[1]!;
  if (up) {
    lo = (lo + 1) | 0;
    if (lo === 0) hi++;
  } else {
    if (lo === 0) hi--;
    lo = (lo - 1) | 0;
  }
  f64Bits[0] = lo;
  f64Bits[1] = hi;
  return f64View[0]!;
}

// ---- Single-precision NaNs -------------------------------------------------------------------

export const DEFAULT_NAN32 = 0x7fc00000;
const QUIET32 = 0x00400000;

export function isNaN32(a: number): boolean {
  return (a & 0x7fffffff) > 0x7f800000;
}

function isSignallingNaN32(a: number): boolean {
  return (a & 0x7fffffff) > 0x7f800000 && (a & QUIET32) === 0;
}

/** FPProcessNaN for one operand known to be a NaN. */
export function processNaN32(a: number): number {
  if ((a & QUIET32) === 0) fp.flags |= FLAG_IOC;
  return fp.dn ? DEFAULT_NAN32 : a | QUIET32;
}

/** FPProcessNaNs: signalling first (a before b), then quiet (a before b); the result is quiet. */
export function processNaNs32(a: number, b: number): number {
  const aSignalling = isSignallingNaN32(a);
  const bSignalling = isSignallingNaN32(b);
  if (aSignalling || bSignalling) fp.flags |= FLAG_IOC;
  if (fp.dn) return DEFAULT_NAN32;
  const pick = aSignalling ? a : bSignalling ? b : isNaN32(a) ? a : b;
  return pick | QUIET32;
}

/** FZ input flush of a single ("Flush-to-zero"): a denormal becomes a zero of its sign and sets IDC. */
export function flushInput32(a: number): number {
  if (fp.fz && (a & 0x7f800000) === 0 && (a & 0x007fffff) !== 0) {
    fp.flags |= FLAG_IDC;
    return a & 0x80000000;
  }
  return a;
}

// ---- Double-precision NaNs (operands addressed as double indices of a register file) --------

const QUIET64_HIGH = 0x00080000;
const DEFAULT_NAN64_HIGH = 0x7ff80000;

export function isNaN64(w: Int32Array, i: number): boolean {
  const hi = w[2 * i + 1]! & 0x7fffffff;
  return hi > 0x7ff00000 || (hi === 0x7ff00000 && w[2 * i] !== 0);
}

export function isSignallingNaN64(w: Int32Array, i: number): boolean {
  return isNaN64(w, i) && (w[2 * i + 1]! & QUIET64_HIGH) === 0;
}

export function writeDefaultNaN64(w: Int32Array, d: number): void {
  w[2 * d] = 0;
  w[2 * d + 1] = DEFAULT_NAN64_HIGH;
}

/** D(d) = the quieted NaN D(src), or the default NaN under DN. */
function writeQuietedNaN64(w: Int32Array, d: number, src: number): void {
  if (fp.dn) {
    writeDefaultNaN64(w, d);
  } else {
    w[2 * d] = w[2 * src]!;
    w[2 * d + 1] = w[2 * src + 1]! | QUIET64_HIGH;
  }
}

/** FPProcessNaN of D(a), known to be a NaN, into D(d). */
export function processNaN64(w: Int32Array, d: number, a: number): void {
  if ((w[2 * a + 1]! & QUIET64_HIGH) === 0) fp.flags |= FLAG_IOC;
  writeQuietedNaN64(w, d, a);
}

/** FPProcessNaNs of D(a), D(b), at least one a NaN, into D(d). */
export function processNaNs64(w: Int32Array, d: number, a: number, b: number): void {
  const aSignalling = isSignallingNaN64(w, a);
  const bSignalling = isSignallingNaN64(w, b);
  if (aSignalling || bSignalling) fp.flags |= FLAG_IOC;
  writeQuietedNaN64(w, d, aSignalling ? a : bSignalling ? b : isNaN64(w, a) ? a : b);
}

/**
 * NaN selection of a fused multiply-add addend + n * m, as QEMU's ARM pickNaNMulAdd (the order of
 * FPProcessNaNs3(addend, op1, op2)): signalling addend, n, m, then quiet addend, n, m; and
 * Inf * 0 with a quiet NaN addend is Invalid Operation with the default NaN.
 * Returns which operand to propagate: 0 addend, 1 n, 2 m, 3 default NaN.
 */
export function pickNaNMulAdd(
  addendNaN: number, nNaN: number, mNaN: number, infTimesZero: boolean,
): number {
  // Each argument is 0 (not a NaN), 1 (quiet NaN) or 2 (signalling NaN).
  if (addendNaN === 2 || nNaN === 2 || mNaN === 2) fp.flags |= FLAG_IOC;
  if (infTimesZero && addendNaN === 1) {
    fp.flags |= FLAG_IOC;
    return 3;
  }
  if (fp.dn) return 3;
  if (addendNaN === 2) return 0;
  if (nNaN === 2) return 1;
  if (mNaN === 2) return 2;
  if (addendNaN === 1) return 0;
  return nNaN === 1 ? 1 : 2;
}

/** pickNaNMulAdd for doubles: writes D(d) from the operand chosen (`which` as returned above). */
export function writePickedNaN64(w: Int32Array, d: number, which: number, a: number, n: number, m: number): void {
  if (which === 3) writeDefaultNaN64(w, d);
  else writeQuietedNaN64(w, d, which === 0 ? a : which === 1 ? n : m);
}

/** 0 not a NaN, 1 quiet NaN, 2 signalling NaN. */
export function nanKind32(a: number): number {
  return isNaN32(a) ? ((a & QUIET32) === 0 ? 2 : 1) : 0;
}

export function nanKind64(w: Int32Array, i: number): number {
  return isNaN64(w, i) ? ((w[2 * i + 1]! & QUIET64_HIGH) === 0 ? 2 : 1) : 0;
}

/** Exact a*b - p as a double (Dekker), valid when |a|, |b| < 2^996 are normal and |p| >= 2^-960. */
export function productError(a: number, b: number, p: number): number {
  const ca = 134217729 * a;
  const ah = ca - (ca - a);
  const al = a - ah;
  const cb = 134217729 * b;
  const bh = cb - (cb - b);
  const bl = b - bh;
  return ((ah * bh - p) + ah * bl + al * bh) + al * bl;
}
