import { FdtNode, FdtValue, propertyCells } from '../board/fdt/fdt-tree.js';
import { serializeFdt } from '../board/fdt/fdt-writer.js';
import { buildVirtDeviceTree } from '../board/virt-device-tree.js';
import { VIRT_MEMORY_MAP, VIRTIO_TRANSPORT_SIZE } from '../board/virt-memory-map.js';
import type { DeviceDescription, VmDescription } from './config/system-description.js';
import { isVirtioDevice } from './config/vm-emulated-devices.js';
import type { VmSharedWindow } from './devices/shared-memory-windows.js';

/**
 * The nodes of the virt board's device tree a VM keeps: what the hypervisor gives every VM (its
 * vCPUs, memory, PSCI over HVC, the generic timer, the GIC's distributor and CPU interface, its
 * PL011 and that UART's clock, the PMU) and /chosen. Its virtio transports and the board devices
 * passed through to it are kept too (vmNodeKept). Everything else (flash, fw-cfg, unassigned
 * RTC, GPIO and power key, PCIe, the platform bus, unassigned virtio transports, the GICv2m
 * frame) is the board's, not the VM's.
 */
const KEPT_NODE = /^(psci|memory@.*|cpus|timer|intc@.*|pl011@.*|apb-pclk|pmu|chosen)$/;

/** Device-tree interrupt specifier cells (the GIC binding): SPI, level high. */
const GIC_SPI = 0;
const IRQ_LEVEL_HIGH = 4;

const hex = (n: number): string => n.toString(16);
const regCells = (base: number, size: number): number[] => [...FdtValue.u64(base), ...FdtValue.u64(size)];
type Passthrough = Extract<DeviceDescription, { type: 'passthrough' }>;

/**
 * A VM's device tree: the one QEMU's virt generates for its vCPU count and command line (so a
 * kernel sees what it would see on that board), pruned to the VM's own devices, with its memory
 * regions in /memory, a node per passthrough region that is not a board device, and a
 * `partita,shared-memory` node per shared region it is a peer of (docs/system-description.md).
 */
export function vmDeviceTree(vm: VmDescription, initrd: { start: number; end: number } | undefined, shared: readonly VmSharedWindow[] = []): FdtNode {
  const root = buildVirtDeviceTree({ ramBytes: vm.memory[0]!.size, cpuCount: vm.cpus.length, bootArgs: vm.cmdline, initrd });
  const passthrough = vm.devices.filter((d): d is Passthrough => d.type === 'passthrough');
  const virtioCount = vm.devices.filter(isVirtioDevice).length;
  const kept = root.children.filter((node) => vmNodeKept(node, virtioCount, passthrough));
  root.children.splice(0, root.children.length, ...kept);
  for (const region of passthrough) {
    if (kept.some((node) => regionOf(node)?.base === region.base)) continue;
    root
      .addChild(`passthrough@${hex(region.base)}`)
      .setString('compatible', 'partita,passthrough')
      .setCells('reg', ...regCells(region.base, region.size))
      .setCells('interrupts', ...region.interrupts.flatMap((spi) => [GIC_SPI, spi, IRQ_LEVEL_HIGH]));
  }
  for (const window of shared) {
    root
      .addChild(`shared-memory@${hex(window.guestBase)}`)
      .setString('compatible', 'partita,shared-memory')
      .setCells('reg', ...regCells(window.guestBase, window.size), ...regCells(window.doorbellBase, window.doorbellSize))
      .setStrings('reg-names', 'memory', 'doorbell')
      .setCells('interrupts', GIC_SPI, window.doorbellSpi, IRQ_LEVEL_HIGH)
      .setString('label', window.name)
      .setCells('partita,peer', window.peer);
  }
  const memory = root.children.find((node) => node.name.startsWith('memory@'))!;
  memory.set('reg', FdtValue.cells(...vm.memory.flatMap((r) => regCells(r.guestBase, r.size))));
  const intc = root.child(`intc@${hex(VIRT_MEMORY_MAP.gicDistributor.base)}`)!;
  intc.children.splice(0, intc.children.length);
  return renamed(root, memory, `memory@${hex(vm.memory[0]!.guestBase)}`);
}

/** The blob of vmDeviceTree, unpadded (it is copied into the VM's RAM). */
export function vmDeviceTreeBlob(vm: VmDescription, initrd: { start: number; end: number } | undefined, shared: readonly VmSharedWindow[] = []): Uint8Array {
  return serializeFdt(vmDeviceTree(vm, initrd, shared), {});
}

/** The VM's own nodes, its first `virtioCount` virtio transports, and board devices inside one of its passthrough regions. */
function vmNodeKept(node: FdtNode, virtioCount: number, passthrough: readonly Passthrough[]): boolean {
  if (KEPT_NODE.test(node.name)) return true;
  const reg = regionOf(node);
  if (reg === undefined) return false;
  if (node.name.startsWith('virtio_mmio@')) return reg.base < VIRT_MEMORY_MAP.virtio.base + virtioCount * VIRTIO_TRANSPORT_SIZE;
  return passthrough.some((p) => reg.base >= p.base && reg.base + reg.size <= p.base + p.size);
}

/** A top-level node's first reg entry (#address-cells = #size-cells = 2 at the virt root). */
function regionOf(node: FdtNode): { base: number; size: number } | undefined {
  const reg = node.property('reg');
  if (reg === undefined) return undefined;
  const cells = propertyCells(reg);
  if (cells.length < 4) return undefined;
  return { base: cells[0]! * 2 ** 32 + cells[1]!, size: cells[2]! * 2 ** 32 + cells[3]! };
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
