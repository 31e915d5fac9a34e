/** Values from the VIRTIO 1.1 specification (OASIS, virtio-v1.1-cs01). */

/** Device IDs (§5). 0 marks an empty transport. */
export const VirtioDeviceId = {
  none: 0,
  net: 1,
  block: 2,
  console: 3,
  entropy: 4,
} as const;

/** Device status field bits (§2.1). */
export const VirtioStatus = {
  ACKNOWLEDGE: 1,
  DRIVER: 2,
  DRIVER_OK: 4,
  FEATURES_OK: 8,
  DEVICE_NEEDS_RESET: 0x40,
  FAILED: 0x80,
} as const;

/** Reserved (transport and ring) feature bits (§6). */
export const VirtioFeature = {
  RING_INDIRECT_DESC: 28,
  RING_EVENT_IDX: 29,
  VERSION_1: 32,
} as const;

/** Bit `bit` of a 64-bit feature word. */
export const featureBit = (bit: number): bigint => 1n << BigInt(bit);

/** Split virtqueue descriptor and ring flags (§2.6.5, §2.6.6, §2.6.8). */
export const VIRTQ_DESC_F_NEXT = 1;
export const VIRTQ_DESC_F_WRITE = 2;
export const VIRTQ_DESC_F_INDIRECT = 4;
export const VIRTQ_USED_F_NO_NOTIFY = 1;
export const VIRTQ_AVAIL_F_NO_INTERRUPT = 1;

/** InterruptStatus bits of the MMIO transport (§4.2.2). */
export const VIRTIO_MMIO_INT_VRING = 1;
export const VIRTIO_MMIO_INT_CONFIG = 2;
