import { ImageError } from '../elf-image.js';
import {
  FDT_BEGIN_NODE, FDT_END, FDT_END_NODE, FDT_HEADER_SIZE, FDT_MAGIC, FDT_NOP, FDT_PROP, FDT_VERSION, type FdtReservation,
} from './fdt-format.js';
import { FdtNode } from './fdt-tree.js';

/** A malformed devicetree blob: the message is one line naming the blob and the problem. */
export class FdtError extends ImageError {}

export interface ParsedFdt {
  readonly root: FdtNode;
  readonly reservations: readonly FdtReservation[];
  readonly bootCpuId: number;
  readonly version: number;
  /** totalsize from the header. */
  readonly totalSize: number;
}

const hex = (n: number): string => `0x${(n >>> 0).toString(16)}`;

/**
 * Parses a flattened devicetree blob (Devicetree Specification v0.4, chapter 5), versions 16 and
 * 17. Every offset and length is checked against the blob, so a truncated or corrupt file is
 * reported in one line, never read past.
 */
export function parseFdt(blob: Uint8Array, name = 'device tree'): ParsedFdt {
  const fail = (why: string): never => {
    throw new FdtError(`${name}: ${why}`);
  };
  if (blob.length < FDT_HEADER_SIZE) fail(`too short to be a device tree blob (${blob.length} bytes)`);
  const view = new DataView(blob.buffer, blob.byteOffset, blob.byteLength);
  const u32 = (at: number): number => view.getUint32(at, false);
  const magic = u32(0);
  if (magic !== FDT_MAGIC) fail(`not a device tree blob (bad magic ${hex(magic)}, expected 0xd00dfeed)`);
  const totalSize = u32(4);
  const structureOffset = u32(8);
  const stringsOffset = u32(12);
  const reservationOffset = u32(16);
  const version = u32(20);
  const lastCompatible = u32(24);
  const bootCpuId = u32(28);
  const stringsSize = u32(32);
  const structureSize = u32(36);
  if (version < 16) fail(`device tree version ${version} is too old (16 or later needed)`);
  if (lastCompatible > FDT_VERSION) fail(`device tree needs a reader of version ${lastCompatible} (this one reads ${FDT_VERSION})`);
  if (totalSize > blob.length) fail(`truncated: header says ${totalSize} bytes, file has ${blob.length}`);
  if (totalSize < FDT_HEADER_SIZE) fail(`totalsize ${totalSize} is smaller than the header`);
  const checkBlock = (what: string, offset: number, size: number): void => {
    if (offset < FDT_HEADER_SIZE || offset > totalSize || size > totalSize - offset) {
      fail(`${what} block (offset ${hex(offset)}, size ${size}) lies outside the blob (${totalSize} bytes)`);
    }
  };
  checkBlock('structure', structureOffset, structureSize);
  checkBlock('strings', stringsOffset, stringsSize);
  checkBlock('memory reservation', reservationOffset, 0);
  if (structureOffset % 4 !== 0) fail(`structure block offset ${hex(structureOffset)} is not 4-byte aligned`);

  const reservations: FdtReservation[] = [];
  for (let at = reservationOffset; ; at += 16) {
    if (at + 16 > totalSize) fail('memory reservation block is not terminated (truncated?)');
    const address = u32(at) * 0x100000000 + u32(at + 4);
    const size = u32(at + 8) * 0x100000000 + u32(at + 12);
    if (address === 0 && size === 0) break;
    reservations.push({ address, size });
  }

  const decoder = new TextDecoder();
  const structureEnd = structureOffset + structureSize;
  const cString = (start: number, end: number, what: string): [string, number] => {
    const nul = blob.subarray(start, end).indexOf(0);
    if (nul < 0) fail(`${what} at ${hex(start)} is not NUL-terminated within its block`);
    return [decoder.decode(blob.subarray(start, start + nul)), start + nul + 1];
  };
  const align4 = (n: number): number => (n + 3) & ~3;

  let at = structureOffset;
  const token = (): number => {
    if (at + 4 > structureEnd) fail(`structure block ends without FDT_END at ${hex(at)}`);
    const t = u32(at);
    at += 4;
    return t;
  };
  let root: FdtNode | undefined;
  const stack: FdtNode[] = [];
  for (;;) {
    const t = token();
    if (t === FDT_NOP) continue;
    if (t === FDT_BEGIN_NODE) {
      const [nodeName, next] = cString(at, structureEnd, 'node name');
      at = align4(next);
      const parent = stack[stack.length - 1];
      if (parent === undefined && root !== undefined) fail(`second root node at ${hex(at)}`);
      const node = parent === undefined ? new FdtNode(nodeName) : parent.addChild(nodeName);
      if (root === undefined) root = node;
      stack.push(node);
    } else if (t === FDT_PROP) {
      const node = stack[stack.length - 1];
      if (node === undefined) fail(`property outside any node at ${hex(at - 4)}`);
      const length = token();
      const nameOffset = token();
      if (length > structureEnd - at) fail(`property value at ${hex(at)} (${length} bytes) runs past the structure block`);
      if (nameOffset >= stringsSize) fail(`property name offset ${nameOffset} is outside the strings block (${stringsSize} bytes)`);
      const [propertyName] = cString(stringsOffset + nameOffset, stringsOffset + stringsSize, 'property name');
      node!.properties.push({ name: propertyName, value: blob.slice(at, at + length) });
      at = align4(at + length);
    } else if (t === FDT_END_NODE) {
      if (stack.pop() === undefined) fail(`FDT_END_NODE without a node at ${hex(at - 4)}`);
    } else if (t === FDT_END) {
      if (stack.length !== 0) fail(`FDT_END inside node '${stack[stack.length - 1]!.name}' (unbalanced nodes)`);
      break;
    } else {
      fail(`unknown structure token ${hex(t)} at ${hex(at - 4)}`);
    }
  }
  if (root === undefined) fail('structure block has no root node');
  return { root: root!, reservations, bootCpuId, version, totalSize };
}
