import { randomFillSync } from 'node:crypto';
import type { EntropySource } from '../../hw/virtio/entropy-source.js';

/** Host cryptographic randomness for virtio-rng in wall-clock (non-deterministic) runs. */
export class NodeCryptoEntropySource implements EntropySource {
  fill(target: Uint8Array): void {
    randomFillSync(target);
  }
}
