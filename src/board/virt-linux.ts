import type { Cpu } from '../arch/arm/cpu.js';
import { ImageError } from './elf-image.js';
import { parseFdt } from './fdt/fdt-reader.js';
import { serializeFdt } from './fdt/fdt-writer.js';
import { checkGuestLoaderPlacement, loadGuestLoaderModules, type GuestLoaderModule } from './guest-loader.js';
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
  /**
   * The board has the Virtualization Extensions (`-M virt,virtualization=on`): the kernel is
   * entered in Hyp mode, and the device tree has the GIC's virtualization regions and PSCI on SMC.
   */
  readonly virtualization?: boolean;
  /** Files loaded at their own addresses and named in /chosen, as QEMU's `-device guest-loader`. */
  readonly guestLoaderModules?: readonly GuestLoaderModule[];
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
  const modules = files.guestLoaderModules ?? [];
  const virtualization = files.virtualization === true;
  // QEMU's guest-loader writes its nodes into the generated tree, which -dtb replaces: the
  // modules would be loaded but undescribed. Say so instead.
  if (files.dtb !== undefined && modules.length > 0) {
    throw new ImageError(`--guest-loader describes its modules in the generated device tree; with --dtb '${files.dtb.name}', write their /chosen nodes into that tree and drop --dtb or --guest-loader`);
  }
  const buildDtb = (initrd: { start: number; end: number } | undefined): Uint8Array => {
    if (files.dtb === undefined) {
      return virtDeviceTreeBlob({
        ramBytes, bootArgs: files.bootArgs, initrd, cpuCount: files.cpuCount, virtualization, guestLoaderModules: modules,
        ...(files.seed === undefined ? {} : { seed: files.seed }),
      });
    }
    const parsed = parseFdt(files.dtb.data, files.dtb.name);
    const problem = patchUserDeviceTree(parsed.root, ramBytes, files.bootArgs, initrd, virtualization ? 'smc' : 'hvc');
    if (problem !== undefined) throw new ImageError(`${files.dtb.name}: ${problem}`);
    return serializeFdt(parsed.root, {
      reservations: parsed.reservations,
      bootCpuId: parsed.bootCpuId,
      totalSize: userDtbSize(files.dtb.data.length),
    });
  };

  if (files.kernel === undefined) {
    if (files.initrd !== undefined) throw new ImageError(`--initrd '${files.initrd.name}' needs a kernel`);
    checkGuestLoaderPlacement(modules, { base: VIRT_MEMORY_MAP.ram.base, bytes: ramBytes }, []);
    const dtb = buildDtb(undefined);
    return {
      dtb,
      plan: undefined,
      load: () => {
        throw new ImageError('no kernel to boot');
      },
    };
  }
  const kernel = parseZImage(files.kernel.data, files.kernel.name);
  const plan = planLinuxBoot({
    ramBase: VIRT_MEMORY_MAP.ram.base,
    ramBytes,
    kernel,
    kernelName: files.kernel.name,
    initrd: files.initrd?.data,
    initrdName: files.initrd?.name,
    buildDtb,
    startInHyp: virtualization,
  });
  const occupied = [
    { what: 'the boot stub', ...plan.bootStub },
    ...(plan.initrd === undefined ? [] : [{ what: `the initrd '${files.initrd!.name}'`, ...plan.initrd }]),
    { what: 'the device tree', ...plan.dtb },
  ].map(({ what, address, data }) => ({ what, address, size: data.length }));
  // The kernel with what its header says it takes beyond the file (Xen's BSS).
  occupied.push({ what: `the kernel '${files.kernel.name}'`, address: plan.kernel.address, size: kernel.imageSize });
  checkGuestLoaderPlacement(modules, { base: VIRT_MEMORY_MAP.ram.base, bytes: ramBytes }, occupied);
  return {
    dtb: plan.dtb.data,
    plan,
    load: (ram, cpu) => {
      loadGuestLoaderModules(ram, modules);
      applyLinuxBoot(plan, ram, cpu);
    },
  };
}
