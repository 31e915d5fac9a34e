import { HypVector } from '../arch/arm/cpu.js';
import { HCR_AMO, HCR_FMO, HCR_IMO, HCR_TSC, HCR_TWE, HCR_TWI, HCR_VM } from '../arch/arm/hyp/hcr.js';
import { CNTVOFF_REGISTER, CP15, VTTBR_REGISTER, type Pl2Port, type Pl2Software } from '../arch/arm/hyp/pl2-port.js';
import { ExceptionClass } from '../arch/arm/hyp/syndrome.js';
import { restoreVcpuContext, saveVcpuContext } from './scheduler/vcpu-context.js';
import { Mode } from '../arch/arm/modes.js';
import { PsciFirmware } from '../board/psci.js';
import { FIRST_SPECIAL_ID } from '../hw/gic/index.js';
import type { SystemDescription } from './config/system-description.js';
import type { DeviceBackends } from './devices/device-backends.js';
import { vmSharedWindows } from './devices/shared-memory-windows.js';
import { SystemDevices } from './devices/system-devices.js';
import { injectPrefetchAbort, injectUndefined, skipTrappedInstruction } from './guest-exceptions.js';
import { PageAllocator, type HostMemory } from './host-memory.js';
import { placeInHostMemory } from './host-placement.js';
import { PhysicalGic, VIRTUAL_TIMER_INTID } from './physical-gic.js';
import { Stage2Table, STAGE2_VTCR } from './stage2/stage2-table.js';
import { TRAP_COSTS } from './trap-costs.js';
import { DataAbortOutcome, emulateDataAbort } from './traps/data-abort.js';
import { planVmBoot, type VmBootPlan, type VmImages } from './vm-boot.js';
import { VmPsciPlatform, type VmPowerControl } from './vm-psci.js';
import { GuestFault } from './vm-statistics.js';
import { Vm, VmState, type Vcpu } from './vm.js';

/** What the hypervisor needs of the machine under it: firmware (PSCI) and its PL2 hook on each processor. */
export interface HypervisorPlatform {
  readonly processorCount: number;
  /** Board RAM base (host physical). */
  readonly ramBase: number;
  readonly memory: HostMemory;
  /** Makes `software` the PL2 software of physical CPU `pcpu`. */
  installPl2(pcpu: number, software: Pl2Software): void;
  /** PSCI CPU_ON to the firmware: physical CPU `pcpu` starts in Hyp mode at `entry`. */
  powerOn(pcpu: number, entry: number): void;
  /** PSCI CPU_OFF, called on physical CPU `pcpu` itself. */
  powerOff(pcpu: number): void;
  /** CNTPCT, the system counter. */
  counter(): number;
}

export interface HypervisorHooks {
  /** A byte the VM wrote to its UART. */
  consoleOutput(vm: Vm, byte: number): void;
  /** A VM stopped, restarted or misbehaved: one line. */
  log(line: string): void;
  /** Host backends of the VMs' virtio devices (disk images, randomness). */
  readonly deviceBackends?: DeviceBackends;
}

/**
 * The hypervisor's code in Hyp mode (ARM): WFI, HVC #0, then a branch to itself (never reached:
 * the HVC enters the hypervisor). A processor starts at the HVC (HYP_STUB_ENTRY); one with no vCPU
 * to run waits at the WFI (interrupts masked, B1.8.13: an asserted interrupt still ends the wait)
 * and its HVC then brings it back into the hypervisor to look again.
 */
const HYP_STUB = new Uint8Array(new Uint32Array([0xe320f003, 0xe1400070, 0xeafffffe]).buffer);
const HYP_STUB_ENTRY = 4;
/** SPSR_hyp for an ERET to the stub: Hyp mode, A, I and F masked. */
const HYP_STUB_SPSR = Mode.Hyp | 0x1c0;
/** HSR ISS bit 0 of a trapped WFI/WFE (B3.13.6): 1 = WFE. */
const ISS_WFE = 1;
/**
 * HCR (B4.1.65) while a guest runs: stage 2 on, physical IRQ/FIQ/aborts to Hyp mode, SMC trapped,
 * and WFI/WFE trapped (TWI/TWE) when they would wait, so a waiting vCPU is the hypervisor's to park.
 */
const GUEST_HCR = HCR_VM | HCR_IMO | HCR_FMO | HCR_AMO | HCR_TSC | HCR_TWI | HCR_TWE;
/** CNTHCTL (B4.1.26): PL1PCTEN [0] = 1 (CNTPCT readable), PL1PCEN [1] = 0 (the physical timer is the hypervisor's: trapped). */
const GUEST_CNTHCTL = 1;

/**
 * The Partita hypervisor: static partitioning of the board's processors, memory and interrupts
 * among VMs, each vCPU pinned to its own physical CPU. It occupies PL2 (Pl2Software): every
 * exception taken to Hyp mode reaches `hypTrap`, which handles it by its HSR syndrome and
 * returns to the guest, or stops the processor when its vCPU has nothing to run.
 *
 * A physical CPU enters the hypervisor from firmware through a two-instruction boot stub whose
 * HVC traps to it in Hyp mode; it then programs the CPU's Hyp state for its vCPU (HCR, VTCR,
 * VTTBR with the VM's VMID, VPIDR/VMPIDR, CNTVOFF, CNTHCTL, the physical GIC's CPU interface)
 * and enters the guest.
 */
export class PartitionHypervisor implements Pl2Software, VmPowerControl {
  readonly vms: readonly Vm[];
  private readonly gic: PhysicalGic;
  private readonly hypStub: number;
  /** The vCPU each physical CPU runs (static: at most one per CPU). */
  private readonly vcpuOnCpu: (Vcpu | undefined)[];
  private readonly cpuOn: boolean[];
  private readonly psci: readonly PsciFirmware<Vcpu>[];
  private readonly bootPlans: readonly VmBootPlan[];
  /** VMs to boot again once their processors have stopped (SYSTEM_RESET, or a restart after a failure). */
  private readonly restartPending: boolean[];
  /**
   * CNTVOFF of each VM: the counter when it booted, so its virtual count starts near 0, plus the
   * time it spent paused (a paused VM's virtual time stands still, as QEMU's `stop`, unlike Xen's
   * pause: its timers and the deadlines it counts continue on resume as if it had run on).
   */
  private readonly virtualOffset: number[];
  private readonly devices: SystemDevices;
  /** The counter when each paused VM was paused. */
  private readonly pausedAt: number[];

  constructor(
    private readonly platform: HypervisorPlatform,
    system: SystemDescription,
    images: readonly VmImages[],
    private readonly hooks: HypervisorHooks,
  ) {
    const placement = placeInHostMemory(system, platform.ramBase);
    const pages = new PageAllocator(platform.memory, placement.reserve.base, placement.reserve.size);
    this.gic = new PhysicalGic(platform.memory);
    this.hypStub = pages.allocatePage();
    platform.memory.load(this.hypStub, HYP_STUB);
    this.vcpuOnCpu = new Array(platform.processorCount).fill(undefined);
    this.cpuOn = new Array(platform.processorCount).fill(false);
    this.cpuOn[0] = true; // the board starts processor 0
    this.vms = system.vms.map((description, i) => new Vm(i, description, placement.regionHostBases[i]!, new Stage2Table(platform.memory, pages.allocatePage), {
      consoleOutput: (byte) => hooks.consoleOutput(this.vms[i]!, byte),
      kickVcpu: (vcpu) => this.kick(vcpu),
      log: hooks.log,
    }));
    for (const vm of this.vms) for (const vcpu of vm.vcpus) this.vcpuOnCpu[vcpu.pcpu] = vcpu;
    this.devices = new SystemDevices(system, this.vms, { memory: platform.memory, gic: this.gic, sharedHostBases: placement.sharedHostBases, backends: hooks.deviceBackends, consoleOutput: hooks.consoleOutput, log: hooks.log });
    this.psci = this.vms.map((vm) => new PsciFirmware<Vcpu>(new VmPsciPlatform(vm, this)));
    this.bootPlans = this.vms.map((vm, i) => planVmBoot(vm.description, images[i]!, vmSharedWindows(system, i)));
    this.restartPending = this.vms.map(() => false);
    this.virtualOffset = this.vms.map(() => 0);
    this.pausedAt = this.vms.map(() => 0);
    for (let pcpu = 0; pcpu < platform.processorCount; pcpu++) platform.installPl2(pcpu, this);
  }

  /** Where physical CPU 0, started by the board in Hyp mode, must begin: the boot stub. */
  get entry(): number {
    return this.hypStub + HYP_STUB_ENTRY;
  }

  /** Loads every VM's images and starts its first vCPU. */
  start(): void {
    for (const vm of this.vms) this.boot(vm);
    // Processor 0 runs the boot stub even when no VM uses it: it then powers itself off.
  }

  // ---- Host control of each VM ----------------------------------------------------------------
  // Each acts at once on the hypervisor's state and kicks the VM's processors (a physical SGI):
  // at that trap a stopped vCPU's processor powers off, a paused one's state is saved and its
  // processor waits in the hypervisor, a resumed one's is put back. Each returns whether it did
  // something (false: the VM was not in a state it applies to); an unknown name is a RangeError.

  /** Boots a stopped VM (as from power-on: images loaded again, vCPU 0 at the kernel's entry). */
  startVm(name: string): boolean {
    const vm = this.vmNamed(name);
    if (vm.state !== VmState.Stopped || this.restartPending[vm.index]) return false;
    this.hooks.log(`${vm.name}: starting`);
    this.bootWhenStopped(vm);
    return true;
  }

  /** Stops a running or paused VM: its processors power off; `startVm` boots it again. */
  stopVm(name: string): boolean {
    const vm = this.vmNamed(name);
    if (vm.state === VmState.Stopped) return false;
    this.hooks.log(`${vm.name}: stopping`);
    this.stop(vm);
    return true;
  }

  /** Stops the VM (whatever its state) and boots it again, as a SYSTEM_RESET would. */
  resetVm(name: string): boolean {
    const vm = this.vmNamed(name);
    this.hooks.log(`${vm.name}: resetting`);
    if (vm.state !== VmState.Stopped) this.stop(vm);
    this.bootWhenStopped(vm);
    return true;
  }

  /** Holds a running VM's vCPUs in the hypervisor with their state kept; its virtual time stops. */
  pauseVm(name: string): boolean {
    const vm = this.vmNamed(name);
    if (vm.state !== VmState.Running) return false;
    this.hooks.log(`${vm.name}: paused`);
    vm.state = VmState.Paused;
    this.pausedAt[vm.index] = this.platform.counter();
    for (const vcpu of vm.vcpus) this.kick(vcpu);
    return true;
  }

  /** Lets a paused VM run on exactly where it was, its virtual time continuing from the pause. */
  resumeVm(name: string): boolean {
    const vm = this.vmNamed(name);
    if (vm.state !== VmState.Paused) return false;
    this.hooks.log(`${vm.name}: resumed`);
    this.virtualOffset[vm.index]! += this.platform.counter() - this.pausedAt[vm.index]!;
    vm.state = VmState.Running;
    for (const vcpu of vm.vcpus) this.kick(vcpu);
    return true;
  }

  private vmNamed(name: string): Vm {
    const vm = this.vms.find((v) => v.name === name);
    if (vm === undefined) throw new RangeError(`no VM '${name}' (${this.vms.map((v) => v.name).join(', ')})`);
    return vm;
  }

  /** Boots a stopped VM now, or once its last processor has powered off. */
  private bootWhenStopped(vm: Vm): void {
    if (vm.vcpus.some((v) => this.cpuOn[v.pcpu])) {
      this.restartPending[vm.index] = true;
      return;
    }
    this.restartPending[vm.index] = false;
    vm.reset();
    this.boot(vm);
  }

  // ---- PL2 ------------------------------------------------------------------------------------

  hypTrap(port: Pl2Port, vector: HypVector): void {
    const pcpu = port.processorIndex;
    if ((port.spsr & 0x1f) === Mode.Hyp) return this.fromHypStub(port);
    const vcpu = this.vcpuOnCpu[pcpu];
    if (vcpu === undefined) return this.stopCpu(pcpu);
    const vm = vcpu.vm;
    const start = port.cycleCount;
    port.charge(TRAP_COSTS.roundTrip + TRAP_COSTS.dispatch + TRAP_COSTS.listRegisters);
    vm.vgic.sync(vcpu.index, this.gic.gich);
    if (vector === HypVector.Irq) this.takePhysicalInterrupts(port, vcpu);
    else this.handleGuestTrap(port, vcpu);
    if (this.restartPending[vm.index] && vcpu.index === 0 && this.othersStopped(vm, vcpu)) {
      vm.statistics.hypervisorCycles += port.cycleCount - start;
      return this.reboot(port, vcpu);
    }
    if (!vcpu.on || vm.state === VmState.Stopped) {
      vm.statistics.hypervisorCycles += port.cycleCount - start;
      return this.stopCpu(pcpu);
    }
    if (vm.state === VmState.Paused) {
      this.switchOut(port, vcpu);
      vm.statistics.hypervisorCycles += port.cycleCount - start;
      return this.idle(port);
    }
    vm.vgic.flush(vcpu.index, this.gic.gich);
    vm.statistics.worldSwitches++;
    vm.statistics.hypervisorCycles += port.cycleCount - start;
    port.returnToGuest();
    if (vcpu.waitRequested) {
      vcpu.waitRequested = false;
      port.waitForInterrupt();
    }
  }

  /**
   * The processor came from the Hyp stub's HVC: it starts (boot or PSCI CPU_ON), or it waited
   * with nothing to run and an interrupt ended the wait. Its vCPU is entered (first time),
   * switched back in (resumed), or the processor waits again or powers off.
   */
  private fromHypStub(port: Pl2Port): void {
    const pcpu = port.processorIndex;
    const vcpu = this.vcpuOnCpu[pcpu];
    if (vcpu === undefined || !vcpu.on || vcpu.vm.state === VmState.Stopped) return this.stopCpu(pcpu);
    this.gic.initializeThisCpu();
    this.takePhysicalInterrupts(port, undefined);
    if (vcpu.vm.state === VmState.Paused) return this.idle(port);
    if (vcpu.contextSaved) return this.switchIn(port, vcpu);
    this.enterVcpu(port, vcpu);
  }

  /** ERET to the Hyp stub's WFI: the processor waits in the hypervisor, out of any guest. */
  private idle(port: Pl2Port): void {
    port.elr = this.hypStub;
    port.spsr = HYP_STUB_SPSR;
    port.returnToGuest();
  }

  /** The vCPU leaves its processor (after its vGIC sync): its whole state into its context. */
  private switchOut(port: Pl2Port, vcpu: Vcpu): void {
    port.charge(TRAP_COSTS.contextSwitch);
    vcpu.vm.vgic.save(vcpu.index, this.gic.gich);
    saveVcpuContext(port, vcpu.context);
    vcpu.contextSaved = true;
  }

  /** The vCPU comes back to its processor where it left: its VM's Hyp state, its context, its vGIC interface. */
  private switchIn(port: Pl2Port, vcpu: Vcpu): void {
    const vm = vcpu.vm;
    port.charge(TRAP_COSTS.contextSwitch);
    this.programHypState(port, vcpu);
    restoreVcpuContext(port, vcpu.context);
    vcpu.contextSaved = false;
    vm.vgic.restore(vcpu.index, this.gic.gich);
    vm.vgic.flush(vcpu.index, this.gic.gich);
    vm.statistics.worldSwitches++;
    port.returnToGuest();
    if (vcpu.waitRequested) {
      vcpu.waitRequested = false;
      port.waitForInterrupt();
    }
  }

  private handleGuestTrap(port: Pl2Port, vcpu: Vcpu): void {
    const ec = port.hsr >>> 26;
    const statistics = vcpu.vm.statistics;
    statistics.trapsByClass[ec]!++;
    switch (ec) {
      case ExceptionClass.DataAbortLower: {
        port.charge(TRAP_COSTS.mmioEmulation);
        const outcome = emulateDataAbort(port, vcpu, this.platform.memory);
        if (outcome === DataAbortOutcome.NothingThere) this.guestFault(vcpu, GuestFault.NothingThere, `data access at IPA 0x${port.faultIpa.toString(16)}: nothing there`);
        if (outcome === DataAbortOutcome.NotDescribed) this.guestFault(vcpu, GuestFault.NotDescribed, `device access at IPA 0x${port.faultIpa.toString(16)} that the syndrome does not describe (ISV = 0)`);
        return;
      }
      case ExceptionClass.PrefetchAbortLower:
        port.charge(TRAP_COSTS.exceptionInjection);
        this.guestFault(vcpu, GuestFault.Fetch, `instruction fetch at IPA 0x${port.instructionFaultIpa.toString(16)}: not executable memory of the VM`);
        return injectPrefetchAbort(port);
      case ExceptionClass.WfiWfe:
        // HCR.TWI/TWE trapped it because it would wait (B1.14.9): complete it; a WFI waits in the
        // guest once the hypervisor returns, until an interrupt (a virtual one in the LRs, or a
        // physical one: a kick, the virtual timer) is asserted; a WFE is a yield.
        skipTrappedInstruction(port);
        if ((port.hsr & ISS_WFE) === 0) vcpu.waitRequested = true;
        return;
      case ExceptionClass.HypervisorCall:
        port.charge(TRAP_COSTS.hypervisorCall);
        return this.firmwareCall(port, vcpu);
      case ExceptionClass.SecureMonitorCall:
        // HCR.TSC: the preferred return is the SMC itself (B1.14.4); answer it as the HVC conduit, then skip it.
        port.charge(TRAP_COSTS.hypervisorCall);
        skipTrappedInstruction(port);
        return this.firmwareCall(port, vcpu);
      default:
        port.charge(TRAP_COSTS.exceptionInjection);
        return injectUndefined(port);
    }
  }

  /** PSCI from the guest (SMC Calling Convention: function and arguments in R0-R3, result in R0). */
  private firmwareCall(port: Pl2Port, vcpu: Vcpu): void {
    const result = this.psci[vcpu.vm.index]!.handle(
      vcpu, port.guestRegister(0) >>> 0, port.guestRegister(1) >>> 0, port.guestRegister(2) >>> 0, port.guestRegister(3) >>> 0,
    );
    if (result !== undefined) port.setGuestRegister(0, result);
  }

  /**
   * Physical interrupts, acknowledged one by one: the virtual timer is forwarded to the vCPU
   * (it stays active until the guest deactivates it through GICH_LR.HW); kicks and the
   * maintenance interrupt only made the processor exit, so they are deactivated at once.
   */
  private takePhysicalInterrupts(port: Pl2Port, vcpu: Vcpu | undefined): void {
    const gic = this.gic;
    for (;;) {
      const iar = gic.acknowledge();
      const id = iar & 0x3ff;
      if (id >= FIRST_SPECIAL_ID) return;
      port.charge(TRAP_COSTS.physicalInterrupt);
      gic.dropPriority(iar);
      if (vcpu !== undefined) vcpu.vm.statistics.interrupts++;
      if (vcpu !== undefined && (id === VIRTUAL_TIMER_INTID || this.devices.isPassedThrough(vcpu.vm, id))) vcpu.vm.vgic.forwardHardware(vcpu.index, id);
      else gic.deactivate(iar);
    }
  }

  /**
   * A guest did something only a broken or hostile guest does and got the architectural answer
   * (an external abort). The VM's on-failure policy decides what follows: it is stopped, booted
   * again, or runs on ('report'); every fault is counted, and logged unless 'report' has already
   * logged one of its kind.
   */
  private guestFault(vcpu: Vcpu, kind: GuestFault, what: string): void {
    const vm = vcpu.vm;
    const policy = vm.description.onFailure;
    const first = vm.statistics.guestFaults[kind]++ === 0;
    const where = `${vm.name}: vcpu${vcpu.index}: ${what}`;
    if (policy === 'report') {
      if (first) this.hooks.log(`${where} (an external abort; further ones are only counted)`);
      return;
    }
    this.hooks.log(`${where}: ${policy === 'stop' ? 'stopping' : 'restarting'} the VM (on-failure: ${policy})`);
    this.stop(vm);
    if (policy === 'restart') this.restartPending[vm.index] = true;
  }

  // ---- Starting and stopping -------------------------------------------------------------------

  /** Programs physical CPU `port`'s Hyp state for `vcpu` and enters the guest at the vCPU's entry. */
  private enterVcpu(port: Pl2Port, vcpu: Vcpu): void {
    const vm = vcpu.vm;
    this.gic.initializeThisCpu();
    this.programHypState(port, vcpu);
    vm.vgic.flush(vcpu.index, this.gic.gich);
    vm.statistics.worldSwitches++;
    port.enterGuest(vcpu.entry, Mode.Svc, vcpu.startRegisters);
  }

  /** The Hyp state that makes the processor `vcpu`'s: HCR, stage 2 (VTCR, VTTBR with its VMID), VPIDR/VMPIDR, CNTVOFF, CNTHCTL. */
  private programHypState(port: Pl2Port, vcpu: Vcpu): void {
    const vm = vcpu.vm;
    port.writeCp15(...CP15.HCR, GUEST_HCR);
    port.writeCp15(...CP15.VTCR, STAGE2_VTCR);
    const vttbr = vm.stage2.vttbr(vm.vmid);
    port.writeCp15Pair(VTTBR_REGISTER, vttbr.low, vttbr.high);
    port.writeCp15(...CP15.VPIDR, port.readCp15(...CP15.MIDR));
    port.writeCp15(...CP15.VMPIDR, vcpu.mpidr);
    const offset = this.virtualOffset[vm.index]!;
    port.writeCp15Pair(CNTVOFF_REGISTER, offset >>> 0, Math.floor(offset / 2 ** 32));
    port.writeCp15(...CP15.CNTHCTL, GUEST_CNTHCTL);
  }

  /** Loads a VM's images into its RAM (cleared first) and starts its vCPU 0. */
  private boot(vm: Vm): void {
    const memory = this.platform.memory;
    for (const r of vm.regions) memory.clear(r.hostBase, r.size);
    for (const blob of this.bootPlans[vm.index]!.blobs) {
      const host = vm.hostAddress(blob.ipa);
      if (host < 0 || vm.hostAddress(blob.ipa + blob.data.length - 1) !== host + blob.data.length - 1) {
        throw new RangeError(`${vm.name}: ${blob.what} (0x${blob.ipa.toString(16)}, ${blob.data.length} bytes) is not inside one of its memory regions`);
      }
      memory.load(host, blob.data);
    }
    vm.boots++;
    vm.state = VmState.Running;
    for (const vcpu of vm.vcpus) vcpu.contextSaved = vcpu.waitRequested = false;
    this.virtualOffset[vm.index] = this.platform.counter();
    const first = vm.vcpus[0]!;
    first.entry = this.bootPlans[vm.index]!.entry;
    first.startRegisters = this.bootPlans[vm.index]!.registers;
    this.startVcpu(first);
  }

  /** VmPowerControl: PSCI CPU_ON of a vCPU powers its physical CPU on at the boot stub. */
  startVcpu(vcpu: Vcpu): void {
    vcpu.on = true;
    if (!this.cpuOn[vcpu.pcpu]) {
      this.cpuOn[vcpu.pcpu] = true;
      this.platform.powerOn(vcpu.pcpu, this.entry);
    }
  }

  /** VmPowerControl: CPU_OFF of the calling vCPU; its processor stops once the call returns. */
  stopVcpu(vcpu: Vcpu): void {
    vcpu.on = false;
  }

  systemOff(vm: Vm): void {
    this.hooks.log(`${vm.name}: powered off (PSCI SYSTEM_OFF)`);
    this.stop(vm);
  }

  systemReset(vm: Vm): void {
    this.hooks.log(`${vm.name}: reset (PSCI SYSTEM_RESET)`);
    this.stop(vm);
    this.restartPending[vm.index] = true;
  }

  /** Stops every vCPU of the VM: each processor powers off at its next trap, which a kick brings at once. */
  private stop(vm: Vm): void {
    vm.state = VmState.Stopped;
    for (const vcpu of vm.vcpus) {
      vcpu.on = false;
      this.kick(vcpu);
    }
  }

  private othersStopped(vm: Vm, self: Vcpu): boolean {
    return vm.vcpus.every((v) => v === self || !this.cpuOn[v.pcpu]);
  }

  /** SYSTEM_RESET on the processor of vCPU 0: the processor is reset and the VM boots again on it. */
  private reboot(port: Pl2Port, vcpu: Vcpu): void {
    const vm = vcpu.vm;
    this.restartPending[vm.index] = false;
    port.resetProcessor();
    vm.reset();
    this.boot(vm);
    this.enterVcpu(port, vcpu);
  }

  private stopCpu(pcpu: number): void {
    this.cpuOn[pcpu] = false;
    this.platform.powerOff(pcpu);
    const vcpu = this.vcpuOnCpu[pcpu];
    if (vcpu === undefined) return;
    const vm = vcpu.vm;
    // The last processor of a VM waiting for a reset to go off: vCPU 0's boots it again.
    if (this.restartPending[vm.index] && vm.vcpus.every((v) => !this.cpuOn[v.pcpu])) {
      this.restartPending[vm.index] = false;
      vm.reset();
      this.boot(vm);
    }
  }

  /** Makes the processor of `vcpu` exit its guest: a physical SGI (IHI 0048B 4.3.15). */
  private kick(vcpu: Vcpu): void {
    if (this.cpuOn[vcpu.pcpu]) this.gic.kick(vcpu.pcpu);
  }
}
