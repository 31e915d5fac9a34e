import { UnknownAccessLog } from '../unknown-access-log.js';
import type { MmioDevice } from '../mmio-device.js';
import { UNCONNECTED, type InterruptLine } from '../interrupt-line.js';
import type { GuestMemory } from './guest-memory.js';
import type { VirtioDevice, VirtioDeviceHost } from './virtio-device.js';
import { SplitVirtqueue, VirtioError, layoutProblem, type VirtqueueIndices } from './virtqueue.js';
import {
  VIRTIO_MMIO_INT_CONFIG, VIRTIO_MMIO_INT_VRING, VirtioFeature, VirtioStatus, featureBit,
} from './virtio-constants.js';

/** Register offsets of the virtio-mmio transport, version 2 (VIRTIO 1.1 §4.2.2). */
const enum Reg {
  MagicValue = 0x000,
  Version = 0x004,
  DeviceID = 0x008,
  VendorID = 0x00c,
  DeviceFeatures = 0x010,
  DeviceFeaturesSel = 0x014,
  DriverFeatures = 0x020,
  DriverFeaturesSel = 0x024,
  QueueSel = 0x030,
  QueueNumMax = 0x034,
  QueueNum = 0x038,
  QueueReady = 0x044,
  QueueNotify = 0x050,
  InterruptStatus = 0x060,
  InterruptACK = 0x064,
  Status = 0x070,
  QueueDescLow = 0x080,
  QueueDescHigh = 0x084,
  QueueDriverLow = 0x090,
  QueueDriverHigh = 0x094,
  QueueDeviceLow = 0x0a0,
  QueueDeviceHigh = 0x0a4,
  SHMLenLow = 0x0b0,
  SHMLenHigh = 0x0b4,
  SHMBaseLow = 0x0b8,
  SHMBaseHigh = 0x0bc,
  ConfigGeneration = 0x0fc,
  Config = 0x100,
}

const MAGIC = 0x74726976; // "virt"
/** QEMU's vendor ID, "QEMU" little-endian, as Linux and firmware expect on the virt board. */
export const VIRTIO_MMIO_VENDOR_ID = 0x554d4551;
export const VIRTIO_QUEUE_SIZE_MAX = 256;

interface QueueRegisters {
  size: number;
  ready: boolean;
  desc: number;
  driver: number;
  device: number;
  ring: SplitVirtqueue | undefined;
}

/** A transport's state: named fields, versioned (plain JSON data; guest RAM is saved separately). */
export interface VirtioMmioSnapshot {
  readonly version: 1;
  readonly deviceId: number;
  readonly status: number;
  readonly driverFeatures: string;
  readonly deviceFeaturesSel: number;
  readonly driverFeaturesSel: number;
  readonly queueSel: number;
  readonly interruptStatus: number;
  readonly configGeneration: number;
  readonly queues: readonly {
    readonly size: number; readonly ready: boolean; readonly desc: number; readonly driver: number; readonly device: number;
    readonly indices: VirtqueueIndices | undefined;
  }[];
  readonly device: unknown;
}

export class VirtioSnapshotError extends Error {}

export interface VirtioMmioOptions {
  /** Guest memory for the device's DMA; required when there is a device. */
  readonly memory?: GuestMemory;
  readonly irq?: InterruptLine;
  /** One line per driver error or unexpected access. */
  readonly log?: (line: string) => void;
  /** Offer VIRTIO_F_EVENT_IDX (default true). */
  readonly eventIndex?: boolean;
  readonly queueSizeMax?: number;
}

const hi32 = (v: number): number => Math.floor(v / 0x1_0000_0000) >>> 0;
const withLow = (v: number, low: number): number => hi32(v) * 0x1_0000_0000 + (low >>> 0);
const withHigh = (v: number, high: number): number => (high >>> 0) * 0x1_0000_0000 + (v % 0x1_0000_0000);

/**
 * A virtio-mmio transport (VIRTIO 1.1 §4.2, version 2 registers), with or without a device behind
 * it: QEMU's virt board has 32 of them and leaves unused ones at DeviceID 0. The interrupt line is
 * high while InterruptStatus is non-zero.
 */
export class VirtioMmioTransport implements MmioDevice, VirtioDeviceHost {
  readonly name: string;
  readonly memory: GuestMemory;
  private readonly irq: InterruptLine;
  private readonly logLine: (line: string) => void;
  private readonly offeredFeatures: bigint;
  private readonly queueSizeMax: number;
  private readonly queues: QueueRegisters[];
  private readonly unknownAccesses = new UnknownAccessLog('virtio-mmio', (line) => this.logLine(line));
  private deviceFeaturesSel = 0;
  private driverFeaturesSel = 0;
  private driverFeatures = 0n;
  private queueSel = 0;
  private interruptStatus = 0;
  private status = 0;
  private configGeneration = 0;

  constructor(readonly device: VirtioDevice | undefined, options: VirtioMmioOptions = {}) {
    this.name = `virtio-mmio${device !== undefined ? `(${device.name})` : ''}`;
    const memory = options.memory;
    if (device !== undefined && memory === undefined) throw new Error(`${this.name}: guest memory is required for a device`);
    this.memory = memory ?? { read: () => undefined, write: () => false };
    this.irq = options.irq ?? UNCONNECTED;
    this.logLine = options.log ?? (() => {});
    this.queueSizeMax = options.queueSizeMax ?? VIRTIO_QUEUE_SIZE_MAX;
    this.offeredFeatures = device === undefined ? 0n
      : device.features | featureBit(VirtioFeature.VERSION_1) | featureBit(VirtioFeature.RING_INDIRECT_DESC)
        | (options.eventIndex ?? true ? featureBit(VirtioFeature.RING_EVENT_IDX) : 0n);
    this.queues = Array.from({ length: device?.queueCount ?? 0 }, () => ({ size: 0, ready: false, desc: 0, driver: 0, device: 0, ring: undefined }));
    device?.attach(this);
  }

  /** The device status register, e.g. to see DEVICE_NEEDS_RESET. */
  get deviceStatus(): number {
    return this.status;
  }

  saveState(): VirtioMmioSnapshot {
    return {
      version: 1,
      deviceId: this.device?.deviceId ?? 0,
      status: this.status,
      driverFeatures: this.driverFeatures.toString(16),
      deviceFeaturesSel: this.deviceFeaturesSel,
      driverFeaturesSel: this.driverFeaturesSel,
      queueSel: this.queueSel,
      interruptStatus: this.interruptStatus,
      configGeneration: this.configGeneration,
      queues: this.queues.map((q) => ({ size: q.size, ready: q.ready, desc: q.desc, driver: q.driver, device: q.device, indices: q.ring?.indices })),
      device: this.device?.saveState?.(),
    };
  }

  /** Restores a snapshot taken from a transport with the same device type (guest RAM restored first). */
  restoreState(s: VirtioMmioSnapshot): void {
    if (s.version !== 1) throw new VirtioSnapshotError(`${this.name}: snapshot version ${String(s.version)} is not supported`);
    if (s.deviceId !== (this.device?.deviceId ?? 0) || s.queues.length !== this.queues.length) {
      throw new VirtioSnapshotError(`${this.name}: snapshot of device ${s.deviceId} with ${s.queues.length} queues does not fit this transport`);
    }
    this.status = s.status;
    this.driverFeatures = BigInt(`0x${s.driverFeatures}`);
    this.deviceFeaturesSel = s.deviceFeaturesSel;
    this.driverFeaturesSel = s.driverFeaturesSel;
    this.queueSel = s.queueSel;
    this.interruptStatus = s.interruptStatus;
    this.configGeneration = s.configGeneration;
    s.queues.forEach((saved, i) => {
      const q = this.queues[i]!;
      Object.assign(q, { size: saved.size, ready: saved.ready, desc: saved.desc, driver: saved.driver, device: saved.device, ring: undefined });
      if (saved.ready) {
        q.ring = this.makeRing(i, { size: q.size, descAddress: q.desc, driverAddress: q.driver, deviceAddress: q.device });
        if (saved.indices !== undefined) q.ring.indices = saved.indices;
      }
    });
    if (s.device !== undefined) this.device?.restoreState?.(s.device);
    this.updateIrq();
  }

  read(offset: number, size: 1 | 2 | 4): number {
    if (offset >= Reg.Config) return this.readConfig(offset - Reg.Config, size);
    if (size !== 4 || offset % 4 !== 0) return this.unexpected('read', offset, size), 0;
    const device = this.device;
    switch (offset) {
      case Reg.MagicValue: return MAGIC;
      case Reg.Version: return 2;
      case Reg.DeviceID: return device?.deviceId ?? 0;
      case Reg.VendorID: return VIRTIO_MMIO_VENDOR_ID;
    }
    if (device === undefined) return 0;
    switch (offset) {
      case Reg.DeviceFeatures:
        return this.deviceFeaturesSel > 1 ? 0 : Number((this.offeredFeatures >> BigInt(32 * this.deviceFeaturesSel)) & 0xffffffffn);
      case Reg.QueueNumMax:
        return this.selectedQueue() !== undefined ? this.queueSizeMax : 0;
      case Reg.QueueReady:
        return this.selectedQueue()?.ready ? 1 : 0;
      case Reg.InterruptStatus:
        return this.interruptStatus;
      case Reg.Status:
        return this.status;
      case Reg.ConfigGeneration:
        return this.configGeneration;
      case Reg.SHMLenLow:
      case Reg.SHMLenHigh:
      case Reg.SHMBaseLow:
      case Reg.SHMBaseHigh:
        // No shared memory regions: a non-existent region reads as length and base -1 (VIRTIO 1.2 §4.2.2).
        return 0xffffffff;
      default:
        // Write-only and reserved registers read as zero.
        return 0;
    }
  }

  write(offset: number, size: 1 | 2 | 4, value: number): void {
    if (this.device === undefined) return;
    if (offset >= Reg.Config) return this.writeConfig(offset - Reg.Config, size, value);
    if (size !== 4 || offset % 4 !== 0) return this.unexpected('write', offset, size);
    value >>>= 0;
    switch (offset) {
      case Reg.DeviceFeaturesSel: this.deviceFeaturesSel = value; return;
      case Reg.DriverFeaturesSel: this.driverFeaturesSel = value; return;
      case Reg.DriverFeatures: return this.writeDriverFeatures(value);
      case Reg.QueueSel: this.queueSel = value; return;
      case Reg.QueueNum: return this.writeQueueRegister((q) => (q.size = value));
      case Reg.QueueDescLow: return this.writeQueueRegister((q) => (q.desc = withLow(q.desc, value)));
      case Reg.QueueDescHigh: return this.writeQueueRegister((q) => (q.desc = withHigh(q.desc, value)));
      case Reg.QueueDriverLow: return this.writeQueueRegister((q) => (q.driver = withLow(q.driver, value)));
      case Reg.QueueDriverHigh: return this.writeQueueRegister((q) => (q.driver = withHigh(q.driver, value)));
      case Reg.QueueDeviceLow: return this.writeQueueRegister((q) => (q.device = withLow(q.device, value)));
      case Reg.QueueDeviceHigh: return this.writeQueueRegister((q) => (q.device = withHigh(q.device, value)));
      case Reg.QueueReady: return this.writeQueueReady(value);
      case Reg.QueueNotify: return this.notify(value);
      case Reg.InterruptACK:
        this.interruptStatus &= ~value;
        this.updateIrq();
        return;
      case Reg.Status: return this.writeStatus(value);
      default:
        return this.unexpected('write', offset, size);
    }
  }

  // VirtioDeviceHost

  activeQueue(index: number): SplitVirtqueue | undefined {
    if (!this.live()) return undefined;
    return this.queues[index]?.ring;
  }

  hasFeature(bit: number): boolean {
    return (this.driverFeatures & featureBit(bit)) !== 0n;
  }

  usedBuffers(index: number): void {
    const ring = this.queues[index]?.ring;
    if (ring !== undefined && ring.takeInterruptDecision()) this.raise(VIRTIO_MMIO_INT_VRING);
  }

  configChanged(): void {
    this.configGeneration = (this.configGeneration + 1) >>> 0;
    if ((this.status & VirtioStatus.DRIVER_OK) !== 0) this.raise(VIRTIO_MMIO_INT_CONFIG);
  }

  guard(action: () => void): void {
    try {
      action();
    } catch (error) {
      if (!(error instanceof VirtioError)) throw error;
      this.needsReset(error.message);
    }
  }

  log(line: string): void {
    this.logLine(`${this.name}: ${line}`);
  }

  // Registers

  private live(): boolean {
    return (this.status & (VirtioStatus.DRIVER_OK | VirtioStatus.DEVICE_NEEDS_RESET)) === VirtioStatus.DRIVER_OK;
  }

  private selectedQueue(): QueueRegisters | undefined {
    return this.queues[this.queueSel];
  }

  private writeDriverFeatures(value: number): void {
    // §3.1.1: features are fixed once FEATURES_OK is set.
    if ((this.status & VirtioStatus.FEATURES_OK) !== 0 || this.driverFeaturesSel > 1) return;
    const shift = BigInt(32 * this.driverFeaturesSel);
    this.driverFeatures = (this.driverFeatures & ~(0xffffffffn << shift)) | (BigInt(value) << shift);
  }

  private writeQueueRegister(update: (q: QueueRegisters) => void): void {
    const q = this.selectedQueue();
    if (q === undefined) return this.log(`queue ${this.queueSel} does not exist (QueueSel); write ignored`);
    if (q.ready) return this.log(`queue ${this.queueSel} written while QueueReady is 1; write ignored`);
    update(q);
  }

  private writeQueueReady(value: number): void {
    const q = this.selectedQueue();
    if (q === undefined) return this.log(`queue ${this.queueSel} does not exist (QueueSel); QueueReady ignored`);
    if ((value & 1) === 0) {
      q.ready = false;
      q.ring = undefined;
      return;
    }
    if (q.ready) return;
    const layout = { size: q.size, descAddress: q.desc, driverAddress: q.driver, deviceAddress: q.device };
    const problem = layoutProblem(layout, this.queueSizeMax, this.memory);
    if (problem !== undefined) return this.needsReset(`queue ${this.queueSel}: ${problem}`);
    q.ready = true;
    q.ring = this.makeRing(this.queueSel, layout);
  }

  private makeRing(index: number, layout: ConstructorParameters<typeof SplitVirtqueue>[1]): SplitVirtqueue {
    return new SplitVirtqueue(`${this.device!.name} queue ${index}`, layout, this.memory,
      this.hasFeature(VirtioFeature.RING_EVENT_IDX), this.hasFeature(VirtioFeature.RING_INDIRECT_DESC));
  }

  private notify(index: number): void {
    if (index >= this.queues.length) return this.log(`notify of queue ${index}, which does not exist`);
    if (this.activeQueue(index) === undefined) return;
    this.guard(() => this.device!.queueNotify(index));
  }

  private writeStatus(value: number): void {
    value &= 0xff;
    if (value === 0) return this.reset();
    const added = value & ~this.status;
    let status = (value & ~VirtioStatus.DEVICE_NEEDS_RESET) | (this.status & VirtioStatus.DEVICE_NEEDS_RESET);
    if ((added & VirtioStatus.FEATURES_OK) !== 0) {
      const refused = this.featuresProblem();
      if (refused !== undefined) {
        this.log(`FEATURES_OK refused: ${refused}`);
        status &= ~VirtioStatus.FEATURES_OK;
      }
    }
    if ((added & VirtioStatus.DRIVER_OK) !== 0 && (status & VirtioStatus.FEATURES_OK) === 0) {
      this.log('DRIVER_OK without FEATURES_OK; ignored');
      status &= ~VirtioStatus.DRIVER_OK;
    }
    this.status = status;
    if ((added & status & VirtioStatus.DRIVER_OK) !== 0 && this.live()) this.guard(() => this.device!.driverReady());
  }

  private featuresProblem(): string | undefined {
    const unknown = this.driverFeatures & ~this.offeredFeatures;
    if (unknown !== 0n) return `driver features 0x${this.driverFeatures.toString(16)} include unoffered bits 0x${unknown.toString(16)}`;
    if (!this.hasFeature(VirtioFeature.VERSION_1)) return 'VIRTIO_F_VERSION_1 not accepted (legacy drivers are not supported)';
    return undefined;
  }

  /** §2.1.2 / §4.2.3.1: writing 0 to Status resets the device and the transport. */
  private reset(): void {
    this.status = 0;
    this.driverFeatures = 0n;
    this.deviceFeaturesSel = 0;
    this.driverFeaturesSel = 0;
    this.queueSel = 0;
    for (const q of this.queues) Object.assign(q, { size: 0, ready: false, desc: 0, driver: 0, device: 0, ring: undefined });
    this.interruptStatus = 0;
    this.updateIrq();
    this.device!.reset();
  }

  private needsReset(message: string): void {
    this.log(`${message}; device needs reset`);
    if ((this.status & VirtioStatus.DEVICE_NEEDS_RESET) !== 0) return;
    this.status |= VirtioStatus.DEVICE_NEEDS_RESET;
    // §2.1.2: with DRIVER_OK set, the device must send a configuration change notification.
    if ((this.status & VirtioStatus.DRIVER_OK) !== 0) this.raise(VIRTIO_MMIO_INT_CONFIG);
  }

  private readConfig(offset: number, size: 1 | 2 | 4): number {
    const config = this.device?.config;
    if (config === undefined || offset + size > config.length) return 0;
    let v = 0;
    for (let i = 0; i < size; i++) v |= config[offset + i]! << (8 * i);
    return v >>> 0;
  }

  private writeConfig(offset: number, size: 1 | 2 | 4, value: number): void {
    const device = this.device!;
    if (device.writeConfig !== undefined) device.writeConfig(offset, size, value);
    else this.unexpected('config write', Reg.Config + offset, size);
  }

  private raise(bit: number): void {
    this.interruptStatus |= bit;
    this.updateIrq();
  }

  private updateIrq(): void {
    this.irq.set(this.interruptStatus !== 0);
  }

  private unexpected(what: string, offset: number, size: number): void {
    this.unknownAccesses.report(what, offset, size);
  }
}
