/**
 * The resolved, validated system description the hypervisor starts from: what `system.yaml`
 * says, with sizes in bytes, defaults filled in and file references resolved to paths.
 */
export interface SystemDescription {
  readonly board: BoardDescription;
  readonly vms: readonly VmDescription[];
  readonly sharedMemory: readonly SharedMemoryDescription[];
}

export interface BoardDescription {
  /** Physical CPUs, 1 to VIRT_MAX_CPUS. */
  readonly cpus: number;
  /** Board RAM in bytes, host physical at VIRT_MEMORY_MAP.ram.base. */
  readonly memoryBytes: number;
}

export interface VmDescription {
  readonly name: string;
  /** vCPU i runs on physical CPU cpus[i]. */
  readonly cpus: readonly number[];
  /** Guest-physical RAM regions; the first holds the kernel. */
  readonly memory: readonly MemoryRegionDescription[];
  /** Path of the kernel image (zImage or ELF). */
  readonly kernel: string;
  readonly initrd?: string;
  readonly cmdline: string;
  /** The VM's UART, also offered on a TCP port when tcpPort is set. */
  readonly console: { readonly tcpPort?: number };
  readonly devices: readonly DeviceDescription[];
  /**
   * When the guest faults (an access or fetch where the VM has nothing, a device access the
   * syndrome does not describe): the VM is stopped, booted again, or only gets the external abort
   * and runs on ('report': the fault is counted and logged).
   */
  readonly onFailure: 'stop' | 'restart' | 'report';
  /**
   * Its vCPUs' reservation on a physical CPU shared with other VMs' vCPUs; without one they run
   * in the background, when no vCPU with a reservation wants the processor.
   */
  readonly scheduling?: SchedulingDescription;
}

/**
 * A vCPU's reservation on a shared physical CPU, RT-Xen's deferrable server: `budgetMicroseconds`
 * of processor time in every `periodMicroseconds`, at `priority` (higher first); the budget is
 * kept while the vCPU waits and refilled at each period boundary, and a vCPU out of budget waits
 * for the refill. Unused on a physical CPU of its own.
 */
export interface SchedulingDescription {
  readonly priority: number;
  readonly budgetMicroseconds: number;
  readonly periodMicroseconds: number;
}

export type MemoryPermissions = 'rwx' | 'rw' | 'rx' | 'r';

export interface MemoryRegionDescription {
  readonly guestBase: number;
  readonly size: number;
  /** Host-physical placement in board RAM; the hypervisor chooses one when absent. */
  readonly hostBase?: number;
  readonly permissions: MemoryPermissions;
}

export type DeviceDescription =
  | { readonly type: 'virtio-blk'; readonly file: string; readonly readonly: boolean }
  | { readonly type: 'virtio-net'; readonly mac?: string }
  | { readonly type: 'virtio-rng' }
  | { readonly type: 'virtio-console' }
  /** A host MMIO region mapped 1:1 into the VM, with the SPIs it raises. */
  | { readonly type: 'passthrough'; readonly base: number; readonly size: number; readonly interrupts: readonly number[] };

export interface SharedMemoryDescription {
  readonly name: string;
  readonly size: number;
  /** Host-physical placement in board RAM; the hypervisor chooses one when absent. */
  readonly hostBase?: number;
  readonly peers: readonly SharedMemoryPeerDescription[];
}

export interface SharedMemoryPeerDescription {
  readonly vm: string;
  /** Where the region appears in this VM's guest-physical space. */
  readonly guestBase: number;
  /** The SPI this VM receives when another peer rings the doorbell. */
  readonly doorbellSpi: number;
}
