import type { DeviceDescription, SystemDescription, VmDescription } from './system-description.js';
import type { SystemDescriptionContext } from './system-description-context.js';

/** References the host resolves itself: downloaded image sets and built guest programs. */
const IMAGE_REFERENCE = /^(images|guests):/;

/**
 * The description with every file reference (kernel, initrd, virtio-blk file) replaced by the
 * path it names; a reference that cannot be resolved, or names no file, is a problem.
 */
export function resolveFiles(system: SystemDescription, context: SystemDescriptionContext, problems: string[]): SystemDescription {
  const resolve = (reference: string, path: string): string => {
    let file: string;
    if (IMAGE_REFERENCE.test(reference)) {
      const resolved = context.resolveImage(reference);
      if ('error' in resolved) {
        problems.push(`${path}: ${resolved.error}`);
        return reference;
      }
      file = resolved.path;
    } else {
      file = context.resolvePath(reference);
    }
    if (!context.fileExists(file)) problems.push(`${path}: no such file: ${file}`);
    return file;
  };
  const resolveVm = (vm: VmDescription, i: number): VmDescription => ({
    ...vm,
    kernel: resolve(vm.kernel, `vms[${i}].kernel`),
    ...(vm.initrd !== undefined && { initrd: resolve(vm.initrd, `vms[${i}].initrd`) }),
    devices: vm.devices.map(
      (device, k): DeviceDescription => (device.type === 'virtio-blk' ? { ...device, file: resolve(device.file, `vms[${i}].devices[${k}].file`) } : device),
    ),
  });
  return { ...system, vms: system.vms.map(resolveVm) };
}
