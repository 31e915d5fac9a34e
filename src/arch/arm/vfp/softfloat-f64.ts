import {
  FLAG_DZC, FLAG_IDC, FLAG_IOC, FLAG_IXC, FLAG_UFC, RM_MINUS_INF, RM_NEAREST, RM_ZERO, f64High, f64Low, f64Step, fp,
  nanKind64, pickNaNMulAdd, processNaN64, processNaNs64, productError, roundsAwayFromZero, writeDefaultNaN64,
  writePickedNaN64,
} from './softfloat-env.js';
import { FORMAT64, roundPackBig, unpack64, unpackedE } from './softfloat-round.js';

/**
 * Double-precision arithmetic (ARM ARM A2.7 FPAdd, FPMul, FPDiv, FPSqrt, FPMulAdd). Operands and
 * results are doubles of a register file (w: its words, f: the Float64Array over them), by index.
 *
 * Fast path: the host's round-to-nearest result plus the sign of its error (error-free
 * transformations), rounded again for the FPSCR mode, while everything stays in the range where
 * those transformations are exact and the result cannot be tiny or overflow. Otherwise the exact
 * result is computed with BigInt and rounded by roundPackBig.
 */

const MIN_NORMAL64 = 2 ** -1022;
const TWO_1023 = 2 ** 1023;
/** Error-free product terms are exact for normal factors below this and products above FAST_LOW. */
const FAST_HIGH = 2 ** 996;
const FAST_LOW = 2 ** -960;

function flushInput64(x: number): number {
  if (fp.fz && x !== 0 && x > -MIN_NORMAL64 && x < MIN_NORMAL64) {
    fp.flags |= FLAG_IDC;
    return x < 0 ? -0 : 0;
  }
  return x;
}

function inFastRange(x: number): boolean {
  const a = x < 0 ? -x : x;
  return a >= MIN_NORMAL64 && a < FAST_HIGH;
}

/**
 * Stores the result whose nearest double is q and whose error sign is `residual`; false when
 * q is too close to the subnormal or overflow range for this path.
 */
function finish64(f: Float64Array, d: number, q: number, residual: number): boolean {
  const a = q < 0 ? -q : q;
  if (residual === 0) {
    if (fp.fz && a !== 0 && a < MIN_NORMAL64) {
      fp.flags |= FLAG_UFC;
      f[d] = q < 0 ? -0 : 0;
    } else {
      f[d] = q;
    }
    return true;
  }
  if (!(a > MIN_NORMAL64 && a < TWO_1023)) return false;
  fp.flags |= FLAG_IXC;
  if (fp.rmode !== RM_NEAREST) {
    const negative = q < 0;
    const r = negative ? -residual : residual;
    const away = fp.rmode !== RM_ZERO && roundsAwayFromZero(negative);
    if (away ? r > 0 : r < 0) {
      const stepped = f64Step(a, away);
      f[d] = negative ? -stepped : stepped;
      return true;
    }
  }
  f[d] = q;
  return true;
}

function writeBits(w: Int32Array, d: number, bits: bigint): void {
  w[2 * d] = Number(bits & 0xffffffffn) | 0;
  w[2 * d + 1] = Number((bits >> 32n) & 0xffffffffn) | 0;
}

function writeRounded(w: Int32Array, d: number, value: bigint, e: number): void {
  const negative = value < 0n;
  writeBits(w, d, roundPackBig(FORMAT64, negative, negative ? -value : value, e, true));
}

/** Exact signed significand of a finite double (value = result * 2^unpackedE). */
function exact(x: number): bigint {
  if (x === 0) return 0n;
  const m = unpack64(f64High(x), f64Low(x));
  return x < 0 ? -m : m;
}

/** Sum of finite x and y (at least one non-zero), exactly, then rounded. */
function slowSum(w: Int32Array, d: number, x: number, y: number, extra: bigint, extraE: number): void {
  let mx = exact(x);
  let ex = x === 0 ? extraE : unpackedE;
  let my = exact(y);
  let ey = y === 0 ? extraE : unpackedE;
  if (extra !== 0n) {
    // Used by the fused multiply-add: x is replaced by the exact product `extra` * 2^extraE.
    mx = extra;
    ex = extraE;
  }
  const e = Math.min(ex, ey);
  const total = (mx << BigInt(ex - e)) + (my << BigInt(ey - e));
  if (total === 0n) {
    w[2 * d] = 0;
    w[2 * d + 1] = fp.rmode === RM_MINUS_INF ? 0x80000000 | 0 : 0;
    return;
  }
  writeRounded(w, d, total, e);
}

export function f64Add(w: Int32Array, f: Float64Array, d: number, n: number, m: number, subtract: boolean): void {
  const x = flushInput64(f[n]!);
  let y = flushInput64(f[m]!);
  if (x !== x || y !== y) {
    processNaNs64(w, d, n, m);
    return;
  }
  if (subtract) y = -y;
  const s = x + y;
  if (s !== s) {
    fp.flags |= FLAG_IOC;
    writeDefaultNaN64(w, d);
    return;
  }
  if (s === 0) {
    // Exact zero: +0 + +0, -0 + -0 keep their sign; otherwise -0 only when rounding to -Inf.
    f[d] = Object.is(x, y) ? x : fp.rmode === RM_MINUS_INF ? -0 : 0;
    return;
  }
  if (s === Infinity || s === -Infinity) {
    if (x === Infinity || x === -Infinity || y === Infinity || y === -Infinity) f[d] = s;
    else slowSum(w, d, x, y, 0n, 0);
    return;
  }
  const t = s - x;
  const e = (x - (s - t)) + (y - t);
  // e is NaN when an intermediate of the two-sum overflowed (|s| near the largest double).
  if (e !== e || !finish64(f, d, s, e > 0 ? 1 : e < 0 ? -1 : 0)) slowSum(w, d, x, y, 0n, 0);
}

export function f64Mul(w: Int32Array, f: Float64Array, d: number, n: number, m: number): void {
  const x = flushInput64(f[n]!);
  const y = flushInput64(f[m]!);
  if (x !== x || y !== y) {
    processNaNs64(w, d, n, m);
    return;
  }
  const p = x * y;
  if (p !== p) {
    fp.flags |= FLAG_IOC;
    writeDefaultNaN64(w, d);
    return;
  }
  if (x === 0 || y === 0 || x === Infinity || x === -Infinity || y === Infinity || y === -Infinity) {
    f[d] = p;
    return;
  }
  const a = p < 0 ? -p : p;
  if (inFastRange(x) && inFastRange(y) && a >= FAST_LOW && a < TWO_1023) {
    const err = productError(x, y, p);
    if (finish64(f, d, p, err > 0 ? 1 : err < 0 ? -1 : 0)) return;
  }
  const mx = exact(x);
  const ex = unpackedE;
  const my = exact(y);
  writeRounded(w, d, mx * my, ex + unpackedE);
}

export function f64Div(w: Int32Array, f: Float64Array, d: number, n: number, m: number): void {
  const x = flushInput64(f[n]!);
  const y = flushInput64(f[m]!);
  if (x !== x || y !== y) {
    processNaNs64(w, d, n, m);
    return;
  }
  const q = x / y;
  if (q !== q) {
    fp.flags |= FLAG_IOC;
    writeDefaultNaN64(w, d);
    return;
  }
  if (y === 0) {
    if (x !== Infinity && x !== -Infinity) fp.flags |= FLAG_DZC;
    f[d] = q;
    return;
  }
  if (x === 0 || x === Infinity || x === -Infinity || y === Infinity || y === -Infinity) {
    f[d] = q;
    return;
  }
  const a = q < 0 ? -q : q;
  const ax = x < 0 ? -x : x;
  if (inFastRange(y) && ax >= FAST_LOW && ax < FAST_HIGH && a >= FAST_LOW && a < FAST_HIGH) {
    const p = q * y;
    const rem = (x - p) - productError(q, y, p);
    const r = rem > 0 ? 1 : rem < 0 ? -1 : 0;
    if (finish64(f, d, q, y < 0 ? -r : r)) return;
  }
  let mx = exact(x);
  const ex = unpackedE;
  let my = exact(y);
  const ey = unpackedE;
  const negative = (mx < 0n) !== (my < 0n);
  if (mx < 0n) mx = -mx;
  if (my < 0n) my = -my;
  // At least 55 quotient bits, then a sticky bit for the remainder.
  const shift = Math.max(0, 55 + bitLen(my) - bitLen(mx));
  const num = mx << BigInt(shift);
  let quotient = num / my;
  const sticky = num - quotient * my !== 0n ? 1n : 0n;
  quotient = (quotient << 1n) | sticky;
  writeRounded(w, d, negative ? -quotient : quotient, ex - ey - shift - 1);
}

function bitLen(m: bigint): number {
  return m.toString(2).length;
}

/** Integer square root (floor) of a positive BigInt, by Newton's method. */
function isqrt(v: bigint): bigint {
  let x = 1n << BigInt(Math.ceil(bitLen(v) / 2));
  for (;;) {
    const next = (x + v / x) >> 1n;
    if (next >= x) return x;
    x = next;
  }
}

export function f64Sqrt(w: Int32Array, f: Float64Array, d: number, m: number): void {
  const x = flushInput64(f[m]!);
  if (x !== x) {
    processNaN64(w, d, m);
    return;
  }
  if (x === 0 || x === Infinity) {
    f[d] = x;
    return;
  }
  if (x < 0) {
    fp.flags |= FLAG_IOC;
    writeDefaultNaN64(w, d);
    return;
  }
  if (x >= FAST_LOW && x < FAST_HIGH) {
    const q = Math.sqrt(x);
    const p = q * q;
    const rem = (x - p) - productError(q, q, p);
    if (finish64(f, d, q, rem > 0 ? 1 : rem < 0 ? -1 : 0)) return;
  }
  let mx = exact(x);
  let e = unpackedE;
  if (e & 1) {
    mx <<= 1n;
    e -= 1;
  }
  const extra = Math.max(0, 112 - bitLen(mx)) & ~1;
  const v = mx << BigInt(extra);
  const root = isqrt(v);
  const sticky = root * root !== v ? 1n : 0n;
  writeRounded(w, d, (root << 1n) | sticky, (e - extra) / 2 - 1);
}

/** D(d) = addend + n * m with one rounding (FPMulAdd; NaN rules of QEMU's ARM muladd). */
export function f64MulAdd(w: Int32Array, f: Float64Array, d: number, addendIndex: number, n: number, m: number): void {
  const c = flushInput64(f[addendIndex]!);
  const x = flushInput64(f[n]!);
  const y = flushInput64(f[m]!);
  const infTimesZero = ((x === Infinity || x === -Infinity) && y === 0) || ((y === Infinity || y === -Infinity) && x === 0);
  if (c !== c || x !== x || y !== y) {
    const which = pickNaNMulAdd(nanKind64(w, addendIndex), nanKind64(w, n), nanKind64(w, m), infTimesZero);
    writePickedNaN64(w, d, which, addendIndex, n, m);
    return;
  }
  if (infTimesZero) {
    fp.flags |= FLAG_IOC;
    writeDefaultNaN64(w, d);
    return;
  }
  const productInfinite = x === Infinity || x === -Infinity || y === Infinity || y === -Infinity;
  if (productInfinite || c === Infinity || c === -Infinity) {
    const s = (productInfinite ? x * y : 0) + c;
    if (s !== s) {
      fp.flags |= FLAG_IOC;
      writeDefaultNaN64(w, d);
    } else {
      f[d] = s;
    }
    return;
  }
  if (x === 0 || y === 0) {
    const p = x * y;
    f[d] = c !== 0 ? c : Object.is(p, c) ? c : fp.rmode === RM_MINUS_INF ? -0 : 0;
    return;
  }
  if (fusedFast(f, d, c, x, y)) return;
  const mx = exact(x);
  const ex = unpackedE;
  const my = exact(y);
  slowSum(w, d, 0, c, mx * my, ex + unpackedE);
}

/**
 * Fast path of c + x*y for finite non-zero x, y (Boldo and Melquiond, "Emulation of FMA and
 * correctly rounded sums: proved algorithms using rounding to odd", IEEE TC 2008): with
 * x*y = uh + ul and c + uh = th + tl exactly, th + RO(tl + ul) rounds to nearest like the exact
 * sum; round-to-odd is emulated from the error of tl + ul. The sign of the final residual then
 * lets finish64 round in any mode. False outside the ranges where every step is exact.
 */
function fusedFast(f: Float64Array, d: number, c: number, x: number, y: number): boolean {
  if (!inFastRange(x) || !inFastRange(y) || c >= FAST_HIGH || c <= -FAST_HIGH) return false;
  const uh = x * y;
  if (uh > -FAST_LOW && uh < FAST_LOW) return false;
  if (uh >= FAST_HIGH || uh <= -FAST_HIGH) return false;
  const ul = productError(x, y, uh);
  const th = c + uh;
  const tb = th - c;
  const tl = (c - (th - tb)) + (uh - tb);
  const vNearest = tl + ul;
  const vb = vNearest - tl;
  const vErr = (tl - (vNearest - vb)) + (ul - vb);
  let v = vNearest;
  if (vErr !== 0 && (f64Low(v) & 1) === 0) {
    // Round to odd: the neighbour on the side of the error.
    const magnitude = v < 0 ? -v : v;
    const stepped = f64Step(magnitude, (v < 0) === (vErr < 0));
    v = v < 0 ? -stepped : stepped;
  }
  const residualOfV = vErr - (v - vNearest); // (tl + ul) - v, sign exact
  const q = th + v;
  if (q === 0) return false;
  const qb = q - th;
  const qErr = (th - (q - qb)) + (v - qb);
  const residual = qErr !== 0 ? qErr : residualOfV;
  return finish64(f, d, q, residual > 0 ? 1 : residual < 0 ? -1 : 0);
}

/** VCMP/VCMPE NZCV for D(n) against D(m) (or against +0 when m < 0). */
export function f64Compare(w: Int32Array, f: Float64Array, n: number, m: number, signalOnQuietNaN: boolean): number {
  const x = flushInput64(f[n]!);
  const y = m < 0 ? 0 : flushInput64(f[m]!);
  if (x !== x || y !== y) {
    if (signalOnQuietNaN || nanKind64(w, n) === 2 || (m >= 0 && nanKind64(w, m) === 2)) fp.flags |= FLAG_IOC;
    return 0b0011;
  }
  return x === y ? 0b0110 : x < y ? 0b1000 : 0b0010;
}
