import type { Cpu } from './cpu.js';

/**
 * ARM semihosting (ARM "Semihosting for AArch32 and AArch64" v2, operations 0x01-0x31), as
 * QEMU 7.2 implements it for AArch32: r0 holds the operation, r1 the parameter (usually the
 * address of a block of words), the result goes to r0. Host I/O goes through `SemihostingHost`
 * so this stays platform-neutral.
 */
export const enum SemihostingOp {
  Open = 0x01,
  Close = 0x02,
  WriteC = 0x03,
  Write0 = 0x04,
  Write = 0x05,
  Read = 0x06,
  ReadC = 0x07,
  IsError = 0x08,
  IsTty = 0x09,
  Seek = 0x0a,
  FileLength = 0x0c,
  TmpNam = 0x0d,
  Remove = 0x0e,
  Rename = 0x0f,
  Clock = 0x10,
  Time = 0x11,
  System = 0x12,
  Errno = 0x13,
  GetCmdline = 0x15,
  HeapInfo = 0x16,
  Exit = 0x18,
  ExitExtended = 0x20,
  Elapsed = 0x30,
  TickFreq = 0x31,
}

/** Reason code of a normal application exit (semihosting spec 5.4.2, ADP_Stopped_ApplicationExit). */
const ADP_STOPPED_APPLICATION_EXIT = 0x20026;
/** Feature bits of the ":semihosting-features" pseudo-file: SH_EXT_EXIT_EXTENDED, SH_EXT_STDOUT_STDERR. */
const FEATURE_BYTES = new Uint8Array([0x53, 0x48, 0x46, 0x42, 0x03]);
/** Linux errno values the guest sees, as QEMU passes host errno through. */
const EBADF = 9;
const ENOSYS = 38;

/** Host files for semihosting's file operations; absent means they fail with ENOSYS. */
export interface SemihostingFiles {
  /** `mode` is the fopen() mode string for the semihosting mode number 0-11. Returns a host descriptor or -errno. */
  open(path: string, mode: string): number;
  close(fd: number): number;
  read(fd: number, length: number): Uint8Array | number;
  write(fd: number, data: Uint8Array): number;
  seek(fd: number, position: number): number;
  length(fd: number): number;
  remove(path: string): number;
  rename(from: string, to: string): number;
}

export interface SemihostingHost {
  writeStdout(data: Uint8Array): void;
  writeStderr(data: Uint8Array): void;
  /** Up to `max` bytes of console input; an empty array at end of input. */
  readStdin(max: number): Uint8Array;
  /** The program stopped with an exit status. */
  exit(status: number): void;
  /** Virtual time since the program started, in nanoseconds. */
  elapsedNanoseconds(): number;
  /** Seconds since the Unix epoch (virtual unless the machine runs in wall-clock mode). */
  unixTime(): number;
  readonly files?: SemihostingFiles;
}

export interface SemihostingImage {
  /** The command line SYS_GET_CMDLINE returns (QEMU: kernel path, then -append text). */
  readonly commandLine: string;
  /** First address after the loaded image (heap base). */
  readonly imageEnd: number;
  /** First address after RAM (heap limit and initial stack). */
  readonly ramEnd: number;
}

type Handle =
  | { readonly kind: 'stdin' | 'stdout' | 'stderr' }
  | { readonly kind: 'features'; position: number }
  | { readonly kind: 'file'; readonly fd: number };

/** fopen() modes for semihosting open modes 0-11 (spec 5.4.14, table "Value of mode"). */
const OPEN_MODES = ['r', 'rb', 'r+', 'r+b', 'w', 'wb', 'w+', 'w+b', 'a', 'ab', 'a+', 'a+b'];

const textEncoder = new TextEncoder();
const textDecoder = new TextDecoder();

export class Semihosting {
  private readonly handles = new Map<number, Handle>();
  private errno = 0;

  constructor(
    private readonly host: SemihostingHost,
    private readonly image: SemihostingImage,
  ) {}

  /** The handler installed as cpu.semihosting. */
  readonly call = (cpu: Cpu): void => {
    const op = cpu.r[0]! >>> 0;
    const param = cpu.r[1]! >>> 0;
    const result = this.dispatch(cpu, op, param);
    if (result !== undefined) cpu.r[0] = result;
  };

  private dispatch(cpu: Cpu, op: number, param: number): number | undefined {
    const arg = (i: number): number => cpu.mem.load32((param + 4 * i) | 0) >>> 0;
    switch (op) {
      case SemihostingOp.Open:
        return this.open(this.readString(cpu, arg(0), arg(2)), arg(1));
      case SemihostingOp.Close:
        return this.close(arg(0));
      // The debug console of WRITEC/WRITE0 is stderr, where QEMU 7.2's -semihosting puts it
      // without a chardev; SYS_WRITE to ":tt" is the program's stdout/stderr.
      case SemihostingOp.WriteC:
        this.host.writeStderr(new Uint8Array([cpu.mem.load8(param)]));
        return undefined;
      case SemihostingOp.Write0:
        this.host.writeStderr(textEncoder.encode(this.readCString(cpu, param)));
        return undefined;
      case SemihostingOp.Write:
        return this.write(arg(0), this.readBytes(cpu, arg(1), arg(2)));
      case SemihostingOp.Read:
        return this.read(cpu, arg(0), arg(1), arg(2));
      case SemihostingOp.ReadC: {
        const input = this.host.readStdin(1);
        return input.length > 0 ? input[0]! : -1;
      }
      case SemihostingOp.IsError:
        return (arg(0) | 0) < 0 ? 1 : 0;
      case SemihostingOp.IsTty: {
        const h = this.handles.get(arg(0));
        if (h === undefined) return this.fail(EBADF);
        return h.kind === 'stdin' || h.kind === 'stdout' || h.kind === 'stderr' ? 1 : 0;
      }
      case SemihostingOp.Seek:
        return this.seek(arg(0), arg(1));
      case SemihostingOp.FileLength:
        return this.fileLength(arg(0));
      case SemihostingOp.TmpNam:
        return this.tmpnam(cpu, arg(0), arg(1), arg(2));
      case SemihostingOp.Remove: {
        const files = this.files();
        if (files === undefined) return this.fail(ENOSYS);
        return this.status(files.remove(this.readString(cpu, arg(0), arg(1))));
      }
      case SemihostingOp.Rename: {
        const files = this.files();
        if (files === undefined) return this.fail(ENOSYS);
        return this.status(files.rename(this.readString(cpu, arg(0), arg(1)), this.readString(cpu, arg(2), arg(3))));
      }
      case SemihostingOp.Clock:
        return Math.floor(this.host.elapsedNanoseconds() / 10_000_000);
      case SemihostingOp.Time:
        return Math.floor(this.host.unixTime());
      case SemihostingOp.System:
        // Running host commands for a guest is not offered.
        return this.fail(ENOSYS);
      case SemihostingOp.Errno:
        return this.errno;
      case SemihostingOp.GetCmdline:
        return this.getCommandLine(cpu, param);
      case SemihostingOp.HeapInfo: {
        const block = arg(0);
        const { imageEnd, ramEnd } = this.image;
        [imageEnd, ramEnd, ramEnd, imageEnd].forEach((v, i) => cpu.mem.store32((block + 4 * i) | 0, v));
        return 0;
      }
      case SemihostingOp.Exit:
        // A32/T32 SYS_EXIT carries only the reason: anything but ApplicationExit is a failure.
        this.stop(cpu, param === ADP_STOPPED_APPLICATION_EXIT ? 0 : 1);
        return undefined;
      case SemihostingOp.ExitExtended:
        this.stop(cpu, arg(0) === ADP_STOPPED_APPLICATION_EXIT ? arg(1) : 1);
        return undefined;
      case SemihostingOp.Elapsed: {
        const ticks = Math.floor(this.host.elapsedNanoseconds());
        cpu.mem.store32(param | 0, ticks % 0x100000000);
        cpu.mem.store32((param + 4) | 0, Math.floor(ticks / 0x100000000));
        return 0;
      }
      case SemihostingOp.TickFreq:
        return 1_000_000_000;
      default:
        return this.fail(ENOSYS);
    }
  }

  private stop(cpu: Cpu, status: number): void {
    cpu.stopRequested = 1;
    this.host.exit(status);
  }

  private files(): SemihostingFiles | undefined {
    return this.host.files;
  }

  private fail(errno: number): number {
    this.errno = errno;
    return -1;
  }

  /** A host result that is a negative errno on failure. */
  private status(result: number): number {
    return result < 0 ? this.fail(-result) : result;
  }

  private allocate(handle: Handle): number {
    let n = 1;
    while (this.handles.has(n)) n++;
    this.handles.set(n, handle);
    return n;
  }

  private open(path: string, mode: number): number {
    if (mode > 11) return this.fail(22);
    if (path === ':tt') {
      // ":tt" is the console: read modes give stdin, write modes stdout, append modes stderr.
      return this.allocate({ kind: mode < 4 ? 'stdin' : mode < 8 ? 'stdout' : 'stderr' });
    }
    if (path === ':semihosting-features') {
      return mode < 2 ? this.allocate({ kind: 'features', position: 0 }) : this.fail(13);
    }
    const files = this.files();
    if (files === undefined) return this.fail(ENOSYS);
    const fd = files.open(path, OPEN_MODES[mode]!);
    return fd < 0 ? this.fail(-fd) : this.allocate({ kind: 'file', fd });
  }

  private close(handle: number): number {
    const h = this.handles.get(handle);
    if (h === undefined) return this.fail(EBADF);
    this.handles.delete(handle);
    return h.kind === 'file' ? this.status(this.files()!.close(h.fd)) : 0;
  }

  /** Returns the number of bytes NOT written (spec 5.4.21). */
  private write(handle: number, data: Uint8Array): number {
    const h = this.handles.get(handle);
    if (h === undefined) return this.fail(EBADF);
    switch (h.kind) {
      case 'stdout':
        this.host.writeStdout(data);
        return 0;
      case 'stderr':
        this.host.writeStderr(data);
        return 0;
      case 'file': {
        const written = this.files()!.write(h.fd, data);
        if (written < 0) {
          this.fail(-written);
          return data.length;
        }
        return data.length - written;
      }
      default:
        this.fail(EBADF);
        return data.length;
    }
  }

  /** Returns the number of bytes NOT read (spec 5.4.16). */
  private read(cpu: Cpu, handle: number, buffer: number, length: number): number {
    const h = this.handles.get(handle);
    if (h === undefined) return this.fail(EBADF);
    let data: Uint8Array;
    switch (h.kind) {
      case 'stdin':
        data = this.host.readStdin(length);
        break;
      case 'features':
        data = FEATURE_BYTES.subarray(h.position, Math.min(FEATURE_BYTES.length, h.position + length));
        h.position += data.length;
        break;
      case 'file': {
        const result = this.files()!.read(h.fd, length);
        if (typeof result === 'number') {
          this.fail(-result);
          return length;
        }
        data = result;
        break;
      }
      default:
        this.fail(EBADF);
        return length;
    }
    for (let i = 0; i < data.length; i++) cpu.mem.store8((buffer + i) | 0, data[i]!);
    return length - data.length;
  }

  private seek(handle: number, position: number): number {
    const h = this.handles.get(handle);
    if (h === undefined) return this.fail(EBADF);
    if (h.kind === 'features') {
      h.position = Math.min(position, FEATURE_BYTES.length);
      return 0;
    }
    if (h.kind === 'file') return this.status(this.files()!.seek(h.fd, position));
    return this.fail(EBADF);
  }

  private fileLength(handle: number): number {
    const h = this.handles.get(handle);
    if (h === undefined) return this.fail(EBADF);
    if (h.kind === 'features') return FEATURE_BYTES.length;
    if (h.kind === 'file') return this.status(this.files()!.length(h.fd));
    return this.fail(EBADF);
  }

  private tmpnam(cpu: Cpu, buffer: number, id: number, length: number): number {
    const name = `/tmp/partita-${(id & 0xff).toString(16).padStart(2, '0')}`;
    if (name.length + 1 > length) return -1;
    this.writeCString(cpu, buffer, name);
    return 0;
  }

  private getCommandLine(cpu: Cpu, param: number): number {
    const buffer = cpu.mem.load32(param | 0) >>> 0;
    const size = cpu.mem.load32((param + 4) | 0) >>> 0;
    const bytes = textEncoder.encode(this.image.commandLine);
    if (bytes.length + 1 > size) return -1;
    for (let i = 0; i < bytes.length; i++) cpu.mem.store8((buffer + i) | 0, bytes[i]!);
    cpu.mem.store8((buffer + bytes.length) | 0, 0);
    cpu.mem.store32((param + 4) | 0, bytes.length);
    return 0;
  }

  private readBytes(cpu: Cpu, address: number, length: number): Uint8Array {
    const out = new Uint8Array(length);
    for (let i = 0; i < length; i++) out[i] = cpu.mem.load8((address + i) | 0);
    return out;
  }

  private readString(cpu: Cpu, address: number, length: number): string {
    return textDecoder.decode(this.readBytes(cpu, address, length));
  }

  /** A NUL-terminated string, at most 64 KiB so a missing terminator cannot hang the host. */
  private readCString(cpu: Cpu, address: number): string {
    const bytes: number[] = [];
    for (let i = 0; i < 65536; i++) {
      const b = cpu.mem.load8((address + i) | 0);
      if (b === 0) break;
      bytes.push(b);
    }
    return textDecoder.decode(new Uint8Array(bytes));
  }

  private writeCString(cpu: Cpu, address: number, text: string): void {
    const bytes = textEncoder.encode(text);
    for (let i = 0; i < bytes.length; i++) cpu.mem.store8((address + i) | 0, bytes[i]!);
    cpu.mem.store8((address + bytes.length) | 0, 0);
  }
}
