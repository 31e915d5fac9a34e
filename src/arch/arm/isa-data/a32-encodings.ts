import type { Encoding } from '../decode-table.js';
import { decodeImmShiftAmount, decodeImmShiftType, ror, SRType } from '../alu.js';
import { bit, bits, encoding } from './fields.js';
import { DpOp, adr, dpImmediate, dpRegister, dpRegisterShifted, movt, movw } from './semantics-dp.js';
import { MostSignificant, mla, mul, mull, sdiv, smlad, smlald, smlalxy, smlawy, smlaxy, smmla, udiv, umaal } from './semantics-multiply.js';
import { qaddsub, saturate, saturate16 } from './semantics-saturate.js';
import { ParallelKind, ParallelOp, parallel, sel, usada8 } from './semantics-parallel.js';
import { Extend, Reverse, bfi, bitfieldExtract, clz, extend, pkh, reverse } from './semantics-bits.js';

/**
 * A32 data-processing and media encodings (ARM ARM A5.2, A5.4). The condition field is left free:
 * instruction-sets.ts applies it. Fixed should-be bits follow QEMU's a32.decode, so a word QEMU
 * treats as UNDEFINED is UNDEFINED here too. Fields: Rn [19:16], Rd [15:12], Rm [3:0]; for the
 * multiplies Rd/RdHi [19:16], Ra/RdLo [15:12], Rm [11:8], Rn [3:0].
 */

const DP_NAMES = ['AND', 'EOR', 'SUB', 'RSB', 'ADD', 'ADC', 'SBC', 'RSC', 'TST', 'TEQ', 'CMP', 'CMN', 'ORR', 'MOV', 'BIC', 'MVN'];

/** The three operand shapes of every data-processing opcode (A5.2.1 - A5.2.3). */
function dataProcessing(): Encoding[] {
  const list: Encoding[] = [];
  DP_NAMES.forEach((name, op: DpOp) => {
    const o = op.toString(2).padStart(4, '0');
    const test = op >= DpOp.TST && op <= DpOp.CMN;
    const move = op === DpOp.MOV || op === DpOp.MVN;
    const s = test ? '1' : 'S';
    const n = move ? '0000' : 'nnnn';
    const d = test ? '0000' : 'dddd';
    list.push(
      encoding(`${name} (immediate) A1`, `cccc_001${o}_${s}${n}_${d}_rrrr_iiii_iiii`, (w) => {
        const rotation = 2 * bits(w, 11, 8);
        const imm32 = ror(w & 0xff, rotation);
        // ARMExpandImm_C (A5.2.4): the carry is APSR.C unless the constant is rotated.
        const carry = rotation === 0 ? -1 : imm32 >>> 31;
        return dpImmediate(op, bit(w, 20) === 1, bits(w, 15, 12), bits(w, 19, 16), imm32, carry, true);
      }),
      encoding(`${name} (register) A1`, `cccc_000${o}_${s}${n}_${d}_iiii_itt0_mmmm`, (w) => {
        const type = bits(w, 6, 5);
        const imm5 = bits(w, 11, 7);
        return dpRegister(op, bit(w, 20) === 1, bits(w, 15, 12), bits(w, 19, 16), w & 0xf,
          decodeImmShiftType(type, imm5), decodeImmShiftAmount(type, imm5), true);
      }),
      encoding(`${name} (register-shifted register) A1`, `cccc_000${o}_${s}${n}_${d}_ssss_0tt1_mmmm`, (w) =>
        dpRegisterShifted(op, bit(w, 20) === 1, bits(w, 15, 12), bits(w, 19, 16), w & 0xf,
          bits(w, 6, 5) as SRType, bits(w, 11, 8), true)),
    );
  });
  return list;
}

const rd16 = (w: number): number => bits(w, 19, 16);
const ra12 = (w: number): number => bits(w, 15, 12);
const rm8 = (w: number): number => bits(w, 11, 8);
const rn0 = (w: number): number => w & 0xf;
const notPc = (r: number): number => (r === 15 ? -1 : r);

const multiply: Encoding[] = [
  encoding('MUL A1', 'cccc_0000_000S_dddd_0000_mmmm_1001_nnnn', (w) => mul(bit(w, 20) === 1, rd16(w), rn0(w), rm8(w))),
  encoding('MLA A1', 'cccc_0000_001S_dddd_aaaa_mmmm_1001_nnnn', (w) => mla(bit(w, 20) === 1, false, rd16(w), rn0(w), rm8(w), ra12(w))),
  encoding('UMAAL A1', 'cccc_0000_0100_hhhh_llll_mmmm_1001_nnnn', (w) => umaal(ra12(w), rd16(w), rn0(w), rm8(w))),
  encoding('MLS A1', 'cccc_0000_0110_dddd_aaaa_mmmm_1001_nnnn', (w) => mla(false, true, rd16(w), rn0(w), rm8(w), ra12(w))),
  encoding('UMULL A1', 'cccc_0000_100S_hhhh_llll_mmmm_1001_nnnn', (w) => mull(false, false, bit(w, 20) === 1, ra12(w), rd16(w), rn0(w), rm8(w))),
  encoding('UMLAL A1', 'cccc_0000_101S_hhhh_llll_mmmm_1001_nnnn', (w) => mull(false, true, bit(w, 20) === 1, ra12(w), rd16(w), rn0(w), rm8(w))),
  encoding('SMULL A1', 'cccc_0000_110S_hhhh_llll_mmmm_1001_nnnn', (w) => mull(true, false, bit(w, 20) === 1, ra12(w), rd16(w), rn0(w), rm8(w))),
  encoding('SMLAL A1', 'cccc_0000_111S_hhhh_llll_mmmm_1001_nnnn', (w) => mull(true, true, bit(w, 20) === 1, ra12(w), rd16(w), rn0(w), rm8(w))),
  // Halfword multiplies (A5.2.7): M = bit 6 selects Rm's half, N = bit 5 Rn's.
  encoding('SMLA<x><y> A1', 'cccc_0001_0000_dddd_aaaa_mmmm_1MN0_nnnn', (w) => smlaxy(rd16(w), rn0(w), rm8(w), ra12(w), bit(w, 5) === 1, bit(w, 6) === 1)),
  encoding('SMLAW<y> A1', 'cccc_0001_0010_dddd_aaaa_mmmm_1M00_nnnn', (w) => smlawy(rd16(w), rn0(w), rm8(w), ra12(w), bit(w, 6) === 1)),
  encoding('SMULW<y> A1', 'cccc_0001_0010_dddd_0000_mmmm_1M10_nnnn', (w) => smlawy(rd16(w), rn0(w), rm8(w), -1, bit(w, 6) === 1)),
  encoding('SMLAL<x><y> A1', 'cccc_0001_0100_hhhh_llll_mmmm_1MN0_nnnn', (w) => smlalxy(ra12(w), rd16(w), rn0(w), rm8(w), bit(w, 5) === 1, bit(w, 6) === 1)),
  encoding('SMUL<x><y> A1', 'cccc_0001_0110_dddd_0000_mmmm_1MN0_nnnn', (w) => smlaxy(rd16(w), rn0(w), rm8(w), -1, bit(w, 5) === 1, bit(w, 6) === 1)),
  // Signed multiplies and divide (A5.4.4).
  encoding('SMLAD A1', 'cccc_0111_0000_dddd_aaaa_mmmm_00M1_nnnn', (w) => smlad(rd16(w), rn0(w), rm8(w), ra12(w), bit(w, 5) === 1, false)),
  encoding('SMUAD A1', 'cccc_0111_0000_dddd_1111_mmmm_00M1_nnnn', (w) => smlad(rd16(w), rn0(w), rm8(w), -1, bit(w, 5) === 1, false)),
  encoding('SMLSD A1', 'cccc_0111_0000_dddd_aaaa_mmmm_01M1_nnnn', (w) => smlad(rd16(w), rn0(w), rm8(w), ra12(w), bit(w, 5) === 1, true)),
  encoding('SMUSD A1', 'cccc_0111_0000_dddd_1111_mmmm_01M1_nnnn', (w) => smlad(rd16(w), rn0(w), rm8(w), -1, bit(w, 5) === 1, true)),
  encoding('SDIV A1', 'cccc_0111_0001_dddd_1111_mmmm_0001_nnnn', (w) => sdiv(rd16(w), rn0(w), rm8(w))),
  encoding('UDIV A1', 'cccc_0111_0011_dddd_1111_mmmm_0001_nnnn', (w) => udiv(rd16(w), rn0(w), rm8(w))),
  encoding('SMLALD A1', 'cccc_0111_0100_hhhh_llll_mmmm_00M1_nnnn', (w) => smlald(ra12(w), rd16(w), rn0(w), rm8(w), bit(w, 5) === 1, false)),
  encoding('SMLSLD A1', 'cccc_0111_0100_hhhh_llll_mmmm_01M1_nnnn', (w) => smlald(ra12(w), rd16(w), rn0(w), rm8(w), bit(w, 5) === 1, true)),
  encoding('SMMLA A1', 'cccc_0111_0101_dddd_aaaa_mmmm_00R1_nnnn', (w) => smmla(MostSignificant.Accumulate, bit(w, 5) === 1, rd16(w), rn0(w), rm8(w), ra12(w))),
  encoding('SMMUL A1', 'cccc_0111_0101_dddd_1111_mmmm_00R1_nnnn', (w) => smmla(MostSignificant.Multiply, bit(w, 5) === 1, rd16(w), rn0(w), rm8(w), -1)),
  encoding('SMMLS A1', 'cccc_0111_0101_dddd_aaaa_mmmm_11R1_nnnn', (w) => smmla(MostSignificant.Subtract, bit(w, 5) === 1, rd16(w), rn0(w), rm8(w), ra12(w))),
  // Ra = PC is UNPREDICTABLE; QEMU then leaves the accumulator out (an SMMUL), as we do.
  encoding('SMMLS A1 (Ra = PC)', 'cccc_0111_0101_dddd_1111_mmmm_11R1_nnnn', (w) => smmla(MostSignificant.Multiply, bit(w, 5) === 1, rd16(w), rn0(w), rm8(w), -1)),
  encoding('USADA8 A1', 'cccc_0111_1000_dddd_aaaa_mmmm_0001_nnnn', (w) => usada8(rd16(w), rn0(w), rm8(w), ra12(w))),
  encoding('USAD8 A1', 'cccc_0111_1000_dddd_1111_mmmm_0001_nnnn', (w) => usada8(rd16(w), rn0(w), rm8(w), -1)),
];

// Fields of the media and miscellaneous instructions: Rn [19:16], Rd [15:12], Rm [3:0].
const rn16 = (w: number): number => bits(w, 19, 16);
const rd12 = (w: number): number => bits(w, 15, 12);
const rm0 = (w: number): number => w & 0xf;

const QNAMES = ['QADD', 'QSUB', 'QDADD', 'QDSUB'];
const PARALLEL_PREFIXES: [string, string, ParallelKind][] = [
  ['S', '001', ParallelKind.Signed], ['Q', '010', ParallelKind.SignedSaturating], ['SH', '011', ParallelKind.SignedHalving],
  ['U', '101', ParallelKind.Unsigned], ['UQ', '110', ParallelKind.UnsignedSaturating], ['UH', '111', ParallelKind.UnsignedHalving],
];
const PARALLEL_OPS: [string, ParallelOp][] = [
  ['ADD16', ParallelOp.ADD16], ['ASX', ParallelOp.ASX], ['SAX', ParallelOp.SAX], ['SUB16', ParallelOp.SUB16], ['ADD8', ParallelOp.ADD8], ['SUB8', ParallelOp.SUB8],
];
const EXTENDS: [string, string, Extend][] = [
  ['SXTB16', '000', Extend.SXTB16], ['SXTB', '010', Extend.SXTB], ['SXTH', '011', Extend.SXTH],
  ['UXTB16', '100', Extend.UXTB16], ['UXTB', '110', Extend.UXTB], ['UXTH', '111', Extend.UXTH],
];

function media(): Encoding[] {
  const list: Encoding[] = [
    encoding('MOVW A2', 'cccc_0011_0000_iiii_dddd_iiii_iiii_iiii', (w) => movw(rd12(w), (bits(w, 19, 16) << 12) | (w & 0xfff))),
    encoding('MOVT A1', 'cccc_0011_0100_iiii_dddd_iiii_iiii_iiii', (w) => movt(rd12(w), (bits(w, 19, 16) << 12) | (w & 0xfff))),
    // ADR is ADD/SUB (immediate) from the PC, which reads word-aligned in A32 (A8.8.12).
    encoding('ADR A1', 'cccc_0010_1000_1111_dddd_iiii_iiii_iiii', (w) => adr(rd12(w), ror(w & 0xff, 2 * bits(w, 11, 8)))),
    encoding('ADR A2', 'cccc_0010_0100_1111_dddd_iiii_iiii_iiii', (w) => adr(rd12(w), -ror(w & 0xff, 2 * bits(w, 11, 8)))),
    encoding('CLZ A1', 'cccc_0001_0110_1111_dddd_1111_0001_mmmm', (w) => clz(rd12(w), rm0(w))),
    encoding('SSAT A1', 'cccc_0110_101s_ssss_dddd_iiii_ih01_nnnn', (w) => saturate(true, bits(w, 20, 16) + 1, rd12(w), rm0(w),
      bit(w, 6) ? SRType.ASR : SRType.LSL, decodeImmShiftAmount(bit(w, 6) << 1, bits(w, 11, 7)))),
    encoding('USAT A1', 'cccc_0110_111s_ssss_dddd_iiii_ih01_nnnn', (w) => saturate(false, bits(w, 20, 16), rd12(w), rm0(w),
      bit(w, 6) ? SRType.ASR : SRType.LSL, decodeImmShiftAmount(bit(w, 6) << 1, bits(w, 11, 7)))),
    encoding('SSAT16 A1', 'cccc_0110_1010_ssss_dddd_1111_0011_nnnn', (w) => saturate16(true, bits(w, 19, 16) + 1, rd12(w), rm0(w))),
    encoding('USAT16 A1', 'cccc_0110_1110_ssss_dddd_1111_0011_nnnn', (w) => saturate16(false, bits(w, 19, 16), rd12(w), rm0(w))),
    encoding('PKHBT, PKHTB A1', 'cccc_0110_1000_nnnn_dddd_iiii_it01_mmmm', (w) => {
      const tb = bit(w, 6) === 1;
      const imm5 = bits(w, 11, 7);
      return pkh(tb, rd12(w), rn16(w), rm0(w), tb ? decodeImmShiftAmount(2, imm5) : imm5);
    }),
    encoding('SEL A1', 'cccc_0110_1000_nnnn_dddd_1111_1011_mmmm', (w) => sel(rd12(w), rn16(w), rm0(w))),
    encoding('REV A1', 'cccc_0110_1011_1111_dddd_1111_0011_mmmm', (w) => reverse(Reverse.REV, rd12(w), rm0(w))),
    encoding('REV16 A1', 'cccc_0110_1011_1111_dddd_1111_1011_mmmm', (w) => reverse(Reverse.REV16, rd12(w), rm0(w))),
    encoding('RBIT A1', 'cccc_0110_1111_1111_dddd_1111_0011_mmmm', (w) => reverse(Reverse.RBIT, rd12(w), rm0(w))),
    encoding('REVSH A1', 'cccc_0110_1111_1111_dddd_1111_1011_mmmm', (w) => reverse(Reverse.REVSH, rd12(w), rm0(w))),
    // QEMU takes msb < lsb (UNPREDICTABLE) as UNDEFINED.
    encoding('BFI A1', 'cccc_0111_110m_mmmm_dddd_llll_l001_nnnn', (w) => {
      const lsb = bits(w, 11, 7);
      const msb = bits(w, 20, 16);
      return msb < lsb ? null : bfi(rd12(w), notPc(rm0(w)), lsb, msb);
    }),
    encoding('SBFX A1', 'cccc_0111_101w_wwww_dddd_llll_l101_nnnn', (w) => {
      const lsb = bits(w, 11, 7);
      const width = bits(w, 20, 16) + 1;
      return lsb + width > 32 ? null : bitfieldExtract(true, rd12(w), rm0(w), lsb, width);
    }),
    encoding('UBFX A1', 'cccc_0111_111w_wwww_dddd_llll_l101_nnnn', (w) => {
      const lsb = bits(w, 11, 7);
      const width = bits(w, 20, 16) + 1;
      return lsb + width > 32 ? null : bitfieldExtract(false, rd12(w), rm0(w), lsb, width);
    }),
  ];
  QNAMES.forEach((name, i) => {
    list.push(encoding(`${name} A1`, `cccc_0001_0${i.toString(2).padStart(2, '0')}0_nnnn_dddd_0000_0101_mmmm`, (w) =>
      qaddsub((i & 1) === 1, i >= 2, rd12(w), rn16(w), rm0(w))));
  });
  for (const [prefix, p, kind] of PARALLEL_PREFIXES) {
    for (const [opName, op] of PARALLEL_OPS) {
      list.push(encoding(`${prefix}${opName} A1`, `cccc_0110_0${p}_nnnn_dddd_1111_${op.toString(2).padStart(3, '0')}1_mmmm`, (w) =>
        parallel(kind, op, rd12(w), rn16(w), rm0(w))));
    }
  }
  for (const [name, o, kind] of EXTENDS) {
    const accumulating = name.replace('XT', 'XTA');
    list.push(
      encoding(`${accumulating} A1`, `cccc_0110_1${o}_nnnn_dddd_rr00_0111_mmmm`, (w) =>
        extend(kind, rd12(w), rn16(w), rm0(w), 8 * bits(w, 11, 10))),
      encoding(`${name} A1`, `cccc_0110_1${o}_1111_dddd_rr00_0111_mmmm`, (w) =>
        extend(kind, rd12(w), -1, rm0(w), 8 * bits(w, 11, 10))),
    );
  }
  return list;
}

export const a32Encodings: readonly Encoding[] = [...dataProcessing(), ...multiply, ...media()];
