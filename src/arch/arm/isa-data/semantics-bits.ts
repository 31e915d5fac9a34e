import type { Instr } from '../decode-table.js';
import { ror, shift, SRType } from '../alu.js';
import { writeResult, writingResult } from './semantics-dp.js';

/**
 * Packing, extension, reversal and bit-field instructions (ARM ARM A4.4.6 - A4.4.8, A5.4.3):
 * PKHBT/PKHTB, [SU]XT[A](B|H|B16), REV/REV16/REVSH/RBIT, CLZ, BFC/BFI, SBFX/UBFX.
 */

/** PKHBT / PKHTB (A8.8.125): `tb` takes the top of Rn and the ASR-shifted bottom of Rm. */
export function pkh(tb: boolean, rd: number, rn: number, rm: number, amount: number): Instr {
  if (tb) {
    return (cpu) => writeResult(cpu, rd, (cpu.r[rn]! & 0xffff0000) | (shift(cpu.r[rm]!, SRType.ASR, amount, 0) & 0xffff));
  }
  return (cpu) => writeResult(cpu, rd, (cpu.r[rn]! & 0xffff) | (shift(cpu.r[rm]!, SRType.LSL, amount, 0) & 0xffff0000));
}

/** The extend operations; the values are the T32 op field of SXTAH ... UXTAB (A6.3.15). */
export const enum Extend {
  SXTH = 0,
  UXTH = 1,
  SXTB16 = 2,
  UXTB16 = 3,
  SXTB = 4,
  UXTB = 5,
}

/** R[m] rotated right by a literal `rotation` (0, 8, 16 or 24), as a source expression. */
function rotatedSource(m: string, rotation: number): string {
  return rotation === 0 ? `r[${m}]` : `((r[${m}] >>> ${rotation}) | (r[${m}] << ${32 - rotation}))`;
}

/** The extension of a rotated value, by Extend (SXTH, UXTH, -, -, SXTB, UXTB). */
const EXTENDED: readonly ((rotated: string) => string)[] = [
  (x) => `((${x} << 16) >> 16)`,
  (x) => `(${x} & 0xffff)`,
  () => '',
  () => '',
  (x) => `((${x} << 24) >> 24)`,
  (x) => `(${x} & 0xff)`,
];

/**
 * SXTB ... UXTAH (A8.8.221 - 227, 271 - 277): Rm rotated right by `rotation` bits, extended, and
 * added to Rn when rn >= 0 (the A forms; rn = -1 for the plain ones). The B16 forms work on the
 * halfwords separately.
 */
export function extend(kind: Extend, rd: number, rn: number, rm: number, rotation: number): Instr {
  if (kind !== Extend.SXTB16 && kind !== Extend.UXTB16) {
    const accumulate = rn >= 0;
    return writingResult(`extend/${kind}/${rotation}/${accumulate}`, rd, [rn, rm], ([, n, m]) => {
      const extended = EXTENDED[kind]!(rotatedSource(m!, rotation));
      return accumulate ? `(r[${n}] + ${extended}) | 0` : extended;
    });
  }
  const signed = kind === Extend.SXTB16;
  return (cpu) => {
    const rotated = ror(cpu.r[rm]!, rotation);
    let low = signed ? (rotated << 24) >> 24 : rotated & 0xff;
    let high = signed ? (rotated << 8) >> 24 : (rotated >>> 16) & 0xff;
    if (rn >= 0) {
      const n = cpu.r[rn]!;
      low += n;
      high += n >>> 16;
    }
    writeResult(cpu, rd, (low & 0xffff) | (high << 16));
  };
}

/** The byte-reversal operations; the values are the T32 op field (A6.3.16). */
export const enum Reverse {
  REV = 0,
  REV16 = 1,
  RBIT = 2,
  REVSH = 3,
}

function reverseBits(x: number): number {
  x = ((x >>> 1) & 0x55555555) | ((x & 0x55555555) << 1);
  x = ((x >>> 2) & 0x33333333) | ((x & 0x33333333) << 2);
  x = ((x >>> 4) & 0x0f0f0f0f) | ((x & 0x0f0f0f0f) << 4);
  x = ((x >>> 8) & 0x00ff00ff) | ((x & 0x00ff00ff) << 8);
  return (x >>> 16) | (x << 16);
}

/** The result of a reversal of R[m] (the operand name `m`), by Reverse. */
const REVERSED: readonly ((m: string, helper: (fn: Function) => string) => string)[] = [
  (m) => `(r[${m}] << 24) | ((r[${m}] & 0xff00) << 8) | ((r[${m}] >>> 8) & 0xff00) | (r[${m}] >>> 24)`,
  (m) => `((r[${m}] & 0x00ff00ff) << 8) | ((r[${m}] >>> 8) & 0x00ff00ff)`,
  (m, helper) => `${helper(reverseBits)}(r[${m}])`,
  (m) => `((r[${m}] << 24) >> 16) | ((r[${m}] >>> 8) & 0xff)`,
];

/** REV, REV16, RBIT, REVSH (A8.8.144, 145, 143, 146). */
export function reverse(kind: Reverse, rd: number, rm: number): Instr {
  return writingResult(`reverse/${kind}`, rd, [rm], ([, m], helper) => REVERSED[kind]!(m!, helper));
}

/** CLZ (A8.8.33). */
export function clz(rd: number, rm: number): Instr {
  return writingResult('clz', rd, [rm], ([, m]) => `Math.clz32(r[${m}])`);
}

/** BFC (rn = -1) and BFI (A8.8.20, 21): bits lsb..msb of Rd from the bottom of Rn (or zero). */
export function bfi(rd: number, rn: number, lsb: number, msb: number): Instr {
  const width = msb - lsb + 1;
  const mask = (width === 32 ? -1 : ((1 << width) - 1) << lsb) | 0;
  if (rn < 0) return writingResult('bfc', rd, [~mask], ([d, keep]) => `r[${d}] & ${keep}`);
  return writingResult('bfi', rd, [rn, lsb, mask], ([d, n, shift, inserted]) => `(r[${d}] & ~${inserted}) | ((r[${n}] << ${shift}) & ${inserted})`);
}

/** SBFX / UBFX (A8.8.164, 239): `width` bits of Rn from `lsb`, sign- or zero-extended. */
export function bitfieldExtract(signed: boolean, rd: number, rn: number, lsb: number, width: number): Instr {
  return writingResult(`bitfield-extract/${signed}`, rd, [rn, 32 - lsb - width, 32 - width], ([, n, up, down]) =>
    signed ? `(r[${n}] << ${up}) >> ${down}` : `((r[${n}] << ${up}) >>> ${down}) | 0`);
}
