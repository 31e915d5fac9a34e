/**
 * Addresses, sizes and interrupt numbers of QEMU's `virt` machine for 32-bit ARM
 * (hw/arm/virt.c: base_memmap and a15irqmap, QEMU 7.2), the board Partita is compatible with.
 * The one source of these facts for the board, its device tree and the hypervisor.
 */
export const VIRT_MEMORY_MAP = {
  flash: { base: 0x00000000, size: 0x08000000 },
  gicDistributor: { base: 0x08000000, size: 0x00010000 },
  gicCpuInterface: { base: 0x08010000, size: 0x00010000 },
  /** GICv2 virtualization: the hypervisor control interface (GICH) and virtual CPU interface (GICV). */
  gicHypervisor: { base: 0x08030000, size: 0x00010000 },
  gicVirtualCpu: { base: 0x08040000, size: 0x00010000 },
  uart: { base: 0x09000000, size: 0x00001000 },
  rtc: { base: 0x09010000, size: 0x00001000 },
  gpio: { base: 0x09030000, size: 0x00001000 },
  /** virtio-mmio transports: VIRTIO_TRANSPORT_COUNT of them, each VIRTIO_TRANSPORT_SIZE apart. */
  virtio: { base: 0x0a000000, size: 0x00000200 },
  ram: { base: 0x40000000 },
} as const;

export const VIRTIO_TRANSPORT_COUNT = 32;
export const VIRTIO_TRANSPORT_SIZE = 0x200;

/** Most RAM the 32-bit virt board maps below 4 GiB without LPAE high memory. */
export const VIRT_MAX_RAM_BYTES = 0xc0000000 - 0x40000000;

/** Shared peripheral interrupts (SPI numbers; GIC interrupt ID = 32 + SPI). */
export const VIRT_SPI = {
  uart: 1,
  rtc: 2,
  gpio: 7,
  /** First virtio-mmio transport; transport i uses SPI virtio + i. */
  virtio: 16,
} as const;

/** Private peripheral interrupts (PPI numbers; GIC interrupt ID = 16 + PPI), per CPU. */
export const VIRT_PPI = {
  gicMaintenance: 9,
  hypTimer: 10,
  virtualTimer: 11,
  secureTimer: 13,
  physicalTimer: 14,
} as const;

export const spiInterruptId = (spi: number): number => 32 + spi;
export const ppiInterruptId = (ppi: number): number => 16 + ppi;
