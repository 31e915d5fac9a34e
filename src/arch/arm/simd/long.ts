import type { Instr } from '../decode-table.js';
import { FPSCR_QC } from '../vfp/semantics-transfer.js';
import { SCRATCH_D } from '../vfp/vfp-state.js';
import { simdEnabled } from './enable.js';
import { add64, extendHigh, int64Hi, int64Lo } from './int64.js';
import { IntOp, lane, lane64, saturation } from './integer.js';
import { high64, low64, readLane, readValue, replicate, writeLane, writeValue64 } from './lanes.js';

/**
 * The integer "three registers of different lengths" instructions (ARM ARM A7.4.2) and the
 * operand shapes they share with the scalar forms (A7.4.3): long (Qd = Dn op Dm, elements
 * widened), wide (Qd = Qn op Dm) and narrow-high (Dd = high half of Qn op Qm). Lanes of the
 * wide register are twice the `ebytes` of the narrow ones; a 64-bit wide lane is a (hi:lo) pair of words.
 * Results are staged, since Dd may overlap a narrow source.
 */

export const enum Shape {
  /** Qd = ext(Dn) op ext(Dm) (acc: Qd) */
  Long,
  /** Qd = Qn op ext(Dm) */
  Wide,
  /** Dd = (Qn op Qm [+ round]) >> esize */
  NarrowHigh,
}

const staged = new Float64Array(8);
/** The (lo, hi) words of the 64-bit results. */
const staged64 = new Int32Array(4);

/**
 * `op` in one of the shapes, for narrow elements of `ebytes` (1, 2 or 4). For NarrowHigh, `op` is
 * Add or Sub and `rounding` adds half of the discarded part (VRADDHN, VRSUBHN).
 */
export function differentLengths(shape: Shape, op: IntOp, d: number, n: number, m: number, ebytes: number, unsigned: boolean, rounding = false): Instr {
  const lanes = 8 / ebytes;
  const wide = 2 * ebytes;
  const esize = 8 * ebytes;
  if (shape === Shape.NarrowHigh) {
    return (cpu) => {
      if (!simdEnabled(cpu)) return cpu.undefinedInstruction();
      const v = cpu.vfp;
      for (let e = 0; e < lanes; e++) {
        if (wide === 8) {
          lane64(op, high64(v, n, e), low64(v, n, e), high64(v, m, e), low64(v, m, e), 0, 0, true);
          if (rounding) add64(int64Hi, int64Lo, 0, 0x80000000);
          staged[e] = int64Hi >>> 0;
        } else {
          const x = lane(op, readLane(v, n, e, wide), readLane(v, m, e, wide), 0, 2 * esize, true) + (rounding ? 2 ** (esize - 1) : 0);
          staged[e] = Math.floor(x / 2 ** esize);
        }
      }
      for (let e = 0; e < lanes; e++) writeLane(v, d, e, ebytes, staged[e]!);
    };
  }
  const first = shape === Shape.Long;
  return (cpu) => {
    if (!simdEnabled(cpu)) return cpu.undefinedInstruction();
    const v = cpu.vfp;
    saturation.qc = false;
    for (let e = 0; e < lanes; e++) {
      if (wide === 8) {
        const aLo = first ? readValue(v, n, e, 4, unsigned) | 0 : low64(v, n, e);
        const aHi = first ? extendHigh(aLo, unsigned) : high64(v, n, e);
        const bLo = readValue(v, m, e, 4, unsigned) | 0;
        lane64(op, aHi, aLo, extendHigh(bLo, unsigned), bLo, high64(v, d, e), low64(v, d, e), unsigned);
        staged64[2 * e] = int64Lo;
        staged64[2 * e + 1] = int64Hi;
      } else {
        const a = first ? readValue(v, n, e, ebytes, unsigned) : readValue(v, n, e, wide, unsigned);
        staged[e] = lane(op, a, readValue(v, m, e, ebytes, unsigned), readValue(v, d, e, wide, unsigned), 2 * esize, unsigned);
      }
    }
    for (let e = 0; e < lanes; e++) {
      if (wide === 8) writeValue64(v, d, e, staged64[2 * e + 1]!, staged64[2 * e]!);
      else writeLane(v, d, e, wide, staged[e]!);
    }
    if (saturation.qc) v.fpscr |= FPSCR_QC;
  };
}

/**
 * The by-scalar forms (A7.4.3): Dm[index] is replicated into the scratch registers after D31
 * and `inner`, built with SCRATCH_D as its m operand, runs (Dd may be Dm: the scalar is copied first).
 */
export function byScalar(inner: Instr, m: number, index: number, ebytes: number): Instr {
  return (cpu) => {
    if (!simdEnabled(cpu)) return cpu.undefinedInstruction();
    const v = cpu.vfp;
    const value = readLane(v, m, index, ebytes);
    replicate(v, SCRATCH_D, ebytes, value);
    replicate(v, SCRATCH_D + 1, ebytes, value);
    inner(cpu);
  };
}
