/**
 * Operand fields of the Advanced SIMD encodings in A32 form (ARM ARM A7.3 "Register encoding"):
 * a D register number is D:Vd, N:Vn or M:Vm; a Q register is the D number halved, and an odd D
 * number where a Q register is named is UNDEFINED.
 */

export const vd = (w: number): number => (((w >>> 22) & 1) << 4) | ((w >>> 12) & 0xf);
export const vn = (w: number): number => (((w >>> 7) & 1) << 4) | ((w >>> 16) & 0xf);
export const vm = (w: number): number => (((w >>> 5) & 1) << 4) | (w & 0xf);
export const bit = (w: number, n: number): number => (w >>> n) & 1;
/** The Q bit [6]: 1 for quadword operations. */
export const quad = (w: number): boolean => ((w >>> 6) & 1) === 1;
/** The size field [21:20]. */
export const size2021 = (w: number): number => (w >>> 20) & 3;
/** The U bit [24] of the data-processing encodings. */
export const unsignedBit = (w: number): boolean => ((w >>> 24) & 1) === 1;

/** Whether all the named D registers are even, as quadword operands must be (else UNDEFINED). */
export function quadAligned(q: boolean, ...regs: number[]): boolean {
  if (!q) return true;
  for (const r of regs) if ((r & 1) !== 0) return false;
  return true;
}
