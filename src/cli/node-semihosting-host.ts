import * as fs from 'node:fs';
import { constants as osConstants } from 'node:os';
import type { SemihostingFiles, SemihostingHost } from '../arch/arm/semihosting.js';

/** Host errno of a failed fs call, negated, as semihosting results carry it. */
function negativeErrno(error: unknown): number {
  const code = (error as NodeJS.ErrnoException).code;
  const errno = code !== undefined ? (osConstants.errno as Record<string, number>)[code] : undefined;
  return -(errno ?? 5); // EIO when the host gives no errno
}

function attempt(action: () => number): number {
  try {
    return action();
  } catch (error) {
    return negativeErrno(error);
  }
}

/** Host files for semihosting: the guest opens host paths, as under QEMU's -semihosting. */
export class NodeSemihostingFiles implements SemihostingFiles {
  private readonly positions = new Map<number, number>();

  open(path: string, mode: string): number {
    return attempt(() => {
      const fd = fs.openSync(path, mode.replace('b', ''));
      this.positions.set(fd, mode.startsWith('a') ? fs.fstatSync(fd).size : 0);
      return fd;
    });
  }

  close(fd: number): number {
    this.positions.delete(fd);
    return attempt(() => {
      fs.closeSync(fd);
      return 0;
    });
  }

  read(fd: number, length: number): Uint8Array | number {
    try {
      const buffer = new Uint8Array(length);
      const n = fs.readSync(fd, buffer, 0, length, this.positions.get(fd) ?? 0);
      this.positions.set(fd, (this.positions.get(fd) ?? 0) + n);
      return buffer.subarray(0, n);
    } catch (error) {
      return negativeErrno(error);
    }
  }

  write(fd: number, data: Uint8Array): number {
    return attempt(() => {
      const n = fs.writeSync(fd, data, 0, data.length, this.positions.get(fd) ?? 0);
      this.positions.set(fd, (this.positions.get(fd) ?? 0) + n);
      return n;
    });
  }

  seek(fd: number, position: number): number {
    this.positions.set(fd, position);
    return 0;
  }

  length(fd: number): number {
    return attempt(() => fs.fstatSync(fd).size);
  }

  remove(path: string): number {
    return attempt(() => {
      fs.unlinkSync(path);
      return 0;
    });
  }

  rename(from: string, to: string): number {
    return attempt(() => {
      fs.renameSync(from, to);
      return 0;
    });
  }
}

/** The reader of our output went away (e.g. `partita run ... | head`): the run ends quietly. */
export class OutputClosedError extends Error {}

/** Writes all of `data` to a file descriptor, retrying when a pipe is momentarily full. */
export function writeAllSync(fd: number, data: Uint8Array): void {
  let offset = 0;
  while (offset < data.length) {
    try {
      offset += fs.writeSync(fd, data, offset, data.length - offset);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EPIPE') throw new OutputClosedError('output closed');
      if (code !== 'EAGAIN') throw error;
    }
  }
}

/** Console input for semihosting reads: blocking reads of the process's standard input. */
function readStdinSync(max: number): Uint8Array {
  const buffer = new Uint8Array(max);
  for (;;) {
    try {
      return buffer.subarray(0, fs.readSync(0, buffer, 0, max, null));
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EAGAIN') continue;
      if (code === 'EOF') return new Uint8Array(0);
      throw error;
    }
  }
}

export function nodeSemihostingHost(clock: { elapsedNanoseconds(): number; unixTime(): number }): SemihostingHost {
  return {
    writeStdout: (data) => writeAllSync(1, data),
    writeStderr: (data) => writeAllSync(2, data),
    readStdin: readStdinSync,
    exit: () => {},
    elapsedNanoseconds: () => clock.elapsedNanoseconds(),
    unixTime: () => clock.unixTime(),
    files: new NodeSemihostingFiles(),
  };
}
