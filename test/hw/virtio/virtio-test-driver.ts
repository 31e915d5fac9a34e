/**
 * A small virtio driver for tests, written from the VIRTIO 1.1 specification (§3.1 device
 * initialization, §2.6 split virtqueues, §4.2 MMIO transport), driving a transport through its
 * registers and a fake RAM exactly as a guest would.
 */
import { RamGuestMemory } from '../../../src/hw/virtio/guest-memory.js';
import { VirtioMmioTransport, type VirtioMmioOptions } from '../../../src/hw/virtio/virtio-mmio.js';
import type { VirtioDevice } from '../../../src/hw/virtio/virtio-device.js';

export const RAM_BASE = 0x4000_0000;
export const RAM_SIZE = 1 << 20;

export const STATUS = { ACKNOWLEDGE: 1, DRIVER: 2, DRIVER_OK: 4, FEATURES_OK: 8, NEEDS_RESET: 0x40, FAILED: 0x80 };
export const REG = {
  MagicValue: 0x000, Version: 0x004, DeviceID: 0x008, VendorID: 0x00c,
  DeviceFeatures: 0x010, DeviceFeaturesSel: 0x014, DriverFeatures: 0x020, DriverFeaturesSel: 0x024,
  QueueSel: 0x030, QueueNumMax: 0x034, QueueNum: 0x038, QueueReady: 0x044, QueueNotify: 0x050,
  InterruptStatus: 0x060, InterruptACK: 0x064, Status: 0x070,
  QueueDescLow: 0x080, QueueDescHigh: 0x084, QueueDriverLow: 0x090, QueueDriverHigh: 0x094,
  QueueDeviceLow: 0x0a0, QueueDeviceHigh: 0x0a4, ConfigGeneration: 0x0fc, Config: 0x100,
};
export const F_INDIRECT = 28;
export const F_EVENT_IDX = 29;
export const F_VERSION_1 = 32;
export const DESC_NEXT = 1;
export const DESC_WRITE = 2;
export const DESC_INDIRECT = 4;

export interface Buffer {
  /** Bytes the device reads (device-readable descriptor). */
  readonly out?: Uint8Array;
  /** Size of a device-writable descriptor. */
  readonly in?: number;
}

export interface Posted {
  readonly head: number;
  /** Guest addresses of the buffers, in the order given. */
  readonly addresses: number[];
}

interface DriverQueue {
  size: number;
  desc: number;
  avail: number;
  used: number;
  nextDesc: number;
  availIdx: number;
  lastUsed: number;
}

export class TestDriver {
  readonly ram = new Uint8Array(RAM_SIZE);
  readonly memory = new RamGuestMemory(RAM_BASE, this.ram);
  readonly transport: VirtioMmioTransport;
  readonly logs: string[] = [];
  irqLevel = false;
  irqRaises = 0;
  private readonly queues: DriverQueue[] = [];
  private heap = RAM_BASE + 0x10000; // below: ring area
  private ringArea = RAM_BASE;

  constructor(readonly device: VirtioDevice | undefined, options: Omit<VirtioMmioOptions, 'memory' | 'irq' | 'log'> = {}) {
    this.transport = new VirtioMmioTransport(device, {
      ...options,
      memory: this.memory,
      log: (line) => this.logs.push(line),
      irq: { set: (level) => { if (level && !this.irqLevel) this.irqRaises++; this.irqLevel = level; } },
    });
  }

  /** Copies another driver's RAM and queue bookkeeping (the guest side of a snapshot). */
  adoptGuestState(other: TestDriver): void {
    this.ram.set(other.ram);
    this.queues.length = 0;
    for (const q of other.queues) this.queues.push({ ...q });
    this.heap = other.heap;
    this.ringArea = other.ringArea;
  }

  r(offset: number): number {
    return this.transport.read(offset, 4);
  }

  w(offset: number, value: number): void {
    this.transport.write(offset, 4, value);
  }

  get status(): number {
    return this.r(REG.Status);
  }

  deviceFeatures(): bigint {
    this.w(REG.DeviceFeaturesSel, 0);
    const low = this.r(REG.DeviceFeatures);
    this.w(REG.DeviceFeaturesSel, 1);
    return (BigInt(this.r(REG.DeviceFeatures)) << 32n) | BigInt(low);
  }

  /** §3.1.1 steps 1-6: reset, ACKNOWLEDGE, DRIVER, features, FEATURES_OK; returns whether accepted. */
  negotiate(features: bigint): boolean {
    this.w(REG.Status, 0);
    this.w(REG.Status, STATUS.ACKNOWLEDGE);
    this.w(REG.Status, STATUS.ACKNOWLEDGE | STATUS.DRIVER);
    this.w(REG.DriverFeaturesSel, 0);
    this.w(REG.DriverFeatures, Number(features & 0xffffffffn));
    this.w(REG.DriverFeaturesSel, 1);
    this.w(REG.DriverFeatures, Number(features >> 32n));
    this.w(REG.Status, STATUS.ACKNOWLEDGE | STATUS.DRIVER | STATUS.FEATURES_OK);
    return (this.status & STATUS.FEATURES_OK) !== 0;
  }

  /** Full initialization: accepts all offered features (minus `without`), sets up `queueCount` queues, DRIVER_OK. */
  init(queueCount: number, options: { without?: bigint; queueSize?: number } = {}): void {
    const features = this.deviceFeatures() & ~(options.without ?? 0n);
    if (!this.negotiate(features)) throw new Error('features refused');
    for (let i = 0; i < queueCount; i++) this.setupQueue(i, options.queueSize ?? 16);
    this.w(REG.Status, this.status | STATUS.DRIVER_OK);
  }

  /** §4.2.3.2: virtqueue configuration through QueueSel/QueueNum/Queue*Low/High/QueueReady. */
  setupQueue(index: number, size: number, place?: { desc: number; avail: number; used: number }): void {
    const desc = place?.desc ?? this.ringAlloc(16 * size, 16);
    const avail = place?.avail ?? this.ringAlloc(6 + 2 * size, 2);
    const used = place?.used ?? this.ringAlloc(6 + 8 * size, 4);
    this.w(REG.QueueSel, index);
    this.w(REG.QueueNum, size);
    this.w(REG.QueueDescLow, desc % 2 ** 32);
    this.w(REG.QueueDescHigh, Math.floor(desc / 2 ** 32));
    this.w(REG.QueueDriverLow, avail % 2 ** 32);
    this.w(REG.QueueDriverHigh, Math.floor(avail / 2 ** 32));
    this.w(REG.QueueDeviceLow, used % 2 ** 32);
    this.w(REG.QueueDeviceHigh, Math.floor(used / 2 ** 32));
    this.w(REG.QueueReady, 1);
    this.queues[index] = { size, desc, avail, used, nextDesc: 0, availIdx: 0, lastUsed: 0 };
  }

  alloc(length: number, align = 8): number {
    this.heap = Math.ceil(this.heap / align) * align;
    const address = this.heap;
    this.heap += Math.max(length, 1);
    if (this.heap > RAM_BASE + RAM_SIZE) throw new Error('test RAM exhausted');
    return address;
  }

  /** Writes one descriptor of queue `q` (or of a table at `table`). */
  writeDescriptor(table: number, index: number, address: number, length: number, flags: number, next: number): void {
    const view = this.view(table + 16 * index, 16);
    view.setUint32(0, address % 2 ** 32, true);
    view.setUint32(4, Math.floor(address / 2 ** 32), true);
    view.setUint32(8, length, true);
    view.setUint16(12, flags, true);
    view.setUint16(14, next, true);
  }

  descTable(q: number): number {
    return this.queues[q]!.desc;
  }

  /** Places a chain of buffers (readable ones first) in the descriptor table, or in an indirect table. */
  post(q: number, buffers: Buffer[], options: { indirect?: boolean; notify?: boolean } = {}): Posted {
    const queue = this.queues[q]!;
    const addresses = buffers.map((b) => {
      const address = this.alloc(b.out?.length ?? b.in ?? 0);
      if (b.out !== undefined) this.ram.set(b.out, address - RAM_BASE);
      else this.ram.fill(0xee, address - RAM_BASE, address - RAM_BASE + b.in!);
      return address;
    });
    const chainIn = (table: number, first: number, wrap: number): void => {
      buffers.forEach((b, i) => {
        const index = (first + i) % wrap;
        const last = i === buffers.length - 1;
        this.writeDescriptor(table, index, addresses[i]!, b.out?.length ?? b.in!, (b.in !== undefined ? DESC_WRITE : 0) | (last ? 0 : DESC_NEXT), (index + 1) % wrap);
      });
    };
    const head = queue.nextDesc;
    if (options.indirect) {
      const table = this.alloc(16 * buffers.length, 16);
      chainIn(table, 0, buffers.length);
      this.writeDescriptor(queue.desc, head, table, 16 * buffers.length, DESC_INDIRECT, 0);
      queue.nextDesc = (head + 1) % queue.size;
    } else {
      chainIn(queue.desc, head, queue.size);
      queue.nextDesc = (head + buffers.length) % queue.size;
    }
    this.makeAvailable(q, head);
    if (options.notify ?? true) this.notify(q);
    return { head, addresses };
  }

  /** Puts `head` in the available ring and publishes it (§2.6.13). */
  makeAvailable(q: number, head: number): void {
    const queue = this.queues[q]!;
    this.view(queue.avail + 4 + 2 * (queue.availIdx % queue.size), 2).setUint16(0, head, true);
    queue.availIdx = (queue.availIdx + 1) & 0xffff;
    this.view(queue.avail + 2, 2).setUint16(0, queue.availIdx, true);
  }

  notify(q: number): void {
    this.w(REG.QueueNotify, q);
  }

  /** Used-ring entries returned since the last call. */
  takeUsed(q: number): { id: number; len: number }[] {
    const queue = this.queues[q]!;
    const usedIdx = this.view(queue.used + 2, 2).getUint16(0, true);
    const out: { id: number; len: number }[] = [];
    while (queue.lastUsed !== usedIdx) {
      const e = this.view(queue.used + 4 + 8 * (queue.lastUsed % queue.size), 8);
      out.push({ id: e.getUint32(0, true), len: e.getUint32(4, true) });
      queue.lastUsed = (queue.lastUsed + 1) & 0xffff;
    }
    // Re-enable interrupts for the next used buffer, as Linux's virtqueue_enable_cb does (§2.6.7.1).
    this.view(queue.avail + 4 + 2 * queue.size, 2).setUint16(0, queue.lastUsed, true);
    return out;
  }

  setAvailFlags(q: number, flags: number): void {
    this.view(this.queues[q]!.avail, 2).setUint16(0, flags, true);
  }

  setUsedEvent(q: number, value: number): void {
    const queue = this.queues[q]!;
    this.view(queue.avail + 4 + 2 * queue.size, 2).setUint16(0, value, true);
  }

  availEvent(q: number): number {
    const queue = this.queues[q]!;
    return this.view(queue.used + 4 + 8 * queue.size, 2).getUint16(0, true);
  }

  /** Reads InterruptStatus and acknowledges it, as Linux's vm_interrupt does. */
  ackInterrupt(): number {
    const status = this.r(REG.InterruptStatus);
    this.w(REG.InterruptACK, status);
    return status;
  }

  bytes(address: number, length: number): Uint8Array {
    return this.ram.slice(address - RAM_BASE, address - RAM_BASE + length);
  }

  configByte(offset: number): number {
    return this.transport.read(REG.Config + offset, 1);
  }

  config32(offset: number): number {
    return this.transport.read(REG.Config + offset, 4);
  }

  private view(address: number, length: number): DataView {
    return new DataView(this.ram.buffer, address - RAM_BASE, length);
  }

  private ringAlloc(length: number, align: number): number {
    this.ringArea = Math.ceil(this.ringArea / align) * align;
    const address = this.ringArea;
    this.ringArea += length;
    return address;
  }
}
