import { Cpu, type CpuFeatures } from '../arch/arm/cpu.js';
import { Executor } from '../arch/arm/executor.js';
import { COUNTER_FREQUENCY_HZ, GenericTimer } from '../arch/arm/generic-timer.js';
import { Semihosting, type SemihostingHost } from '../arch/arm/semihosting.js';
import { Bus } from '../hw/bus.js';
import { FwCfg } from '../hw/fw-cfg.js';
import { Gic, GicCpuInterface, GicDistributor, GicV2mFrame } from '../hw/gic/index.js';
import { PflashCfi01 } from '../hw/pflash-cfi01.js';
import { Pl011 } from '../hw/pl011.js';
import { Pl031 } from '../hw/pl031.js';
import { GpioKey, Pl061 } from '../hw/pl061.js';
import { createVirtioTransports, guestMemoryOfBus, VirtioTransportWindow, type VirtioDevice, type VirtioMmioTransport } from '../hw/virtio/index.js';
import { ImageError, type ElfImage } from './elf-image.js';
import { MultiprocessorPsciPlatform, PsciFirmware, psciCallHandler, type MachinePowerEvent } from './psci.js';
import {
  GICV2M_SPI_COUNT, POWER_BUTTON_GPIO, VIRT_MAX_RAM_BYTES, VIRT_MEMORY_MAP, VIRT_PPI, VIRT_SPI, VIRTIO_TRANSPORT_COUNT, VIRTIO_TRANSPORT_SIZE,
} from './virt-memory-map.js';
import { DEFAULT_EPOCH_SECONDS, RoundRobinTime, VirtualClock } from './virtual-clock.js';

/** Interrupt IDs QEMU's virt gives its GIC: NUM_IRQS (256) SPIs plus the 32 SGIs/PPIs (GICD_TYPER.ITLinesNumber 8). */
export const VIRT_GIC_INTERRUPTS = 256 + 32;
/** Nanoseconds per counter tick: 16 at 62.5 MHz (QEMU's GTIMER_SCALE). */
const NANOSECONDS_PER_TICK = 1e9 / COUNTER_FREQUENCY_HZ;
/** In wall-clock mode, how many instructions run between looks at the host clock. */
const WALL_CLOCK_POLL_INSTRUCTIONS = 1 << 16;
/** The most processors the board takes (the device tree generator's limit; QEMU's virt allows 8 with a GICv2). */
export const VIRT_MAX_CPUS = 4;

/**
 * The processor of QEMU's plain virt board with -cpu cortex-a15: no Virtualization or Security
 * Extensions in use (virtualization=off, secure=off), Advanced SIMD present.
 */
export const VIRT_CPU_FEATURES: CpuFeatures = { hasEl2: false, hasEl3: false, hasNeon: true };
/**
 * The processor of `-M virt,virtualization=on -cpu cortex-a15`: the Virtualization Extensions
 * (Hyp mode, where it starts, as there is no EL3 above it), still no Security Extensions.
 */
export const VIRT_VIRTUALIZATION_CPU_FEATURES: CpuFeatures = { ...VIRT_CPU_FEATURES, hasEl2: true };
/**
 * Instructions each processor runs in its turn of a round when there are several (4 µs of
 * virtual time per round at 1 ns per instruction). Small enough that a processor spinning on
 * another (an IPI it waits to see handled, a lock without WFE) loses little, and that an SGI
 * is seen within a few microseconds, as on silicon; large enough that switching (a few device
 * updates, about a microsecond of host time) costs under 1% of a turn.
 */
export const SMP_QUANTUM = 4096;
/** With one processor there is nothing to interleave: a turn is just the longest run slice. */
const UNIPROCESSOR_SLICE = 1 << 20;

export interface VirtBoardOptions {
  /** RAM size in bytes (a multiple of 4 KiB). */
  readonly ramBytes: number;
  /** Receives every byte the guest writes to the UART. */
  readonly uartOutput: (byte: number) => void;
  /**
   * Time from the host clock instead of executed instructions (the counter follows real time and
   * an idle processor really sleeps). Off by default: virtual time keeps runs deterministic.
   */
  readonly wallClock?: boolean;
  /** Device diagnostics (unknown register offsets and the like), one line each. */
  readonly log?: (message: string) => void;
  /**
   * Processors, 1 to 4 (default 1), as `qemu-system-arm -M virt -smp N`: Cortex-A15s with MPIDR
   * 0x80000000 | index; processor 0 starts at the image's entry, the others are off until PSCI
   * CPU_ON. Give the same number to the device tree (prepareLinuxBoot's `cpuCount`).
   */
  readonly cpus?: number;
  /**
   * virtio devices, given transports as QEMU's virt gives them: the first device gets the last
   * transport (0x0a003e00, SPI 47), the next the one below it, and so on.
   */
  readonly virtioDevices?: readonly VirtioDevice[];
  /**
   * As `-M virt,virtualization=on`: the processors have the Virtualization Extensions and start
   * in Hyp mode (PSCI CPU_ON starts secondaries in Hyp mode too), and PSCI moves to the SMC
   * conduit, since HVC now belongs to the guest's hypervisor. Give the same to the device tree.
   */
  readonly virtualization?: boolean;
}

/** Why a run stopped. */
export type StopReason =
  | { readonly kind: 'exit'; readonly status: number }
  | { readonly kind: 'instruction-limit' }
  /** The board time `run` was given as its end has come. */
  | { readonly kind: 'time-limit' }
  /** The guest stopped the machine through PSCI (SYSTEM_OFF, SYSTEM_RESET, or CPU_OFF of the last CPU on). */
  | { readonly kind: 'power'; readonly event: MachinePowerEvent }
  | { readonly kind: 'halted'; readonly why: string }
  /**
   * Wall-clock mode only: every processor waits and the next device event is `nanoseconds` of
   * host time away. The host sleeps (waking early for input it gives a device), then runs again.
   */
  | { readonly kind: 'idle'; readonly nanoseconds: number };

/**
 * A board laid out like QEMU's `virt` machine: RAM at 0x40000000, two CFI flash banks at 0 and
 * 0x04000000, the GICv2 distributor and CPU interface at 0x08000000 / 0x08010000 with the GICv2m
 * MSI frame at 0x08020000 (SPIs 48-111), the PL011 UART at 0x09000000 (SPI 1), the PL031 RTC at
 * 0x09010000 (SPI 2), fw-cfg at 0x09020000, the PL061 GPIO at 0x09030000 (SPI 7) with the power
 * button on its line 3, 32 virtio-mmio transports from 0x0a000000 (SPI 16 up), and 1-4
 * Cortex-A15s, each with its generic timer's physical, virtual and Hyp timers on its PPIs 14, 11
 * and 10. Processor 0 starts as `-kernel` leaves it (SVC mode, or Hyp mode with
 * `virtualization`, interrupts masked, MMU off, at the image's entry point); the others start
 * powered off, for PSCI CPU_ON.
 *
 * The processors take turns on the host thread, round robin from processor 0, SMP_QUANTUM
 * instructions each (see `run` and RoundRobinTime for how time passes).
 */
export class VirtBoard {
  readonly bus: Bus;
  /** The processors, by index (MPIDR.Aff0). */
  readonly cpus: readonly Cpu[];
  readonly executors: readonly Executor[];
  /** Processor 0 and its executor (the only ones of a uniprocessor board). */
  readonly cpu: Cpu;
  readonly executor: Executor;
  readonly uart: Pl011;
  readonly gic: Gic;
  /** Each processor's generic timer; `timer` is processor 0's. */
  readonly timers: readonly GenericTimer[];
  readonly timer: GenericTimer;
  readonly rtc: Pl031;
  readonly gpio: Pl061;
  /** The gpio-keys power button on GPIO line 3 (QEMU's gpio-key: a press holds the line high 100 ms). */
  readonly powerButton: GpioKey;
  readonly fwCfg: FwCfg;
  /** Flash banks 0 and 1. */
  readonly flash: readonly [PflashCfi01, PflashCfi01];
  /** The 32 virtio-mmio transports at 0x0a000000, empty ones included. */
  readonly virtio: readonly VirtioMmioTransport[];
  /** The PSCI firmware's view of the machine: which processors are on. */
  readonly psci: MultiprocessorPsciPlatform;
  /** Virtual time (instruction times of the rounds plus idle time skipped). */
  readonly clock: VirtualClock;
  /** The processors have the Virtualization Extensions (VirtBoardOptions.virtualization). */
  readonly virtualization: boolean;
  /**
   * The processor whose turn it is: the one making bus accesses, whose banked GIC registers
   * (SGI/PPI state, the CPU interface) MMIO reaches. 0 between runs.
   */
  currentCpuIndex = 0;
  private readonly time: RoundRobinTime;
  private readonly quantum: number;
  /** Where the round stands: whose turn, and how much of its quantum is left (kept across run() calls). */
  private turn = 0;
  private turnLeft: number;
  private readonly wallClock: boolean;
  private readonly wallClockStart: number;
  /** Unix time (s) when the board started: the virtual epoch, or the host's time of day in wall-clock mode. */
  private readonly startUnixSeconds: number;
  private exitStatus: number | undefined;
  /** The board time (ns) the current run ends at: run slices end there as at a device event. */
  private runDeadline = Number.POSITIVE_INFINITY;

  constructor(options: VirtBoardOptions) {
    if (options.ramBytes > VIRT_MAX_RAM_BYTES) {
      throw new ImageError(`RAM size ${options.ramBytes} bytes exceeds the board's ${VIRT_MAX_RAM_BYTES} bytes`);
    }
    const count = options.cpus ?? 1;
    if (!Number.isInteger(count) || count < 1 || count > VIRT_MAX_CPUS) {
      throw new ImageError(`${count} processors: the virt board takes 1 to ${VIRT_MAX_CPUS}`);
    }
    const log = options.log ?? (() => {});
    this.bus = new Bus(VIRT_MEMORY_MAP.ram.base, options.ramBytes);
    const cpus: Cpu[] = [];
    const virtualization = options.virtualization === true;
    this.virtualization = virtualization;
    const features = virtualization ? VIRT_VIRTUALIZATION_CPU_FEATURES : VIRT_CPU_FEATURES;
    for (let i = 0; i < count; i++) cpus.push(new Cpu(this.bus, features, { index: i, count }));
    this.cpus = cpus;
    this.cpu = cpus[0]!;
    // One decoded-instruction cache for all: a write by any processor drops the page for every one.
    const first = new Executor(this.cpu);
    this.executors = cpus.map((cpu, i) => (i === 0 ? first : new Executor(cpu, first.cache)));
    this.executor = first;
    this.quantum = count === 1 ? UNIPROCESSOR_SLICE : SMP_QUANTUM;
    this.turnLeft = this.quantum;

    this.psci = new MultiprocessorPsciPlatform(count, {
      indexOf: (cpu) => cpus.indexOf(cpu),
      start: (index, entry, contextId) => this.startProcessor(index, entry, contextId),
    });
    // QEMU's virt answers every HVC from PL1 with its PSCI firmware, or with virtualization=on
    // (EL2 but no EL3) every SMC from PL1 and PL2 (virt.c: psci_conduit SMC when vms->virt).
    const firmware = psciCallHandler(new PsciFirmware(this.psci));
    for (const cpu of cpus) {
      cpu.firmwareCall = firmware;
      cpu.firmwareConduit = virtualization ? 'smc' : 'hvc';
      // SEV reaches every processor (B1.8.13); Inner Shareable TLB maintenance every TLB (B3.10.2).
      cpu.signalEvent = () => {
        for (const other of cpus) other.eventRegister = 1;
      };
      cpu.mem.mmu.innerShareable = (operation) => {
        for (const other of cpus) operation(other.mem.mmu);
      };
    }
    this.time = new RoundRobinTime(1);
    this.time.begin(this.cpu);
    this.clock = new VirtualClock(() => this.time.instructionTime());
    this.wallClock = options.wallClock === true;
    this.wallClockStart = this.wallClock ? performance.now() : 0;
    this.startUnixSeconds = this.wallClock ? Date.now() / 1000 : DEFAULT_EPOCH_SECONDS;

    // GICv2 with one CPU interface per processor, its IRQ/FIQ outputs to that processor's inputs
    // (and with virtualization=on its virtual CPU interface's vIRQ/vFIQ to the virtual ones); the
    // banked registers are those of the processor making the access.
    this.gic = new Gic(
      count,
      VIRT_GIC_INTERRUPTS,
      cpus.map((cpu) => ({
        irq: { set: (l: boolean) => cpu.setIrq(l) },
        fiq: { set: (l: boolean) => cpu.setFiq(l) },
        virq: { set: (l: boolean) => cpu.setVirtualIrq(l) },
        vfiq: { set: (l: boolean) => cpu.setVirtualFiq(l) },
      })),
      { virtualization, log },
    );
    const distributor = new GicDistributor(this.gic, log);
    const cpuInterface = new GicCpuInterface(this.gic, log);
    distributor.currentCpu = cpuInterface.currentCpu = () => this.currentCpuIndex;
    this.bus.map(VIRT_MEMORY_MAP.gicDistributor.base, VIRT_MEMORY_MAP.gicDistributor.size, distributor);
    this.bus.map(VIRT_MEMORY_MAP.gicCpuInterface.base, VIRT_MEMORY_MAP.gicCpuInterface.size, cpuInterface);
    const { hypervisorInterface, virtualCpuInterface } = this.gic;
    if (hypervisorInterface !== undefined && virtualCpuInterface !== undefined) {
      hypervisorInterface.currentCpu = virtualCpuInterface.currentCpu = () => this.currentCpuIndex;
      this.bus.map(VIRT_MEMORY_MAP.gicHypervisor.base, VIRT_MEMORY_MAP.gicHypervisor.size, hypervisorInterface);
      this.bus.map(VIRT_MEMORY_MAP.gicVirtualCpu.base, VIRT_MEMORY_MAP.gicVirtualCpu.size, virtualCpuInterface);
    }

    // Generic timers: each processor's physical timer to its PPI 14 (ID 30), virtual timer to its
    // PPI 11 (ID 27), Hyp timer to its PPI 10 (ID 26); one system counter.
    this.timers = cpus.map((cpu, i) => {
      const timer = new GenericTimer(() => this.counter(), [
        this.gic.ppiLine(i, VIRT_PPI.physicalTimer),
        this.gic.ppiLine(i, VIRT_PPI.virtualTimer),
        this.gic.ppiLine(i, VIRT_PPI.hypTimer),
      ]);
      timer.install(cpu.cp15);
      // A reprogrammed timer may fire sooner than the current run slice ends: re-plan after this instruction.
      timer.onReprogram = () => {
        cpu.runUntil = Math.min(cpu.runUntil, cpu.instructionCount + 1);
        cpu.blockBreak = 1;
      };
      return timer;
    });
    this.timer = this.timers[0]!;

    this.uart = new Pl011(options.uartOutput, this.gic.spiLine(VIRT_SPI.uart));
    this.bus.map(VIRT_MEMORY_MAP.uart.base, VIRT_MEMORY_MAP.uart.size, this.uart);

    this.rtc = new Pl031(() => this.elapsedNanoseconds(), this.startUnixSeconds, this.gic.spiLine(VIRT_SPI.rtc));
    this.bus.map(VIRT_MEMORY_MAP.rtc.base, VIRT_MEMORY_MAP.rtc.size, this.rtc);

    const devices = options.virtioDevices ?? [];
    if (devices.length > VIRTIO_TRANSPORT_COUNT) {
      throw new ImageError(`${devices.length} virtio devices given, but the board has ${VIRTIO_TRANSPORT_COUNT} virtio-mmio transports`);
    }
    this.virtio = createVirtioTransports(VIRTIO_TRANSPORT_COUNT, devices, {
      memory: guestMemoryOfBus(this.bus),
      irq: (slot) => this.gic.spiLine(VIRT_SPI.virtio + slot),
      log,
    });
    const window = new VirtioTransportWindow(this.virtio, VIRTIO_TRANSPORT_SIZE);
    this.bus.map(VIRT_MEMORY_MAP.virtio.base, window.size, window);

    this.gpio = new Pl061(this.gic.spiLine(VIRT_SPI.gpio), log);
    this.bus.map(VIRT_MEMORY_MAP.gpio.base, VIRT_MEMORY_MAP.gpio.size, this.gpio);
    const gpio = this.gpio;
    this.powerButton = new GpioKey({ set: (level) => gpio.setInput(POWER_BUTTON_GPIO, level) }, () => this.elapsedNanoseconds());

    // GICv2m: an MSI pulses its SPI (QEMU's gicv2m_set_irq: qemu_irq_pulse).
    const msiLines = Array.from({ length: GICV2M_SPI_COUNT }, (_, i) => this.gic.spiLine(VIRT_SPI.gicV2m + i));
    const v2m = new GicV2mFrame(VIRT_SPI.gicV2m, GICV2M_SPI_COUNT, (spi) => {
      const line = msiLines[spi - VIRT_SPI.gicV2m]!;
      line.set(true);
      line.set(false);
    }, log);
    this.bus.map(VIRT_MEMORY_MAP.gicV2m.base, VIRT_MEMORY_MAP.gicV2m.size, v2m);

    // fw-cfg's files: what QEMU's virt lists that holds here too: no boot order, no disk geometry given.
    const files = [{ name: 'bootorder', data: new Uint8Array(0) }, { name: 'bios-geometry', data: new Uint8Array(0) }];
    this.fwCfg = new FwCfg({ processorCount: count, files }, guestMemoryOfBus(this.bus), log);
    this.bus.map(VIRT_MEMORY_MAP.fwCfg.base, VIRT_MEMORY_MAP.fwCfg.size, this.fwCfg);

    const bank = VIRT_MEMORY_MAP.flash.size / 2;
    this.flash = [new PflashCfi01('virt.flash0'), new PflashCfi01('virt.flash1')];
    this.bus.map(VIRT_MEMORY_MAP.flash.base, bank, this.flash[0]);
    this.bus.map(VIRT_MEMORY_MAP.flash.base + bank, bank, this.flash[1]);
  }

  /**
   * Presses the power button, as QEMU's system_powerdown does on virt without ACPI: GPIO line 3
   * goes high for 100 ms of board time, and a guest running Linux's gpio-keys sees KEY_POWER
   * (its user space then powers the machine off in an orderly way).
   */
  pressPowerButton(): void {
    this.powerButton.press();
  }

  /** Nanoseconds since the board started: virtual time, or host time in wall-clock mode. */
  elapsedNanoseconds(): number {
    return this.wallClock ? (performance.now() - this.wallClockStart) * 1e6 : this.clock.elapsedNanoseconds();
  }

  /** Seconds since the Unix epoch, as the RTC and semihosting report it. */
  unixTime(): number {
    return this.startUnixSeconds + this.elapsedNanoseconds() / 1e9;
  }

  /** The system counter (CNTPCT) at 62.5 MHz. */
  counter(): number {
    return Math.floor(this.elapsedNanoseconds() / NANOSECONDS_PER_TICK);
  }

  get ramEnd(): number {
    return this.bus.ramBase + this.bus.ramSize;
  }

  /** Copies an ELF image's segments into RAM and points the processor at its entry (ARM or Thumb by bit 0). */
  loadElf(image: ElfImage, name: string): void {
    for (const segment of image.segments) {
      const start = segment.physicalAddress;
      if (start < this.bus.ramBase || start + segment.memorySize > this.ramEnd) {
        throw new ImageError(
          `${name}: segment at 0x${start.toString(16)}-0x${(start + segment.memorySize).toString(16)} is outside RAM ` +
            `(0x${this.bus.ramBase.toString(16)}-0x${this.ramEnd.toString(16)}); link at 0x40000000 or above, or give more memory`,
        );
      }
      this.bus.loadIntoRam(start, segment.data);
      this.bus.loadIntoRam(start + segment.data.length, new Uint8Array(segment.memorySize - segment.data.length));
    }
    this.cpu.pc = image.entry & ~1;
    this.cpu.thumb = image.entry & 1;
  }

  /** Installs ARM semihosting (as QEMU's -semihosting): SVC 0x123456 / 0xAB and HLT calls reach `host`. */
  enableSemihosting(host: SemihostingHost, commandLine: string, imageEnd: number): void {
    const semihosting = new Semihosting(
      { ...host, exit: (status) => { this.exitStatus = status; host.exit(status); } },
      { commandLine, imageEnd, ramEnd: this.ramEnd },
    );
    for (const cpu of this.cpus) cpu.semihosting = semihosting.call;
  }

  /** Instructions executed by all processors together (what `run`'s limit counts). */
  get instructionCount(): number {
    const cpus = this.cpus;
    let total = 0;
    for (let i = 0; i < cpus.length; i++) total += cpus[i]!.instructionCount;
    return total;
  }

  /**
   * Runs until the guest exits, the machine powers off, `maxInstructions` have run in total
   * (`instructionCount`, all processors together: an absolute count, not a number more), board
   * time reaches `untilNanoseconds` (virtual time only: run slices and idle skips end there), or
   * every processor that is on waits for an interrupt that can never come.
   *
   * The processors take turns, round robin from processor 0, a quantum each (SMP_QUANTUM; with
   * one processor, simply the longest slice); the round's position is kept across calls, so how
   * a run is cut into calls changes nothing. Time (RoundRobinTime): while n processors are on,
   * an instruction lasts 1/n ns, and a processor that waits while another runs lets the rest of
   * its quantum pass as time, so a round lasts a quantum's worth of nanoseconds. When every
   * processor that is on waits, virtual time jumps to the next timer or RTC event (in wall-clock
   * mode the run stops as 'idle', for the host to sleep until it); with no event ahead the run
   * stops as 'halted'. Run slices end at the
   * next timer event, so timers fire at the instruction their compare value names.
   *
   * WFI and WFE wake on an asserted IRQ or FIQ even when CPSR masks it (B1.8.13, which allows
   * WFE to wake spuriously); WFE also wakes on an event (SEV by any processor). Switching away
   * from a processor clears its local exclusive monitor (A3.4.4 allows a clear at any time), so
   * no STREX succeeds across another processor's turn: LDREX/STREX sequences stay atomic.
   */
  run(maxInstructions = Number.POSITIVE_INFINITY, untilNanoseconds = Number.POSITIVE_INFINITY): StopReason {
    const cpus = this.cpus;
    this.runDeadline = this.wallClock ? Number.POSITIVE_INFINITY : untilNanoseconds;
    try {
      for (;;) {
        if (this.instructionCount >= maxInstructions) return { kind: 'instruction-limit' };
        if (this.clock.elapsedNanoseconds() >= this.runDeadline) return { kind: 'time-limit' };
        const index = this.turn;
        if (this.psci.isOn(index)) {
          const stop = this.runTurn(index, maxInstructions);
          if (stop !== undefined) return stop;
        }
        // The turn is over: the next processor's, and after the last, a new round.
        if (cpus.length > 1) cpus[index]!.exclusiveAddress = -1;
        this.turn = index + 1 === cpus.length ? 0 : index + 1;
        this.turnLeft = this.quantum;
        if (this.turn === 0 && this.everyProcessorWaits()) {
          this.updateDevices(); // in wall-clock mode, host time may have reached an event meanwhile
          if (this.everyProcessorWaits()) {
            const at = this.nextEvent();
            if (at === Number.POSITIVE_INFINITY) return { kind: 'halted', why: this.haltedReason() };
            if (this.wallClock) return { kind: 'idle', nanoseconds: Math.max(0, at - this.elapsedNanoseconds()) };
            this.clock.skipTo(at); // virtual time jumps to the event
            this.updateDevices();
          }
        }
      }
    } finally {
      this.currentCpuIndex = 0;
      this.time.begin(this.cpu);
      this.runDeadline = Number.POSITIVE_INFINITY;
    }
  }

  /**
   * Processor `index`'s turn, from where it stands to the end of its quantum. Returns a reason to
   * stop the whole run, or undefined when the turn is over (quantum used, the processor powered
   * off, or it waits while no other processor runs: the round's end then decides).
   */
  private runTurn(index: number, maxInstructions: number): StopReason | undefined {
    const cpu = this.cpus[index]!;
    const executor = this.executors[index]!;
    this.currentCpuIndex = index;
    this.time.begin(cpu);
    while (this.turnLeft > 0) {
      if (cpu.waitingForInterrupt) {
        if (this.wake(cpu)) continue;
        if (this.wallClock || !this.anotherProcessorRuns(index)) return undefined;
        // Waiting while another runs: the rest of the quantum passes as time, up to the next event.
        const idle = Math.max(1, Math.min(this.turnLeft, this.instructionsToNextEvent()));
        this.time.idle(idle);
        this.turnLeft -= idle;
        this.updateDevices();
        continue;
      }
      const total = this.instructionCount;
      if (total >= maxInstructions) return { kind: 'instruction-limit' };
      if (this.clock.elapsedNanoseconds() >= this.runDeadline) return { kind: 'time-limit' };
      const budget = Math.min(this.turnLeft, maxInstructions - total, this.instructionsToNextEvent());
      this.turnLeft -= executor.run(Math.max(1, budget));
      this.updateDevices();
      if (this.exitStatus !== undefined) return { kind: 'exit', status: this.exitStatus };
      if (this.psci.event !== undefined) return { kind: 'power', event: this.psci.event };
      if (this.time.sharers !== this.psci.onCount()) this.time.setSharers(this.psci.onCount());
      if (!this.psci.isOn(index)) return undefined; // CPU_OFF: stopped at once
    }
    return undefined;
  }

  /** Ends a wait that has a reason to end (B1.8.13): an asserted IRQ/FIQ, or for WFE an event, which it consumes. */
  private wake(cpu: Cpu): boolean {
    if (cpu.interruptLines !== 0) {
      cpu.waitingForInterrupt = cpu.waitingForEvent = false;
      return true;
    }
    if (cpu.waitingForEvent && cpu.eventRegister !== 0) {
      cpu.eventRegister = 0;
      cpu.waitingForInterrupt = cpu.waitingForEvent = false;
      return true;
    }
    return false;
  }

  /** Whether a processor other than `index` is on and has something to execute. */
  private anotherProcessorRuns(index: number): boolean {
    const cpus = this.cpus;
    for (let i = 0; i < cpus.length; i++) {
      if (i !== index && this.psci.isOn(i) && !this.waitsWithoutWakeUp(cpus[i]!)) return true;
    }
    return false;
  }

  private waitsWithoutWakeUp(cpu: Cpu): boolean {
    return cpu.waitingForInterrupt && cpu.interruptLines === 0 && !(cpu.waitingForEvent && cpu.eventRegister !== 0);
  }

  /** Every processor that is on waits with nothing to wake it (at least one is on). */
  private everyProcessorWaits(): boolean {
    let on = 0;
    for (let i = 0; i < this.cpus.length; i++) {
      if (!this.psci.isOn(i)) continue;
      on++;
      if (!this.waitsWithoutWakeUp(this.cpus[i]!)) return false;
    }
    return on > 0;
  }

  private haltedReason(): string {
    const never = 'that can never come (no timer or RTC alarm armed)';
    if (this.cpus.length === 1) {
      return `processor waits for an interrupt (WFI/WFE at 0x${(this.cpu.pc >>> 0).toString(16)}) ${never}`;
    }
    const where = this.cpus
      .map((cpu, i) => (this.psci.isOn(i) ? `cpu${i} at 0x${(cpu.pc >>> 0).toString(16)}` : undefined))
      .filter((w) => w !== undefined)
      .join(', ');
    return `every processor waits for an interrupt or event (WFI/WFE: ${where}) ${never}`;
  }

  /**
   * PSCI CPU_ON: processor `index` from its reset state (B1.9.1) at `entry`, r0 = `contextId`,
   * in the highest mode the board gives (QEMU psci.c: target_el 2 with EL2): SVC, or Hyp with
   * virtualization=on.
   */
  private startProcessor(index: number, entry: number, contextId: number): void {
    const cpu = this.cpus[index]!;
    // A/I/F masked, MMU off (its TLB flushed), monitor open, no wait or event; in Hyp mode when the
    // processor has EL2 (Cpu.reset), as QEMU's arm_set_cpu_on with target_el 2.
    cpu.reset();
    this.timers[index]!.reset();
    cpu.thumb = entry & 1;
    cpu.pc = entry & ~1;
    cpu.r[0] = contextId;
    // From this instruction on, one more processor shares time.
    this.time.setSharers(this.psci.onCount());
  }

  /** Instructions (of the processor whose turn it is) until the next timer or RTC event: how long a run slice may be. */
  private instructionsToNextEvent(): number {
    if (this.wallClock) return WALL_CLOCK_POLL_INSTRUCTIONS;
    const next = this.nextEvent();
    if (next === Number.POSITIVE_INFINITY) return Number.POSITIVE_INFINITY;
    return this.time.instructionsFor(next - this.clock.elapsedNanoseconds());
  }

  /** Board time (ns) of the earliest device event: a generic timer compare, the RTC match or the power button's release. */
  private nextEvent(): number {
    let next = Math.min(this.rtc.nextEvent(), this.powerButton.nextEvent(), this.runDeadline);
    const timers = this.timers;
    for (let i = 0; i < timers.length; i++) next = Math.min(next, timers[i]!.nextEvent() * NANOSECONDS_PER_TICK);
    return next;
  }

  private updateDevices(): void {
    const timers = this.timers;
    for (let i = 0; i < timers.length; i++) timers[i]!.update();
    this.rtc.update();
    this.powerButton.update();
  }
}
