import type { VfpState } from '../vfp/vfp-state.js';

/**
 * Element access in the D registers (ARM ARM A2.6.2 "Advanced SIMD vectors": Elem[D[n], e, size]):
 * element `e` of `ebytes` bytes (1, 2 or 4) of D(n), as unsigned bits. Indices past the end of
 * D(n) continue into D(n + 1), so a Q register is addressed as its first D register.
 */
export function readLane(v: VfpState, n: number, e: number, ebytes: number): number {
  if (ebytes === 1) return v.u8[8 * n + e]!;
  if (ebytes === 2) return v.u16[4 * n + e]!;
  return v.u32[2 * n + e]!;
}

/** Element `e` of D(n) as a signed value. */
export function readSignedLane(v: VfpState, n: number, e: number, ebytes: number): number {
  if (ebytes === 1) return v.i8[8 * n + e]!;
  if (ebytes === 2) return v.i16[4 * n + e]!;
  return v.rawWords[2 * n + e]!;
}

/** Writes the low `8 * ebytes` bits of `value` to element `e` of D(n). */
export function writeLane(v: VfpState, n: number, e: number, ebytes: number, value: number): void {
  if (ebytes === 1) v.u8[8 * n + e] = value;
  else if (ebytes === 2) v.u16[4 * n + e] = value;
  else v.u32[2 * n + e] = value;
}

/** Replicate(value, 64 / esize) into D(n). */
export function replicate(v: VfpState, n: number, ebytes: number, value: number): void {
  for (let e = 0; e < 8 / ebytes; e++) writeLane(v, n, e, ebytes, value);
}

/** Element `e` of D(n), signed or unsigned. */
export function readValue(v: VfpState, n: number, e: number, ebytes: number, unsigned: boolean): number {
  return unsigned ? readLane(v, n, e, ebytes) : readSignedLane(v, n, e, ebytes);
}

/** The low word of the 64-bit element `e` of D(n) (D(n + e)), as a signed 32-bit pattern. */
export function low64(v: VfpState, n: number, e: number): number {
  return v.rawWords[2 * (n + e)]!;
}

/** The high word of the 64-bit element `e` of D(n), as a signed 32-bit pattern. */
export function high64(v: VfpState, n: number, e: number): number {
  return v.rawWords[2 * (n + e) + 1]!;
}

/** Writes (hi:lo) to D(n + e). */
export function writeValue64(v: VfpState, n: number, e: number, hi: number, lo: number): void {
  v.rawWords[2 * (n + e)] = lo;
  v.rawWords[2 * (n + e) + 1] = hi;
}
