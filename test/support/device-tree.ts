import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseFdt } from '../../src/board/fdt/fdt-reader.js';
import { propertyCells, type FdtNode } from '../../src/board/fdt/fdt-tree.js';
import { QEMU } from './emulators.js';

/** Properties whose cells are phandles (the first cell of each specifier for these bindings). */
const PHANDLE_CELL_PROPERTIES = new Set(['phandle', 'interrupt-parent', 'clocks', 'cpu']);

/**
 * A tree as { path: { property: value } } with every phandle replaced by the path of the node it
 * names, so trees from different allocators compare equal. Values are hex byte strings; phandle
 * properties become "&/path" lists.
 */
export function normalizedTree(root: FdtNode): Record<string, Record<string, string>> {
  const byPhandle = new Map<number, string>();
  const walk = (node: FdtNode, path: string, visit: (node: FdtNode, path: string) => void): void => {
    visit(node, path);
    for (const child of node.children) walk(child, `${path === '/' ? '' : path}/${child.name}`, visit);
  };
  walk(root, '/', (node, path) => {
    const p = node.property('phandle');
    if (p !== undefined) byPhandle.set(propertyCells(p)[0]!, path);
  });
  const result: Record<string, Record<string, string>> = {};
  walk(root, '/', (node, path) => {
    const properties: Record<string, string> = {};
    for (const p of node.properties) {
      properties[p.name] = PHANDLE_CELL_PROPERTIES.has(p.name)
        ? propertyCells(p).map((c) => `&${p.name === 'phandle' ? path : byPhandle.get(c) ?? `?${c}`}`).join(' ')
        : Buffer.from(p.value).toString('hex');
    }
    result[path] = properties;
  });
  return result;
}

/** /chosen properties QEMU fills with host randomness (Partita, from a seeded generator). */
export const RANDOM_CHOSEN_PROPERTIES = ['rng-seed', 'kaslr-seed'];

/** A normalized tree with the random /chosen seeds' values masked: their presence and sizes still compare. */
export function withSeedsMasked(tree: Record<string, Record<string, string>>): Record<string, Record<string, string>> {
  const result = { ...tree };
  const chosen = result['/chosen'];
  if (chosen !== undefined) {
    result['/chosen'] = { ...chosen };
    for (const name of RANDOM_CHOSEN_PROPERTIES) {
      const value = chosen[name];
      if (value !== undefined) result['/chosen'][name] = 'x'.repeat(value.length);
    }
  }
  return result;
}

/** dtc's source for a blob with the seeds' cell values masked, for an order-sensitive comparison. */
export function dtsWithSeedsMasked(blob: Uint8Array): string {
  const { dts } = decompileWithDtc(blob);
  return dts.replace(new RegExp(`(\\t(?:${RANDOM_CHOSEN_PROPERTIES.join('|')}) = <)([^>]*)>`, 'g'), (_m, head: string, cells: string) =>
    `${head}${cells.split(' ').map(() => 'x').join(' ')}>`);
}

/** Runs qemu-system-arm -M <machine> ... -machine dumpdtb=... and returns the blob. */
export function qemuDumpDtb(machine: string, extra: readonly string[]): Uint8Array {
  const dir = mkdtempSync(join(tmpdir(), 'partita-qemu-dtb-'));
  const out = join(dir, 'qemu.dtb');
  execFileSync(QEMU, ['-M', machine, '-cpu', 'cortex-a15', '-nographic', ...extra, '-machine', `dumpdtb=${out}`], { stdio: 'pipe' });
  return readFileSync(out);
}

export function normalizedBlob(blob: Uint8Array): Record<string, Record<string, string>> {
  return normalizedTree(parseFdt(blob).root);
}

/** Runs dtc -I dtb -O dts on a blob; returns its stdout and stderr (warnings). */
export function decompileWithDtc(blob: Uint8Array): { dts: string; warnings: string } {
  const dir = mkdtempSync(join(tmpdir(), 'partita-dtc-'));
  const path = join(dir, 'tree.dtb');
  writeFileSync(path, blob);
  const result = spawnSync('dtc', ['-I', 'dtb', '-O', 'dts', path], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`dtc failed: ${result.stderr}`);
  return { dts: result.stdout, warnings: result.stderr };
}

/** Compiles DTS source to a blob with dtc. */
export function compileWithDtc(dts: string): Uint8Array {
  return execFileSync('dtc', ['-I', 'dts', '-O', 'dtb'], { input: dts, stdio: ['pipe', 'pipe', 'pipe'] });
}

/**
 * A minimal ARM Linux zImage: the zImage magic at 0x24 and start/end fields at 0x28/0x2c covering
 * `size` bytes, with `code` (A32 words) at offset 0 when it fits before the header, else at 0x30
 * behind a branch at offset 0.
 */
export function fakeZImage(code: readonly number[], size = 0x1000): Uint8Array {
  const image = new Uint8Array(size);
  const view = new DataView(image.buffer);
  const codeOffset = code.length <= 9 ? 0 : 0x30;
  if (codeOffset !== 0) view.setUint32(0, 0xea00000a, true); // b 0x30
  code.forEach((w, i) => view.setUint32(codeOffset + 4 * i, w >>> 0, true));
  view.setUint32(0x24, 0x016f2818, true);
  view.setUint32(0x28, 0, true);
  view.setUint32(0x2c, size, true);
  return image;
}
