import type { Instr } from '../decode-table.js';
import { FPSCR_QC } from '../vfp/semantics-transfer.js';
import { simdEnabled } from './enable.js';
import { saturate, saturate64, saturation, shiftValue, shiftValue64 } from './integer.js';
import { readLane, readValue, readValue64, writeLane, writeValue64 } from './lanes.js';

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
    const ones = (1n << 64n) - 1n;
    const mask = shift >= 0 ? (ones << BigInt(shift)) & ones : ones >> BigInt(-shift);
    return (cpu) => {
      if (!simdEnabled(cpu)) return cpu.undefinedInstruction();
      const v = cpu.vfp;
      saturation.qc = false;
      for (let e = 0; e < regs; e++) {
        const a = readValue64(v, m, e, unsigned || kind === ShiftKind.Insert);
        let r = shiftValue64(a, shift, bits, resultUnsigned, rounding, false);
        if (saturating) r = saturate64(r, bits, resultUnsigned);
        else if (kind === ShiftKind.Accumulate) r += readValue64(v, d, e, unsigned);
        else if (kind === ShiftKind.Insert) r = (v.u64[d + e]! & ~mask) | (r & mask);
        writeValue64(v, d, e, r);
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
        const r = shiftValue64(readValue64(v, m, e, unsigned), -shift, 64, unsigned, rounding, false);
        staged[e] = Number(saturating ? saturate64(r, bits, toUnsigned || unsigned) : BigInt.asUintN(32, r));
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
    for (let e = 0; e < lanes; e++) staged[e] = readValue(v, m, e, ebytes, unsigned) * 2 ** shift;
    for (let e = 0; e < lanes; e++) {
      if (ebytes === 4) writeValue64(v, d, e, BigInt(staged[e]!));
      else writeLane(v, d, e, 2 * ebytes, staged[e]!);
    }
  };
}
