import { VIRT_MEMORY_MAP, VIRT_SPI, VIRTIO_TRANSPORT_COUNT, VIRTIO_TRANSPORT_SIZE } from '../../board/virt-memory-map.js';
import { VIRT_GIC_INTERRUPTS } from '../../board/virt-board.js';
import type { AddressRange } from './address-range.js';
import type { DeviceDescription } from './system-description.js';

/** SPIs of the board's GIC: interrupt IDs 32 and up (GIC spec IHI 0048B 2.2.1). */
export const BOARD_SPI_COUNT = VIRT_GIC_INTERRUPTS - 32;

const { gicDistributor, gicVirtualCpu, uart, virtio, platformBus } = VIRT_MEMORY_MAP;

/** Most shared-memory regions a system may have: each peer's doorbell page is in one fixed window. */
export const SHARED_MEMORY_REGION_MAX = 64;
export const DOORBELL_PAGE_SIZE = 0x1000;
/**
 * Where a peer VM finds the doorbell register page of shared region `region` (its index in
 * `shared-memory`): pages from the virt board's platform-bus window up, which no VM otherwise has.
 */
export const doorbellPageBase = (region: number): number => platformBus.base + region * DOORBELL_PAGE_SIZE;

/**
 * The guest-physical windows of the devices the hypervisor emulates in every VM, at their virt
 * addresses: the GIC (distributor, CPU interface and the virtualization frames between them),
 * the UART, the virtio-mmio transports and the shared-memory doorbell pages. Guest RAM and passthrough regions must avoid them.
 */
export const VM_EMULATED_DEVICE_WINDOWS: readonly (AddressRange & { readonly name: string })[] = [
  { name: 'GIC', base: gicDistributor.base, size: gicVirtualCpu.base + gicVirtualCpu.size - gicDistributor.base },
  { name: 'UART', ...uart },
  { name: 'virtio-mmio transports', base: virtio.base, size: VIRTIO_TRANSPORT_COUNT * VIRTIO_TRANSPORT_SIZE },
  { name: 'shared-memory doorbells', base: platformBus.base, size: SHARED_MEMORY_REGION_MAX * DOORBELL_PAGE_SIZE },
];

export const isVirtioDevice = (device: DeviceDescription): boolean => device.type.startsWith('virtio-');

/**
 * The SPIs of a VM's emulated devices, each with the index of the device in `devices` (or
 * undefined for the UART): the UART's, and one per virtio device, which take the transports in
 * the order listed (transport i raises SPI VIRT_SPI.virtio + i).
 */
export function emulatedDeviceSpis(devices: readonly DeviceDescription[]): { readonly spi: number; readonly deviceIndex?: number }[] {
  const spis: { spi: number; deviceIndex?: number }[] = [{ spi: VIRT_SPI.uart }];
  let transport = 0;
  devices.forEach((device, deviceIndex) => {
    if (isVirtioDevice(device)) spis.push({ spi: VIRT_SPI.virtio + transport++, deviceIndex });
  });
  return spis;
}
