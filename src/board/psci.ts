import type { Cpu } from '../arch/arm/cpu.js';

/**
 * PSCI firmware (Arm DEN 0022 "Power State Coordination Interface") as QEMU 7.2 provides it on
 * the `virt` board's HVC conduit when the processor has no EL2 (target/arm/psci.c,
 * arm_handle_psci_call). Arguments come in r0-r3, the result goes to r0. SMC32 function IDs only:
 * a 32-bit processor calling an SMC64 ID gets NOT_SUPPORTED, as in QEMU.
 */

/** PSCI 0.2+ function IDs (DEN 0022, table "PSCI function IDs"; QEMU kvm-consts.h). */
export const PSCI_FN = {
  version: 0x84000000,
  cpuSuspend: 0x84000001,
  cpuOff: 0x84000002,
  cpuOn: 0x84000003,
  affinityInfo: 0x84000004,
  migrate: 0x84000005,
  migrateInfoType: 0x84000006,
  migrateInfoUpCpu: 0x84000007,
  systemOff: 0x84000008,
  systemReset: 0x84000009,
  features: 0x8400000a,
} as const;

/** The PSCI 0.1 function IDs QEMU also accepts (QEMU_PSCI_0_1_FN_BASE, target/arm/kvm-consts.h). */
export const PSCI_0_1_FN = {
  cpuSuspend: 0x95c1ba5e,
  cpuOff: 0x95c1ba5f,
  cpuOn: 0x95c1ba60,
  migrate: 0x95c1ba61,
} as const;

/** SMC64 function IDs have bit 30 set (SMC Calling Convention). */
const SMC64 = 0x40000000;

/** PSCI return codes (DEN 0022 5.2.2). */
export const PSCI_RET = {
  success: 0,
  notSupported: -1,
  invalidParameters: -2,
  denied: -3,
  alreadyOn: -4,
  onPending: -5,
  internalFailure: -6,
  notPresent: -7,
  disabled: -8,
} as const;

/** What PSCI_VERSION returns under QEMU 7.2 (major 1, minor 1: 0x00010001, measured). */
export const PSCI_VERSION_QEMU_7_2 = 0x00010001;

/** MIGRATE_INFO_TYPE: "Trusted OS is not present or does not require migration" (DEN 0022 5.9.2). */
const TOS_MIGRATION_NOT_REQUIRED = 2;

/** AFFINITY_INFO states (DEN 0022 5.7). */
export const enum PowerState {
  On = 0,
  Off = 1,
  OnPending = 2,
}

/** One processor as PSCI sees it: its MPIDR affinity (MPIDR without bit 31/U) and power state. */
export interface PsciProcessor {
  readonly affinity: number;
  readonly powerState: PowerState;
}

/**
 * The machine behind the firmware (MultiprocessorPsciPlatform for the virt board; a VM's vCPUs
 * under the Partita hypervisor): `powerOn` resets the target to start at `entry` (ARM or Thumb by
 * bit 0) with `contextId` in r0, and marks it on. `Caller` is whoever makes the call: a processor,
 * or a vCPU.
 */
export interface PsciPlatform<Caller = Cpu> {
  processors(): readonly PsciProcessor[];
  /** CPU_ON for a processor that exists and is off. Returns a PSCI return code. */
  powerOn(target: PsciProcessor, entry: number, contextId: number): number;
  /** CPU_OFF (or the end of SYSTEM_OFF/RESET): the calling processor stops and never returns. */
  powerOff(caller: Caller): void;
  /** CPU_SUSPEND's power-down state: the caller waits as for WFI (QEMU). */
  suspend(caller: Caller): void;
  /** SYSTEM_OFF: the whole machine is shut down (QEMU: the run ends with status 0). */
  systemOff(caller: Caller): void;
  /** SYSTEM_RESET: the machine is reset (QEMU: a reset request). */
  systemReset(caller: Caller): void;
}

/** Functions PSCI_FEATURES reports as implemented (QEMU 7.2 psci.c, for an AArch32 caller). */
const IMPLEMENTED: ReadonlySet<number> = new Set([
  PSCI_FN.version, PSCI_FN.migrateInfoType, PSCI_FN.affinityInfo, PSCI_FN.systemReset, PSCI_FN.systemOff,
  PSCI_FN.cpuOn, PSCI_FN.cpuOff, PSCI_FN.cpuSuspend, PSCI_FN.features,
  PSCI_0_1_FN.cpuOn, PSCI_0_1_FN.cpuOff, PSCI_0_1_FN.cpuSuspend,
]);

export class PsciFirmware<Caller = Cpu> {
  constructor(private readonly platform: PsciPlatform<Caller>) {}

  /** Runs one call; returns the value for r0, or undefined when the caller does not return. */
  handle(caller: Caller, fn: number, a1: number, a2: number, a3: number): number | undefined {
    if ((fn & SMC64) !== 0) return PSCI_RET.notSupported;
    switch (fn) {
      case PSCI_FN.version:
        return PSCI_VERSION_QEMU_7_2;
      case PSCI_FN.migrateInfoType:
        return TOS_MIGRATION_NOT_REQUIRED;
      case PSCI_FN.affinityInfo: {
        if (a2 !== 0) return PowerState.On; // levels above 0 are always on (as QEMU)
        const target = this.processor(a1);
        return target === undefined ? PSCI_RET.invalidParameters : target.powerState;
      }
      case PSCI_FN.cpuOn:
      case PSCI_0_1_FN.cpuOn: {
        const target = this.processor(a1);
        if (target === undefined) return PSCI_RET.invalidParameters;
        if (target.powerState === PowerState.On) return PSCI_RET.alreadyOn;
        if (target.powerState === PowerState.OnPending) return PSCI_RET.onPending;
        return this.platform.powerOn(target, a2, a3);
      }
      case PSCI_FN.cpuOff:
      case PSCI_0_1_FN.cpuOff:
        this.platform.powerOff(caller);
        return undefined;
      case PSCI_FN.cpuSuspend:
      case PSCI_0_1_FN.cpuSuspend:
        // Affinity levels are not supported; power-down states are entered as WFI (QEMU).
        if ((a1 & 0xfffe0000) !== 0) return PSCI_RET.invalidParameters;
        this.platform.suspend(caller);
        return PSCI_RET.success;
      case PSCI_FN.systemOff:
        this.platform.systemOff(caller);
        this.platform.powerOff(caller);
        return undefined;
      case PSCI_FN.systemReset:
        this.platform.systemReset(caller);
        this.platform.powerOff(caller);
        return undefined;
      case PSCI_FN.features:
        return IMPLEMENTED.has(a1) ? PSCI_RET.success : PSCI_RET.notSupported;
      default:
        return PSCI_RET.notSupported; // includes MIGRATE and MIGRATE_INFO_UP_CPU, as QEMU
    }
  }

  private processor(affinity: number): PsciProcessor | undefined {
    return this.platform.processors().find((p) => p.affinity === affinity);
  }
}

/** The handler to install as `cpu.firmwareCall`: arguments in r0-r3, the result in r0 (SMC Calling Convention). */
export function psciCallHandler(firmware: PsciFirmware<Cpu>): (cpu: Cpu) => void {
  return (cpu) => {
    const result = firmware.handle(cpu, cpu.r[0]! >>> 0, cpu.r[1]! >>> 0, cpu.r[2]! >>> 0, cpu.r[3]! >>> 0);
    if (result !== undefined) cpu.r[0] = result;
  };
}

/** How the machine stopped: SYSTEM_OFF, SYSTEM_RESET, or CPU_OFF of the last processor that was on. */
export type MachinePowerEvent = 'off' | 'reset' | 'cpu-off';

/** What the PSCI platform needs from the board to power processors on and to know who calls. */
export interface PsciProcessorControl {
  /** The index (MPIDR.Aff0) of a calling processor. */
  indexOf(cpu: Cpu): number;
  /**
   * CPU_ON: reset processor `index` to its reset state (SVC mode, A/I/F masked, MMU off, TLB and
   * caches clean: B1.9.1) and start it at `entry` (Thumb when bit 0 is set) with r0 = `contextId`.
   */
  start(index: number, entry: number, contextId: number): void;
}

/**
 * The PSCI platform of a machine with `count` processors in one cluster, as QEMU's virt with
 * `-smp count`: processor i has affinity i (MPIDR.Aff0), processor 0 starts on and the others
 * off until CPU_ON (QEMU's secondaries are "start-powered-off" under PSCI). CPU_ON of an affinity
 * that does not exist is INVALID_PARAMETERS, as QEMU answers. CPU_ON is immediate: the target is
 * on (never ON_PENDING) when the call returns. A processor that powers off stops at once (QEMU's
 * arm_handle_psci_call "goto cpu_off"); SYSTEM_OFF / SYSTEM_RESET, or the last processor going
 * off, set `event`, so the board's run ends.
 */
export class MultiprocessorPsciPlatform implements PsciPlatform {
  private readonly states: PowerState[];
  event: MachinePowerEvent | undefined;

  constructor(
    readonly count: number,
    private readonly control: PsciProcessorControl = { indexOf: () => 0, start: () => {} },
  ) {
    if (!(count >= 1 && count <= 8)) throw new RangeError(`PSCI: ${count} processors (1-8 supported)`);
    this.states = Array.from({ length: count }, (_, i) => (i === 0 ? PowerState.On : PowerState.Off));
  }

  /** Processor 0 is off (the only processor of a uniprocessor machine). */
  get poweredOff(): boolean {
    return this.states[0] === PowerState.Off;
  }

  /** Whether processor `index` is on (the board runs only those). */
  isOn(index: number): boolean {
    return this.states[index] === PowerState.On;
  }

  /** How many processors are on. */
  onCount(): number {
    let n = 0;
    for (const state of this.states) if (state === PowerState.On) n++;
    return n;
  }

  processors(): readonly PsciProcessor[] {
    return this.states.map((powerState, affinity) => ({ affinity, powerState }));
  }

  powerOn(target: PsciProcessor, entry: number, contextId: number): number {
    const index = target.affinity;
    if (index < 0 || index >= this.count) return PSCI_RET.invalidParameters;
    if (this.states[index] === PowerState.On) return PSCI_RET.alreadyOn;
    this.states[index] = PowerState.On;
    this.control.start(index, entry, contextId);
    return PSCI_RET.success;
  }

  suspend(caller: Cpu): void {
    caller.waitingForInterrupt = true;
  }

  powerOff(caller: Cpu): void {
    const index = this.control.indexOf(caller);
    if (index >= 0) this.states[index] = PowerState.Off;
    caller.waitingForInterrupt = true; // as QEMU's halted CPU
    caller.stopRequested = 1;
    if (this.onCount() === 0) this.event ??= 'cpu-off';
  }

  systemOff(): void {
    this.event = 'off';
  }

  systemReset(): void {
    this.event = 'reset';
  }
}

/** A one-processor machine's PSCI platform (CPU_ON of any other affinity: INVALID_PARAMETERS). */
export class SingleCpuPsciPlatform extends MultiprocessorPsciPlatform {
  constructor() {
    super(1);
  }
}
