import { VIRT_MEMORY_MAP, VIRT_SPI, VIRTIO_TRANSPORT_COUNT, VIRTIO_TRANSPORT_SIZE } from '../../board/virt-memory-map.js';
import type { GuestMemory } from '../../hw/virtio/guest-memory.js';
import {
  SeededEntropySource, VirtioBlock, VirtioConsole, VirtioMmioTransport, VirtioNet, VirtioRng, VirtioTransportWindow,
  type NetworkSwitch, type VirtioDevice,
} from '../../hw/virtio/index.js';
import type { DeviceDescription } from '../config/system-description.js';
import { isVirtioDevice } from '../config/vm-emulated-devices.js';
import type { Vm } from '../vm.js';
import type { DeviceBackends } from './device-backends.js';

/** virtio-mmio Status (VIRTIO 1.1 §4.2.2): writing 0 resets the device. */
const STATUS_REGISTER = 0x070;
/** QEMU's first NIC MAC, for a virtio-net without `mac:` (the last octet is the VM's index + 0x56). */
const DEFAULT_MAC = [0x52, 0x54, 0x00, 0x12, 0x34];

export interface VmVirtioContext {
  readonly backends: DeviceBackends | undefined;
  /** The switch every VM's virtio-net is a port of (an in-process Ethernet between the VMs). */
  readonly network: NetworkSwitch;
  readonly consoleOutput: (byte: number) => void;
  readonly log: (line: string) => void;
}

/**
 * A VM's virtio devices behind virtio-mmio transports at the virt board's addresses: the n-th
 * virtio device of its description on transport n (0x0a000000 + n * 0x200, SPI 16 + n, as
 * config/vm-emulated-devices.ts assigns), the other transports empty (DeviceID 0). Every
 * transport access traps (ISV = 1: the registers are 32-bit), the devices' DMA goes through
 * `memory` (the VM's guest-physical RAM only) and their interrupts are SPIs of the VM's vGIC.
 * Returns the transports that have a device.
 */
export function attachVirtioDevices(vm: Vm, memory: GuestMemory, context: VmVirtioContext): VirtioMmioTransport[] {
  const devices = vm.description.devices.filter(isVirtioDevice).map((d) => createVirtioDevice(vm, d, context));
  if (devices.length === 0) return [];
  const log = (line: string): void => context.log(`${vm.name}: ${line}`);
  const transports = Array.from({ length: VIRTIO_TRANSPORT_COUNT }, (_, slot) =>
    new VirtioMmioTransport(devices[slot], { memory, irq: vm.vgic.spiLine(VIRT_SPI.virtio + slot), log }),
  );
  const window = new VirtioTransportWindow(transports, VIRTIO_TRANSPORT_SIZE);
  vm.devices.add(VIRT_MEMORY_MAP.virtio.base, window.size, window);
  return transports.slice(0, devices.length);
}

/** Resets the transports (and their devices) as a VM boots again. */
export function resetVirtioTransports(transports: readonly VirtioMmioTransport[]): void {
  for (const t of transports) t.write(STATUS_REGISTER, 4, 0);
}

function createVirtioDevice(vm: Vm, device: DeviceDescription, context: VmVirtioContext): VirtioDevice {
  switch (device.type) {
    case 'virtio-blk': {
      if (context.backends === undefined) throw new RangeError(`${vm.name}: virtio-blk needs a host that opens disk images`);
      return new VirtioBlock(context.backends.openBlock(device.file, device.readonly), { readOnly: device.readonly });
    }
    case 'virtio-net': {
      const mac = device.mac === undefined ? Uint8Array.of(...DEFAULT_MAC, (0x56 + vm.index) & 0xff) : Uint8Array.from(device.mac.split(':').map((x) => parseInt(x, 16)));
      return new VirtioNet(mac, context.network.createPort());
    }
    case 'virtio-rng':
      return new VirtioRng(context.backends?.entropy?.(vm.name) ?? new SeededEntropySource(0x5eed + vm.index));
    case 'virtio-console':
      return new VirtioConsole({ write: (bytes) => bytes.forEach((b) => context.consoleOutput(b)) });
    case 'passthrough':
      throw new RangeError('a passthrough region is not a virtio device');
  }
}
