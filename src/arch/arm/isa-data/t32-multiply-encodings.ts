import type { Encoding } from '../decode-table.js';
import { bit, bits, encoding } from './fields.js';
import { MostSignificant, mla, mul, mull, sdiv, smlad, smlald, smlalxy, smlawy, smlaxy, smmla, udiv, umaal } from './semantics-multiply.js';
import { usada8 } from './semantics-parallel.js';

/**
 * 32-bit T32 multiply, multiply-accumulate, long multiply and divide (ARM ARM A6.3.16, A6.3.17).
 * Fields: Rn [19:16], Ra / RdLo [15:12], Rd / RdHi [11:8], Rm [3:0]; Ra = PC selects the
 * non-accumulating form (more specific entries below win over the accumulating ones).
 */

const rn = (w: number): number => bits(w, 19, 16);
const ra = (w: number): number => bits(w, 15, 12);
const rd = (w: number): number => bits(w, 11, 8);
const rm = (w: number): number => w & 0xf;
const b5 = (w: number): boolean => bit(w, 5) === 1;
const b4 = (w: number): boolean => bit(w, 4) === 1;

export const t32MultiplyEncodings: readonly Encoding[] = [
  encoding('MLA T1', '1111_1011_0000_nnnn_aaaa_dddd_0000_mmmm', (w) => mla(false, false, rd(w), rn(w), rm(w), ra(w))),
  encoding('MUL T2', '1111_1011_0000_nnnn_1111_dddd_0000_mmmm', (w) => mul(false, rd(w), rn(w), rm(w))),
  encoding('MLS T1', '1111_1011_0000_nnnn_aaaa_dddd_0001_mmmm', (w) => mla(false, true, rd(w), rn(w), rm(w), ra(w))),
  // Halfword multiplies: N = bit 5 selects Rn's half, M = bit 4 Rm's.
  encoding('SMLA<x><y> T1', '1111_1011_0001_nnnn_aaaa_dddd_00NM_mmmm', (w) => smlaxy(rd(w), rn(w), rm(w), ra(w), b5(w), b4(w))),
  encoding('SMUL<x><y> T1', '1111_1011_0001_nnnn_1111_dddd_00NM_mmmm', (w) => smlaxy(rd(w), rn(w), rm(w), -1, b5(w), b4(w))),
  encoding('SMLAD T1', '1111_1011_0010_nnnn_aaaa_dddd_000M_mmmm', (w) => smlad(rd(w), rn(w), rm(w), ra(w), b4(w), false)),
  encoding('SMUAD T1', '1111_1011_0010_nnnn_1111_dddd_000M_mmmm', (w) => smlad(rd(w), rn(w), rm(w), -1, b4(w), false)),
  encoding('SMLAW<y> T1', '1111_1011_0011_nnnn_aaaa_dddd_000M_mmmm', (w) => smlawy(rd(w), rn(w), rm(w), ra(w), b4(w))),
  encoding('SMULW<y> T1', '1111_1011_0011_nnnn_1111_dddd_000M_mmmm', (w) => smlawy(rd(w), rn(w), rm(w), -1, b4(w))),
  encoding('SMLSD T1', '1111_1011_0100_nnnn_aaaa_dddd_000M_mmmm', (w) => smlad(rd(w), rn(w), rm(w), ra(w), b4(w), true)),
  encoding('SMUSD T1', '1111_1011_0100_nnnn_1111_dddd_000M_mmmm', (w) => smlad(rd(w), rn(w), rm(w), -1, b4(w), true)),
  encoding('SMMLA T1', '1111_1011_0101_nnnn_aaaa_dddd_000R_mmmm', (w) => smmla(MostSignificant.Accumulate, b4(w), rd(w), rn(w), rm(w), ra(w))),
  encoding('SMMUL T1', '1111_1011_0101_nnnn_1111_dddd_000R_mmmm', (w) => smmla(MostSignificant.Multiply, b4(w), rd(w), rn(w), rm(w), -1)),
  encoding('SMMLS T1', '1111_1011_0110_nnnn_aaaa_dddd_000R_mmmm', (w) => smmla(MostSignificant.Subtract, b4(w), rd(w), rn(w), rm(w), ra(w))),
  // Ra = PC is UNPREDICTABLE; QEMU then leaves the accumulator out (an SMMUL), as we do.
  encoding('SMMLS T1 (Ra = PC)', '1111_1011_0110_nnnn_1111_dddd_000R_mmmm', (w) => smmla(MostSignificant.Multiply, b4(w), rd(w), rn(w), rm(w), -1)),
  encoding('USADA8 T1', '1111_1011_0111_nnnn_aaaa_dddd_0000_mmmm', (w) => usada8(rd(w), rn(w), rm(w), ra(w))),
  encoding('USAD8 T1', '1111_1011_0111_nnnn_1111_dddd_0000_mmmm', (w) => usada8(rd(w), rn(w), rm(w), -1)),
  // Long multiply and divide: RdLo [15:12], RdHi [11:8].
  encoding('SMULL T1', '1111_1011_1000_nnnn_llll_hhhh_0000_mmmm', (w) => mull(true, false, false, ra(w), rd(w), rn(w), rm(w))),
  encoding('SDIV T1', '1111_1011_1001_nnnn_1111_dddd_1111_mmmm', (w) => sdiv(rd(w), rn(w), rm(w))),
  encoding('UMULL T1', '1111_1011_1010_nnnn_llll_hhhh_0000_mmmm', (w) => mull(false, false, false, ra(w), rd(w), rn(w), rm(w))),
  encoding('UDIV T1', '1111_1011_1011_nnnn_1111_dddd_1111_mmmm', (w) => udiv(rd(w), rn(w), rm(w))),
  encoding('SMLAL T1', '1111_1011_1100_nnnn_llll_hhhh_0000_mmmm', (w) => mull(true, true, false, ra(w), rd(w), rn(w), rm(w))),
  encoding('SMLAL<x><y> T1', '1111_1011_1100_nnnn_llll_hhhh_10NM_mmmm', (w) => smlalxy(ra(w), rd(w), rn(w), rm(w), b5(w), b4(w))),
  encoding('SMLALD T1', '1111_1011_1100_nnnn_llll_hhhh_110M_mmmm', (w) => smlald(ra(w), rd(w), rn(w), rm(w), b4(w), false)),
  encoding('SMLSLD T1', '1111_1011_1101_nnnn_llll_hhhh_110M_mmmm', (w) => smlald(ra(w), rd(w), rn(w), rm(w), b4(w), true)),
  encoding('UMLAL T1', '1111_1011_1110_nnnn_llll_hhhh_0000_mmmm', (w) => mull(false, true, false, ra(w), rd(w), rn(w), rm(w))),
  encoding('UMAAL T1', '1111_1011_1110_nnnn_llll_hhhh_0110_mmmm', (w) => umaal(ra(w), rd(w), rn(w), rm(w))),
];
