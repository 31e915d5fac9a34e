/**
 * Addresses, sizes and interrupt numbers of QEMU's `virt` machine for 32-bit ARM
 * (hw/arm/virt.c: base_memmap and a15irqmap, QEMU 7.2), the board Partita is compatible with.
 * The one source of these facts for the board, its device tree and the hypervisor.
 */
export const VIRT_MEMORY_MAP = {
  /** Two CFI flash banks of half this size each (virt_flash_create: bank 0 at 0, bank 1 at 64 MiB). */
  flash: { base: 0x00000000, size: 0x08000000 },
  gicDistributor: { base: 0x08000000, size: 0x00010000 },
  gicCpuInterface: { base: 0x08010000, size: 0x00010000 },
  /** GICv2m MSI frame (VIRT_GIC_V2M). */
  gicV2m: { base: 0x08020000, size: 0x00001000 },
  /** GICv2 virtualization: the hypervisor control interface (GICH) and virtual CPU interface (GICV). */
  gicHypervisor: { base: 0x08030000, size: 0x00010000 },
  gicVirtualCpu: { base: 0x08040000, size: 0x00010000 },
  uart: { base: 0x09000000, size: 0x00001000 },
  rtc: { base: 0x09010000, size: 0x00001000 },
  /** QEMU's fw_cfg interface, MMIO flavour (data, selector, DMA address). */
  fwCfg: { base: 0x09020000, size: 0x00000018 },
  gpio: { base: 0x09030000, size: 0x00001000 },
  /** virtio-mmio transports: VIRTIO_TRANSPORT_COUNT of them, each VIRTIO_TRANSPORT_SIZE apart. */
  virtio: { base: 0x0a000000, size: 0x00000200 },
  /** Dynamic sysbus devices (none here: the node is an empty simple-bus). */
  platformBus: { base: 0x0c000000, size: 0x02000000 },
  /** PCIe windows of the gpex host: 32-bit MMIO, I/O ports, and (highmem) ECAM and 64-bit MMIO above 4 GiB. */
  pcieMmio: { base: 0x10000000, size: 0x2eff0000 },
  pciePio: { base: 0x3eff0000, size: 0x00010000 },
  pcieHighEcam: { base: 0x4010000000, size: 0x10000000 },
  pcieHighMmio: { base: 0x8000000000, size: 0x8000000000 },
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
  /** PCIe INTA-INTD: SPIs pcie .. pcie + 3. */
  pcie: 3,
  gpio: 7,
  /** First virtio-mmio transport; transport i uses SPI virtio + i. */
  virtio: 16,
  /** First of the GICv2m frame's GICV2M_SPI_COUNT SPIs. */
  gicV2m: 48,
} as const;

/** SPIs the GICv2m frame owns (hw/arm/virt.c NUM_GICV2M_SPIS). */
export const GICV2M_SPI_COUNT = 64;

/** GPIO line of the PL061 the gpio-keys power button drives (virt.c create_gpio_keys: pin 3). */
export const POWER_BUTTON_GPIO = 3;

/** Private peripheral interrupts (PPI numbers; GIC interrupt ID = 16 + PPI), per CPU. */
export const VIRT_PPI = {
  /** VIRTUAL_PMU_IRQ; QEMU names it in the /pmu node only for ARMv8 processors. */
  pmu: 7,
  gicMaintenance: 9,
  hypTimer: 10,
  virtualTimer: 11,
  secureTimer: 13,
  physicalTimer: 14,
} as const;

export const spiInterruptId = (spi: number): number => 32 + spi;
export const ppiInterruptId = (ppi: number): number => 16 + ppi;
