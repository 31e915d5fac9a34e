import type { Cpu } from '../arch/arm/cpu.js';
import { ImageError } from './elf-image.js';
import { parseFdt } from './fdt/fdt-reader.js';
import { serializeFdt } from './fdt/fdt-writer.js';
import { applyLinuxBoot, parseZImage, planLinuxBoot, type LinuxBootPlan } from './linux-boot.js';
import { patchUserDeviceTree, virtDeviceTreeBlob } from './virt-device-tree.js';
import { VIRT_MEMORY_MAP } from './virt-memory-map.js';

/**
 * Linux boot on the virt board: the generated device tree (or a user's, patched as QEMU's
 * arm_load_dtb does), placed with the kernel and initrd by linux-boot. Platform-neutral: the
 * caller reads the files.
 */

export interface NamedFile {
  readonly name: string;
  readonly data: Uint8Array;
}

export interface LinuxBootFiles {
  /** A zImage; absent when only the device tree is wanted (--dump-dtb without a kernel). */
  readonly kernel?: NamedFile | undefined;
  readonly initrd?: NamedFile | undefined;
  /** A device tree blob to use instead of the generated one. */
  readonly dtb?: NamedFile | undefined;
  /** Kernel command line (/chosen bootargs). */
  readonly bootArgs?: string | undefined;
  /** Boot in Hyp mode (board with the Virtualization Extensions). */
  readonly startInHyp?: boolean;
  /**
   * Processors in the generated device tree's /cpus (1-4, default 1): give the board's `cpus`.
   * Secondaries are started by the kernel through PSCI CPU_ON (enable-method "psci"), as under
   * QEMU's virt; only processor 0 runs the boot stub.
   */
  readonly cpuCount?: number;
  /** Seeds the generated tree's /chosen rng-seed and kaslr-seed (default DEFAULT_DTB_SEED: runs are reproducible). */
  readonly seed?: number;
}

export interface PreparedLinuxBoot {
  /** The device tree the guest gets. */
  readonly dtb: Uint8Array;
  /** The placement, when there is a kernel. */
  readonly plan: LinuxBootPlan | undefined;
  /** Loads everything into RAM and starts the processor at QEMU's boot stub. */
  load(ram: { loadIntoRam(address: number, bytes: Uint8Array): boolean }, cpu: Cpu): void;
}

export function isElf(file: Uint8Array): boolean {
  return file.length >= 4 && file[0] === 0x7f && file[1] === 0x45 && file[2] === 0x4c && file[3] === 0x46;
}

/** QEMU's size for a loaded -dtb blob: (file size + 10000) * 2, room to patch it (device_tree.c load_device_tree). */
const userDtbSize = (fileSize: number): number => (fileSize + 10000) * 2;

export function prepareLinuxBoot(ramBytes: number, files: LinuxBootFiles): PreparedLinuxBoot {
  const buildDtb = (initrd: { start: number; end: number } | undefined): Uint8Array => {
    if (files.dtb === undefined) {
      return virtDeviceTreeBlob({ ramBytes, bootArgs: files.bootArgs, initrd, cpuCount: files.cpuCount, ...(files.seed === undefined ? {} : { seed: files.seed }) });
    }
    const parsed = parseFdt(files.dtb.data, files.dtb.name);
    const problem = patchUserDeviceTree(parsed.root, ramBytes, files.bootArgs, initrd);
    if (problem !== undefined) throw new ImageError(`${files.dtb.name}: ${problem}`);
    return serializeFdt(parsed.root, {
      reservations: parsed.reservations,
      bootCpuId: parsed.bootCpuId,
      totalSize: userDtbSize(files.dtb.data.length),
    });
  };

  if (files.kernel === undefined) {
    if (files.initrd !== undefined) throw new ImageError(`--initrd '${files.initrd.name}' needs a kernel`);
    const dtb = buildDtb(undefined);
    return {
      dtb,
      plan: undefined,
      load: () => {
        throw new ImageError('no kernel to boot');
      },
    };
  }
  const plan = planLinuxBoot({
    ramBase: VIRT_MEMORY_MAP.ram.base,
    ramBytes,
    kernel: parseZImage(files.kernel.data, files.kernel.name),
    kernelName: files.kernel.name,
    initrd: files.initrd?.data,
    initrdName: files.initrd?.name,
    buildDtb,
    startInHyp: files.startInHyp,
  });
  return { dtb: plan.dtb.data, plan, load: (ram, cpu) => applyLinuxBoot(plan, ram, cpu) };
}
