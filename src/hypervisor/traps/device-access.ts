import type { MmioDevice } from '../../hw/mmio-device.js';

/** A trapped load's read of `size` bytes from an emulated device, sign-extended to 32 bits when `signed`. */
export function readDevice(device: MmioDevice, offset: number, size: 1 | 2 | 4, signed: boolean): number {
  const value = device.read(offset, size);
  return signed && size < 4 ? (value << (32 - 8 * size)) >> (32 - 8 * size) : value;
}

/** A trapped store's write of the low `size` bytes of `value` to an emulated device. */
export function writeDevice(device: MmioDevice, offset: number, size: 1 | 2 | 4, value: number): void {
  device.write(offset, size, size === 4 ? value >>> 0 : value & ((1 << (8 * size)) - 1));
}
