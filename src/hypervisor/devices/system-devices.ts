import { spiInterruptId } from '../../board/virt-memory-map.js';
import { VIRT_GIC_INTERRUPTS } from '../../board/virt-board.js';
import { NetworkSwitch } from '../../hw/virtio/index.js';
import type { SystemDescription } from '../config/system-description.js';
import type { HostMemory } from '../host-memory.js';
import type { PhysicalGic } from '../physical-gic.js';
import { Stage2Access, Stage2Memory } from '../stage2/stage2-table.js';
import type { Vcpu, Vm } from '../vm.js';
import type { DeviceBackends } from './device-backends.js';
import { SharedMemoryDoorbells } from './shared-memory.js';
import { vmSharedWindows } from './shared-memory-windows.js';
import { VmDmaMemory, type DmaWindow } from './vm-dma-memory.js';
import { attachVirtioDevices, resetVirtioTransports } from './vm-virtio.js';

export interface SystemDevicesContext {
  readonly memory: HostMemory;
  readonly gic: PhysicalGic;
  /** Host-physical base of each shared-memory region (host-placement.ts). */
  readonly sharedHostBases: readonly number[];
  readonly backends: DeviceBackends | undefined;
  /** A byte a VM's virtio console wrote. */
  readonly consoleOutput: (vm: Vm, byte: number) => void;
  readonly log: (line: string) => void;
}

/**
 * The devices of a system description beyond every VM's UART and vGIC: in each VM its virtio
 * devices, its passthrough regions (host MMIO mapped 1:1 as Device memory, their physical SPIs
 * routed to the processor of its vCPU 0 and forwarded to it with GICH_LR.HW), and its windows on
 * the inter-VM shared memory regions (Normal memory, rw, never executable) with their doorbell
 * pages. Each VM's `onReset` resets its part as it boots again; the shared contents stay.
 */
export class SystemDevices {
  /** Per physical interrupt ID: index + 1 of the VM it is passed through to, 0 if none. */
  private readonly passthroughOwner = new Uint8Array(VIRT_GIC_INTERRUPTS);

  constructor(system: SystemDescription, private readonly vms: readonly Vm[], context: SystemDevicesContext) {
    const doorbells = system.sharedMemory.map((region) =>
      new SharedMemoryDoorbells(region, region.peers.map((peer) => vms.find((vm) => vm.name === peer.vm)!.vgic.spiLine(peer.doorbellSpi))),
    );
    const network = new NetworkSwitch();
    vms.forEach((vm, i) => {
      const shared = vmSharedWindows(system, i);
      const dma: DmaWindow[] = vm.regions.map((r, j) => ({ ...r, writable: vm.description.memory[j]!.permissions.includes('w') }));
      for (const w of shared) {
        const hostBase = context.sharedHostBases[w.region]!;
        vm.stage2.map(w.guestBase, hostBase, w.size, Stage2Access.Read | Stage2Access.Write, Stage2Memory.Normal);
        vm.devices.add(w.doorbellBase, w.doorbellSize, doorbells[w.region]!.pages[w.peer]!);
        dma.push({ guestBase: w.guestBase, hostBase, size: w.size, writable: true });
      }
      const transports = attachVirtioDevices(vm, new VmDmaMemory(context.memory, dma), {
        backends: context.backends,
        network,
        consoleOutput: (byte) => context.consoleOutput(vm, byte),
        log: context.log,
      });
      const forwarded: number[] = [];
      for (const device of vm.description.devices) {
        if (device.type !== 'passthrough') continue;
        vm.stage2.map(device.base, device.base, device.size, Stage2Access.Read | Stage2Access.Write, Stage2Memory.Device);
        for (const spi of device.interrupts) {
          const id = spiInterruptId(spi);
          this.passthroughOwner[id] = i + 1;
          context.gic.routeSpi(id, vm.vcpus[0]!.pcpu);
          forwarded.push(id);
        }
      }
      vm.onReset.push(() => {
        resetVirtioTransports(transports);
        for (const w of shared) doorbells[w.region]!.resetPeer(w.peer);
        for (const id of forwarded) context.gic.clearActive(id);
      });
    });
  }

  /** The vCPU physical interrupt `id` is passed through to (to forward, not to handle): its VM's vCPU 0; undefined if none. */
  passthroughVcpu(id: number): Vcpu | undefined {
    const owner = this.passthroughOwner[id]!;
    return owner === 0 ? undefined : this.vms[owner - 1]!.vcpus[0];
  }
}
