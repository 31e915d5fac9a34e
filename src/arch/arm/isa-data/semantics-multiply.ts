import type { Instr } from '../decode-table.js';
import { callingSource, Effects } from '../semantics-call.js';
import { ror } from '../alu.js';
import { writeResult, writeResultSource, writingResult } from './semantics-dp.js';
import { add64, addSmall64, productSource, smul64, sub64, umul64, wideHi, wideLo } from './wide-math.js';

/**
 * Multiply and divide semantics (ARM ARM A4.4.3, A8.8.100 MUL ... A8.8.248 UMAAL), written once for
 * A32 and T32. Register numbers are passed by role since the encodings place them differently.
 * Rd = PC is UNPREDICTABLE throughout; like QEMU we execute it as a plain branch (writeResult).
 */

/** Sign-extends the low (high=false) or high halfword. */
function half(value: number, high: boolean): number {
  return high ? value >> 16 : (value << 16) >> 16;
}

/**
 * MUL, MLA and MLS as source (semantics-call.ts), operands [rd, rn, rm, ra]: the product, plus or
 * minus R[ra] for MLA/MLS; S sets N and Z only (C and V unchanged in ARMv7).
 */
function multiplySource(accumulate: '' | '+' | '-', setflags: boolean, toPc: boolean, [rd, rn, rm, ra]: readonly string[]): string {
  const product = `Math.imul(r[${rn}], r[${rm}])`;
  const lines = [`const mul_result = ${accumulate === '' ? product : `(r[${ra}] ${accumulate} ${product}) | 0`};`];
  if (setflags) lines.push('cpu.nf = mul_result >>> 31;', 'cpu.zf = +(mul_result === 0);');
  lines.push(writeResultSource(toPc, rd!, 'mul_result'));
  return lines.join('\n');
}

function multiply(accumulate: '' | '+' | '-', setflags: boolean, rd: number, rn: number, rm: number, ra: number): Instr {
  // Rd = PC is a branch (writeResult), which the shape key tells apart.
  const toPc = rd === 15;
  return callingSource(
    `mul/${accumulate}/${setflags}/${toPc}`,
    (names) => multiplySource(accumulate, setflags, toPc, names),
    [rd, rn, rm, ra],
    toPc ? Effects.Any : Effects.RegistersOnly,
  );
}

/** MUL / MULS (A8.8.114). */
export function mul(setflags: boolean, rd: number, rn: number, rm: number): Instr {
  return multiply('', setflags, rd, rn, rm, 0);
}

/** MLA / MLAS (A8.8.100) and MLS (A8.8.101, `subtract`). */
export function mla(setflags: boolean, subtract: boolean, rd: number, rn: number, rm: number, ra: number): Instr {
  return multiply(subtract ? '-' : '+', setflags, rd, rn, rm, ra);
}

/**
 * UMULL, UMLAL, SMULL, SMLAL (A8.8.255, 254, 189, 178): 64-bit product, optionally accumulated into
 * RdHi:RdLo. Like QEMU, RdLo is written before RdHi (RdLo == RdHi is UNPREDICTABLE).
 */
export function mull(signed: boolean, accumulate: boolean, setflags: boolean, rdLo: number, rdHi: number, rn: number, rm: number): Instr {
  const toPc = rdLo === 15 || rdHi === 15;
  return callingSource(
    `mull/${signed}/${accumulate}/${setflags}/${rdLo === 15}/${rdHi === 15}`,
    ([lo, hi, n, m]) => {
      const lines = [`const mull_n = r[${n}], mull_m = r[${m}];`, productSource(signed, 'mull_n', 'mull_m', 'mull_')];
      if (accumulate) {
        lines.push(
          `const mull_sum = (mull_lo >>> 0) + (r[${lo}] >>> 0);`,
          `mull_hi = (mull_hi + r[${hi}] + +(mull_sum > 0xffffffff)) | 0;`,
          'mull_lo = mull_sum | 0;',
        );
      }
      if (setflags) lines.push('cpu.nf = mull_hi >>> 31;', 'cpu.zf = +((mull_hi | mull_lo) === 0);');
      lines.push(writeResultSource(rdLo === 15, lo!, 'mull_lo'), writeResultSource(rdHi === 15, hi!, 'mull_hi'));
      return lines.join('\n');
    },
    [rdLo, rdHi, rn, rm],
    toPc ? Effects.Any : Effects.RegistersOnly,
  );
}

/** UMAAL (A8.8.253): Rn * Rm + RdLo + RdHi, unsigned, into RdHi:RdLo. */
export function umaal(rdLo: number, rdHi: number, rn: number, rm: number): Instr {
  return (cpu) => {
    const lo0 = cpu.r[rdLo]!;
    const hi0 = cpu.r[rdHi]!;
    umul64(cpu.r[rn]!, cpu.r[rm]!);
    add64(0, lo0);
    add64(0, hi0);
    const hi = wideHi;
    const lo = wideLo;
    writeResult(cpu, rdLo, lo);
    writeResult(cpu, rdHi, hi);
  };
}

/**
 * SMLA<x><y> (A8.8.176) and SMUL<x><y> (A8.8.192, ra = -1): 16 x 16 signed product of the chosen
 * halves, plus Ra; Q set if the accumulation overflows.
 */
export function smlaxy(rd: number, rn: number, rm: number, ra: number, nHigh: boolean, mHigh: boolean): Instr {
  return (cpu) => {
    const product = half(cpu.r[rn]!, nHigh) * half(cpu.r[rm]!, mHigh);
    if (ra < 0) {
      writeResult(cpu, rd, product | 0);
      return;
    }
    const result = product + cpu.r[ra]!;
    if (result !== (result | 0)) cpu.qf = 1;
    writeResult(cpu, rd, result | 0);
  };
}

/** SMLAW<y> (A8.8.181) and SMULW<y> (A8.8.194, ra = -1): (Rn * half(Rm) + Ra<<16) >> 16, Q on overflow. */
export function smlawy(rd: number, rn: number, rm: number, ra: number, mHigh: boolean): Instr {
  return (cpu) => {
    let total = cpu.r[rn]! * half(cpu.r[rm]!, mHigh);
    if (ra >= 0) total += cpu.r[ra]! * 65536;
    const result = Math.floor(total / 65536);
    if (ra >= 0 && result !== (result | 0)) cpu.qf = 1;
    writeResult(cpu, rd, result | 0);
  };
}

/** SMLAL<x><y> (A8.8.179): 16 x 16 signed product added to RdHi:RdLo. */
export function smlalxy(rdLo: number, rdHi: number, rn: number, rm: number, nHigh: boolean, mHigh: boolean): Instr {
  return (cpu) => {
    addSmall64(cpu.r[rdHi]!, cpu.r[rdLo]!, half(cpu.r[rn]!, nHigh) * half(cpu.r[rm]!, mHigh));
    const hi = wideHi;
    const lo = wideLo;
    writeResult(cpu, rdLo, lo);
    writeResult(cpu, rdHi, hi);
  };
}

/**
 * SMLAD/SMLSD (A8.8.177, 182) and SMUAD/SMUSD (A8.8.188, 196, ra = -1): dual 16 x 16 products,
 * summed or subtracted, plus Ra; `swap` is the X variant (Rm's halves exchanged). Q on overflow
 * (SMUSD cannot overflow).
 */
export function smlad(rd: number, rn: number, rm: number, ra: number, swap: boolean, subtract: boolean): Instr {
  return (cpu) => {
    const n = cpu.r[rn]!;
    const m = swap ? ror(cpu.r[rm]!, 16) : cpu.r[rm]!;
    const p1 = half(n, false) * half(m, false);
    const p2 = half(n, true) * half(m, true);
    let result = subtract ? p1 - p2 : p1 + p2;
    if (ra >= 0) result += cpu.r[ra]!;
    if (result !== (result | 0)) cpu.qf = 1;
    writeResult(cpu, rd, result | 0);
  };
}

/** SMLALD/SMLSLD (A8.8.180, 185): dual 16 x 16 products added to / subtracted into RdHi:RdLo. */
export function smlald(rdLo: number, rdHi: number, rn: number, rm: number, swap: boolean, subtract: boolean): Instr {
  return (cpu) => {
    const n = cpu.r[rn]!;
    const m = swap ? ror(cpu.r[rm]!, 16) : cpu.r[rm]!;
    const p1 = half(n, false) * half(m, false);
    const p2 = half(n, true) * half(m, true);
    addSmall64(cpu.r[rdHi]!, cpu.r[rdLo]!, subtract ? p1 - p2 : p1 + p2);
    const hi = wideHi;
    const lo = wideLo;
    writeResult(cpu, rdLo, lo);
    writeResult(cpu, rdHi, hi);
  };
}

/** How SMMUL/SMMLA/SMMLS combine Ra with the product. */
export const enum MostSignificant {
  Multiply = 0,
  Accumulate = 1,
  Subtract = 2,
}

/**
 * SMMUL, SMMLA, SMMLS (A8.8.195, 186, 187): the top word of the 64-bit (Ra<<32) +/- Rn*Rm, with
 * `round` (the R variants) adding 0x80000000 first.
 */
export function smmla(kind: MostSignificant, round: boolean, rd: number, rn: number, rm: number, ra: number): Instr {
  return (cpu) => {
    smul64(cpu.r[rn]!, cpu.r[rm]!);
    if (kind === MostSignificant.Accumulate) add64(cpu.r[ra]!, 0);
    else if (kind === MostSignificant.Subtract) sub64(cpu.r[ra]!, 0);
    let hi = wideHi;
    if (round && (wideLo >>> 0) >= 0x80000000) hi = (hi + 1) | 0;
    writeResult(cpu, rd, hi);
  };
}

/**
 * SDIV / UDIV (A8.8.165, 248). Cortex-A15 does not trap division by zero (SCTLR.DZ is RAZ in
 * ARMv7-A): the result is 0. INT_MIN / -1 gives INT_MIN; `| 0` truncates toward zero.
 */
export function sdiv(rd: number, rn: number, rm: number): Instr {
  return writingResult('sdiv', rd, [rn, rm], ([, n, m]) => `r[${m}] === 0 ? 0 : (r[${n}] / r[${m}]) | 0`);
}

export function udiv(rd: number, rn: number, rm: number): Instr {
  return writingResult('udiv', rd, [rn, rm], ([, n, m]) => `r[${m}] === 0 ? 0 : ((r[${n}] >>> 0) / (r[${m}] >>> 0)) | 0`);
}
