import { pattern, type Encoding, type Instr } from '../decode-table.js';
import { bit, vd } from './fields.js';
import { allLanes, multipleStructures, singleLane, type StructureShape } from './memory.js';

/**
 * Advanced SIMD element and structure load/store encodings (ARM ARM A7.7, table A7-21), A32 form
 * 1111_0100_AD L0_nnnn_dddd_xxxx_xxxx_mmmm, with QEMU 7.2's UNDEFINED cases and alignments. Lane
 * register lists past D31 (UNPREDICTABLE) are UNDEFINED.
 */

/** Multiple-structure shapes by type field [11:8] (QEMU's neon_ls_element_type; null: UNDEFINED). */
const SHAPES: readonly (StructureShape | null)[] = [
  { registers: 1, interleave: 4, spacing: 1 }, // 0000 VLD4/VST4
  { registers: 1, interleave: 4, spacing: 2 }, // 0001 VLD4/VST4, inc 2
  { registers: 4, interleave: 1, spacing: 1 }, // 0010 VLD1/VST1, 4 registers
  { registers: 2, interleave: 2, spacing: 2 }, // 0011 VLD2/VST2, 4 registers
  { registers: 1, interleave: 3, spacing: 1 }, // 0100 VLD3/VST3
  { registers: 1, interleave: 3, spacing: 2 }, // 0101 VLD3/VST3, inc 2
  { registers: 3, interleave: 1, spacing: 1 }, // 0110 VLD1/VST1, 3 registers
  { registers: 1, interleave: 1, spacing: 1 }, // 0111 VLD1/VST1, 1 register
  { registers: 1, interleave: 2, spacing: 1 }, // 1000 VLD2/VST2
  { registers: 1, interleave: 2, spacing: 2 }, // 1001 VLD2/VST2, inc 2
  { registers: 2, interleave: 1, spacing: 1 }, // 1010 VLD1/VST1, 2 registers
];

function multiple(load: boolean): (w: number) => Instr | null {
  return (w) => {
    const type = (w >>> 8) & 0xf;
    const shape = SHAPES[type] ?? null;
    const size = (w >>> 6) & 3;
    const align = (w >>> 4) & 3;
    if (shape === null) return null;
    // Types 01xx (VLD3, VLD1 with 1 or 3 registers) need align<1> = 0; 10xx (VLD2, VLD1 x2) align != 11.
    if ((type & 0xc) === 4 && align >= 2) return null;
    if ((type & 0xc) === 8 && align === 3) return null;
    if (size === 3 && shape.interleave !== 1) return null;
    // A register list past D31 uses D32-D63 (HIDDEN_D in vfp-state.ts), as QEMU does.
    const d = vd(w);
    return multipleStructures(load, d, shape, 1 << size, align === 0 ? 1 : 4 << align, (w >>> 16) & 0xf, w & 0xf);
  };
}

/** VLDn/VSTn single lane: size [11:10] < 3, n - 1 = [9:8], index_align [7:4] (VLD1-VLD4 single). */
function lane(load: boolean, w: number): Instr | null {
  const size = (w >>> 10) & 3;
  const count = ((w >>> 8) & 3) + 1;
  const ia = (w >>> 4) & 0xf;
  const ebytes = 1 << size;
  const index = ia >>> (size + 1);
  const inc = size > 0 && ((ia >>> size) & 1) === 1 ? 2 : 1;
  let alignment = 1;
  switch (count) {
    case 1:
      // VLD1: index_align<size:0> must be 0 (for words, <1:0> may be 11 as well).
      if (size === 0 && (ia & 1) !== 0) return null;
      if (size === 1 && (ia & 2) !== 0) return null;
      if (size === 2 && ((ia & 4) !== 0 || (ia & 3) === 1 || (ia & 3) === 2)) return null;
      if (size > 0 && (ia & 1) !== 0) alignment = ebytes;
      break;
    case 2:
      if (size === 2 && (ia & 2) !== 0) return null;
      if ((ia & 1) !== 0) alignment = 2 * ebytes;
      break;
    case 3:
      if ((ia & 1) !== 0 || (size === 2 && (ia & 3) !== 0)) return null;
      break;
    default:
      if (size === 2 && (ia & 3) === 3) return null;
      if (size < 2 && (ia & 1) !== 0) alignment = 4 * ebytes;
      if (size === 2 && (ia & 3) !== 0) alignment = 4 << (ia & 3);
  }
  const step = count === 1 ? 1 : inc;
  const d = vd(w);
  if (d + (count - 1) * step > 31) return null;
  return singleLane(load, d, count, step, ebytes, index, alignment, (w >>> 16) & 0xf, w & 0xf);
}

/** VLDn all lanes: size [7:6], T [5] (registers or inc), a [4]. */
function all(w: number): Instr | null {
  const size = (w >>> 6) & 3;
  const count = ((w >>> 8) & 3) + 1;
  const t = bit(w, 5);
  const a = bit(w, 4);
  let ebytes = 1 << size;
  let alignment = 1;
  if (size === 3) {
    // Only VLD4 has size 11: 32-bit elements, 16-byte alignment, a = 1.
    if (count !== 4 || a === 0) return null;
    ebytes = 4;
    alignment = 16;
  } else if (a === 1) {
    if (count === 3 || (count === 1 && size === 0)) return null;
    alignment = count === 4 && size === 2 ? 8 : count * ebytes;
  }
  // As for multiple structures, registers past D31 are the hidden D32-D63 (QEMU has no check).
  const d = vd(w);
  const copies = count === 1 ? t + 1 : 1;
  const inc = count === 1 ? 1 : t + 1;
  return allLanes(d, count, inc, copies, ebytes, alignment, (w >>> 16) & 0xf, w & 0xf);
}

function enc(name: string, bits: string, build: (w: number) => Instr | null): Encoding {
  return { name, ...pattern(bits), build };
}

export const simdMemoryEncodings: readonly Encoding[] = [
  enc('VST1-VST4 (multiple structures)', '1111_0100_0D00_nnnn_dddd_tttt_ssaa_mmmm', multiple(false)),
  enc('VLD1-VLD4 (multiple structures)', '1111_0100_0D10_nnnn_dddd_tttt_ssaa_mmmm', multiple(true)),
  enc('VST1-VST4 (single structure to one lane)', '1111_0100_1D00_nnnn_dddd_ssnn_iiii_mmmm', (w) =>
    (((w >>> 10) & 3) === 3 ? null : lane(false, w))),
  enc('VLD1-VLD4 (single structure to one lane or all lanes)', '1111_0100_1D10_nnnn_dddd_ssnn_iiii_mmmm', (w) =>
    (((w >>> 10) & 3) === 3 ? all(w) : lane(true, w))),
];
