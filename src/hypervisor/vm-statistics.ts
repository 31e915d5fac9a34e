/** What a guest did that only a broken or hostile guest does (answered with an external abort). */
export const enum GuestFault {
  /** A data access to a guest-physical address with neither RAM nor a device. */
  NothingThere = 0,
  /** A device access whose syndrome does not describe it (ISV = 0: LDM, LDRD, writeback...). */
  NotDescribed = 1,
  /** An instruction fetch from outside the VM's executable memory. */
  Fetch = 2,
}
const GUEST_FAULT_KINDS = 3;

/**
 * What happened in a VM, in virtual cycles and counts (deterministic): traps by HSR exception
 * class, guest faults, physical interrupts taken while it ran, world switches (entries into the guest), the VM scheduler's
 * switches to its vCPUs on shared physical CPUs and the
 * cycles the hypervisor spent for it.
 */
export class VmStatistics {
  /** Traps by HSR.EC (0-63; B3.13.6). */
  readonly trapsByClass = new Float64Array(64);
  /** Accesses or fetches the VM had nothing for (it got an external abort), by GuestFault. */
  readonly guestFaults = new Float64Array(GUEST_FAULT_KINDS);
  interrupts = 0;
  worldSwitches = 0;
  /** Times one of its vCPUs got a shared physical CPU from another vCPU or from none (the VM scheduler's switches to it). */
  vcpuSwitches = 0;
  hypervisorCycles = 0;
}
