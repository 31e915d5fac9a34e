/**
 * Addresses and sizes of QEMU's `virt` machine for 32-bit ARM (hw/arm/virt.c, base_memmap), the
 * board Partita is compatible with.
 */
export const VIRT_MEMORY_MAP = {
  uart: { base: 0x09000000, size: 0x1000 },
  ram: { base: 0x40000000 },
} as const;

/** Most RAM the 32-bit virt board maps below 4 GiB without LPAE high memory. */
export const VIRT_MAX_RAM_BYTES = 0xc0000000 - 0x40000000;
