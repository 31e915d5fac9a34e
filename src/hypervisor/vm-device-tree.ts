import { FdtNode, FdtValue } from '../board/fdt/fdt-tree.js';
import { serializeFdt } from '../board/fdt/fdt-writer.js';
import { buildVirtDeviceTree } from '../board/virt-device-tree.js';
import { VIRT_MEMORY_MAP } from '../board/virt-memory-map.js';
import type { VmDescription } from './config/system-description.js';

/**
 * The nodes of the virt board's device tree a VM keeps: what the hypervisor gives every VM (its
 * vCPUs, memory, PSCI over HVC, the generic timer, the GIC's distributor and CPU interface, its
 * PL011 and that UART's clock, the PMU) and /chosen. Everything else (flash, fw-cfg, RTC, GPIO
 * and power key, PCIe, the platform bus, unassigned virtio transports, the GICv2m frame) is the
 * board's, not the VM's.
 */
const KEPT_NODE = /^(psci|memory@.*|cpus|timer|intc@.*|pl011@.*|apb-pclk|pmu|chosen)$/;

/**
 * A VM's device tree: the one QEMU's virt generates for its vCPU count and command line (so a
 * kernel sees what it would see on that board), pruned to the VM's own devices, with its memory
 * regions in /memory.
 */
export function vmDeviceTree(vm: VmDescription, initrd: { start: number; end: number } | undefined): FdtNode {
  const root = buildVirtDeviceTree({ ramBytes: vm.memory[0]!.size, cpuCount: vm.cpus.length, bootArgs: vm.cmdline, initrd });
  const kept = root.children.filter((node) => KEPT_NODE.test(node.name));
  root.children.splice(0, root.children.length, ...kept);
  const memory = root.children.find((node) => node.name.startsWith('memory@'))!;
  memory.set('reg', FdtValue.cells(...vm.memory.flatMap((r) => [...FdtValue.u64(r.guestBase), ...FdtValue.u64(r.size)])));
  const intc = root.child(`intc@${VIRT_MEMORY_MAP.gicDistributor.base.toString(16)}`)!;
  intc.children.splice(0, intc.children.length);
  return renamed(root, memory, `memory@${vm.memory[0]!.guestBase.toString(16)}`);
}

/** The blob of vmDeviceTree, unpadded (it is copied into the VM's RAM). */
export function vmDeviceTreeBlob(vm: VmDescription, initrd: { start: number; end: number } | undefined): Uint8Array {
  return serializeFdt(vmDeviceTree(vm, initrd), {});
}

/** Node names are fixed at creation: a node with another unit address replaces it, keeping its place and contents. */
function renamed(root: FdtNode, node: FdtNode, name: string): FdtNode {
  if (node.name === name) return root;
  const copy = new FdtNode(name);
  copy.properties.push(...node.properties);
  copy.children.push(...node.children);
  root.children[root.children.indexOf(node)] = copy;
  return root;
}
