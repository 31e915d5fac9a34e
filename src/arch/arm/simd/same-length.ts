import type { Instr } from '../decode-table.js';
import { FPSCR_QC } from '../vfp/semantics-transfer.js';
import { simdEnabled } from './enable.js';
import { int64Hi, int64Lo } from './int64.js';
import { IntOp, lane, lane64, saturation } from './integer.js';
import { high64, low64, readValue, writeLane, writeValue64 } from './lanes.js';

/**
 * The integer "three registers of the same length" instructions (ARM ARM A7.4.1) and the pairwise
 * ones (VPADD, VPMAX, VPMIN): every lane of D/Q(d) from the same lane of n and m (and of d for
 * the accumulating forms), `regs` D registers long.
 */

/** Results of a pairwise operation, staged because Dd may be Dn or Dm. */
const pairwise = new Float64Array(8);

export function threeSame(op: IntOp, d: number, n: number, m: number, regs: number, ebytes: number, unsigned: boolean): Instr {
  const bits = 8 * ebytes;
  if (ebytes === 8) {
    return (cpu) => {
      if (!simdEnabled(cpu)) return cpu.undefinedInstruction();
      const v = cpu.vfp;
      saturation.qc = false;
      for (let e = 0; e < regs; e++) {
        lane64(op, high64(v, n, e), low64(v, n, e), high64(v, m, e), low64(v, m, e), high64(v, d, e), low64(v, d, e), unsigned);
        writeValue64(v, d, e, int64Hi, int64Lo);
      }
      if (saturation.qc) v.fpscr |= FPSCR_QC;
    };
  }
  const lanes = (regs * 8) / ebytes;
  return (cpu) => {
    if (!simdEnabled(cpu)) return cpu.undefinedInstruction();
    const v = cpu.vfp;
    saturation.qc = false;
    for (let e = 0; e < lanes; e++) {
      const a = readValue(v, n, e, ebytes, unsigned);
      const b = readValue(v, m, e, ebytes, unsigned);
      writeLane(v, d, e, ebytes, lane(op, a, b, readValue(v, d, e, ebytes, unsigned), bits, unsigned));
    }
    if (saturation.qc) v.fpscr |= FPSCR_QC;
  };
}

/** VPADD, VPMAX, VPMIN (integer): the pairs of Dn, then those of Dm, into Dd. */
export function pairwiseOp(op: IntOp, d: number, n: number, m: number, ebytes: number, unsigned: boolean): Instr {
  const half = 4 / ebytes;
  const bits = 8 * ebytes;
  return (cpu) => {
    if (!simdEnabled(cpu)) return cpu.undefinedInstruction();
    const v = cpu.vfp;
    for (let e = 0; e < half; e++) {
      pairwise[e] = lane(op, readValue(v, n, 2 * e, ebytes, unsigned), readValue(v, n, 2 * e + 1, ebytes, unsigned), 0, bits, unsigned);
      pairwise[half + e] = lane(op, readValue(v, m, 2 * e, ebytes, unsigned), readValue(v, m, 2 * e + 1, ebytes, unsigned), 0, bits, unsigned);
    }
    for (let e = 0; e < 2 * half; e++) writeLane(v, d, e, ebytes, pairwise[e]!);
  };
}
