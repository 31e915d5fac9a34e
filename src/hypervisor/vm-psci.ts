import { PowerState, type PsciPlatform, type PsciProcessor } from '../board/psci.js';
import { PSCI_RET } from '../board/psci.js';
import type { Vcpu, Vm } from './vm.js';

/** What a VM's PSCI calls do to the machine: start or stop the physical CPU of a vCPU, stop or reset the VM. */
export interface VmPowerControl {
  startVcpu(vcpu: Vcpu): void;
  stopVcpu(vcpu: Vcpu): void;
  systemOff(vm: Vm): void;
  systemReset(vm: Vm): void;
}

/**
 * PSCI as one VM sees it (the board's PsciFirmware answers its HVCs): its vCPUs are the
 * processors, by VMPIDR affinity; SYSTEM_OFF and SYSTEM_RESET are the VM's alone.
 */
export class VmPsciPlatform implements PsciPlatform<Vcpu> {
  constructor(private readonly vm: Vm, private readonly power: VmPowerControl) {}

  processors(): readonly PsciProcessor[] {
    return this.vm.vcpus.map((v) => ({ affinity: v.index, powerState: v.on ? PowerState.On : PowerState.Off }));
  }

  powerOn(target: PsciProcessor, entry: number, contextId: number): number {
    const vcpu = this.vm.vcpus[target.affinity];
    if (vcpu === undefined) return PSCI_RET.invalidParameters;
    vcpu.entry = entry;
    vcpu.startRegisters = [contextId];
    this.power.startVcpu(vcpu);
    return PSCI_RET.success;
  }

  powerOff(caller: Vcpu): void {
    this.power.stopVcpu(caller);
  }

  suspend(caller: Vcpu): void {
    caller.waitRequested = true;
  }

  systemOff(caller: Vcpu): void {
    this.power.systemOff(caller.vm);
  }

  systemReset(caller: Vcpu): void {
    this.power.systemReset(caller.vm);
  }
}
