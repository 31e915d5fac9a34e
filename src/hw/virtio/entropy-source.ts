/** Where virtio-rng's bytes come from. */
export interface EntropySource {
  fill(target: Uint8Array): void;
}

/**
 * A deterministic entropy source (xoshiro128**, seeded through splitmix32) so that runs are
 * reproducible; not cryptographic. Wall-clock runs use the host's crypto through an adapter.
 */
export class SeededEntropySource implements EntropySource {
  private readonly s = new Uint32Array(4);

  constructor(seed = 0x5eed) {
    let x = seed >>> 0;
    for (let i = 0; i < 4; i++) {
      x = (x + 0x9e3779b9) >>> 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
      this.s[i] = (z ^ (z >>> 16)) >>> 0;
    }
    if ((this.s[0]! | this.s[1]! | this.s[2]! | this.s[3]!) === 0) this.s[0] = 1;
  }

  /** Generator state, so a snapshot can resume the same sequence. */
  get state(): number[] {
    return [...this.s];
  }

  set state(words: number[]) {
    for (let i = 0; i < 4; i++) this.s[i] = words[i] ?? 0;
    if ((this.s[0]! | this.s[1]! | this.s[2]! | this.s[3]!) === 0) this.s[0] = 1;
  }

  fill(target: Uint8Array): void {
    for (let i = 0; i < target.length; i += 4) {
      const word = this.next();
      for (let b = 0; b < 4 && i + b < target.length; b++) target[i + b] = word >>> (8 * b);
    }
  }

  private next(): number {
    const s = this.s;
    const result = Math.imul(rotl(Math.imul(s[1]!, 5), 7), 9) >>> 0;
    const t = s[1]! << 9;
    s[2]! ^= s[0]!;
    s[3]! ^= s[1]!;
    s[1]! ^= s[2]!;
    s[0]! ^= s[3]!;
    s[2]! ^= t;
    s[3] = rotl(s[3]!, 11);
    return result;
  }
}

const rotl = (x: number, k: number): number => ((x << k) | (x >>> (32 - k))) >>> 0;
