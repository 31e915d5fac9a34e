import { HypVector } from '../arch/arm/cpu.js';
import { HCR_AMO, HCR_FMO, HCR_IMO, HCR_TSC, HCR_TWE, HCR_TWI, HCR_VM } from '../arch/arm/hyp/hcr.js';
import {
  CNTHP_CTL_REGISTER, CNTHP_CVAL_REGISTER, CNTVOFF_REGISTER, CP15, VTTBR_REGISTER, type Pl2Port, type Pl2Software,
} from '../arch/arm/hyp/pl2-port.js';
import { CNT_CTL_ENABLE, COUNTER_FREQUENCY_HZ } from '../arch/arm/generic-timer.js';
import { ExceptionClass } from '../arch/arm/hyp/syndrome.js';
import { CpuScheduler, type Reservation } from './scheduler/cpu-scheduler.js';
import { restoreVcpuContext, saveVcpuContext } from './scheduler/vcpu-context.js';
import { Mode } from '../arch/arm/modes.js';
import { PsciFirmware } from '../board/psci.js';
import { FIRST_SPECIAL_ID } from '../hw/gic/index.js';
import type { SchedulingDescription, SystemDescription } from './config/system-description.js';
import type { DeviceBackends } from './devices/device-backends.js';
import { vmSharedWindows } from './devices/shared-memory-windows.js';
import { SystemDevices } from './devices/system-devices.js';
import { injectPrefetchAbort, injectUndefined, skipTrappedInstruction } from './guest-exceptions.js';
import { PageAllocator, type HostMemory } from './host-memory.js';
import { placeInHostMemory } from './host-placement.js';
import { HYP_TIMER_INTID, PhysicalGic, VIRTUAL_TIMER_INTID } from './physical-gic.js';
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
/** System counter ticks per microsecond. */
const TICKS_PER_US = COUNTER_FREQUENCY_HZ / 1e6;
/** The VM scheduler's round-robin quantum among equals on a shared physical CPU: 1 ms. */
const SCHEDULER_QUANTUM_TICKS = 1000 * TICKS_PER_US;

/** What a physical CPU runs: its vCPUs and, when vCPUs of several VMs share it, their scheduler. */
interface PhysicalCpu {
  readonly vcpus: readonly Vcpu[];
  readonly scheduler: CpuScheduler<Vcpu> | undefined;
  /**
   * The vCPU whose state is in the processor: always its only vCPU on a processor of its own; on
   * a shared one the scheduler's choice, or none while the processor waits or is off.
   */
  resident: Vcpu | undefined;
  /** Shared: the resident vCPU waits in its guest for an interrupt (nothing else wants the processor); its budget is not used meanwhile. */
  residentWaits: boolean;
}

/**
 * The Partita hypervisor: static partitioning of the board's processors, memory and interrupts
 * among VMs, each vCPU pinned to a physical CPU, its own or one shared with other VMs' vCPUs
 * under a VM scheduler (CpuScheduler: reservations at fixed priorities, background round robin).
 * It occupies PL2 (Pl2Software): every exception taken to Hyp mode reaches `hypTrap`, which
 * handles it by its HSR syndrome and returns to the guest, switches the processor to another
 * vCPU, or stops the processor when it has nothing to run.
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
  private readonly cpus: readonly PhysicalCpu[];
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
    this.cpuOn = new Array(platform.processorCount).fill(false);
    this.cpuOn[0] = true; // the board starts processor 0
    this.vms = system.vms.map((description, i) => new Vm(i, description, placement.regionHostBases[i]!, new Stage2Table(platform.memory, pages.allocatePage), {
      consoleOutput: (byte) => hooks.consoleOutput(this.vms[i]!, byte),
      kickVcpu: (vcpu) => this.kick(vcpu),
      log: hooks.log,
    }));
    this.cpus = Array.from({ length: platform.processorCount }, (_, pcpu) => this.physicalCpu(pcpu));
    this.devices = new SystemDevices(system, this.vms, { memory: platform.memory, gic: this.gic, sharedHostBases: placement.sharedHostBases, backends: hooks.deviceBackends, consoleOutput: hooks.consoleOutput, log: hooks.log });
    this.psci = this.vms.map((vm) => new PsciFirmware<Vcpu>(new VmPsciPlatform(vm, this)));
    this.bootPlans = this.vms.map((vm, i) => planVmBoot(vm.description, images[i]!, vmSharedWindows(system, i)));
    this.restartPending = this.vms.map(() => false);
    this.virtualOffset = this.vms.map(() => 0);
    this.pausedAt = this.vms.map(() => 0);
    for (let pcpu = 0; pcpu < platform.processorCount; pcpu++) platform.installPl2(pcpu, this);
  }

  private physicalCpu(pcpu: number): PhysicalCpu {
    const vcpus = this.vms.flatMap((vm) => vm.vcpus.filter((v) => v.pcpu === pcpu));
    if (vcpus.length <= 1) return { vcpus, scheduler: undefined, resident: vcpus[0], residentWaits: false };
    const now = this.platform.counter();
    const scheduler = new CpuScheduler<Vcpu>(SCHEDULER_QUANTUM_TICKS, now);
    for (const vcpu of vcpus) scheduler.add(vcpu, reservationOf(vcpu.vm.description.scheduling), now);
    return { vcpus, scheduler, resident: undefined, residentWaits: false };
  }

  /**
   * The guest instructions `vm`'s vCPUs have executed: all of their processor's when it is
   * theirs alone, the ones executed while resident when it is shared. `executed` gives a
   * processor's count (Cpu.executedInstructions).
   */
  guestInstructions(vm: Vm, executed: (pcpu: number) => number): number {
    let total = 0;
    for (const v of vm.vcpus) {
      const cpu = this.cpus[v.pcpu]!;
      if (cpu.scheduler === undefined) total += executed(v.pcpu);
      else total += v.sharedInstructions + (cpu.resident === v ? executed(v.pcpu) - v.residentFrom : 0);
    }
    return total;
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
    if (vm.vcpus.some((v) => this.holdsProcessor(v))) {
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
    const cpu = this.cpus[pcpu]!;
    const vcpu = cpu.resident;
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
    if (cpu.scheduler !== undefined) {
      this.reschedule(port, cpu, vcpu);
      vm.statistics.hypervisorCycles += port.cycleCount - start;
      return;
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
    const cpu = this.cpus[pcpu]!;
    if (cpu.scheduler !== undefined) {
      this.gic.initializeThisCpu();
      this.takePhysicalInterrupts(port, undefined);
      return this.reschedule(port, cpu, undefined);
    }
    const vcpu = cpu.resident;
    if (vcpu === undefined || !vcpu.on || vcpu.vm.state === VmState.Stopped) return this.stopCpu(pcpu);
    this.gic.initializeThisCpu();
    this.takePhysicalInterrupts(port, undefined);
    if (vcpu.vm.state === VmState.Paused) return this.idle(port);
    if (vcpu.contextSaved) return this.switchIn(port, vcpu);
    this.enterVcpu(port, vcpu);
  }

  // ---- The VM scheduler of a shared physical CPU ----------------------------------------------

  /**
   * On a shared physical CPU, after a trap of `from` (its resident vCPU) or when the waiting
   * processor woke (`from` undefined): the budgets are charged, waiting vCPUs with an interrupt
   * (or a due virtual timer) wake, and the scheduler's choice runs: `from` on, another vCPU
   * switched in (or entered for the first time, on a processor reset as from power-on), or none
   * (the processor waits in the hypervisor; it powers off when none of its vCPUs is on). When
   * nothing else wants the processor, a vCPU that executed WFI waits in its own guest as on a
   * processor of its own. The Hyp timer is armed for the scheduler's next event.
   */
  private reschedule(port: Pl2Port, cpu: PhysicalCpu, from: Vcpu | undefined): void {
    const scheduler = cpu.scheduler!;
    const now = this.platform.counter();
    scheduler.account(cpu.residentWaits ? undefined : from, now);
    if (from !== undefined && !isLive(from) && from.vm.state !== VmState.Paused) {
      // Off, or its VM stopped: it leaves with nothing to keep, and its VM may boot again now.
      const vm = from.vm;
      from.sharedInstructions += port.executedInstructions - from.residentFrom;
      this.releaseTimerInterrupt(from);
      cpu.resident = from = undefined;
      this.restartWhenOut(vm);
    }
    if (from?.waitRequested === true) {
      from.waitRequested = false;
      from.waiting = true;
    }
    for (const v of cpu.vcpus) if (v.waiting && this.hasWork(v, now)) v.waiting = false;
    let next = scheduler.pick(from, now, isRunnable);
    cpu.residentWaits = next === undefined && from !== undefined && from.waiting && isLive(from);
    if (cpu.residentWaits) next = from;
    if (from !== undefined && next !== from) {
      from.sharedInstructions += port.executedInstructions - from.residentFrom;
      this.switchOut(port, from);
      cpu.resident = undefined;
    }
    if (next !== undefined && next !== from && !next.contextSaved) port.resetProcessor();
    this.armSchedulerTimer(port, cpu, cpu.residentWaits ? undefined : next);
    if (next === undefined) {
      if (cpu.vcpus.some((v) => v.on)) return this.idle(port);
      return this.stopCpu(port.processorIndex);
    }
    if (next === from) {
      next.vm.vgic.flush(next.index, this.gic.gich);
      next.vm.statistics.worldSwitches++;
      port.returnToGuest();
      if (cpu.residentWaits) port.waitForInterrupt();
      return;
    }
    cpu.resident = next;
    next.residentFrom = port.executedInstructions;
    next.vm.statistics.vcpuSwitches++;
    if (next.contextSaved) this.switchIn(port, next);
    else this.enterVcpu(port, next);
  }

  /** Whether a waiting vCPU has a reason to run: an interrupt to deliver, or its (saved) virtual timer's condition met. */
  private hasWork(vcpu: Vcpu, now: number): boolean {
    if (vcpu.vm.vgic.hasDeliverable(vcpu.index)) return true;
    const due = this.timerDue(vcpu);
    return due !== undefined && now >= due;
  }

  /** When a switched-out vCPU's virtual timer fires, in system counter ticks (CNTVCT + CNTVOFF = CNTPCT, B8.1.2), if it is armed. */
  private timerDue(vcpu: Vcpu): number | undefined {
    if (!vcpu.contextSaved) return undefined;
    const deadline = vcpu.context.timerDeadline();
    return deadline === undefined ? undefined : deadline + this.virtualOffset[vcpu.vm.index]!;
  }

  /**
   * The Hyp timer (CNTHP_CVAL/CTL, B4.1.27-28; PPI 26, taken as any physical interrupt) at the
   * scheduler's next event for `running` and the earliest virtual timer of a switched-out
   * waiting vCPU; off when there is none.
   */
  private armSchedulerTimer(port: Pl2Port, cpu: PhysicalCpu, running: Vcpu | undefined): void {
    let at = cpu.scheduler!.nextEvent(running, isRunnable);
    for (const v of cpu.vcpus) {
      const due = v.waiting && isLive(v) ? this.timerDue(v) : undefined;
      if (due !== undefined) at = Math.min(at, due);
    }
    if (at === Infinity) {
      port.writeCp15(...CNTHP_CTL_REGISTER, 0);
      return;
    }
    port.writeCp15Pair(CNTHP_CVAL_REGISTER, at >>> 0, Math.floor(at / 2 ** 32));
    port.writeCp15(...CNTHP_CTL_REGISTER, CNT_CTL_ENABLE);
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
    this.releaseTimerInterrupt(vcpu);
  }

  /**
   * The virtual timer's PPI is banked per processor, not per vCPU: one the guest has not
   * deactivated yet goes with the vCPU (GICD_ICACTIVER now, GICD_ISACTIVER when it comes back),
   * so the next vCPU's timer can interrupt.
   */
  private releaseTimerInterrupt(vcpu: Vcpu): void {
    vcpu.timerActive = this.gic.isActive(VIRTUAL_TIMER_INTID);
    if (vcpu.timerActive) this.gic.clearActive(VIRTUAL_TIMER_INTID);
  }

  /** The vCPU comes back to its processor where it left: its VM's Hyp state, its context, its vGIC interface. */
  private switchIn(port: Pl2Port, vcpu: Vcpu): void {
    const vm = vcpu.vm;
    port.charge(TRAP_COSTS.contextSwitch);
    this.programHypState(port, vcpu);
    restoreVcpuContext(port, vcpu.context);
    vcpu.contextSaved = false;
    if (vcpu.timerActive) this.gic.setActive(VIRTUAL_TIMER_INTID);
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
   * (it stays active until the guest deactivates it through GICH_LR.HW), a passthrough SPI to
   * its owner; kicks, the Hyp timer (the scheduler's) and the maintenance interrupt only made the
   * processor exit, so they are deactivated at once.
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
      // A passthrough SPI goes to its VM's vCPU even when another vCPU (or none) is in the processor.
      const owner = id === VIRTUAL_TIMER_INTID ? vcpu : this.devices.passthroughVcpu(id);
      if (owner !== undefined) owner.vm.vgic.forwardHardware(owner.index, id);
      else {
        // The Hyp timer's output is a level: off until the scheduler arms it again, or it would be acknowledged again at once.
        if (id === HYP_TIMER_INTID) port.writeCp15(...CNTHP_CTL_REGISTER, 0);
        gic.deactivate(iar);
      }
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
    for (const vcpu of vm.vcpus) vcpu.contextSaved = vcpu.waitRequested = vcpu.waiting = vcpu.timerActive = false;
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
    } else if (this.cpus[vcpu.pcpu]!.scheduler !== undefined) {
      this.gic.kick(vcpu.pcpu); // its scheduler has one more vCPU to consider
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
    return vm.vcpus.every((v) => v === self || !this.holdsProcessor(v));
  }

  /** Whether `vcpu`'s state may be in a processor: its processor is on and (when shared) has it resident. */
  private holdsProcessor(vcpu: Vcpu): boolean {
    const cpu = this.cpus[vcpu.pcpu]!;
    return this.cpuOn[vcpu.pcpu]! && (cpu.scheduler === undefined || cpu.resident === vcpu);
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
    for (const vcpu of this.cpus[pcpu]!.vcpus) this.restartWhenOut(vcpu.vm);
  }

  /** A VM waiting for a reset boots again once none of its vCPUs is in a processor any more. */
  private restartWhenOut(vm: Vm): void {
    if (this.restartPending[vm.index] && vm.vcpus.every((v) => !this.holdsProcessor(v))) {
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

/** Powered on and its VM running: it may want the processor. */
function isLive(vcpu: Vcpu): boolean {
  return vcpu.on && vcpu.vm.state === VmState.Running;
}

function isRunnable(vcpu: Vcpu): boolean {
  return isLive(vcpu) && !vcpu.waiting;
}

/** A VM's scheduling description in system counter ticks; undefined (the background) without one. */
function reservationOf(scheduling: SchedulingDescription | undefined): Reservation | undefined {
  if (scheduling === undefined) return undefined;
  return { priority: scheduling.priority, budget: scheduling.budgetMicroseconds * TICKS_PER_US, period: scheduling.periodMicroseconds * TICKS_PER_US };
}
