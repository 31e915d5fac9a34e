/**
 * What happened in a VM, in virtual cycles and counts (deterministic): traps by HSR exception
 * class, physical interrupts taken while it ran, world switches (entries into the guest) and the
 * cycles the hypervisor spent for it.
 */
export class VmStatistics {
  /** Traps by HSR.EC (0-63; B3.13.6). */
  readonly trapsByClass = new Float64Array(64);
  interrupts = 0;
  worldSwitches = 0;
  hypervisorCycles = 0;
}
