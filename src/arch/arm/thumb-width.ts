/**
 * Whether a Thumb halfword is the first half of a 32-bit instruction (A6.1: bits [15:11] are
 * 0b11101, 0b11110 or 0b11111). A module of its own, imported by the decoders and by what reads an
 * instruction back (hyp/load-store-syndrome.ts) without the decode tables.
 */
export function isT32Wide(hw1: number): boolean {
  return (hw1 & 0xf800) >= 0xe800;
}
