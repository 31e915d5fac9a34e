import * as z from 'zod';
import { VIRT_MAX_CPUS } from '../../board/virt-board.js';
import { VIRT_MAX_RAM_BYTES, VIRT_MEMORY_MAP, VIRTIO_TRANSPORT_COUNT } from '../../board/virt-memory-map.js';
import { formatAddress } from './address-range.js';
import { formatSize, SIZE_PATTERN, sizeStringBytes } from './memory-size.js';
import { show } from './schema-problems.js';
import type {
  DeviceDescription, MemoryRegionDescription, SchedulingDescription, SharedMemoryDescription, SystemDescription, VmDescription,
} from './system-description.js';
import { BOARD_SPI_COUNT, isVirtioDevice, SHARED_MEMORY_REGION_MAX } from './vm-emulated-devices.js';

/**
 * The zod schema of system.yaml. It checks each value on its own (types, keys, sizes, alignment,
 * ranges) and turns the YAML's spelling into a SystemDescription whose file fields still hold
 * the references as written; relations between values are checked by the *-check modules.
 */

/** Stage 2 maps 4 KiB pages: the long-descriptor format it uses has a 4 KiB granule (ARM ARM B3.6). */
const PAGE_BYTES = 4096;

/** Descriptions and $defs names of the published JSON schema. */
export const schemaDocs = z.registry<{ id?: string; title?: string; description: string }>();

/** The schema with a description of its own for the JSON schema (a clone: the original keeps its $defs entry). */
function described<T extends z.ZodType>(schema: T, description: string): T {
  const copy = schema.clone();
  schemaDocs.add(copy, { description });
  return copy;
}

const size = z
  .union(
    [
      z.int().min(0),
      z.string().regex(SIZE_PATTERN, { error: (issue) => `invalid size ${show(issue.input)} (expected bytes, or a whole number with K, M or G: "16M")` }),
    ],
    { error: (issue) => `expected a size (bytes, or "64K", "16M", "1G"), got ${show(issue.input)}` },
  )
  .transform((value) => (typeof value === 'number' ? value : sizeStringBytes(value)))
  .refine((bytes) => bytes > 0, 'a size must not be 0')
  .refine((bytes) => bytes % PAGE_BYTES === 0, { error: (issue) => `${formatSize(issue.input as number)} is not a multiple of 4 KiB` })
  .register(schemaDocs, { id: 'size', description: 'Bytes, or a whole number of binary units: "64K", "16M", "1G". A multiple of 4 KiB.' });

const address = z
  .int()
  .min(0)
  .refine((value) => value % PAGE_BYTES === 0, { error: (issue) => `${formatAddress(issue.input as number)} is not 4 KiB aligned` })
  .register(schemaDocs, { id: 'address', description: 'A physical address (write it in hex: 0x40000000), 4 KiB aligned.' });

const spiRange = { error: (issue: { input: unknown }) => `SPI ${show(issue.input)} is outside the board's SPIs 0-${BOARD_SPI_COUNT - 1}` };
const spi = z
  .int()
  .min(0, spiRange)
  .max(BOARD_SPI_COUNT - 1, spiRange)
  .register(schemaDocs, { id: 'spi', description: `A shared peripheral interrupt number, 0 to ${BOARD_SPI_COUNT - 1} (GIC interrupt ID 32 + SPI).` });

const HOST_PLACEMENT = 'Host-physical placement in board RAM; the hypervisor chooses one when absent.';

const NAME_PATTERN = /^[a-z][a-z0-9-]*$/;
const name = z
  .string()
  .regex(NAME_PATTERN, { error: (issue) => `invalid name ${show(issue.input)} (lowercase letters, digits and '-', starting with a letter)` });

const fileReference = z
  .string()
  .min(1, 'a file name must not be empty')
  .register(schemaDocs, {
    id: 'file',
    description: '"images:<set>/<file>" (a downloaded image set), "guests:<program>" (a built guest program), or a path relative to this file.',
  });

const memoryRegion = z
  .strictObject({
    base: described(address, 'Guest-physical base address.'),
    size,
    host: described(address.optional(), HOST_PLACEMENT),
    permissions: z.enum(['rwx', 'rw', 'rx', 'r']).default('rwx'),
  })
  .transform(
    (region): MemoryRegionDescription => ({
      guestBase: region.base,
      size: region.size,
      ...(region.host !== undefined && { hostBase: region.host }),
      permissions: region.permissions,
    }),
  );

const device = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('virtio-blk'), file: fileReference, readonly: z.boolean().default(false) }),
  z.strictObject({
    type: z.literal('virtio-net'),
    mac: z
      .string()
      .regex(/^[0-9a-fA-F]{2}(:[0-9a-fA-F]{2}){5}$/, { error: (issue) => `invalid MAC address ${show(issue.input)} (expected six hex bytes: "52:54:00:12:34:56")` })
      .optional(),
  }),
  z.strictObject({ type: z.literal('virtio-rng') }),
  z.strictObject({ type: z.literal('virtio-console') }),
  z
    .strictObject({ type: z.literal('passthrough'), base: address, size, interrupts: z.array(spi).default([]) })
    .register(schemaDocs, { description: 'A host MMIO region mapped 1:1 into the VM, and the SPIs it raises.' }),
]);

const scheduling = z
  .strictObject({
    priority: described(z.int().min(0).max(255).default(0), 'Fixed priority among the reservations of a physical CPU: higher runs first.'),
    'budget-us': described(z.int().min(10), 'Microseconds of processor time in each period.'),
    'period-us': described(z.int().min(100).max(10_000_000), 'The period in microseconds; the budget is refilled at each period boundary.'),
  })
  .refine((s) => s['budget-us'] <= s['period-us'], {
    error: (issue) => {
      const s = issue.input as Record<string, number>;
      return `budget-us ${s['budget-us']} is more than period-us ${s['period-us']}`;
    },
  })
  .transform((s): SchedulingDescription => ({ priority: s.priority, budgetMicroseconds: s['budget-us'], periodMicroseconds: s['period-us'] }))
  .register(schemaDocs, {
    description:
      "A reservation on a physical CPU shared with other VMs' vCPUs (RT-Xen's deferrable server): budget-us of processor time every period-us, at a fixed priority; kept while the vCPU waits, refilled each period. Without it the VM's vCPUs run in the background, round robin, when no reservation wants the processor.",
  });

const vm = z
  .strictObject({
    name,
    cpus: z
      .array(z.int().min(0))
      .min(1, 'a VM needs at least one CPU')
      .register(schemaDocs, {
        description: "Physical CPUs: vCPU i runs on cpus[i]. A physical CPU of its own, or one shared with other VMs' vCPUs under the VM scheduler (see scheduling).",
      }),
    memory: z
      .array(memoryRegion)
      .min(1, 'a VM needs at least one memory region')
      .register(schemaDocs, { description: 'Guest-physical RAM regions; the first holds the kernel.' }),
    kernel: described(fileReference, 'The kernel: a zImage or an ELF file.'),
    initrd: described(fileReference.optional(), 'An initial RAM disk, loaded after the kernel.'),
    cmdline: z.string().default(''),
    console: z
      .strictObject({ 'tcp-port': z.int().min(1).max(65535).optional() })
      .optional()
      .register(schemaDocs, { description: "The VM's UART, also offered on a TCP port." }),
    'on-failure': described(
      z.enum(['stop', 'restart', 'report']).default('stop'),
      'What happens when the guest faults (touches what the VM does not have): the VM stops, restarts, or gets the external abort and runs on (report).',
    ),
    scheduling: scheduling.optional(),
    devices: z
      .array(device)
      .default([])
      .refine((devices) => devices.filter(isVirtioDevice).length <= VIRTIO_TRANSPORT_COUNT, {
        error: (issue) => `${(issue.input as DeviceDescription[]).filter(isVirtioDevice).length} virtio devices, more than the ${VIRTIO_TRANSPORT_COUNT} virtio-mmio transports`,
      }),
  })
  .transform(
    (vm): VmDescription => ({
      name: vm.name,
      cpus: vm.cpus,
      memory: vm.memory,
      kernel: vm.kernel,
      ...(vm.initrd !== undefined && { initrd: vm.initrd }),
      cmdline: vm.cmdline,
      console: vm.console?.['tcp-port'] !== undefined ? { tcpPort: vm.console['tcp-port'] } : {},
      devices: vm.devices,
      onFailure: vm['on-failure'],
      ...(vm.scheduling !== undefined && { scheduling: vm.scheduling }),
    }),
  );

const sharedMemoryPeer = z
  .strictObject({
    vm: z.string(),
    base: described(address, "Where the region appears in this VM's guest-physical space."),
    doorbell: described(spi, 'The SPI this VM receives when another peer rings the doorbell.'),
  })
  .transform((peer) => ({ vm: peer.vm, guestBase: peer.base, doorbellSpi: peer.doorbell }));

const sharedMemory = z
  .strictObject({
    name,
    size,
    host: described(address.optional(), HOST_PLACEMENT),
    peers: z
      .array(sharedMemoryPeer)
      .min(2, 'a shared region needs at least two peers')
      .max(32, 'a shared region has at most 32 peers (one bit each in its doorbell registers)'),
  })
  .transform(
    (region): SharedMemoryDescription => ({
      name: region.name,
      size: region.size,
      ...(region.host !== undefined && { hostBase: region.host }),
      peers: region.peers,
    }),
  );

const board = z.strictObject({
  cpus: z
    .int()
    .min(1)
    .max(VIRT_MAX_CPUS, { error: (issue) => `the virt board takes 1 to ${VIRT_MAX_CPUS} CPUs, got ${show(issue.input)}` })
    .register(schemaDocs, { description: 'Physical CPUs.' }),
  memory: described(size, `Board RAM, host-physical at ${formatAddress(VIRT_MEMORY_MAP.ram.base)}.`).refine((bytes) => bytes <= VIRT_MAX_RAM_BYTES, {
    error: (issue) => `${formatSize(issue.input as number)} is more than the board's ${formatSize(VIRT_MAX_RAM_BYTES)} of RAM below 4 GiB`,
  }),
});

export const systemSchema = z
  .strictObject({
    board,
    vms: z.array(vm).min(1, 'a system needs at least one VM'),
    'shared-memory': z
      .array(sharedMemory)
      .max(SHARED_MEMORY_REGION_MAX, { error: `more than ${SHARED_MEMORY_REGION_MAX} shared-memory regions` })
      .default([]),
  })
  .transform((system): SystemDescription => ({
    board: { cpus: system.board.cpus, memoryBytes: system.board.memory },
    vms: system.vms,
    sharedMemory: system['shared-memory'],
  }))
  .register(schemaDocs, {
    title: 'Partita system description',
    description: 'The partitions of a Partita hypervisor system: `partita up system.yaml`. See docs/system-description.md.',
  });
