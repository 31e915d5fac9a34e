/**
 * An in-memory device tree (Devicetree Specification v0.4, chapter 2): nodes with named
 * properties whose values are raw big-endian bytes, built in code and serialized by fdt-writer,
 * or parsed from a blob by fdt-reader.
 */

export interface FdtProperty {
  readonly name: string;
  readonly value: Uint8Array;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Property value encodings (spec 2.2.4 "Property Values"). */
export const FdtValue = {
  empty: (): Uint8Array => new Uint8Array(0),
  /** <u32>... cells, big-endian. */
  cells: (...cells: readonly number[]): Uint8Array => {
    const bytes = new Uint8Array(4 * cells.length);
    const view = new DataView(bytes.buffer);
    cells.forEach((c, i) => view.setUint32(4 * i, c >>> 0, false));
    return bytes;
  },
  /** A 64-bit value as two cells (high, low). */
  u64: (value: number): number[] => [Math.floor(value / 0x100000000) >>> 0, value >>> 0],
  /** <string>, NUL-terminated. */
  string: (text: string): Uint8Array => encoder.encode(`${text}\0`),
  /** <stringlist>: each string NUL-terminated. */
  strings: (...texts: readonly string[]): Uint8Array => encoder.encode(texts.map((t) => `${t}\0`).join('')),
};

export class FdtNode {
  readonly properties: FdtProperty[] = [];
  readonly children: FdtNode[] = [];

  /** `name` is node-name[@unit-address]; the root node's name is "". */
  constructor(readonly name: string) {}

  /** Sets (adds or replaces) a property, keeping its position when it exists. */
  set(name: string, value: Uint8Array): this {
    const index = this.properties.findIndex((p) => p.name === name);
    if (index >= 0) this.properties[index] = { name, value };
    else this.properties.push({ name, value });
    return this;
  }

  /** Sets a property; a new one goes before the others (where libfdt's fdt_setprop adds it). */
  setFirst(name: string, value: Uint8Array): this {
    const index = this.properties.findIndex((p) => p.name === name);
    if (index >= 0) this.properties[index] = { name, value };
    else this.properties.unshift({ name, value });
    return this;
  }

  setCells(name: string, ...cells: readonly number[]): this {
    return this.set(name, FdtValue.cells(...cells));
  }

  setString(name: string, text: string): this {
    return this.set(name, FdtValue.string(text));
  }

  setStrings(name: string, ...texts: readonly string[]): this {
    return this.set(name, FdtValue.strings(...texts));
  }

  setEmpty(name: string): this {
    return this.set(name, FdtValue.empty());
  }

  property(name: string): FdtProperty | undefined {
    return this.properties.find((p) => p.name === name);
  }

  removeProperty(name: string): void {
    const index = this.properties.findIndex((p) => p.name === name);
    if (index >= 0) this.properties.splice(index, 1);
  }

  /** Appends a new child node and returns it. */
  addChild(name: string): FdtNode {
    const child = new FdtNode(name);
    this.children.push(child);
    return child;
  }

  /** Inserts a new child node before the others (where libfdt's fdt_add_subnode adds it) and returns it. */
  addFirstChild(name: string): FdtNode {
    const child = new FdtNode(name);
    this.children.unshift(child);
    return child;
  }

  child(name: string): FdtNode | undefined {
    return this.children.find((c) => c.name === name);
  }

  /** The child with this name, created when missing. */
  childOrNew(name: string): FdtNode {
    return this.child(name) ?? this.addChild(name);
  }

  /** A node by absolute path from this (root) node, e.g. "/cpus/cpu@0". */
  find(path: string): FdtNode | undefined {
    let node: FdtNode | undefined = this;
    for (const part of path.split('/').filter((p) => p !== '')) {
      node = node.child(part);
      if (node === undefined) return undefined;
    }
    return node;
  }
}

/** Reads a property value as big-endian 32-bit cells. */
export function propertyCells(property: FdtProperty): number[] {
  const view = new DataView(property.value.buffer, property.value.byteOffset, property.value.byteLength);
  const cells: number[] = [];
  for (let i = 0; i + 4 <= property.value.length; i += 4) cells.push(view.getUint32(i, false));
  return cells;
}

/** Reads a <stringlist> (or a single <string>) property value. */
export function propertyStrings(property: FdtProperty): string[] {
  const text = decoder.decode(property.value);
  const parts = text.split('\0');
  if (parts[parts.length - 1] === '') parts.pop();
  return parts;
}
