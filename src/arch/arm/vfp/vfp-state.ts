/**
 * The VFP register file and its system registers (ARM ARM A2.6, B4.1.57 FPEXC, A2.6.1 FPSCR).
 * D0-D31 alias S0-S31 as in the architecture: S(2n) is the low word of D(n).
 * Registers are kept as raw bits so NaN payloads and signalling NaNs survive moves.
 */
export class VfpState {
  readonly buffer = new ArrayBuffer(32 * 8);
  /** Raw 32-bit words: S(n) is words[n]; D(n) is words[2n] (low) and words[2n+1] (high). */
  readonly words = new Int32Array(this.buffer);
  fpscr = 0;
  fpexc = 0;

  reset(): void {
    this.words.fill(0);
    this.fpscr = 0;
    this.fpexc = 0;
  }
}
