import { VIRT_MEMORY_MAP, VIRT_SPI } from '../board/virt-memory-map.js';
import { VIRT_GIC_INTERRUPTS } from '../board/virt-board.js';
import { Pl011 } from '../hw/pl011.js';
import type { VmDescription } from './config/system-description.js';
import { EmulatedDevices } from './emulated-devices.js';
import { Stage2Access, Stage2Memory, type Stage2Table } from './stage2/stage2-table.js';
import { VcpuContext } from './scheduler/vcpu-context.js';
import { VirtualGic } from './vgic/index.js';
import { VmStatistics } from './vm-statistics.js';

/** A vCPU: one of a VM's processors, pinned to one physical CPU (its own, or shared with other VMs' vCPUs). */
export class Vcpu {
  /** Powered on (PSCI): running, or waiting in WFI. */
  on = false;
  /** Where it starts at its next power-on, and R0-R2 then. */
  entry = 0;
  startRegisters: readonly number[] = [];
  /** It waits as for WFI once it returns to its guest (a PSCI CPU_SUSPEND, a trapped WFI). */
  waitRequested = false;
  /** Its guest state while it is out of its processor (paused, or another vCPU runs there). */
  readonly context = new VcpuContext();
  /** Whether `context` holds its state (it has run, and was switched out since). */
  contextSaved = false;
  /**
   * On a physical CPU shared under the VM scheduler: it executed WFI (trapped) and wants the
   * processor again only once an interrupt for it is pending or its virtual timer fires.
   */
  waiting = false;
  /** On a shared physical CPU: the instructions it executed there up to its last switch-out. */
  sharedInstructions = 0;
  /** On a shared physical CPU: the processor's executedInstructions when it last got it. */
  residentFrom = 0;
  /** Its virtual timer's physical PPI was active (forwarded, not yet deactivated by the guest) when it was switched out. */
  timerActive = false;

  constructor(readonly vm: Vm, readonly index: number, readonly pcpu: number) {}

  /** VMPIDR (B4.1.161): what MPIDR reads in the guest: multiprocessor format, Aff0 = the vCPU index. */
  get mpidr(): number {
    return (0x80000000 | this.index) >>> 0;
  }
}

export const enum VmState {
  Running = 'running',
  /** Its processors are held in the hypervisor, its state kept; its virtual time stands still. */
  Paused = 'paused',
  Stopped = 'stopped',
}

const PERMISSIONS: Readonly<Record<string, number>> = {
  rwx: Stage2Access.Read | Stage2Access.Write | Stage2Access.Execute,
  rw: Stage2Access.Read | Stage2Access.Write,
  rx: Stage2Access.Read | Stage2Access.Execute,
  r: Stage2Access.Read,
};

/** A region of a VM's RAM: guest-physical and host-physical bases. */
export interface VmRegion {
  readonly guestBase: number;
  readonly hostBase: number;
  readonly size: number;
}

/**
 * A VM: its vCPUs, its guest-physical memory (stage 2), the devices emulated for it (a PL011 at
 * the virt UART address and the distributor of its virtual GIC, both left unmapped in stage 2 so
 * every access traps) and the GIC's virtual CPU interface mapped where the guest expects the CPU
 * interface. VMID = index + 1 (VMID 0 is left unused).
 */
export class Vm {
  readonly vmid: number;
  readonly name: string;
  readonly vcpus: readonly Vcpu[];
  readonly regions: readonly VmRegion[];
  readonly devices = new EmulatedDevices();
  readonly vgic: VirtualGic;
  readonly uart: Pl011;
  readonly statistics: VmStatistics;
  state: VmState = VmState.Stopped;
  /** Times the VM has been started (1 for the first boot; each restart adds one). */
  boots = 0;
  /** Resets of its other devices (devices/system-devices.ts), run by `reset`. */
  readonly onReset: (() => void)[] = [];

  constructor(
    readonly index: number,
    readonly description: VmDescription,
    hostBases: readonly number[],
    readonly stage2: Stage2Table,
    hooks: { readonly consoleOutput: (byte: number) => void; readonly kickVcpu: (vcpu: Vcpu) => void; readonly log: (line: string) => void },
  ) {
    this.vmid = index + 1;
    this.name = description.name;
    this.vcpus = description.cpus.map((pcpu, i) => new Vcpu(this, i, pcpu));
    this.regions = description.memory.map((r, i) => ({ guestBase: r.guestBase, hostBase: hostBases[i]!, size: r.size }));
    this.statistics = new VmStatistics();
    const log = (line: string): void => hooks.log(`${this.name}: ${line}`);
    this.vgic = new VirtualGic(this.vcpus.length, VIRT_GIC_INTERRUPTS, { kick: (vcpu) => hooks.kickVcpu(this.vcpus[vcpu]!) }, log);
    this.uart = new Pl011(hooks.consoleOutput, this.vgic.spiLine(VIRT_SPI.uart));
    const map = VIRT_MEMORY_MAP;
    this.devices.add(map.gicDistributor.base, map.gicDistributor.size, this.vgic.distributor);
    this.devices.add(map.uart.base, map.uart.size, this.uart);

    description.memory.forEach((r, i) => {
      stage2.map(r.guestBase, hostBases[i]!, r.size, PERMISSIONS[r.permissions]!, Stage2Memory.Normal);
    });
    // GICV (IHI 0048B 5.6) where the guest's device tree puts the CPU interface: its two 4 KiB pages (GICV_DIR is at 0x1000).
    stage2.map(map.gicCpuInterface.base, map.gicVirtualCpu.base, 0x2000, Stage2Access.Read | Stage2Access.Write, Stage2Memory.Device);
  }

  /** Reset of the VM's devices before it boots again. */
  reset(): void {
    this.vgic.reset();
    this.uart.reset();
    for (const reset of this.onReset) reset();
  }

  /** The host-physical address of guest-physical `ipa` in this VM's RAM, or -1. */
  hostAddress(ipa: number): number {
    for (const r of this.regions) if (ipa >= r.guestBase && ipa < r.guestBase + r.size) return r.hostBase + (ipa - r.guestBase);
    return -1;
  }

  /** The vCPU on physical CPU `pcpu`, if this VM has one there. */
  vcpuOn(pcpu: number): Vcpu | undefined {
    return this.vcpus.find((v) => v.pcpu === pcpu);
  }
}
