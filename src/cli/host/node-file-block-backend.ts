import * as fs from 'node:fs';
import type { BlockBackend } from '../../hw/virtio/block-backend.js';
import { UserError } from '../user-error.js';

export class DiskImageError extends Error {}

export interface NodeFileBlockOptions {
  readonly readOnly?: boolean;
  /** Where I/O failures are reported (one line each); the request then fails with IOERR. */
  readonly log?: (line: string) => void;
}

/**
 * A disk image file as a virtio-blk backend: synchronous positional reads and writes, fsync on
 * flush. The image size is rounded down to whole 512-byte sectors.
 */
export class NodeFileBlockBackend implements BlockBackend {
  readonly byteLength: number;
  readonly readOnly: boolean;
  private fd: number | undefined;
  private readonly log: (line: string) => void;

  constructor(readonly path: string, options: NodeFileBlockOptions = {}) {
    this.readOnly = options.readOnly ?? false;
    this.log = options.log ?? (() => {});
    try {
      this.fd = fs.openSync(path, this.readOnly ? 'r' : 'r+');
      const stat = fs.fstatSync(this.fd);
      if (!stat.isFile() && !stat.isBlockDevice()) throw new DiskImageError(`disk image ${path} is not a file`);
      this.byteLength = stat.size - (stat.size % 512);
    } catch (error) {
      if (this.fd !== undefined) fs.closeSync(this.fd);
      if (error instanceof DiskImageError) throw error;
      throw new DiskImageError(`cannot open disk image ${path}: ${(error as Error).message}`);
    }
  }

  read(offset: number, target: Uint8Array): boolean {
    return this.io('read', () => {
      let done = 0;
      while (done < target.length) {
        const n = fs.readSync(this.openFd(), target, done, target.length - done, offset + done);
        if (n === 0) throw new Error('unexpected end of file');
        done += n;
      }
    });
  }

  write(offset: number, data: Uint8Array): boolean {
    if (this.readOnly) return false;
    return this.io('write', () => {
      let done = 0;
      while (done < data.length) done += fs.writeSync(this.openFd(), data, done, data.length - done, offset + done);
    });
  }

  flush(): boolean {
    if (this.readOnly) return true;
    return this.io('fsync', () => fs.fsyncSync(this.openFd()));
  }

  close(): void {
    if (this.fd === undefined) return;
    fs.closeSync(this.fd);
    this.fd = undefined;
  }

  private openFd(): number {
    if (this.fd === undefined) throw new Error('disk image is closed');
    return this.fd;
  }

  private io(what: string, action: () => void): boolean {
    try {
      action();
      return true;
    } catch (error) {
      this.log(`disk image ${this.path}: ${what} failed: ${(error as Error).message}`);
      return false;
    }
  }
}

/** A disk image for a virtio-blk device; a file that cannot be opened is a UserError (one line). */
export function openDiskImage(path: string, readOnly: boolean, log: (line: string) => void): NodeFileBlockBackend {
  try {
    return new NodeFileBlockBackend(path, { readOnly, log });
  } catch (error) {
    if (error instanceof DiskImageError) throw new UserError(error.message);
    throw error;
  }
}
