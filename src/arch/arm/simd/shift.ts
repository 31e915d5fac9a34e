import type { Instr } from '../decode-table.js';
import { FPSCR_QC } from '../vfp/semantics-transfer.js';
import { simdEnabled } from './enable.js';
import { add64, int64Hi, int64Lo, roundingShiftRight64, satShiftLeft64, saturateToWord, shiftByAmount64, shiftLeft64, shiftRight64 } from './int64.js';
import { saturate, saturation, shiftValue } from './integer.js';
import { high64, low64, readLane, readValue, writeLane, writeValue64 } from './lanes.js';

/**
 * "Two registers and a shift amount" (ARM ARM A7.4.4): VSHR, VSRA, VRSHR, VRSRA, VSRI, VSHL,
 * VSLI, VQSHL, VQSHLU (immediate), the narrowing VSHRN ... VQRSHRUN and the widening VSHLL/VMOVL.
 * `shift` is positive for left shifts and negative for right shifts.
 */

export const enum ShiftKind {
  /** VSHR, VRSHR, VSHL (immediate): Dd = Dm shifted. */
  Plain,
  /** VSRA, VRSRA: Dd += Dm shifted. */
  Accumulate,
  /** VSRI, VSLI: the shifted bits of Dm inserted into Dd. */
  Insert,
  /** VQSHL (immediate); with `toUnsigned` VQSHLU. */
  Saturate,
}

/** Same-length shifts of lanes of `ebytes` (8: 64-bit lanes). */
export function shiftImmediate(
  kind: ShiftKind, d: number, m: number, regs: number, ebytes: number, shift: number, unsigned: boolean, rounding: boolean, toUnsigned = false,
): Instr {
  const bits = 8 * ebytes;
  const saturating = kind === ShiftKind.Saturate;
  const resultUnsigned = unsigned || toUnsigned;
  if (ebytes === 8) {
    // Insert: the destination bits the shifted value replaces.
    if (shift >= 0) shiftLeft64(-1, -1, shift);
    else shiftRight64(-1, -1, -shift, true);
    const maskHi = int64Hi;
    const maskLo = int64Lo;
    const sourceUnsigned = unsigned || kind === ShiftKind.Insert;
    return (cpu) => {
      if (!simdEnabled(cpu)) return cpu.undefinedInstruction();
      const v = cpu.vfp;
      saturation.qc = false;
      for (let e = 0; e < regs; e++) {
        const aHi = high64(v, m, e);
        const aLo = low64(v, m, e);
        if (saturating) satShiftLeft64(aHi, aLo, shift, sourceUnsigned, resultUnsigned);
        else shiftByAmount64(aHi, aLo, shift, sourceUnsigned, rounding, false);
        let rHi = int64Hi;
        let rLo = int64Lo;
        if (kind === ShiftKind.Accumulate) {
          add64(rHi, rLo, high64(v, d, e), low64(v, d, e));
          rHi = int64Hi;
          rLo = int64Lo;
        } else if (kind === ShiftKind.Insert) {
          rHi = (high64(v, d, e) & ~maskHi) | (rHi & maskHi);
          rLo = (low64(v, d, e) & ~maskLo) | (rLo & maskLo);
        }
        writeValue64(v, d, e, rHi, rLo);
      }
      if (saturation.qc) v.fpscr |= FPSCR_QC;
    };
  }
  const lanes = (8 * regs) / ebytes;
  const ones = 2 ** bits - 1;
  // Insert: the destination bits the shifted value replaces.
  const mask = shift >= 0 ? (ones * 2 ** shift) % 2 ** bits : Math.floor(ones / 2 ** -shift);
  return (cpu) => {
    if (!simdEnabled(cpu)) return cpu.undefinedInstruction();
    const v = cpu.vfp;
    saturation.qc = false;
    for (let e = 0; e < lanes; e++) {
      const a = readValue(v, m, e, ebytes, unsigned || kind === ShiftKind.Insert);
      let r = shiftValue(a, shift, bits, resultUnsigned, rounding, saturating);
      if (kind === ShiftKind.Accumulate) r += readValue(v, d, e, ebytes, unsigned);
      else if (kind === ShiftKind.Insert) r = (readLane(v, d, e, ebytes) & ~mask) | (r & mask);
      writeLane(v, d, e, ebytes, r);
    }
    if (saturation.qc) v.fpscr |= FPSCR_QC;
  };
}

const staged = new Float64Array(8);

/**
 * VSHRN, VRSHRN, VQSHRN, VQRSHRN, VQSHRUN, VQRSHRUN: Dd = narrow(Qm >> shift), lanes of Dd are
 * `ebytes`; `saturating` narrows with saturation to signed or unsigned (`toUnsigned`) results.
 */
export function shiftNarrow(d: number, m: number, ebytes: number, shift: number, unsigned: boolean, rounding: boolean, saturating: boolean, toUnsigned: boolean): Instr {
  const lanes = 8 / ebytes;
  const bits = 8 * ebytes;
  return (cpu) => {
    if (!simdEnabled(cpu)) return cpu.undefinedInstruction();
    const v = cpu.vfp;
    saturation.qc = false;
    for (let e = 0; e < lanes; e++) {
      if (ebytes === 4) {
        if (rounding) roundingShiftRight64(high64(v, m, e), low64(v, m, e), shift, unsigned);
        else shiftRight64(high64(v, m, e), low64(v, m, e), shift, unsigned);
        staged[e] = saturating ? saturateToWord(int64Hi, int64Lo, unsigned, toUnsigned || unsigned) : int64Lo;
      } else {
        const r = shiftValue(readValue(v, m, e, 2 * ebytes, unsigned), -shift, 2 * bits, unsigned, rounding, false);
        staged[e] = saturating ? saturate(r, bits, toUnsigned || unsigned) : r;
      }
    }
    for (let e = 0; e < lanes; e++) writeLane(v, d, e, ebytes, staged[e]!);
    if (saturation.qc) v.fpscr |= FPSCR_QC;
  };
}

/** VSHLL (including the maximum shift of the two-register miscellaneous group), VMOVL: Qd = ext(Dm) << shift. */
export function shiftLong(d: number, m: number, ebytes: number, shift: number, unsigned: boolean): Instr {
  const lanes = 8 / ebytes;
  return (cpu) => {
    if (!simdEnabled(cpu)) return cpu.undefinedInstruction();
    const v = cpu.vfp;
    for (let e = 0; e < lanes; e++) staged[e] = readValue(v, m, e, ebytes, unsigned) * (ebytes === 4 ? 1 : 2 ** shift);
    if (ebytes === 4) {
      // 32-bit elements: staged holds them unshifted; the 64-bit shift is done on word pairs.
      for (let e = 0; e < lanes; e++) {
        const x = staged[e]! | 0;
        shiftLeft64(unsigned ? 0 : x >> 31, x, shift);
        writeValue64(v, d, e, int64Hi, int64Lo);
      }
      return;
    }
    for (let e = 0; e < lanes; e++) writeLane(v, d, e, 2 * ebytes, staged[e]!);
  };
}
