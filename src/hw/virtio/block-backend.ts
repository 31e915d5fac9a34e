/**
 * Storage behind a virtio-blk device. Calls are synchronous (the device completes each request
 * before returning from the notification, which keeps virtual time deterministic); a host failure
 * returns false and becomes VIRTIO_BLK_S_IOERR for that request, never a host exception.
 */
export interface BlockBackend {
  /** Size in bytes (a multiple of 512). */
  readonly byteLength: number;
  readonly readOnly: boolean;
  /** Fills `target` from byte `offset`. */
  read(offset: number, target: Uint8Array): boolean;
  write(offset: number, data: Uint8Array): boolean;
  /** Makes completed writes durable (fsync for a file). */
  flush(): boolean;
}

/** A disk image held in memory (tests, scratch disks). */
export class MemoryBlockBackend implements BlockBackend {
  flushes = 0;

  constructor(readonly bytes: Uint8Array, readonly readOnly = false) {}

  get byteLength(): number {
    return this.bytes.length;
  }

  read(offset: number, target: Uint8Array): boolean {
    if (offset < 0 || offset + target.length > this.bytes.length) return false;
    target.set(this.bytes.subarray(offset, offset + target.length));
    return true;
  }

  write(offset: number, data: Uint8Array): boolean {
    if (this.readOnly || offset < 0 || offset + data.length > this.bytes.length) return false;
    this.bytes.set(data, offset);
    return true;
  }

  flush(): boolean {
    this.flushes++;
    return true;
  }
}
