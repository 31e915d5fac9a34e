import type { Cpu } from '../arch/arm/cpu.js';
import { Mode } from '../arch/arm/modes.js';
import { ImageError } from './elf-image.js';

/**
 * Booting a 32-bit Linux kernel as QEMU 7.2's `-kernel` does for a raw image (hw/arm/boot.c,
 * arm_setup_direct_kernel_boot and write_bootloader), which is also the ARM Linux boot protocol
 * (Documentation/arm/booting.rst): the image at RAM base + 0x10000 (QEMU's KERNEL_LOAD_ADDR for
 * 32-bit kernels), the initrd at RAM base + min(RAM / 2, 128 MiB), the device tree after the
 * initrd on a 4 KiB boundary, and QEMU's five-word boot stub at the RAM base, which sets
 * r0 = 0, r1 = 0xffffffff (no machine type: device-tree boot) and r2 = the DTB address before
 * jumping to the kernel. The processor starts at the stub in SVC mode with A, I and F masked and
 * the MMU off, or in Hyp mode when the board has the Virtualization Extensions.
 */

/** QEMU's KERNEL_LOAD_ADDR for 32-bit ARM (hw/arm/boot.c), measured: the image runs from 0x40010000. */
export const KERNEL_LOAD_OFFSET = 0x10000;
/** "The DTB must be placed on an 8-byte boundary"; QEMU uses 4 KiB for 32-bit kernels, which trash the initrd's last page. */
const DTB_ALIGNMENT = 0x1000;
const PAGE_SIZE = 0x1000;
/** r1 for device-tree boot: the virt board has no machine number (QEMU virt.c board_id = -1). */
export const MACHINE_TYPE_NONE = 0xffffffff;

/** zImage header (arch/arm/boot/compressed/head.S): magic at 0x24, start and end at 0x28 and 0x2c. */
const ZIMAGE_MAGIC = 0x016f2818;
const ZIMAGE_MAGIC_OFFSET = 0x24;
const ZIMAGE_HEADER_END = 0x30;

export interface ZImage {
  readonly data: Uint8Array;
  /**
   * The bytes the image occupies once loaded: end - start from the header, or the file when it is
   * longer (a DTB appended to a Linux zImage). Linux's header covers the file (_edata); Xen's
   * zImage-format header covers its BSS too (_end), past the end of the file.
   */
  readonly imageSize: number;
}

export function isZImage(file: Uint8Array): boolean {
  return file.length >= ZIMAGE_HEADER_END && new DataView(file.buffer, file.byteOffset, file.byteLength).getUint32(ZIMAGE_MAGIC_OFFSET, true) === ZIMAGE_MAGIC;
}

/** Checks a zImage's header; one-line ImageError when the file is not one. */
export function parseZImage(file: Uint8Array, name = 'kernel'): ZImage {
  if (file.length < ZIMAGE_HEADER_END) throw new ImageError(`${name}: too short to be a zImage (${file.length} bytes)`);
  if (!isZImage(file)) throw new ImageError(`${name}: not an ELF file or an ARM Linux zImage (no zImage magic 0x016f2818 at offset 0x24)`);
  const view = new DataView(file.buffer, file.byteOffset, file.byteLength);
  const start = view.getUint32(0x28, true);
  const end = view.getUint32(0x2c, true);
  if (end < start) throw new ImageError(`${name}: zImage header end 0x${end.toString(16)} is below its start 0x${start.toString(16)}`);
  return { data: file, imageSize: Math.max(end - start, file.length) };
}

export interface LinuxBootRequest {
  readonly ramBase: number;
  readonly ramBytes: number;
  readonly kernel: ZImage;
  readonly kernelName?: string;
  readonly initrd?: Uint8Array;
  readonly initrdName?: string;
  /** Builds the device tree once the initrd's place is known (for /chosen). */
  readonly buildDtb: (initrd: { start: number; end: number } | undefined) => Uint8Array;
  /** Start in Hyp mode (a board with the Virtualization Extensions, QEMU's virtualization=on). */
  readonly startInHyp?: boolean;
}

export interface MemoryBlob {
  readonly address: number;
  readonly data: Uint8Array;
}

/** Where everything goes and how the processor starts; apply it with `applyLinuxBoot`. */
export interface LinuxBootPlan {
  readonly bootStub: MemoryBlob;
  readonly kernel: MemoryBlob;
  readonly initrd: MemoryBlob | undefined;
  readonly dtb: MemoryBlob;
  /** Where the processor starts: the boot stub. */
  readonly startPc: number;
  /** The kernel entry the stub jumps to, with r0-r2 as below. */
  readonly kernelEntry: number;
  readonly registers: { readonly r0: number; readonly r1: number; readonly r2: number };
  readonly startMode: number;
}

const alignUp = (n: number, a: number): number => Math.ceil(n / a) * a;
const hex = (n: number): string => `0x${n.toString(16)}`;

/** QEMU's boot stub (hw/arm/boot.c bootloader[] without board setup). */
function bootStub(address: number, r1: number, r2: number, entry: number): MemoryBlob {
  const words = [
    0xe3a00000, // mov r0, #0
    0xe59f1004, // ldr r1, [pc, #4]
    0xe59f2004, // ldr r2, [pc, #4]
    0xe59ff004, // ldr pc, [pc, #4]
    r1, r2, entry,
  ];
  const data = new Uint8Array(4 * words.length);
  const view = new DataView(data.buffer);
  words.forEach((w, i) => view.setUint32(4 * i, w >>> 0, true));
  return { address, data };
}

export function planLinuxBoot(request: LinuxBootRequest): LinuxBootPlan {
  const { ramBase, ramBytes } = request;
  const kernelName = request.kernelName ?? 'kernel';
  const ramEnd = ramBase + ramBytes;
  const kernelAddress = ramBase + KERNEL_LOAD_OFFSET;
  const kernelData = request.kernel.data;
  const kernelSize = request.kernel.imageSize;
  if (kernelSize > ramBytes - KERNEL_LOAD_OFFSET) {
    throw new ImageError(`${kernelName}: image of ${kernelSize} bytes does not fit in ${ramBytes} bytes of RAM above offset ${hex(KERNEL_LOAD_OFFSET)}`);
  }
  const kernelEnd = kernelAddress + kernelSize;

  // The initrd goes where the decompressed kernel will not reach, yet in lowmem (QEMU's comment).
  const initrdStart = alignUp(ramBase + Math.min(ramBytes / 2, 128 * 1024 * 1024), PAGE_SIZE);
  let initrd: MemoryBlob | undefined;
  if (request.initrd !== undefined) {
    const initrdName = request.initrdName ?? 'initrd';
    if (initrdStart + request.initrd.length > ramEnd) {
      throw new ImageError(
        `${initrdName}: ${request.initrd.length} bytes do not fit at ${hex(initrdStart)} below the end of RAM (${hex(ramEnd)}); give more memory`,
      );
    }
    if (kernelEnd > initrdStart) {
      throw new ImageError(`${kernelName}: image ends at ${hex(kernelEnd)}, past where the initrd goes (${hex(initrdStart)}); give more memory`);
    }
    initrd = { address: initrdStart, data: request.initrd };
  }
  const initrdRange = initrd && { start: initrd.address, end: initrd.address + initrd.data.length };

  const dtbData = request.buildDtb(initrdRange);
  const dtbAddress = alignUp(initrdStart + (initrd?.data.length ?? 0), DTB_ALIGNMENT);
  if (dtbAddress + dtbData.length > ramEnd) {
    throw new ImageError(`not enough space for the device tree (${dtbData.length} bytes) at ${hex(dtbAddress)} after the kernel and initrd; give more memory`);
  }
  if (initrd === undefined && kernelEnd > dtbAddress) {
    throw new ImageError(`${kernelName}: image ends at ${hex(kernelEnd)}, past where the device tree goes (${hex(dtbAddress)}); give more memory`);
  }

  return {
    bootStub: bootStub(ramBase, MACHINE_TYPE_NONE, dtbAddress, kernelAddress),
    kernel: { address: kernelAddress, data: kernelData },
    initrd,
    dtb: { address: dtbAddress, data: dtbData },
    startPc: ramBase,
    kernelEntry: kernelAddress,
    registers: { r0: 0, r1: MACHINE_TYPE_NONE, r2: dtbAddress },
    startMode: request.startInHyp ? Mode.Hyp : Mode.Svc,
  };
}

/** Loads the plan's blobs into RAM and resets the processor to start at the boot stub. */
export function applyLinuxBoot(plan: LinuxBootPlan, ram: { loadIntoRam(address: number, bytes: Uint8Array): boolean }, cpu: Cpu): void {
  for (const blob of [plan.bootStub, plan.kernel, plan.initrd, plan.dtb]) {
    if (blob !== undefined && !ram.loadIntoRam(blob.address, blob.data)) {
      throw new ImageError(`cannot load ${blob.data.length} bytes at ${hex(blob.address)}: outside RAM`);
    }
  }
  cpu.reset(); // B1.9.1: SVC mode, A/I/F masked, MMU off, ARM state
  if (plan.startMode !== Mode.Svc) cpu.setMode(plan.startMode);
  cpu.thumb = 0;
  cpu.pc = plan.startPc;
}
