import type { Encoding } from '../decode-table.js';

/**
 * The T32 forms of the Advanced SIMD encodings (ARM ARM A7.4, A7.7): the same fields after a
 * different top byte. Data processing 1111_001U_... in A32 is 111U_1111_... in T32; element and
 * structure loads/stores 1111_0100_... are 1111_1001_.... Each T32 entry rebuilds the A32 word and
 * calls the A32 entry's builder, so both decode to the same instructions.
 */

const A32_LOAD_STORE = 0xf4;

/**
 * A32 mask or value bits to T32 ones: the top byte 0xF4 becomes 0xF9 (a mask's stays 0xFF),
 * 0xF2/0xF3 (U = bit 24) become 0xEF/0xFF (bit 28 of a mask is fixed where bit 24 was).
 */
function a32ToT32Bits(bits: number, isLoadStore: boolean, isMask: boolean): number {
  if (isLoadStore) return (bits & 0x00ffffff) | ((isMask ? 0xff000000 : 0xf9000000) | 0);
  return (bits & 0x00ffffff) | (((bits >>> 24) & 1) << 28) | (0xef000000 | 0);
}

/** The A32 word of a T32 Advanced SIMD instruction (`word` is (hw1 << 16) | hw2). */
function t32ToA32(word: number): number {
  if (((word >>> 24) & 0xff) === 0xf9) return (word & 0x00ffffff) | (0xf4000000 | 0);
  return (word & 0x00ffffff) | ((word >>> 4) & 0x01000000) | (0xf2000000 | 0);
}

export function asT32Simd(e: Encoding): Encoding {
  const isLoadStore = ((e.value >>> 24) & 0xff) === A32_LOAD_STORE;
  return {
    name: e.name,
    mask: a32ToT32Bits(e.mask, isLoadStore, true),
    value: a32ToT32Bits(e.value, isLoadStore, false),
    build: (word, ctx) => e.build(t32ToA32(word), ctx),
  };
}
