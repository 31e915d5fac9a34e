import type { MmioDevice } from './mmio-device.js';
import { UnknownAccessLog } from './unknown-access-log.js';
import type { GuestMemory } from './virtio/guest-memory.js';

/** Register offsets of the MMIO interface (QEMU docs/specs/fw_cfg.rst, "MMIO register layout"). */
const enum Reg {
  /** Data: reads return the selected item's next bytes in order, 1 to 8 at a time. */
  DATA = 0x00,
  DATA_END = 0x08,
  /** Selector: 16-bit, big-endian. */
  SELECTOR = 0x08,
  /** DMA address: 64-bit big-endian; writing the low half (0x14) starts the transfer. Reads give "QEMU CFG". */
  DMA_ADDRESS_HIGH = 0x10,
  DMA_ADDRESS_LOW = 0x14,
  DMA_END = 0x18,
}

/** Selector keys (fw_cfg.rst "Selector Register"; include/standard-headers/linux/qemu_fw_cfg.h). */
export const FW_CFG_KEY = {
  signature: 0x00,
  id: 0x01,
  uuid: 0x02,
  nographic: 0x04,
  processorCount: 0x05,
  bootMenu: 0x0e,
  fileDirectory: 0x19,
  firstFile: 0x20,
} as const;
/** Key bits that pick the write channel and architecture-specific items; the rest is the item. */
const KEY_ITEM_MASK = 0x3fff;
const KEY_ARCH_LOCAL = 0x8000;

/** FW_CFG_ID feature bits: the traditional interface and DMA. */
const FEATURE_TRADITIONAL = 1 << 0;
const FEATURE_DMA = 1 << 1;

/** FWCfgDmaAccess.control bits. */
const DMA_ERROR = 0x01;
const DMA_READ = 0x02;
const DMA_SKIP = 0x04;
const DMA_SELECT = 0x08;
const DMA_WRITE = 0x10;
/** The FWCfgDmaAccess structure: control (BE32), length (BE32), address (BE64). */
const DMA_ACCESS_BYTES = 16;
/** What reading the DMA address register returns: "QEMU CFG". */
const DMA_SIGNATURE = new TextEncoder().encode('QEMU CFG');
/** A file directory entry: size (BE32), select (BE16), reserved (BE16), name (56 bytes, NUL-padded). */
const FILE_ENTRY_BYTES = 64;
const FILE_NAME_BYTES = 56;

export interface FwCfgFile {
  readonly name: string;
  readonly data: Uint8Array;
}

/** What the board tells the firmware through fw-cfg. */
export interface FwCfgContents {
  readonly processorCount: number;
  /** Named files, listed in FILE_DIR sorted by name (as QEMU sorts them) from key 0x20. */
  readonly files?: readonly FwCfgFile[];
}

/** The interface's guest-visible state by name (versioned), for snapshots. */
export interface FwCfgSnapshot {
  readonly version: 1;
  readonly selectedKey: number;
  readonly offset: number;
  readonly dmaAddressHigh: number;
}

const le16 = (v: number): Uint8Array => new Uint8Array([v & 0xff, (v >>> 8) & 0xff]);
const le32 = (v: number): Uint8Array => new Uint8Array([v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, v >>> 24]);
const swap16 = (v: number): number => ((v & 0xff) << 8) | ((v >>> 8) & 0xff);
const swap32 = (v: number): number => (((v & 0xff) << 24) | ((v & 0xff00) << 8) | ((v >>> 8) & 0xff00) | (v >>> 24)) >>> 0;

/**
 * QEMU's firmware configuration interface, MMIO flavour (`qemu,fw-cfg-mmio`; QEMU
 * docs/specs/fw_cfg.rst, hw/nvram/fw_cfg.c): a guest selects an item by key and reads its bytes
 * through the data register, or has the device copy them to guest memory by DMA. The items are
 * the ones QEMU's virt machine has that say something true about this board: the signature, the
 * feature ID (traditional + DMA), the nil UUID (none given), "no graphics", the processor count,
 * "no boot menu", and the file directory with the board's files. Items are read-only: a DMA write
 * reports an error, data register writes are ignored (as QEMU since 2.4).
 *
 * QEMU rejects accesses of the wrong size to the selector (2 bytes only) and the DMA register
 * (4 or 8) with a bus error; here they are ignored and read as zero, logged once.
 */
export class FwCfg implements MmioDevice {
  readonly name = 'fw-cfg';
  private readonly items = new Map<number, Uint8Array>();
  private selectedKey = 0;
  private offset = 0;
  private dmaAddressHigh = 0;
  private readonly unknown: UnknownAccessLog;

  constructor(
    contents: FwCfgContents,
    private readonly memory: GuestMemory,
    log: (message: string) => void = () => {},
  ) {
    this.unknown = new UnknownAccessLog('fw-cfg', log);
    this.items.set(FW_CFG_KEY.signature, new TextEncoder().encode('QEMU'));
    this.items.set(FW_CFG_KEY.id, le32(FEATURE_TRADITIONAL | FEATURE_DMA));
    this.items.set(FW_CFG_KEY.uuid, new Uint8Array(16));
    this.items.set(FW_CFG_KEY.nographic, le16(1));
    this.items.set(FW_CFG_KEY.processorCount, le16(contents.processorCount));
    this.items.set(FW_CFG_KEY.bootMenu, le16(0));
    const files = [...(contents.files ?? [])].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const directory = new Uint8Array(4 + FILE_ENTRY_BYTES * files.length);
    const view = new DataView(directory.buffer);
    view.setUint32(0, files.length, false);
    files.forEach((file, i) => {
      const name = new TextEncoder().encode(file.name);
      if (name.length >= FILE_NAME_BYTES) throw new RangeError(`fw-cfg file name '${file.name}' is longer than 55 bytes`);
      const key = FW_CFG_KEY.firstFile + i;
      const at = 4 + FILE_ENTRY_BYTES * i;
      view.setUint32(at, file.data.length, false);
      view.setUint16(at + 4, key, false);
      directory.set(name, at + 8);
      this.items.set(key, file.data);
    });
    this.items.set(FW_CFG_KEY.fileDirectory, directory);
  }

  read(offset: number, size: 1 | 2 | 4): number {
    if (offset < Reg.DATA_END && offset + size <= Reg.DATA_END) {
      let value = 0;
      for (let i = 0; i < size; i++) value |= this.nextByte() << (8 * i);
      return value >>> 0;
    }
    if (offset >= Reg.DMA_ADDRESS_HIGH && offset + size <= Reg.DMA_END && size === 4) {
      // Big-endian register: the signature's bytes appear in memory order.
      const at = offset - Reg.DMA_ADDRESS_HIGH;
      let value = 0;
      for (let i = 0; i < size; i++) value |= DMA_SIGNATURE[at + i]! << (8 * i);
      return value >>> 0;
    }
    if (offset === Reg.SELECTOR && size === 2) return 0;
    this.unknown.report('read', offset, size);
    return 0;
  }

  write(offset: number, size: 1 | 2 | 4, value: number): void {
    if (offset === Reg.SELECTOR && size === 2) {
      this.select(swap16(value));
      return;
    }
    if (offset === Reg.DMA_ADDRESS_HIGH && size === 4) {
      this.dmaAddressHigh = swap32(value);
      return;
    }
    if (offset === Reg.DMA_ADDRESS_LOW && size === 4) {
      const address = this.dmaAddressHigh * 0x100000000 + swap32(value);
      this.dmaAddressHigh = 0;
      this.transfer(address);
      return;
    }
    if (offset < Reg.DATA_END) return; // the data register ignores writes
    this.unknown.report('write', offset, size);
  }

  snapshot(): FwCfgSnapshot {
    return { version: 1, selectedKey: this.selectedKey, offset: this.offset, dmaAddressHigh: this.dmaAddressHigh };
  }

  restore(snapshot: FwCfgSnapshot): void {
    if (snapshot.version !== 1) throw new RangeError(`fw-cfg snapshot version ${String(snapshot.version)} is not 1`);
    this.selectedKey = snapshot.selectedKey;
    this.offset = snapshot.offset;
    this.dmaAddressHigh = snapshot.dmaAddressHigh;
  }

  private select(key: number): void {
    this.selectedKey = key;
    this.offset = 0;
  }

  /** The selected item, undefined for keys with no item (which read as zeros). */
  private selectedItem(): Uint8Array | undefined {
    if ((this.selectedKey & KEY_ARCH_LOCAL) !== 0) return undefined; // no architecture-specific items on ARM
    return this.items.get(this.selectedKey & KEY_ITEM_MASK);
  }

  private nextByte(): number {
    const item = this.selectedItem();
    if (item === undefined || this.offset >= item.length) return 0;
    return item[this.offset++]!;
  }

  /** Runs the FWCfgDmaAccess at `address` and writes its control word back (0 or DMA_ERROR), as QEMU's fw_cfg_dma_transfer. */
  private transfer(address: number): void {
    const access = this.memory.read(address, DMA_ACCESS_BYTES);
    if (access === undefined) {
      this.writeControl(address, DMA_ERROR);
      return;
    }
    const view = new DataView(access.buffer, access.byteOffset, DMA_ACCESS_BYTES);
    const control = view.getUint32(0, false);
    let length = view.getUint32(4, false);
    let target = view.getUint32(8, false) * 0x100000000 + view.getUint32(12, false);
    if ((control & DMA_SELECT) !== 0) this.select(control >>> 16);
    const reading = (control & DMA_READ) !== 0;
    const writing = !reading && (control & DMA_WRITE) !== 0;
    if (!reading && !writing && (control & DMA_SKIP) === 0) length = 0;
    let error = false;
    const item = this.selectedItem();
    while (length > 0 && !error) {
      let count: number;
      if (item === undefined || this.offset >= item.length) {
        // Past the end: reads fill zeros, skips pass, writes fail.
        count = length;
        if (reading) error = !this.memory.write(target, new Uint8Array(count));
        if (writing) error = true;
      } else {
        count = Math.min(length, item.length - this.offset);
        if (reading) error = !this.memory.write(target, item.slice(this.offset, this.offset + count));
        if (writing) error = true; // no item is writable
        this.offset += count;
      }
      target += count;
      length -= count;
    }
    this.writeControl(address, error ? DMA_ERROR : 0);
  }

  private writeControl(address: number, control: number): void {
    const bytes = new Uint8Array(4);
    new DataView(bytes.buffer).setUint32(0, control, false);
    this.memory.write(address, bytes);
  }
}
