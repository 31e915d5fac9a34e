import type { FrameReceiver, NetworkBackend } from './network-backend.js';
import type { VirtioDevice, VirtioDeviceHost } from './virtio-device.js';
import { VirtioDeviceId, featureBit } from './virtio-constants.js';
import { VirtioError } from './virtqueue.js';

/** Feature bits (VIRTIO 1.1 §5.1.3). */
export const VirtioNetFeature = { MAC: 5, STATUS: 16 } as const;
export const VIRTIO_NET_S_LINK_UP = 1;

const RECEIVEQ = 0;
const TRANSMITQ = 1;
/** struct virtio_net_hdr with VIRTIO_F_VERSION_1 (§5.1.6): 12 bytes, num_buffers included. */
export const VIRTIO_NET_HDR_SIZE = 12;
/** Largest frame the device passes on: 64 KiB of payload plus an Ethernet and VLAN header. */
const FRAME_MAX = 65536 + 18;
/** Frames held while the guest has no receive buffers; older ones are kept, newer dropped. */
const PENDING_FRAMES_MAX = 256;

/**
 * virtio-net (VIRTIO 1.1 §5.1) with one receive and one transmit queue, a MAC address and link
 * status in config space, no offloads: each received frame fills one receive chain.
 */
export class VirtioNet implements VirtioDevice, FrameReceiver {
  readonly name = 'virtio-net';
  readonly deviceId = VirtioDeviceId.net;
  readonly queueCount = 2;
  readonly features = featureBit(VirtioNetFeature.MAC) | featureBit(VirtioNetFeature.STATUS);
  /** struct virtio_net_config (§5.1.4): mac[6], status, max_virtqueue_pairs, mtu. */
  readonly config = new Uint8Array(12);
  private readonly pending: Uint8Array[] = [];
  private host: VirtioDeviceHost | undefined;
  /** Counters, for tests and diagnostics. */
  readonly stats = { transmitted: 0, received: 0, dropped: 0 };

  constructor(readonly mac: Uint8Array, private readonly backend: NetworkBackend) {
    if (mac.length !== 6) throw new Error(`virtio-net: a MAC address has 6 bytes, got ${mac.length}`);
    this.config.set(mac, 0);
    this.config[6] = VIRTIO_NET_S_LINK_UP;
    this.config[8] = 1; // max_virtqueue_pairs (only meaningful with VIRTIO_NET_F_MQ)
    backend.attach(this);
  }

  attach(host: VirtioDeviceHost): void {
    this.host = host;
  }

  /** Cable plugged in or pulled: updates config status and notifies the driver. */
  setLinkUp(up: boolean): void {
    this.config[6] = up ? VIRTIO_NET_S_LINK_UP : 0;
    this.host?.configChanged();
  }

  receiveFrame(frame: Uint8Array): void {
    if ((this.config[6]! & VIRTIO_NET_S_LINK_UP) === 0 || this.pending.length >= PENDING_FRAMES_MAX) {
      this.stats.dropped++;
      return;
    }
    this.pending.push(frame);
    this.host?.guard(() => this.deliverFrames());
  }

  queueNotify(index: number): void {
    if (index === RECEIVEQ) this.deliverFrames();
    else if (index === TRANSMITQ) this.transmit();
  }

  driverReady(): void {
    this.deliverFrames();
  }

  reset(): void {
    this.pending.length = 0;
  }

  saveState(): { link: number; pendingFrames: number[][] } {
    return { link: this.config[6]!, pendingFrames: this.pending.map((f) => [...f]) };
  }

  restoreState(state: unknown): void {
    const s = state as { link?: number; pendingFrames?: number[][] };
    this.config[6] = (s.link ?? VIRTIO_NET_S_LINK_UP) & VIRTIO_NET_S_LINK_UP;
    this.pending.length = 0;
    for (const f of s.pendingFrames ?? []) this.pending.push(new Uint8Array(f));
  }

  private deliverFrames(): void {
    const host = this.host;
    const queue = host?.activeQueue(RECEIVEQ);
    if (queue === undefined || this.pending.length === 0) return;
    try {
      while (this.pending.length > 0) {
        const chain = queue.pop();
        if (chain === undefined) break;
        if (chain.readableLength !== 0) throw new VirtioError(`virtio-net: receive buffer ${chain.head} has device-readable parts`);
        const frame = this.pending.shift()!;
        if (chain.writableLength < VIRTIO_NET_HDR_SIZE + frame.length) {
          // Without VIRTIO_NET_F_MRG_RXBUF a frame must fit one buffer; keep the buffer for the next one.
          host!.log(`receive buffer ${chain.head} of ${chain.writableLength} bytes is too small for a ${frame.length}-byte frame; frame dropped`);
          this.stats.dropped++;
          queue.unpop();
          continue;
        }
        const packet = new Uint8Array(VIRTIO_NET_HDR_SIZE + frame.length);
        packet[10] = 1; // num_buffers (§5.1.6.4): one chain per frame
        packet.set(frame, VIRTIO_NET_HDR_SIZE);
        queue.push(chain.head, chain.write(0, packet));
        this.stats.received++;
      }
    } finally {
      host!.usedBuffers(RECEIVEQ);
    }
  }

  private transmit(): void {
    const host = this.host;
    const queue = host?.activeQueue(TRANSMITQ);
    if (queue === undefined) return;
    try {
      for (let chain = queue.pop(); chain !== undefined; chain = queue.pop()) {
        if (chain.writableLength !== 0) throw new VirtioError(`virtio-net: transmit buffer ${chain.head} has device-writable parts`);
        if (chain.readableLength < VIRTIO_NET_HDR_SIZE) throw new VirtioError(`virtio-net: transmit buffer ${chain.head} is shorter than the 12-byte virtio_net_hdr`);
        const length = chain.readableLength - VIRTIO_NET_HDR_SIZE;
        queue.push(chain.head, 0);
        if (length > FRAME_MAX) {
          host!.log(`transmitted frame of ${length} bytes exceeds ${FRAME_MAX}; dropped`);
          this.stats.dropped++;
          continue;
        }
        this.stats.transmitted++;
        this.backend.send(chain.read(VIRTIO_NET_HDR_SIZE, length));
      }
    } finally {
      host!.usedBuffers(TRANSMITQ);
    }
  }
}
