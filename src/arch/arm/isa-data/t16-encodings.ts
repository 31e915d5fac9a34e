import type { Encoding } from '../decode-table.js';
import { SRType } from '../alu.js';
import { bits, encoding } from './fields.js';
import { DpOp, adr, dpImmediate, dpRegister, dpRegisterShifted } from './semantics-dp.js';
import { mul } from './semantics-multiply.js';
import { Extend, Reverse, extend, reverse } from './semantics-bits.js';

/**
 * 16-bit T32 data-processing encodings (ARM ARM A6.2.1 - A6.2.5). Those that "set flags unless in
 * an IT block" read ctx.inItBlock (A6.2: setflags = !InITBlock()). Register fields are 3 bits
 * except for the high-register forms of A6.2.3.
 */

const low0 = (h: number): number => h & 7;
const low3 = (h: number): number => bits(h, 5, 3);
const low6 = (h: number): number => bits(h, 8, 6);
const low8 = (h: number): number => bits(h, 10, 8);

/** The "data-processing" group (A6.2.2): opcode [9:6], Rm/Rn [5:3], Rdn [2:0]. */
const DP_GROUP: [string, DpOp | 'shift' | 'MUL', SRType | 0][] = [
  ['AND (register) T1', DpOp.AND, 0], ['EOR (register) T1', DpOp.EOR, 0],
  ['LSL (register) T1', 'shift', SRType.LSL], ['LSR (register) T1', 'shift', SRType.LSR],
  ['ASR (register) T1', 'shift', SRType.ASR], ['ADC (register) T1', DpOp.ADC, 0],
  ['SBC (register) T1', DpOp.SBC, 0], ['ROR (register) T1', 'shift', SRType.ROR],
  ['TST (register) T1', DpOp.TST, 0], ['RSB (immediate) T1', DpOp.RSB, 0],
  ['CMP (register) T1', DpOp.CMP, 0], ['CMN (register) T1', DpOp.CMN, 0],
  ['ORR (register) T1', DpOp.ORR, 0], ['MUL T1', 'MUL', 0],
  ['BIC (register) T1', DpOp.BIC, 0], ['MVN (register) T1', DpOp.MVN, 0],
];

function dataProcessingGroup(): Encoding[] {
  return DP_GROUP.map(([name, op, type], opcode) =>
    encoding(name, `0100_00${opcode.toString(2).padStart(4, '0')}_mmm_ddd`, (h, ctx) => {
      const rdn = low0(h);
      const rm = low3(h);
      const setflags = !ctx.inItBlock;
      if (op === 'shift') return dpRegisterShifted(DpOp.MOV, setflags, rdn, 0, rdn, type as SRType, rm, false);
      if (op === 'MUL') return mul(setflags, rdn, rm, rdn);
      // RSB (immediate) T1 is NEG: Rd = 0 - Rn.
      if (op === DpOp.RSB) return dpImmediate(DpOp.RSB, setflags, rdn, rm, 0, -1, false);
      const test = op === DpOp.TST || op === DpOp.CMP || op === DpOp.CMN;
      return dpRegister(op, test || setflags, rdn, rdn, rm, SRType.LSL, 0, false);
    }));
}

const SHIFT_NAMES = ['LSL (immediate) T1', 'LSR (immediate) T1', 'ASR (immediate) T1'];

export const t16Encodings: readonly Encoding[] = [
  // Shift (immediate), add, subtract, move, and compare (A6.2.1). LSL #0 is MOVS (register) T2.
  ...SHIFT_NAMES.map((name, type) =>
    encoding(name, `000${type.toString(2).padStart(2, '0')}_iiiii_mmm_ddd`, (h, ctx) => {
      const imm5 = bits(h, 10, 6);
      const amount = imm5 === 0 && type !== 0 ? 32 : imm5;
      return dpRegister(DpOp.MOV, !ctx.inItBlock, low0(h), 0, low3(h), type as SRType, amount, false);
    })),
  encoding('ADD (register) T1', '0001_100m_mmnn_nddd', (h, ctx) => dpRegister(DpOp.ADD, !ctx.inItBlock, low0(h), low3(h), low6(h), SRType.LSL, 0, false)),
  encoding('SUB (register) T1', '0001_101m_mmnn_nddd', (h, ctx) => dpRegister(DpOp.SUB, !ctx.inItBlock, low0(h), low3(h), low6(h), SRType.LSL, 0, false)),
  encoding('ADD (immediate) T1', '0001_110i_iinn_nddd', (h, ctx) => dpImmediate(DpOp.ADD, !ctx.inItBlock, low0(h), low3(h), low6(h), -1, false)),
  encoding('SUB (immediate) T1', '0001_111i_iinn_nddd', (h, ctx) => dpImmediate(DpOp.SUB, !ctx.inItBlock, low0(h), low3(h), low6(h), -1, false)),
  encoding('MOV (immediate) T1', '0010_0ddd_iiii_iiii', (h, ctx) => dpImmediate(DpOp.MOV, !ctx.inItBlock, low8(h), 0, h & 0xff, -1, false)),
  encoding('CMP (immediate) T1', '0010_1nnn_iiii_iiii', (h) => dpImmediate(DpOp.CMP, true, 0, low8(h), h & 0xff, -1, false)),
  encoding('ADD (immediate) T2', '0011_0ddd_iiii_iiii', (h, ctx) => dpImmediate(DpOp.ADD, !ctx.inItBlock, low8(h), low8(h), h & 0xff, -1, false)),
  encoding('SUB (immediate) T2', '0011_1ddd_iiii_iiii', (h, ctx) => dpImmediate(DpOp.SUB, !ctx.inItBlock, low8(h), low8(h), h & 0xff, -1, false)),
  ...dataProcessingGroup(),
  // Special data instructions (A6.2.3): high registers, never setting flags. Rd = PC is a branch
  // (ALUWritePC); the UNPREDICTABLE register choices (both PC, low-register CMP) execute as in QEMU.
  encoding('ADD (register) T2', '0100_0100_dmmm_mddd', (h) => {
    const rdn = (bits(h, 7, 7) << 3) | low0(h);
    return dpRegister(DpOp.ADD, false, rdn, rdn, bits(h, 6, 3), SRType.LSL, 0, false);
  }),
  encoding('CMP (register) T2', '0100_0101_nmmm_mnnn', (h) =>
    dpRegister(DpOp.CMP, true, 0, (bits(h, 7, 7) << 3) | low0(h), bits(h, 6, 3), SRType.LSL, 0, false)),
  encoding('MOV (register) T1', '0100_0110_dmmm_mddd', (h) =>
    dpRegister(DpOp.MOV, false, (bits(h, 7, 7) << 3) | low0(h), 0, bits(h, 6, 3), SRType.LSL, 0, false)),
  // PC-relative and SP-relative addresses (A6.2, A8.8.12, A8.8.9, A8.8.229).
  encoding('ADR T1', '1010_0ddd_iiii_iiii', (h) => adr(low8(h), (h & 0xff) << 2)),
  encoding('ADD (SP plus immediate) T1', '1010_1ddd_iiii_iiii', (h) => dpImmediate(DpOp.ADD, false, low8(h), 13, (h & 0xff) << 2, -1, false)),
  encoding('ADD (SP plus immediate) T2', '1011_0000_0iii_iiii', (h) => dpImmediate(DpOp.ADD, false, 13, 13, (h & 0x7f) << 2, -1, false)),
  encoding('SUB (SP minus immediate) T1', '1011_0000_1iii_iiii', (h) => dpImmediate(DpOp.SUB, false, 13, 13, (h & 0x7f) << 2, -1, false)),
  // Miscellaneous 16-bit instructions (A6.2.5): extends and reverses.
  encoding('SXTH T1', '1011_0010_00mm_mddd', (h) => extend(Extend.SXTH, low0(h), -1, low3(h), 0)),
  encoding('SXTB T1', '1011_0010_01mm_mddd', (h) => extend(Extend.SXTB, low0(h), -1, low3(h), 0)),
  encoding('UXTH T1', '1011_0010_10mm_mddd', (h) => extend(Extend.UXTH, low0(h), -1, low3(h), 0)),
  encoding('UXTB T1', '1011_0010_11mm_mddd', (h) => extend(Extend.UXTB, low0(h), -1, low3(h), 0)),
  encoding('REV T1', '1011_1010_00mm_mddd', (h) => reverse(Reverse.REV, low0(h), low3(h))),
  encoding('REV16 T1', '1011_1010_01mm_mddd', (h) => reverse(Reverse.REV16, low0(h), low3(h))),
  encoding('REVSH T1', '1011_1010_11mm_mddd', (h) => reverse(Reverse.REVSH, low0(h), low3(h))),
];
