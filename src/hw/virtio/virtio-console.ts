import type { VirtioDevice, VirtioDeviceHost } from './virtio-device.js';
import { VirtioDeviceId } from './virtio-constants.js';
import { VirtioError } from './virtqueue.js';

const RECEIVEQ = 0;
const TRANSMITQ = 1;
/** Host input held while the guest has no receive buffers posted; more is refused (back-pressure). */
const PENDING_INPUT_MAX = 64 * 1024;
/** Guest output is passed to the sink in pieces of at most this size. */
const OUTPUT_CHUNK = 64 * 1024;

/** Where the console's output goes (a terminal, a log, a test buffer). */
export interface ByteSink {
  write(bytes: Uint8Array): void;
}

/**
 * virtio-console (VIRTIO 1.1 §5.3) with a single port and no features: receiveq0 carries host
 * input to the guest, transmitq0 guest output to the sink. The host pushes input with `receive`.
 */
export class VirtioConsole implements VirtioDevice {
  readonly name = 'virtio-console';
  readonly deviceId = VirtioDeviceId.console;
  readonly queueCount = 2;
  readonly features = 0n;
  /** struct virtio_console_config (§5.3.4): cols, rows, max_nr_ports, emerg_wr; unused without features. */
  readonly config = new Uint8Array(12);
  private pending: Uint8Array[] = [];
  private pendingBytes = 0;
  private host: VirtioDeviceHost | undefined;

  constructor(private readonly output: ByteSink) {}

  attach(host: VirtioDeviceHost): void {
    this.host = host;
  }

  /** Host input: takes as many bytes as it can hold; returns how many were taken. */
  receive(bytes: Uint8Array): number {
    const taken = Math.min(bytes.length, PENDING_INPUT_MAX - this.pendingBytes);
    if (taken > 0) {
      this.pending.push(bytes.slice(0, taken));
      this.pendingBytes += taken;
    }
    this.host?.guard(() => this.deliverInput());
    return taken;
  }

  /** Whether `receive` would take more input now. */
  canReceive(): boolean {
    return this.pendingBytes < PENDING_INPUT_MAX;
  }

  queueNotify(index: number): void {
    if (index === RECEIVEQ) this.deliverInput();
    else if (index === TRANSMITQ) this.transmit();
  }

  driverReady(): void {
    this.deliverInput();
  }

  reset(): void {}

  saveState(): { pendingInput: number[] } {
    return { pendingInput: this.pending.flatMap((chunk) => [...chunk]) };
  }

  restoreState(state: unknown): void {
    const bytes = new Uint8Array((state as { pendingInput?: number[] }).pendingInput ?? []);
    this.pending = bytes.length > 0 ? [bytes] : [];
    this.pendingBytes = bytes.length;
  }

  private deliverInput(): void {
    const host = this.host;
    const queue = host?.activeQueue(RECEIVEQ);
    if (queue === undefined || this.pendingBytes === 0) return;
    try {
      while (this.pendingBytes > 0) {
        const chain = queue.pop();
        if (chain === undefined) break;
        if (chain.readableLength !== 0) throw new VirtioError(`virtio-console: receive buffer ${chain.head} has device-readable parts`);
        let written = 0;
        while (this.pending.length > 0 && written < chain.writableLength) {
          const head = this.pending[0]!;
          const n = chain.write(written, head);
          written += n;
          this.pendingBytes -= n;
          if (n === head.length) this.pending.shift();
          else this.pending[0] = head.subarray(n);
        }
        queue.push(chain.head, written);
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
        if (chain.writableLength !== 0) throw new VirtioError(`virtio-console: transmit buffer ${chain.head} has device-writable parts`);
        for (let done = 0; done < chain.readableLength; done += OUTPUT_CHUNK) this.output.write(chain.read(done, OUTPUT_CHUNK));
        queue.push(chain.head, 0);
      }
    } finally {
      host!.usedBuffers(TRANSMITQ);
    }
  }
}
