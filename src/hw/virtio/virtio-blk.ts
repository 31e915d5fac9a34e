import type { BlockBackend } from './block-backend.js';
import type { VirtioDevice, VirtioDeviceHost } from './virtio-device.js';
import { VirtioDeviceId, featureBit } from './virtio-constants.js';
import { VIRTIO_QUEUE_SIZE_MAX } from './virtio-mmio.js';
import { VirtioError, type DescriptorChain } from './virtqueue.js';

/** Feature bits (VIRTIO 1.1 §5.2.3). */
export const VirtioBlkFeature = {
  SIZE_MAX: 1,
  SEG_MAX: 2,
  RO: 5,
  BLK_SIZE: 6,
  FLUSH: 9,
} as const;

/** Request types and status values (§5.2.6). */
export const VirtioBlkRequest = { IN: 0, OUT: 1, FLUSH: 4, GET_ID: 8 } as const;
export const VirtioBlkStatus = { OK: 0, IOERR: 1, UNSUPP: 2 } as const;

const SECTOR = 512;
const HEADER = 16;
const ID_BYTES = 20;
/** Largest single data segment the device advertises (size_max) and the most segments (seg_max). */
const SIZE_MAX = 1 << 20;
const SEG_MAX = VIRTIO_QUEUE_SIZE_MAX - 2;
/** Host buffer per backend call, so a huge guest request never needs a huge host allocation. */
const CHUNK = 1 << 20;

export interface VirtioBlockOptions {
  /** Serial reported by GET_ID (at most 20 bytes). */
  readonly serial?: string;
  /** Refuse writes even if the backend could take them (VIRTIO_BLK_F_RO). */
  readonly readOnly?: boolean;
}

/**
 * virtio-blk (VIRTIO 1.1 §5.2): one request queue; IN, OUT, FLUSH and GET_ID requests against a
 * BlockBackend. Requests complete synchronously, in order.
 */
export class VirtioBlock implements VirtioDevice {
  readonly name = 'virtio-blk';
  readonly deviceId = VirtioDeviceId.block;
  readonly queueCount = 1;
  readonly features: bigint;
  readonly config = new Uint8Array(36);
  private readonly readOnly: boolean;
  private readonly serial: Uint8Array;
  private host!: VirtioDeviceHost;

  constructor(private readonly backend: BlockBackend, options: VirtioBlockOptions = {}) {
    this.readOnly = (options.readOnly ?? false) || backend.readOnly;
    this.serial = new TextEncoder().encode(options.serial ?? 'partita-disk').subarray(0, ID_BYTES);
    this.features = featureBit(VirtioBlkFeature.SIZE_MAX) | featureBit(VirtioBlkFeature.SEG_MAX)
      | featureBit(VirtioBlkFeature.BLK_SIZE) | featureBit(VirtioBlkFeature.FLUSH)
      | (this.readOnly ? featureBit(VirtioBlkFeature.RO) : 0n);
    // struct virtio_blk_config (§5.2.4): capacity, size_max, seg_max, geometry, blk_size, topology, writeback.
    const view = new DataView(this.config.buffer);
    view.setBigUint64(0, BigInt(Math.floor(backend.byteLength / SECTOR)), true);
    view.setUint32(8, SIZE_MAX, true);
    view.setUint32(12, SEG_MAX, true);
    view.setUint32(20, SECTOR, true);
  }

  get capacitySectors(): number {
    return Math.floor(this.backend.byteLength / SECTOR);
  }

  attach(host: VirtioDeviceHost): void {
    this.host = host;
  }

  queueNotify(index: number): void {
    const queue = this.host.activeQueue(index);
    if (queue === undefined) return;
    try {
      for (let chain = queue.pop(); chain !== undefined; chain = queue.pop()) queue.push(chain.head, this.serve(chain));
    } finally {
      this.host.usedBuffers(index);
    }
  }

  driverReady(): void {}
  reset(): void {}

  /** Carries out one request; returns the number of bytes written into the chain. */
  private serve(chain: DescriptorChain): number {
    // §5.2.6: header (readable), data, then a one-byte status (writable). Without those, the driver is broken.
    if (chain.readableLength < HEADER) throw new VirtioError(`virtio-blk: request ${chain.head} has ${chain.readableLength} readable bytes, less than the 16-byte header`);
    if (chain.writableLength < 1) throw new VirtioError(`virtio-blk: request ${chain.head} has no writable status byte`);
    const header = new DataView(chain.read(0, HEADER).buffer);
    const type = header.getUint32(0, true);
    const sector = Number(header.getBigUint64(8, true));
    const readableData = chain.readableLength - HEADER;
    const writableData = chain.writableLength - 1;
    const finish = (status: number, dataWritten: number): number => {
      chain.write(chain.writableLength - 1, new Uint8Array([status]));
      return dataWritten + 1;
    };
    switch (type) {
      case VirtioBlkRequest.IN: {
        if (readableData !== 0) return this.fail(chain, 'IN request with device-readable data buffers', finish);
        if (!this.rangeOk(sector, writableData)) return this.fail(chain, `IN of ${writableData} bytes at sector ${sector} is outside the ${this.capacitySectors}-sector disk`, finish);
        for (let done = 0; done < writableData; done += CHUNK) {
          const data = new Uint8Array(Math.min(CHUNK, writableData - done));
          if (!this.backend.read(sector * SECTOR + done, data)) return this.fail(chain, `host read at sector ${sector} failed`, finish);
          chain.write(done, data);
        }
        return finish(VirtioBlkStatus.OK, writableData);
      }
      case VirtioBlkRequest.OUT: {
        if (writableData !== 0) return this.fail(chain, 'OUT request with device-writable data buffers', finish);
        if (this.readOnly) return this.fail(chain, `OUT at sector ${sector} on a read-only disk`, finish);
        if (!this.rangeOk(sector, readableData)) return this.fail(chain, `OUT of ${readableData} bytes at sector ${sector} is outside the ${this.capacitySectors}-sector disk`, finish);
        for (let done = 0; done < readableData; done += CHUNK) {
          const data = chain.read(HEADER + done, Math.min(CHUNK, readableData - done));
          if (!this.backend.write(sector * SECTOR + done, data)) return this.fail(chain, `host write at sector ${sector} failed`, finish);
        }
        return finish(VirtioBlkStatus.OK, 0);
      }
      case VirtioBlkRequest.FLUSH:
        if (!this.host.hasFeature(VirtioBlkFeature.FLUSH)) return finish(VirtioBlkStatus.UNSUPP, 0);
        if (!this.readOnly && !this.backend.flush()) return this.fail(chain, 'host flush failed', finish);
        return finish(VirtioBlkStatus.OK, 0);
      case VirtioBlkRequest.GET_ID: {
        const id = new Uint8Array(ID_BYTES);
        id.set(this.serial);
        const n = chain.write(0, id.subarray(0, Math.min(ID_BYTES, writableData)));
        return finish(VirtioBlkStatus.OK, n);
      }
      default:
        return finish(VirtioBlkStatus.UNSUPP, 0);
    }
  }

  private rangeOk(sector: number, bytes: number): boolean {
    return bytes % SECTOR === 0 && Number.isSafeInteger(sector) && sector + bytes / SECTOR <= this.capacitySectors;
  }

  private fail(chain: DescriptorChain, why: string, finish: (status: number, written: number) => number): number {
    this.host.log(`request ${chain.head}: ${why}; IOERR`);
    return finish(VirtioBlkStatus.IOERR, 0);
  }
}
