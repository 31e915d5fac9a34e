import type { Instr } from '../decode-table.js';
import { saturated, shift, signedSat, unsignedSat, type SRType } from '../alu.js';
import { writeResult } from './semantics-dp.js';

/**
 * Saturating arithmetic (ARM ARM A4.4.4, A8.8.124 QADD ... A8.8.244 USAT16): results clip to the
 * range and set APSR.Q (sticky) when they do.
 */

/** QADD, QSUB, QDADD, QDSUB (A8.8.124, 129, 126, 127): Rm +/- (Rn or SignedSat(2*Rn)). */
export function qaddsub(subtract: boolean, double: boolean, rd: number, rn: number, rm: number): Instr {
  return (cpu) => {
    let n = cpu.r[rn]!;
    if (double) {
      n = signedSat(2 * n, 32);
      if (saturated) cpu.qf = 1;
    }
    const result = signedSat(subtract ? cpu.r[rm]! - n : cpu.r[rm]! + n, 32);
    if (saturated) cpu.qf = 1;
    writeResult(cpu, rd, result | 0);
  };
}

/**
 * SSAT / USAT (A8.8.166, 244): Rn shifted (LSL, or ASR with #0 meaning #32 in A32), saturated to
 * `bits` (1..32 signed, 0..31 unsigned).
 */
export function saturate(signed: boolean, bits: number, rd: number, rn: number, type: SRType, amount: number): Instr {
  return (cpu) => {
    const operand = shift(cpu.r[rn]!, type, amount, 0);
    const result = signed ? signedSat(operand, bits) : unsignedSat(operand, bits);
    if (saturated) cpu.qf = 1;
    writeResult(cpu, rd, result | 0);
  };
}

/** SSAT16 / USAT16 (A8.8.167, 245): each signed halfword saturated to `bits`. */
export function saturate16(signed: boolean, bits: number, rd: number, rn: number): Instr {
  return (cpu) => {
    const n = cpu.r[rn]!;
    const lo = signed ? signedSat((n << 16) >> 16, bits) : unsignedSat((n << 16) >> 16, bits);
    let q = saturated;
    const hi = signed ? signedSat(n >> 16, bits) : unsignedSat(n >> 16, bits);
    q = q || saturated;
    if (q) cpu.qf = 1;
    writeResult(cpu, rd, (lo & 0xffff) | (hi << 16));
  };
}
