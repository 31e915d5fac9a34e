/**
 * The VFP register file and its system registers (ARM ARM A2.6, "FPSCR", "FPEXC").
 * D0-D31 alias S0-S31 as in the architecture: S(2n) is the low word of D(n).
 * Registers are kept as raw bits so NaN payloads and signalling NaNs survive moves.
 */

/**
 * D32-D63: where the Advanced SIMD multiple-structure and all-lanes loads and stores whose
 * register list runs past D31 (UNPREDICTABLE) read and write, invisible otherwise, as in QEMU
 * (whose AArch32 register file is the first half of its 32 SVE Z registers).
 */
export const HIDDEN_D = 32;
/** Index of the first of two scratch doubles after the hidden ones, used between the steps of VMLA & co. */
export const SCRATCH_D = 64;

if (new Uint8Array(new Uint32Array([1]).buffer)[0] !== 1) {
  // The Float64Array overlay of the register file assumes a little-endian host.
  throw new Error('Partita VFP needs a little-endian host');
}

export class VfpState {
  readonly buffer = new ArrayBuffer((64 + 2) * 8);
  /** Raw 32-bit words: S(n) is words[n]; D(n) is words[2n] (low) and words[2n+1] (high). */
  readonly words = new Int32Array(this.buffer, 0, 64);
  /** `words` followed by the words of D32-D63 (HIDDEN_D) and the two scratch doubles (SCRATCH_D, SCRATCH_D + 1). */
  readonly rawWords = new Int32Array(this.buffer);
  /**
   * The same registers as doubles: doubles[n] is D(n) (host is little-endian), followed by the
   * hidden and the scratch doubles. Only read non-NaN values through this view; NaN bits go through the words.
   */
  readonly doubles = new Float64Array(this.buffer);
  /**
   * Element views for Advanced SIMD (little-endian host): element i of size e bytes in D(n) is
   * index n * (8 / e) + i, and Q(n) is D(2n), D(2n + 1), so Q elements continue the D indices.
   */
  readonly u8 = new Uint8Array(this.buffer);
  readonly i8 = new Int8Array(this.buffer);
  readonly u16 = new Uint16Array(this.buffer);
  readonly i16 = new Int16Array(this.buffer);
  readonly u32 = new Uint32Array(this.buffer);
  /** 64-bit elements: index n is D(n). */
  readonly i64 = new BigInt64Array(this.buffer);
  readonly u64 = new BigUint64Array(this.buffer);
  /** FPSCR as stored; Len/Stride included. */
  fpscr = 0;
  fpexc = 0;

  reset(): void {
    this.rawWords.fill(0);
    this.fpscr = 0;
    this.fpexc = 0;
  }
}
