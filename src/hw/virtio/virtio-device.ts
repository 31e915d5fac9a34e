import type { GuestMemory } from './guest-memory.js';
import type { SplitVirtqueue } from './virtqueue.js';

/** What a transport offers the device behind it. */
export interface VirtioDeviceHost {
  readonly memory: GuestMemory;
  /** The queue if the device is live (DRIVER_OK, not DEVICE_NEEDS_RESET) and the queue is ready. */
  activeQueue(index: number): SplitVirtqueue | undefined;
  /** Whether the driver accepted feature `bit`. */
  hasFeature(bit: number): boolean;
  /** The device returned used buffers on queue `index`: interrupt the driver if it wants one. */
  usedBuffers(index: number): void;
  /** Device configuration changed: bump ConfigGeneration and send a configuration interrupt. */
  configChanged(): void;
  /**
   * Runs device work that reads guest descriptors from outside a queue notification (host input
   * arriving); a VirtioError it throws puts the device into DEVICE_NEEDS_RESET.
   */
  guard(action: () => void): void;
  log(line: string): void;
}

/**
 * A virtio device type (VIRTIO 1.1 §5) independent of its transport. Device work runs inside the
 * transport's guard: a driver mistake is thrown as VirtioError, never handled ad hoc.
 */
export interface VirtioDevice {
  readonly name: string;
  readonly deviceId: number;
  readonly queueCount: number;
  /** Device-type feature bits (0..23); the transport adds the ring and VERSION_1 bits. */
  readonly features: bigint;
  /** Device configuration space (little-endian), read at transport offset 0x100. */
  readonly config: Uint8Array;
  attach(host: VirtioDeviceHost): void;
  /** The driver notified queue `index` (transport already checked it is active). */
  queueNotify(index: number): void;
  /** The driver set DRIVER_OK: a device with pending host input may deliver it now. */
  driverReady(): void;
  /** The transport was reset: forget per-session state (pending host data may stay). */
  reset(): void;
  /** Device-specific state for a snapshot (plain JSON data), and its restoration. */
  saveState?(): unknown;
  restoreState?(state: unknown): void;
  /** Config space write by the driver (most devices: read-only config). */
  writeConfig?(offset: number, size: 1 | 2 | 4, value: number): void;
}
