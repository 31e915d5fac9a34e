import type { Pl2Port } from '../../arch/arm/hyp/pl2-port.js';
import { ISS_ISV, ISS_SAS_SHIFT, ISS_SRT_SHIFT, ISS_SSE, ISS_WNR } from '../../arch/arm/hyp/syndrome.js';
import { injectDataAbort, skipTrappedInstruction } from '../guest-exceptions.js';
import type { Vcpu } from '../vm.js';

/** How a stage 2 data abort ended. */
export const enum DataAbortOutcome {
  /** An emulated device took the access; the guest continues after the instruction. */
  Emulated,
  /** Nothing of the VM's is there: the guest takes a synchronous external abort. */
  NothingThere,
  /** A device is there but the syndrome does not describe the access (ISV = 0): also an external abort. */
  NotDescribed,
}

/**
 * A stage 2 data abort: the access goes to the device the VM has at that guest-physical address,
 * with the size, register and direction from the syndrome (ISV = 1), and a load's value written
 * to Rt, sign-extended with SSE, as the instruction would have done; then the guest resumes
 * after it. Where the VM has nothing, or the access is not one the syndrome describes, the guest
 * gets the external abort a bus with nothing there would give.
 */
export function emulateDataAbort(port: Pl2Port, vcpu: Vcpu): DataAbortOutcome {
  const hsr = port.hsr;
  const isWrite = (hsr & ISS_WNR) !== 0;
  const size = (1 << ((hsr >>> ISS_SAS_SHIFT) & 3)) as 1 | 2 | 4;
  const ipa = port.faultIpa;
  const window = vcpu.vm.devices.find(ipa, size);
  if (window === undefined || (hsr & ISS_ISV) === 0) {
    injectDataAbort(port, isWrite);
    return window === undefined ? DataAbortOutcome.NothingThere : DataAbortOutcome.NotDescribed;
  }
  vcpu.vm.vgic.currentVcpu = vcpu.index;
  const rt = (hsr >>> ISS_SRT_SHIFT) & 0xf;
  const offset = ipa - window.base;
  if (isWrite) {
    const value = port.guestRegister(rt);
    window.device.write(offset, size, size === 4 ? value >>> 0 : value & ((1 << (8 * size)) - 1));
  } else {
    let value = window.device.read(offset, size);
    if ((hsr & ISS_SSE) !== 0 && size < 4) value = (value << (32 - 8 * size)) >> (32 - 8 * size);
    port.setGuestRegister(rt, value);
  }
  skipTrappedInstruction(port);
  return DataAbortOutcome.Emulated;
}
