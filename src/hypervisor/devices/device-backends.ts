import type { BlockBackend } from '../../hw/virtio/block-backend.js';
import type { EntropySource } from '../../hw/virtio/entropy-source.js';

/**
 * What the host gives the VMs' virtio devices (the hypervisor itself opens no files): disk
 * images for virtio-blk and, optionally, randomness for virtio-rng (deterministic by default).
 */
export interface DeviceBackends {
  /** The disk image at `path` (a resolved `file:` of the description); throws a one-line error if it cannot. */
  openBlock(path: string, readOnly: boolean): BlockBackend;
  /** virtio-rng's source for VM `vm`; absent: a fixed seed per VM (reproducible runs). */
  entropy?(vm: string): EntropySource;
}
