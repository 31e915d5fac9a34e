import type { Instr } from '../decode-table.js';
import { FPSCR_QC } from '../vfp/semantics-transfer.js';
import { SCRATCH_D } from '../vfp/vfp-state.js';
import { simdEnabled } from './enable.js';
import { IntOp, lane, lane64, saturation } from './integer.js';
import { readLane, readValue, readValue64, replicate, writeLane, writeValue64 } from './lanes.js';

/**
 * The integer "three registers of different lengths" instructions (ARM ARM A7.4.2) and the
 * operand shapes they share with the scalar forms (A7.4.3): long (Qd = Dn op Dm, elements
 * widened), wide (Qd = Qn op Dm) and narrow-high (Dd = high half of Qn op Qm). Lanes of the
 * wide register are twice the `ebytes` of the narrow ones; a 64-bit wide lane is a BigInt.
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
const staged64 = new BigInt64Array(2);

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
          const x = lane64(op, v.u64[n + e]!, v.u64[m + e]!, 0n, true) + (rounding ? 1n << 31n : 0n);
          staged[e] = Number(BigInt.asUintN(32, x >> 32n));
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
        const a = first ? BigInt(readValue(v, n, e, 4, unsigned)) : readValue64(v, n, e, unsigned);
        const b = BigInt(readValue(v, m, e, 4, unsigned));
        staged64[e] = BigInt.asIntN(64, lane64(op, a, b, readValue64(v, d, e, unsigned), unsigned));
      } else {
        const a = first ? readValue(v, n, e, ebytes, unsigned) : readValue(v, n, e, wide, unsigned);
        staged[e] = lane(op, a, readValue(v, m, e, ebytes, unsigned), readValue(v, d, e, wide, unsigned), 2 * esize, unsigned);
      }
    }
    for (let e = 0; e < lanes; e++) {
      if (wide === 8) writeValue64(v, d, e, staged64[e]!);
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
