import type { MmioDevice } from './mmio-device.js';

/** The geometry of one bank as QEMU's virt creates it (virt_flash_create1: width 4, device-width 2). */
export const VIRT_FLASH_BANK_BYTES = 64 << 20;
export const VIRT_FLASH_SECTOR_BYTES = 256 << 10;

/**
 * The CFI query table one x16 device of the bank answers (CFI Specification, JESD68; the values
 * QEMU 7.2's pflash_cfi01 builds for virt's banks, read back from it), by query offset.
 */
const CFI_TABLE: Readonly<Record<number, number>> = {
  // "QRY", Intel/Sharp command set 0x0001, primary extended table at 0x31, no alternate.
  0x10: 0x51, 0x11: 0x52, 0x12: 0x59, 0x13: 0x01, 0x14: 0x00, 0x15: 0x31, 0x16: 0x00,
  // Vcc 4.5-5.5 V, no Vpp; typical timeouts (2^n µs / ms) and their maximum multipliers.
  0x1b: 0x45, 0x1c: 0x55, 0x1f: 0x07, 0x20: 0x07, 0x21: 0x0a, 0x23: 0x04, 0x24: 0x04, 0x25: 0x04,
  // Device size 2^25 (32 MiB per x16 device, two per bank); x8/x16 interface; 2 KiB write buffer.
  0x27: 0x19, 0x28: 0x02, 0x2a: 0x0b,
  // One uniform erase region: 256 blocks of 0x200 x 256 bytes (128 KiB per device, 256 KiB per bank).
  0x2c: 0x01, 0x2d: 0xff, 0x2e: 0x00, 0x2f: 0x00, 0x30: 0x02,
  // Primary extended table "PRI" version 1.0, one protection field.
  0x31: 0x50, 0x32: 0x52, 0x33: 0x49, 0x34: 0x31, 0x35: 0x30, 0x3f: 0x01,
};
/** Highest query offset the table answers; beyond it queries read zero (QEMU's cfi_len). */
const CFI_LENGTH = 0x52;
/** Manufacturer and device codes (Intel, 0x18) as virt gives QEMU's pflash (id0, id1). */
const MANUFACTURER_ID = 0x89;
const DEVICE_ID = 0x18;
/** Status register: SR.7 write state machine ready (QEMU never reports errors for writable flash). */
const STATUS_READY = 0x80;

/** Commands of the Intel/Sharp command set that the flash takes (Intel 28F-series "Command definitions"). */
const enum Command {
  ReadArray = 0xff,
  ReadArrayAlternate = 0x00,
  AmdProbe = 0xf0,
  ReadStatus = 0x70,
  ClearStatus = 0x50,
  ReadIdentifier = 0x90,
  CfiQuery = 0x98,
  Program = 0x40,
  ProgramAlternate = 0x10,
  BlockErase = 0x20,
  BlockEraseAlternate = 0x28,
  WriteToBuffer = 0xe8,
  BlockLock = 0x60,
  Confirm = 0xd0,
  LockConfirm = 0x01,
}

/** The bank's guest-visible state by name (versioned), for snapshots. Sectors never written are absent (zero). */
export interface PflashSnapshot {
  readonly version: 1;
  readonly command: number;
  readonly cycle: number;
  readonly status: number;
  readonly counter: number;
  readonly sectors: Readonly<Record<number, Uint8Array>>;
}

/**
 * One bank of CFI parallel NOR flash with the Intel/Sharp command set, as QEMU's pflash_cfi01
 * with virt's configuration: 32 bits wide, made of two x16 devices side by side, so each
 * query, identifier and status answer appears in both 16-bit halves of a word. Unbacked, as virt's
 * banks are without -drive or -bios: it starts all zeros (QEMU's unbacked storage), and is
 * writable: word programming, block erase (to 0xFF, on confirm), buffered writes; programming
 * stores the value, as QEMU does, rather than AND it into the cells. Lock commands are accepted
 * and have no effect; reads in a program/erase/lock state return the status register.
 * Command sequences the model does not know return the bank to read-array mode (as QEMU).
 * Contents live in 256 KiB sectors allocated when first written.
 */
export class PflashCfi01 implements MmioDevice {
  readonly name: string;
  private command = 0;
  private cycle = 0;
  private status = STATUS_READY;
  private counter = 0;
  private readonly sectors = new Map<number, Uint8Array>();

  constructor(name = 'pflash') {
    this.name = name;
  }

  read(offset: number, size: 1 | 2 | 4): number {
    const mask = size === 4 ? 0xffffffff : size === 2 ? 0xffff : 0xff;
    switch (this.command) {
      case 0:
        return this.readArray(offset, size);
      case Command.ReadIdentifier:
        return (this.identifier(offset) & mask) >>> 0;
      case Command.CfiQuery:
        return (this.query(offset) & mask) >>> 0;
      default:
        // Status register, from each device of the bank.
        return ((size === 4 ? this.status | (this.status << 16) : this.status) & mask) >>> 0;
    }
  }

  write(offset: number, size: 1 | 2 | 4, value: number): void {
    const command = value & 0xff;
    if (this.cycle === 0) {
      switch (command) {
        case Command.ReadArray:
        case Command.ReadArrayAlternate:
        case Command.AmdProbe:
          return this.readArrayMode();
        case Command.ClearStatus:
          this.status = 0;
          return this.readArrayMode();
        case Command.ReadStatus:
        case Command.ReadIdentifier:
          this.command = command;
          return;
        case Command.Program:
        case Command.ProgramAlternate:
        case Command.BlockLock:
        case Command.CfiQuery:
          break;
        case Command.BlockErase:
        case Command.BlockEraseAlternate:
        case Command.WriteToBuffer:
          this.status |= STATUS_READY;
          break;
        default:
          return this.readArrayMode();
      }
      this.cycle = 1;
      this.command = command;
      return;
    }
    switch (this.command) {
      case Command.Program:
      case Command.ProgramAlternate:
        if (this.cycle !== 1) return this.readArrayMode();
        this.store(offset, size, value);
        this.status |= STATUS_READY;
        this.cycle = 0;
        return;
      case Command.BlockErase:
      case Command.BlockEraseAlternate:
        if (this.cycle !== 1 || command !== Command.Confirm) return this.readArrayMode();
        this.erase(offset);
        this.status |= STATUS_READY;
        this.cycle = 0;
        return;
      case Command.BlockLock:
        if (command !== Command.Confirm && command !== Command.LockConfirm) return this.readArrayMode();
        this.status |= STATUS_READY;
        this.cycle = 0;
        return;
      case Command.CfiQuery:
        if (command === Command.ReadArray) this.readArrayMode();
        return; // other writes leave query mode as it is (QEMU)
      case Command.WriteToBuffer:
        return this.bufferedWrite(offset, size, value);
      default:
        return this.readArrayMode();
    }
  }

  snapshot(): PflashSnapshot {
    const sectors: Record<number, Uint8Array> = {};
    for (const [index, bytes] of this.sectors) sectors[index] = bytes.slice();
    return { version: 1, command: this.command, cycle: this.cycle, status: this.status, counter: this.counter, sectors };
  }

  restore(snapshot: PflashSnapshot): void {
    if (snapshot.version !== 1) throw new RangeError(`pflash snapshot version ${String(snapshot.version)} is not 1`);
    this.command = snapshot.command;
    this.cycle = snapshot.cycle;
    this.status = snapshot.status;
    this.counter = snapshot.counter;
    this.sectors.clear();
    for (const [index, bytes] of Object.entries(snapshot.sectors)) {
      if (bytes.length !== VIRT_FLASH_SECTOR_BYTES) throw new RangeError(`pflash snapshot: sector ${index} has ${bytes.length} bytes`);
      this.sectors.set(Number(index), bytes.slice());
    }
  }

  /** Write to buffer (0xE8): the word count less one (per device), that many words plus one, then confirm. */
  private bufferedWrite(offset: number, size: 1 | 2 | 4, value: number): void {
    if (this.cycle === 1) {
      this.counter = value & 0xffff;
      this.cycle = 2;
      return;
    }
    if (this.cycle === 2) {
      this.store(offset, size, value);
      this.status |= STATUS_READY;
      if (this.counter === 0) this.cycle = 3;
      else this.counter--;
      return;
    }
    if ((value & 0xff) === Command.Confirm) {
      this.cycle = 0;
      this.status |= STATUS_READY;
      return;
    }
    this.readArrayMode();
  }

  private readArrayMode(): void {
    this.command = 0;
    this.cycle = 0;
  }

  private readArray(offset: number, size: 1 | 2 | 4): number {
    const sector = this.sectors.get(Math.floor(offset / VIRT_FLASH_SECTOR_BYTES));
    if (sector === undefined) return 0;
    const at = offset % VIRT_FLASH_SECTOR_BYTES;
    let value = 0;
    for (let i = 0; i < size; i++) value |= sector[at + i]! << (8 * i);
    return value >>> 0;
  }

  private store(offset: number, size: 1 | 2 | 4, value: number): void {
    const index = Math.floor(offset / VIRT_FLASH_SECTOR_BYTES);
    let sector = this.sectors.get(index);
    if (sector === undefined) {
      sector = new Uint8Array(VIRT_FLASH_SECTOR_BYTES);
      this.sectors.set(index, sector);
    }
    const at = offset % VIRT_FLASH_SECTOR_BYTES;
    for (let i = 0; i < size; i++) sector[at + i] = value >>> (8 * i);
  }

  private erase(offset: number): void {
    this.sectors.set(Math.floor(offset / VIRT_FLASH_SECTOR_BYTES), new Uint8Array(VIRT_FLASH_SECTOR_BYTES).fill(0xff));
  }

  /** A device's answer in both 16-bit halves of the bank's word. */
  private static bothDevices(answer: number): number {
    return ((answer << 16) | answer) >>> 0;
  }

  /** CFI query: each device is addressed in its own 16-bit units, the bank's word address. */
  private query(offset: number): number {
    const index = offset >>> 2;
    return index > CFI_LENGTH ? 0 : PflashCfi01.bothDevices(CFI_TABLE[index] ?? 0);
  }

  /** Read identifier: manufacturer at word 0, device at word 1 (of every 256-word block), else zero. */
  private identifier(offset: number): number {
    const index = (offset >>> 2) & 0xff;
    if (index === 0) return PflashCfi01.bothDevices(MANUFACTURER_ID);
    if (index === 1) return PflashCfi01.bothDevices(DEVICE_ID);
    return 0;
  }
}
