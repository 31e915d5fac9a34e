import type { GuestMemory } from './guest-memory.js';
import { VIRTQ_AVAIL_F_NO_INTERRUPT, VIRTQ_DESC_F_INDIRECT, VIRTQ_DESC_F_NEXT, VIRTQ_DESC_F_WRITE } from './virtio-constants.js';

/**
 * A driver error found in guest-supplied virtqueue data (bad descriptor, bad index, malformed
 * request). Never escapes to the host: the transport turns it into DEVICE_NEEDS_RESET and one
 * logged line.
 */
export class VirtioError extends Error {}

/** One buffer of a descriptor chain, already checked to lie inside guest memory. */
export interface Segment {
  readonly address: number;
  readonly length: number;
}

const DESCRIPTOR_SIZE = 16;
const hex = (n: number): string => `0x${n.toString(16)}`;

/**
 * A descriptor chain taken from the available ring (§2.6.5): its device-readable buffers, then its
 * device-writable buffers, in order. `read` gathers, `write` scatters.
 */
export class DescriptorChain {
  readonly readableLength: number;
  readonly writableLength: number;

  constructor(
    readonly head: number,
    readonly readable: readonly Segment[],
    readonly writable: readonly Segment[],
    private readonly memory: GuestMemory,
  ) {
    this.readableLength = readable.reduce((n, s) => n + s.length, 0);
    this.writableLength = writable.reduce((n, s) => n + s.length, 0);
  }

  /** Copies up to `length` device-readable bytes starting `offset` bytes into the chain. */
  read(offset: number, length: number): Uint8Array {
    const out = new Uint8Array(Math.max(0, Math.min(length, this.readableLength - offset)));
    let done = 0;
    forEachPiece(this.readable, offset, out.length, (address, n) => {
      out.set(this.memory.read(address, n)!, done);
      done += n;
    });
    return out;
  }

  /** Writes as much of `bytes` as fits at `offset` into the device-writable part; returns the count. */
  write(offset: number, bytes: Uint8Array): number {
    const length = Math.max(0, Math.min(bytes.length, this.writableLength - offset));
    let done = 0;
    forEachPiece(this.writable, offset, length, (address, n) => {
      this.memory.write(address, bytes.subarray(done, done + n));
      done += n;
    });
    return done;
  }
}

function forEachPiece(segments: readonly Segment[], offset: number, length: number, visit: (address: number, n: number) => void): void {
  let skip = offset;
  let left = length;
  for (const s of segments) {
    if (left <= 0) return;
    if (skip >= s.length) {
      skip -= s.length;
      continue;
    }
    const n = Math.min(s.length - skip, left);
    visit(s.address + skip, n);
    left -= n;
    skip = 0;
  }
}

/** Guest-physical locations and sizes of the three parts of a split virtqueue (§2.6). */
export interface VirtqueueLayout {
  readonly size: number;
  readonly descAddress: number;
  readonly driverAddress: number;
  readonly deviceAddress: number;
}

/** Checks a layout a driver programmed: a message for the first problem, or undefined. */
export function layoutProblem(layout: VirtqueueLayout, maxSize: number, memory: GuestMemory): string | undefined {
  const { size, descAddress, driverAddress, deviceAddress } = layout;
  if (size === 0 || size > maxSize || (size & (size - 1)) !== 0) return `queue size ${size} is not a power of 2 in 1..${maxSize}`;
  // §2.6: descriptor table 16-byte aligned, available ring 2-byte, used ring 4-byte.
  const parts: [string, number, number, number][] = [
    ['descriptor table', descAddress, DESCRIPTOR_SIZE * size, 16],
    ['available ring', driverAddress, 6 + 2 * size, 2],
    ['used ring', deviceAddress, 6 + 8 * size, 4],
  ];
  for (const [what, address, length, align] of parts) {
    if (address % align !== 0) return `${what} at ${hex(address)} is not ${align}-byte aligned`;
    if (memory.read(address, length) === undefined) return `${what} at ${hex(address)} (+${length} bytes) is outside guest RAM`;
  }
  return undefined;
}

/** The device's positions in a split virtqueue (everything else lives in guest RAM). */
export interface VirtqueueIndices {
  readonly lastAvailIndex: number;
  readonly usedIndex: number;
  readonly usedIndexAtLastSignal: number;
}

/**
 * The device side of a split virtqueue (VIRTIO 1.1 §2.6): takes chains from the available ring,
 * returns them through the used ring, and decides whether the driver wants an interrupt
 * (VIRTQ_AVAIL_F_NO_INTERRUPT, or used_event with VIRTIO_F_EVENT_IDX, §2.6.7).
 */
export class SplitVirtqueue {
  private lastAvailIndex = 0;
  private usedIndex = 0;
  private usedIndexAtLastSignal = 0;

  constructor(
    readonly name: string,
    readonly layout: VirtqueueLayout,
    private readonly memory: GuestMemory,
    private readonly eventIndex: boolean,
    private readonly indirectAllowed: boolean,
  ) {}

  /** Ring positions, for snapshots. */
  get indices(): VirtqueueIndices {
    return { lastAvailIndex: this.lastAvailIndex, usedIndex: this.usedIndex, usedIndexAtLastSignal: this.usedIndexAtLastSignal };
  }

  set indices(saved: VirtqueueIndices) {
    this.lastAvailIndex = saved.lastAvailIndex & 0xffff;
    this.usedIndex = saved.usedIndex & 0xffff;
    this.usedIndexAtLastSignal = saved.usedIndexAtLastSignal & 0xffff;
  }

  /** Whether the driver has made chains available that the device has not taken. */
  hasAvailable(): boolean {
    return this.readU16(this.layout.driverAddress + 2) !== this.lastAvailIndex;
  }

  /** The next available chain, or undefined when the ring is empty. Throws VirtioError on bad data. */
  pop(): DescriptorChain | undefined {
    const { size, driverAddress, deviceAddress } = this.layout;
    const availIndex = this.readU16(driverAddress + 2);
    const pending = (availIndex - this.lastAvailIndex) & 0xffff;
    if (pending === 0) return undefined;
    if (pending > size) throw new VirtioError(`${this.name}: avail idx ${availIndex} is ${pending} entries ahead of ${this.lastAvailIndex} (queue size ${size})`);
    const head = this.readU16(driverAddress + 4 + 2 * (this.lastAvailIndex % size));
    this.lastAvailIndex = (this.lastAvailIndex + 1) & 0xffff;
    // avail_event (§2.6.8.1): notify us again as soon as anything new is added.
    if (this.eventIndex) this.writeU16(deviceAddress + 4 + 8 * size, this.lastAvailIndex);
    return this.walk(head);
  }

  /** Puts the chain just popped back, for a device that cannot use it yet (QEMU's virtqueue_unpop). */
  unpop(): void {
    this.lastAvailIndex = (this.lastAvailIndex - 1) & 0xffff;
    if (this.eventIndex) this.writeU16(this.layout.deviceAddress + 4 + 8 * this.layout.size, this.lastAvailIndex);
  }

  /** Returns a chain to the driver with `written` bytes of device-writable data. */
  push(head: number, written: number): void {
    const { size, deviceAddress } = this.layout;
    const entry = new Uint8Array(8);
    const view = new DataView(entry.buffer);
    view.setUint32(0, head, true);
    view.setUint32(4, written, true);
    this.writeBytes(deviceAddress + 4 + 8 * (this.usedIndex % size), entry);
    this.usedIndex = (this.usedIndex + 1) & 0xffff;
    this.writeU16(deviceAddress + 2, this.usedIndex);
  }

  /** Whether chains returned since the last call should interrupt the driver (§2.6.7.2). */
  takeInterruptDecision(): boolean {
    const oldIndex = this.usedIndexAtLastSignal;
    const newIndex = this.usedIndex;
    this.usedIndexAtLastSignal = newIndex;
    if (oldIndex === newIndex) return false;
    const { size, driverAddress } = this.layout;
    if (this.eventIndex) {
      const usedEvent = this.readU16(driverAddress + 4 + 2 * size);
      // vring_need_event(): did the used index step past used_event?
      return ((newIndex - usedEvent - 1) & 0xffff) < ((newIndex - oldIndex) & 0xffff);
    }
    return (this.readU16(driverAddress) & VIRTQ_AVAIL_F_NO_INTERRUPT) === 0;
  }

  /** Follows a chain from `head`, through at most one indirect table (§2.6.5.3). */
  private walk(head: number): DescriptorChain {
    const readable: Segment[] = [];
    const writable: Segment[] = [];
    let table = this.layout.descAddress;
    let tableSize = this.layout.size;
    let index = head;
    let indirect = false;
    let visited = 0;
    for (;;) {
      if (index >= tableSize) throw new VirtioError(`${this.name}: descriptor index ${index} is beyond the ${indirect ? 'indirect ' : ''}table of ${tableSize}`);
      if (++visited > tableSize) throw new VirtioError(`${this.name}: descriptor chain from head ${head} is longer than its table of ${tableSize} (a loop?)`);
      const d = this.readBytes(table + DESCRIPTOR_SIZE * index, DESCRIPTOR_SIZE);
      const view = new DataView(d.buffer, d.byteOffset, DESCRIPTOR_SIZE);
      const address = view.getUint32(4, true) * 0x1_0000_0000 + view.getUint32(0, true);
      const length = view.getUint32(8, true);
      const flags = view.getUint16(12, true);
      const next = view.getUint16(14, true);
      if ((flags & VIRTQ_DESC_F_INDIRECT) !== 0) {
        if (indirect) throw new VirtioError(`${this.name}: indirect descriptor inside an indirect table (chain head ${head})`);
        if (!this.indirectAllowed) throw new VirtioError(`${this.name}: indirect descriptor without VIRTIO_F_INDIRECT_DESC (chain head ${head})`);
        if ((flags & VIRTQ_DESC_F_NEXT) !== 0) throw new VirtioError(`${this.name}: descriptor ${index} has both INDIRECT and NEXT`);
        if (length === 0 || length % DESCRIPTOR_SIZE !== 0) throw new VirtioError(`${this.name}: indirect table length ${length} is not a non-zero multiple of 16`);
        if (this.memory.read(address, length) === undefined) throw new VirtioError(`${this.name}: indirect table at ${hex(address)} (+${length} bytes) is outside guest RAM`);
        table = address;
        tableSize = length / DESCRIPTOR_SIZE;
        index = 0;
        indirect = true;
        visited = 0;
        continue;
      }
      if (this.memory.read(address, length) === undefined) throw new VirtioError(`${this.name}: descriptor ${index} buffer at ${hex(address)} (+${length} bytes) is outside guest RAM`);
      if ((flags & VIRTQ_DESC_F_WRITE) !== 0) writable.push({ address, length });
      else if (writable.length > 0) throw new VirtioError(`${this.name}: device-readable descriptor ${index} follows a device-writable one (chain head ${head})`);
      else readable.push({ address, length });
      if ((flags & VIRTQ_DESC_F_NEXT) === 0) break;
      index = next;
    }
    return new DescriptorChain(head, readable, writable, this.memory);
  }

  private readBytes(address: number, length: number): Uint8Array {
    const bytes = this.memory.read(address, length);
    if (bytes === undefined) throw new VirtioError(`${this.name}: ring access at ${hex(address)} is outside guest RAM`);
    return bytes;
  }

  private readU16(address: number): number {
    const b = this.readBytes(address, 2);
    return b[0]! | (b[1]! << 8);
  }

  private writeBytes(address: number, bytes: Uint8Array): void {
    if (!this.memory.write(address, bytes)) throw new VirtioError(`${this.name}: ring write at ${hex(address)} is outside guest RAM`);
  }

  private writeU16(address: number, value: number): void {
    this.writeBytes(address, new Uint8Array([value & 0xff, (value >>> 8) & 0xff]));
  }
}
