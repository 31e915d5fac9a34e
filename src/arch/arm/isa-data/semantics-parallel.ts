import type { Instr } from '../decode-table.js';
import { signedSat, unsignedSat } from '../alu.js';
import { writeResult } from './semantics-dp.js';

/**
 * Parallel addition and subtraction (ARM ARM A4.4.5, A5.4.1, A6.3.14): the S, Q, SH, U, UQ and UH
 * prefixes applied to ADD16, ASX, SAX, SUB16, ADD8 and SUB8, plus SEL and USAD8/USADA8. The S and
 * U forms set APSR.GE per lane; the others leave it.
 */

/** The prefix: how lanes are extended, and what is done with a lane's result. */
export const enum ParallelKind {
  Signed = 0, // S: modular, GE
  SignedSaturating = 1, // Q
  SignedHalving = 2, // SH
  Unsigned = 3, // U: modular, GE
  UnsignedSaturating = 4, // UQ
  UnsignedHalving = 5, // UH
}

/** The operation; the values are the A32 op2 field (A5.4.1). */
export const enum ParallelOp {
  ADD16 = 0,
  ASX = 1,
  SAX = 2,
  SUB16 = 3,
  ADD8 = 4,
  SUB8 = 7,
}

/** GE bits from the last lane() call (1 if the lane sets its GE bits). */
let laneGe = 0;

/** One lane: `a` and `b` are the raw lane fields of `bits` width. Returns the lane's result bits. */
function lane(kind: ParallelKind, a: number, b: number, subtract: boolean, bits: number): number {
  const mask = bits === 16 ? 0xffff : 0xff;
  const signShift = 32 - bits;
  let r: number;
  if (kind <= ParallelKind.SignedHalving) {
    const sa = (a << signShift) >> signShift;
    const sb = (b << signShift) >> signShift;
    r = subtract ? sa - sb : sa + sb;
  } else {
    r = subtract ? a - b : a + b;
  }
  switch (kind) {
    case ParallelKind.Signed:
      laneGe = r >= 0 ? 1 : 0;
      return r & mask;
    case ParallelKind.Unsigned:
      laneGe = subtract ? (r >= 0 ? 1 : 0) : r > mask ? 1 : 0;
      return r & mask;
    case ParallelKind.SignedSaturating:
      return signedSat(r, bits) & mask;
    case ParallelKind.UnsignedSaturating:
      return unsignedSat(r, bits) & mask;
    default:
      return (r >> 1) & mask;
  }
}

/** Builds one of the 36 parallel add/subtract instructions: Rd = Rn op Rm. */
export function parallel(kind: ParallelKind, op: ParallelOp, rd: number, rn: number, rm: number): Instr {
  const setsGe = kind === ParallelKind.Signed || kind === ParallelKind.Unsigned;
  if (op === ParallelOp.ADD8 || op === ParallelOp.SUB8) {
    const subtract = op === ParallelOp.SUB8;
    return (cpu) => {
      const n = cpu.r[rn]!;
      const m = cpu.r[rm]!;
      let result = 0;
      let ge = 0;
      for (let i = 0; i < 32; i += 8) {
        result |= lane(kind, (n >>> i) & 0xff, (m >>> i) & 0xff, subtract, 8) << i;
        ge |= laneGe << (i >>> 3);
      }
      if (setsGe) cpu.ge = ge;
      writeResult(cpu, rd, result);
    };
  }
  // Halfword lanes: which half of Rm meets each half of Rn, and whether it adds or subtracts.
  const cross = op === ParallelOp.ASX || op === ParallelOp.SAX;
  const subLow = op === ParallelOp.SUB16 || op === ParallelOp.ASX;
  const subHigh = op === ParallelOp.SUB16 || op === ParallelOp.SAX;
  return (cpu) => {
    const n = cpu.r[rn]!;
    const m = cpu.r[rm]!;
    const mLow = cross ? m >>> 16 : m & 0xffff;
    const mHigh = cross ? m & 0xffff : m >>> 16;
    const low = lane(kind, n & 0xffff, mLow, subLow, 16);
    const geLow = laneGe;
    const high = lane(kind, n >>> 16, mHigh, subHigh, 16);
    if (setsGe) cpu.ge = (geLow ? 0x3 : 0) | (laneGe ? 0xc : 0);
    writeResult(cpu, rd, low | (high << 16));
  };
}

/** SEL (A8.8.161): each byte from Rn where its GE bit is set, else from Rm. */
export function sel(rd: number, rn: number, rm: number): Instr {
  return (cpu) => {
    const ge = cpu.ge;
    const mask = (ge & 1 ? 0xff : 0) | (ge & 2 ? 0xff00 : 0) | (ge & 4 ? 0xff0000 : 0) | (ge & 8 ? 0xff000000 : 0);
    writeResult(cpu, rd, (cpu.r[rn]! & mask) | (cpu.r[rm]! & ~mask));
  };
}

/** USAD8 / USADA8 (A8.8.242, 243; ra = -1 for USAD8): sum of absolute byte differences. */
export function usada8(rd: number, rn: number, rm: number, ra: number): Instr {
  return (cpu) => {
    const n = cpu.r[rn]!;
    const m = cpu.r[rm]!;
    let sum = ra >= 0 ? cpu.r[ra]! : 0;
    for (let i = 0; i < 32; i += 8) sum += Math.abs(((n >>> i) & 0xff) - ((m >>> i) & 0xff));
    writeResult(cpu, rd, sum | 0);
  };
}
