import { ImageError, parseElf } from '../board/elf-image.js';
import { isZImage, parseZImage, planLinuxBoot, MACHINE_TYPE_NONE } from '../board/linux-boot.js';
import type { VmDescription } from './config/system-description.js';
import type { VmSharedWindow } from './devices/shared-memory-windows.js';
import { vmDeviceTreeBlob } from './vm-device-tree.js';

/** A VM's image files, read by the host. */
export interface VmImages {
  readonly kernel: Uint8Array;
  readonly initrd?: Uint8Array;
}

/** What a VM boots from: blobs at guest-physical addresses, and how vCPU 0 starts. */
export interface VmBootPlan {
  readonly blobs: readonly { readonly what: string; readonly ipa: number; readonly data: Uint8Array }[];
  readonly entry: number;
  /** R0-R2 at entry. */
  readonly registers: readonly number[];
}

/**
 * How a VM boots, as QEMU's virt boots the same image with `-kernel`: a zImage at its first RAM
 * region + 0x10000 with the initrd and the VM's device tree placed as QEMU places them, entered
 * with r0 = 0, r1 = ~0 (no machine type), r2 = the device tree (the Linux boot protocol); an ELF
 * program's segments at their physical addresses, entered at its entry point. The boot stub QEMU
 * puts at the base of RAM is not needed: the hypervisor sets the registers itself.
 */
export function planVmBoot(vm: VmDescription, images: VmImages, shared: readonly VmSharedWindow[] = []): VmBootPlan {
  const ram = vm.memory[0]!;
  if (isZImage(images.kernel)) {
    const plan = planLinuxBoot({
      ramBase: ram.guestBase,
      ramBytes: ram.size,
      kernel: parseZImage(images.kernel, vm.kernel),
      kernelName: vm.kernel,
      initrd: images.initrd,
      initrdName: vm.initrd,
      buildDtb: (initrd) => vmDeviceTreeBlob(vm, initrd, shared),
    });
    const blobs = [
      { what: `the kernel '${vm.kernel}'`, ipa: plan.kernel.address, data: plan.kernel.data },
      ...(plan.initrd === undefined ? [] : [{ what: `the initrd '${vm.initrd}'`, ipa: plan.initrd.address, data: plan.initrd.data }]),
      { what: 'the device tree', ipa: plan.dtb.address, data: plan.dtb.data },
    ];
    return { blobs, entry: plan.kernelEntry, registers: [0, MACHINE_TYPE_NONE, plan.dtb.address] };
  }
  if (images.initrd !== undefined) throw new ImageError(`${vm.name}: an initrd needs a zImage kernel, '${vm.kernel}' is not one`);
  const elf = parseElf(images.kernel, vm.kernel);
  const blobs = elf.segments.map((s) => {
    const data = new Uint8Array(s.memorySize);
    data.set(s.data);
    return { what: `'${vm.kernel}' segment at 0x${s.physicalAddress.toString(16)}`, ipa: s.physicalAddress, data };
  });
  return { blobs, entry: elf.entry, registers: [] };
}
