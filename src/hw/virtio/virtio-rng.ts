import { SeededEntropySource, type EntropySource } from './entropy-source.js';
import type { VirtioDevice, VirtioDeviceHost } from './virtio-device.js';
import { VirtioDeviceId } from './virtio-constants.js';
import { VirtioError } from './virtqueue.js';

/** Most bytes given per request, so one huge buffer cannot make the host generate gigabytes. */
const MAX_BYTES_PER_REQUEST = 64 * 1024;

/** virtio-rng, the entropy device (VIRTIO 1.1 §5.4): one request queue of device-writable buffers. */
export class VirtioRng implements VirtioDevice {
  readonly name = 'virtio-rng';
  readonly deviceId = VirtioDeviceId.entropy;
  readonly queueCount = 1;
  readonly features = 0n;
  readonly config = new Uint8Array(0);
  private host!: VirtioDeviceHost;

  constructor(private readonly source: EntropySource) {}

  attach(host: VirtioDeviceHost): void {
    this.host = host;
  }

  queueNotify(index: number): void {
    const queue = this.host.activeQueue(index);
    if (queue === undefined) return;
    try {
      for (let chain = queue.pop(); chain !== undefined; chain = queue.pop()) {
        // §5.4.6.1: the driver MUST place only device-writable buffers in the queue.
        if (chain.readableLength !== 0) throw new VirtioError(`virtio-rng: request ${chain.head} has device-readable buffers`);
        const bytes = new Uint8Array(Math.min(chain.writableLength, MAX_BYTES_PER_REQUEST));
        this.source.fill(bytes);
        queue.push(chain.head, chain.write(0, bytes));
      }
    } finally {
      this.host.usedBuffers(index);
    }
  }

  driverReady(): void {}
  reset(): void {}

  /** A seeded source's position is device state (for deterministic replay); host entropy is not. */
  saveState(): { seededState?: number[] } {
    return this.source instanceof SeededEntropySource ? { seededState: this.source.state } : {};
  }

  restoreState(state: unknown): void {
    const saved = (state as { seededState?: number[] }).seededState;
    if (saved !== undefined && this.source instanceof SeededEntropySource) this.source.state = saved;
  }
}
