import {
  FDT_BEGIN_NODE, FDT_END, FDT_END_NODE, FDT_HEADER_SIZE, FDT_LAST_COMPATIBLE_VERSION, FDT_MAGIC, FDT_PROP, FDT_VERSION,
  type FdtReservation,
} from './fdt-format.js';
import type { FdtNode } from './fdt-tree.js';

export interface FdtWriteOptions {
  readonly reservations?: readonly FdtReservation[];
  /** boot_cpuid_phys (5.2). */
  readonly bootCpuId?: number;
  /**
   * Pads the blob with free space up to this total size (as QEMU's create_device_tree leaves a
   * 1 MiB blob so that boot code can grow the tree in place).
   */
  readonly totalSize?: number;
}

const encoder = new TextEncoder();

/** A growable big-endian byte buffer. */
class ByteSink {
  bytes = new Uint8Array(4096);
  length = 0;

  private reserve(n: number): void {
    if (this.length + n <= this.bytes.length) return;
    const grown = new Uint8Array(Math.max(this.bytes.length * 2, this.length + n));
    grown.set(this.bytes.subarray(0, this.length));
    this.bytes = grown;
  }

  u32(value: number): void {
    this.reserve(4);
    new DataView(this.bytes.buffer).setUint32(this.length, value >>> 0, false);
    this.length += 4;
  }

  raw(data: Uint8Array): void {
    this.reserve(data.length);
    this.bytes.set(data, this.length);
    this.length += data.length;
  }

  align4(): void {
    const pad = (4 - (this.length % 4)) % 4;
    this.reserve(pad);
    this.length += pad; // fresh bytes are zero
  }

  result(): Uint8Array {
    return this.bytes.subarray(0, this.length);
  }
}

/**
 * Serializes a tree into a flattened devicetree blob (spec chapter 5): header, memory reservation
 * block (8-byte aligned, ended by a zero entry), structure block, then the strings block with
 * each property name stored once.
 */
export function serializeFdt(root: FdtNode, options: FdtWriteOptions = {}): Uint8Array {
  const strings = new ByteSink();
  const stringOffsets = new Map<string, number>();
  const nameOffset = (name: string): number => {
    let offset = stringOffsets.get(name);
    if (offset === undefined) {
      offset = strings.length;
      stringOffsets.set(name, offset);
      strings.raw(encoder.encode(`${name}\0`));
    }
    return offset;
  };

  const structure = new ByteSink();
  const writeNode = (node: FdtNode): void => {
    structure.u32(FDT_BEGIN_NODE);
    structure.raw(encoder.encode(`${node.name}\0`));
    structure.align4();
    for (const property of node.properties) {
      structure.u32(FDT_PROP);
      structure.u32(property.value.length);
      structure.u32(nameOffset(property.name));
      structure.raw(property.value);
      structure.align4();
    }
    for (const child of node.children) writeNode(child);
    structure.u32(FDT_END_NODE);
  };
  writeNode(root);
  structure.u32(FDT_END);

  const reservations = options.reservations ?? [];
  const reservationOffset = FDT_HEADER_SIZE; // already 8-byte aligned
  const structureOffset = reservationOffset + 16 * (reservations.length + 1);
  const stringsOffset = structureOffset + structure.length;
  const contentSize = stringsOffset + strings.length;
  const totalSize = Math.max(contentSize, options.totalSize ?? 0);

  const blob = new Uint8Array(totalSize);
  const view = new DataView(blob.buffer);
  const header = [
    FDT_MAGIC, totalSize, structureOffset, stringsOffset, reservationOffset, FDT_VERSION, FDT_LAST_COMPATIBLE_VERSION,
    options.bootCpuId ?? 0, strings.length, structure.length,
  ];
  header.forEach((value, i) => view.setUint32(4 * i, value >>> 0, false));
  reservations.forEach((r, i) => {
    const at = reservationOffset + 16 * i;
    view.setUint32(at, Math.floor(r.address / 0x100000000), false);
    view.setUint32(at + 4, r.address >>> 0, false);
    view.setUint32(at + 8, Math.floor(r.size / 0x100000000), false);
    view.setUint32(at + 12, r.size >>> 0, false);
  });
  blob.set(structure.result(), structureOffset);
  blob.set(strings.result(), stringsOffset);
  return blob;
}
