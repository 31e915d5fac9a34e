import type { Pl2Port } from '../../arch/arm/hyp/pl2-port.js';
import { ISS_ISV, ISS_SAS_SHIFT, ISS_SRT_SHIFT, ISS_SSE, ISS_WNR } from '../../arch/arm/hyp/syndrome.js';
import { injectDataAbort, skipTrappedInstruction } from '../guest-exceptions.js';
import type { HostMemory } from '../host-memory.js';
import type { Vcpu } from '../vm.js';
import { readDevice, writeDevice } from './device-access.js';
import { emulateLoadStore } from './mmio-load-store.js';
import { decodeTrappedInstruction } from './trapped-instruction.js';

/** How a stage 2 data abort ended. */
export const enum DataAbortOutcome {
  /** An emulated device took the access; the guest continues after the instruction. */
  Emulated,
  /** Nothing of the VM's is there: the guest takes a synchronous external abort. */
  NothingThere,
  /**
   * A device is there but neither the syndrome (ISV = 0) nor the instruction read back describes
   * an access the hypervisor performs: also an external abort.
   */
  NotDescribed,
}

/**
 * A stage 2 data abort: the access goes to the device the VM has at that guest-physical address.
 * With a syndrome (ISV = 1) its size, register and direction come from HSR, and a load's value is
 * written to Rt, sign-extended with SSE, as the instruction would have done. Without one (ISV = 0:
 * writeback forms, LDRD/STRD, LDM/STM) the instruction is read back from the VM's RAM and
 * performed (mmio-load-store.ts). Then the guest resumes after it. Where the VM has nothing, or
 * the access is not one either describes, the guest gets the external abort a bus with nothing
 * there would give.
 */
export function emulateDataAbort(port: Pl2Port, vcpu: Vcpu, memory: HostMemory): DataAbortOutcome {
  const hsr = port.hsr;
  const isWrite = (hsr & ISS_WNR) !== 0;
  const size = (1 << ((hsr >>> ISS_SAS_SHIFT) & 3)) as 1 | 2 | 4;
  const ipa = port.faultIpa;
  const vm = vcpu.vm;
  const window = vm.devices.find(ipa, size);
  if (window === undefined) {
    injectDataAbort(port, isWrite);
    return DataAbortOutcome.NothingThere;
  }
  vm.vgic.currentVcpu = vcpu.index;
  if ((hsr & ISS_ISV) === 0) {
    const instruction = decodeTrappedInstruction(port, memory, vm.regions);
    if (instruction === undefined || !emulateLoadStore(port, vm.devices, instruction)) {
      injectDataAbort(port, isWrite);
      return DataAbortOutcome.NotDescribed;
    }
    return DataAbortOutcome.Emulated;
  }
  const rt = (hsr >>> ISS_SRT_SHIFT) & 0xf;
  const offset = ipa - window.base;
  if (isWrite) writeDevice(window.device, offset, size, port.guestRegister(rt));
  else port.setGuestRegister(rt, readDevice(window.device, offset, size, (hsr & ISS_SSE) !== 0));
  skipTrappedInstruction(port);
  return DataAbortOutcome.Emulated;
}
