import { ImageError } from './elf-image.js';
import { FdtValue, type FdtNode } from './fdt/fdt-tree.js';

/**
 * QEMU's guest-loader device (hw/core/guest-loader.c, QEMU 7.2): what a boot loader does for a
 * hypervisor booted directly (Xen's "multiboot" modules, docs/misc/arm/device-tree/booting.txt in
 * Xen): each module is a file loaded at a physical address and described by a /chosen node
 *
 *   module@0x<address, at least 8 hex digits> {
 *     bootargs = "...";                                   (kernels given bootargs only)
 *     compatible = "multiboot,module", "multiboot,kernel";   (or "multiboot,ramdisk")
 *     reg = <address (2 cells) size (2 cells)>;
 *   };
 *
 * with the properties in that order and each module's node before those of the modules named
 * before it (libfdt adds properties and subnodes first). QEMU writes reg as two 64-bit values
 * whatever the tree's #address-cells/#size-cells; on virt those are 2 and 2, the same thing.
 */

export interface GuestLoaderModule {
  /** Physical address the file is loaded at (QEMU's addr=). */
  readonly address: number;
  /** kernel= (a guest kernel, with optional bootargs) or initrd= (its ramdisk). */
  readonly kind: 'kernel' | 'initrd';
  /** The file's name (for messages) and contents. */
  readonly name: string;
  readonly data: Uint8Array;
  /** bootargs= (kernels only). */
  readonly bootArgs?: string | undefined;
}

/** A range of guest physical memory something else occupies (the kernel, the device tree...). */
export interface OccupiedRange {
  readonly what: string;
  readonly address: number;
  readonly size: number;
}

const hex = (n: number): string => `0x${n.toString(16)}`;

/** QEMU's node name: "module@0x%08" PRIx64. */
export function guestLoaderNodeName(address: number): string {
  return `module@0x${address.toString(16).padStart(8, '0')}`;
}

/** Adds the modules' /chosen nodes to a tree, as each guest-loader's realize does, in the order given. */
export function addGuestLoaderNodes(root: FdtNode, modules: readonly GuestLoaderModule[]): void {
  const chosen = root.childOrNew('chosen');
  for (const module of modules) {
    const node = chosen.addFirstChild(guestLoaderNodeName(module.address));
    if (module.kind === 'kernel' && module.bootArgs !== undefined) node.setString('bootargs', module.bootArgs);
    node
      .setStrings('compatible', 'multiboot,module', module.kind === 'kernel' ? 'multiboot,kernel' : 'multiboot,ramdisk')
      .setCells('reg', ...FdtValue.u64(module.address), ...FdtValue.u64(module.data.length));
  }
}

/**
 * Checks that every module lies inside RAM and overlaps neither another module nor anything in
 * `occupied`; an ImageError names the first that does not. (QEMU loads a blob outside RAM into
 * nothing and stops at start-up on overlapping images, "rom: requested regions overlap".)
 */
export function checkGuestLoaderPlacement(
  modules: readonly GuestLoaderModule[],
  ram: { readonly base: number; readonly bytes: number },
  occupied: readonly OccupiedRange[],
): void {
  const ramEnd = ram.base + ram.bytes;
  const placed: OccupiedRange[] = [...occupied];
  for (const module of modules) {
    const end = module.address + module.data.length;
    const what = `--guest-loader ${module.kind} '${module.name}' (${module.data.length} bytes at ${hex(module.address)})`;
    if (module.address < ram.base || end > ramEnd) {
      throw new ImageError(`${what} is outside RAM (${hex(ram.base)}-${hex(ramEnd)}); choose another addr= or give more memory`);
    }
    const clash = placed.find((r) => module.address < r.address + r.size && r.address < end);
    if (clash !== undefined) {
      throw new ImageError(`${what} overlaps ${clash.what} at ${hex(clash.address)}-${hex(clash.address + clash.size)}`);
    }
    placed.push({ what: `--guest-loader ${module.kind} '${module.name}'`, address: module.address, size: module.data.length });
  }
}

/** Copies the modules into RAM (after checkGuestLoaderPlacement). */
export function loadGuestLoaderModules(ram: { loadIntoRam(address: number, bytes: Uint8Array): boolean }, modules: readonly GuestLoaderModule[]): void {
  for (const module of modules) {
    if (!ram.loadIntoRam(module.address, module.data)) {
      throw new ImageError(`cannot load --guest-loader ${module.kind} '${module.name}' at ${hex(module.address)}: outside RAM`);
    }
  }
}
