/**
 * Exact 64-bit arithmetic on pairs of 32-bit halves, for the long multiplies (UMULL, SMULL, SMLAL,
 * SMMLA...). Results are left in `wideHi` / `wideLo` (signed 32-bit patterns) so nothing is
 * allocated; read them right after the call. No BigInt: products are split into 16-bit parts.
 */

export let wideHi = 0;
export let wideLo = 0;

/**
 * Source for semantics written as source (semantics-call.ts): statements declaring `${prefix}lo` and
 * `${prefix}hi` (`let`, signed 32-bit patterns) as the 64-bit product of the 32-bit patterns `a`
 * and `b`, which must be names or literals. Written out, with no call, for a translated block to
 * compute it in its own code. The low word is Math.imul's. The product as a double is off by at
 * most 2^11 (it is below 2^64: 53-bit significand); less the exact low word, and off by at most
 * 2^12 more, it is the high word times 2^32 within far less than 2^31, so rounding its quotient
 * by 2^32 gives the high word exactly, for signed and for unsigned operands.
 */
export function productSource(signed: boolean, a: string, b: string, prefix: string): string {
  const double = signed ? `${a} * ${b}` : `(${a} >>> 0) * (${b} >>> 0)`;
  return [
    `let ${prefix}lo = Math.imul(${a}, ${b});`,
    `let ${prefix}hi = Math.round((${double} - (${prefix}lo >>> 0)) / 4294967296) | 0;`,
  ].join('\n');
}

/** Unsigned 32 x 32 -> 64 product of two 32-bit patterns. */
export function umul64(a: number, b: number): void {
  const a0 = a & 0xffff;
  const a1 = a >>> 16;
  const b0 = b & 0xffff;
  const b1 = b >>> 16;
  const p00 = a0 * b0;
  const p01 = a0 * b1;
  const p10 = a1 * b0;
  const mid = (p00 >>> 16) + (p01 & 0xffff) + (p10 & 0xffff);
  wideLo = ((mid << 16) | (p00 & 0xffff)) | 0;
  wideHi = (a1 * b1 + (p01 >>> 16) + (p10 >>> 16) + (mid >>> 16)) | 0;
}

/** Signed 32 x 32 -> 64 product: the unsigned product corrected by the operands' signs. */
export function smul64(a: number, b: number): void {
  umul64(a, b);
  let hi = wideHi;
  if (a < 0) hi = (hi - b) | 0;
  if (b < 0) hi = (hi - a) | 0;
  wideHi = hi;
}

/** (hi:lo) + (wideHi:wideLo), result in wideHi/wideLo. */
export function add64(hi: number, lo: number): void {
  const sumLo = (lo >>> 0) + (wideLo >>> 0);
  wideLo = sumLo | 0;
  wideHi = (hi + wideHi + (sumLo > 0xffffffff ? 1 : 0)) | 0;
}

/** (hi:lo) - (wideHi:wideLo), result in wideHi/wideLo. */
export function sub64(hi: number, lo: number): void {
  const borrow = (lo >>> 0) < (wideLo >>> 0) ? 1 : 0;
  wideLo = (lo - wideLo) | 0;
  wideHi = (hi - wideHi - borrow) | 0;
}

/** (hi:lo) + v for an integer v with |v| < 2^53, result in wideHi/wideLo. */
export function addSmall64(hi: number, lo: number, v: number): void {
  wideLo = v >>> 0;
  wideHi = Math.floor(v / 4294967296) | 0;
  add64(hi, lo);
}
