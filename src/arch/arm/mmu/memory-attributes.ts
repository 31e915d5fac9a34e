/**
 * Memory attributes of a two-stage translation (ARM ARM B3.8, "Combining the stage 1 and stage
 * 2 memory attributes"). Stage 1 gives a MAIR-format byte (B4.1.104: [7:4] outer, [3:0] inner;
 * 0x00 Strongly-ordered, 0x04 Device; a nibble 0b0100 Non-cacheable, 0b10RW Write-Through,
 * 0b11RW Write-Back with allocation hints RW); stage 2 gives MemAttr[3:0] (B3.6.2: [3:2] outer,
 * [1:0] inner; outer 0b00 is Device with [1:0] 0b00 Strongly-ordered; otherwise 0b01
 * Non-cacheable, 0b10 Write-Through, 0b11 Write-Back). The result is a MAIR-format byte.
 */

/** Stage 2 MemAttr[3:2] = 0b00: Strongly-ordered or Device memory. */
export function isStage2Device(memAttr: number): boolean {
  return (memAttr & 0xc) === 0;
}

/**
 * The combined attribute: Strongly-ordered over Device over Normal; for Normal memory each of
 * the outer and inner cacheability is the less cacheable of the two stages (Non-cacheable, then
 * Write-Through, then Write-Back), with stage 1's allocation hints (combineCacheability).
 */
export function combineAttributes(stage1: number, stage2: number): number {
  const device1 = (stage1 & 0xf0) === 0;
  const device2 = isStage2Device(stage2);
  if (device1 || device2) {
    const stronglyOrdered = (device1 && (stage1 & 0x0f) === 0) || (device2 && (stage2 & 3) === 0);
    return stronglyOrdered ? 0x00 : 0x04;
  }
  return (combineCacheability(stage1 >>> 4, (stage2 >>> 2) & 3) << 4) | combineCacheability(stage1 & 0xf, stage2 & 3);
}

/**
 * One of the outer or inner fields: a stage 1 MAIR nibble with stage 2's 2-bit field (0b01
 * Non-cacheable, 0b10 Write-Through, 0b11 Write-Back). Non-cacheable at either stage wins; then
 * a stage 1 Write-Through (or the UNPREDICTABLE 0b00RW) stays; then a stage 2 Write-Through
 * makes it Write-Through with stage 1's hints; else it stays stage 1's Write-Back. This is the
 * ARMv8 CombineS1S2AttrHints, as QEMU's combine_cacheattr_nibble (a reserved stage 2 field
 * 0b00 does not restrict stage 1).
 */
function combineCacheability(stage1Nibble: number, stage2Field: number): number {
  if (stage1Nibble === 0b0100 || stage2Field === 0b01) return 0b0100;
  const kind1 = stage1Nibble >>> 2;
  if (kind1 === 0b00 || kind1 === 0b10) return stage1Nibble;
  if (stage2Field === 0b10) return 0b1000 | (stage1Nibble & 3);
  return stage1Nibble;
}

/**
 * The combined shareability (SH encoding: 0b00 Non-shareable, 0b10 Outer, 0b11 Inner): the more
 * shareable stage wins, and Device memory and Normal memory Non-cacheable at both levels are
 * always Outer Shareable (B3.8, as QEMU's combine_cacheattrs).
 */
export function combineShareability(stage1: number, stage2: number, combinedAttribute: number): number {
  if ((combinedAttribute & 0xf0) === 0 || combinedAttribute === 0x44) return 0b10;
  if (stage1 === 0b10 || stage2 === 0b10) return 0b10;
  if (stage1 === 0b11 || stage2 === 0b11) return 0b11;
  return 0b00;
}
