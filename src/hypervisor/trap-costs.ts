/**
 * Virtual cycles the hypervisor's work costs a physical CPU, so that virtualization overhead shows
 * in virtual time as it would on silicon. The processor itself charges nothing for taking an
 * exception; these stand for the Hyp-mode code a hypervisor written for the hardware would run.
 * The trap round trip is the Cortex-A15's measured cost of entering Hyp mode and returning with
 * no work (Dall and Nieh, "KVM/ARM", ASPLOS 2014, table 3: 27 cycles); each handler adds a
 * modelled path of a static-partitioning hypervisor in the manner of Bao (a few hundred
 * instructions: save the registers it uses, decode the syndrome, do the work, restore).
 */
export const TRAP_COSTS = {
  /** Exception entry to Hyp mode and the ERET back. */
  roundTrip: 27,
  /** Save/restore of the registers a handler uses and the dispatch on HSR.EC. */
  dispatch: 60,
  /** A trapped MMIO access: syndrome decode, device lookup, the emulated register access. */
  mmioEmulation: 150,
  /** A PSCI call (or an HVC answered NOT_SUPPORTED). */
  hypervisorCall: 100,
  /** A physical interrupt: GICC_IAR, GICC_EOIR (and GICC_DIR), the injection into a list register. */
  physicalInterrupt: 180,
  /** Folding the list registers back (sync) and filling them (flush) around a guest entry. */
  listRegisters: 80,
  /** Injecting an exception into the guest (abort, undefined instruction). */
  exceptionInjection: 60,
  /**
   * Saving or restoring a vCPU's whole state (every mode's registers, some 25 CP15 registers, 32
   * VFP doubles, the GICH state): a modelled path of about a thousand instructions, each way.
   */
  contextSwitch: 1000,
} as const;
