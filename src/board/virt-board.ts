import { Cpu } from '../arch/arm/cpu.js';
import { Executor } from '../arch/arm/executor.js';
import { COUNTER_FREQUENCY_HZ, GenericTimer } from '../arch/arm/generic-timer.js';
import { Semihosting, type SemihostingHost } from '../arch/arm/semihosting.js';
import { Bus } from '../hw/bus.js';
import { Gic, GicCpuInterface, GicDistributor } from '../hw/gic/index.js';
import { Pl011 } from '../hw/pl011.js';
import { Pl031 } from '../hw/pl031.js';
import { createVirtioTransports, guestMemoryOfBus, VirtioTransportWindow, type VirtioDevice, type VirtioMmioTransport } from '../hw/virtio/index.js';
import { ImageError, type ElfImage } from './elf-image.js';
import { PsciFirmware, SingleCpuPsciPlatform, type MachinePowerEvent } from './psci.js';
import { VIRT_MAX_RAM_BYTES, VIRT_MEMORY_MAP, VIRT_PPI, VIRT_SPI, VIRTIO_TRANSPORT_COUNT, VIRTIO_TRANSPORT_SIZE } from './virt-memory-map.js';
import { DEFAULT_EPOCH_SECONDS, VirtualClock } from './virtual-clock.js';

/** Interrupt IDs QEMU's virt gives its GIC: NUM_IRQS (256) SPIs plus the 32 SGIs/PPIs (GICD_TYPER.ITLinesNumber 8). */
export const VIRT_GIC_INTERRUPTS = 256 + 32;
/** Nanoseconds per counter tick: 16 at 62.5 MHz (QEMU's GTIMER_SCALE). */
const NANOSECONDS_PER_TICK = 1e9 / COUNTER_FREQUENCY_HZ;
/** In wall-clock mode, how many instructions run between looks at the host clock. */
const WALL_CLOCK_POLL_INSTRUCTIONS = 1 << 16;

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
   * virtio devices, given transports as QEMU's virt gives them: the first device gets the last
   * transport (0x0a003e00, SPI 47), the next the one below it, and so on.
   */
  readonly virtioDevices?: readonly VirtioDevice[];
}

/** Why a run stopped. */
export type StopReason =
  | { readonly kind: 'exit'; readonly status: number }
  | { readonly kind: 'instruction-limit' }
  /** The guest stopped the machine through PSCI (SYSTEM_OFF, SYSTEM_RESET, or CPU_OFF of the only CPU). */
  | { readonly kind: 'power'; readonly event: MachinePowerEvent }
  | { readonly kind: 'halted'; readonly why: string };

/**
 * A single-processor board laid out like QEMU's `virt` machine: RAM at 0x40000000, the GICv2
 * distributor and CPU interface at 0x08000000 / 0x08010000, the PL011 UART at 0x09000000 (SPI 1),
 * the PL031 RTC at 0x09010000 (SPI 2), 32 virtio-mmio transports from 0x0a000000 (SPI 16 up),
 * the generic timer's physical and virtual timers on PPIs 14 and 11, with a Cortex-A15 starting
 * as `-kernel` leaves it (SVC mode, interrupts masked, MMU off, at the image's entry point).
 */
export class VirtBoard {
  readonly bus: Bus;
  readonly cpu: Cpu;
  readonly executor: Executor;
  readonly uart: Pl011;
  readonly gic: Gic;
  readonly timer: GenericTimer;
  readonly rtc: Pl031;
  /** The 32 virtio-mmio transports at 0x0a000000, empty ones included. */
  readonly virtio: readonly VirtioMmioTransport[];
  /** The PSCI firmware's view of the machine (one processor). */
  readonly psci = new SingleCpuPsciPlatform();
  /** Virtual time (instructions plus idle time skipped). */
  readonly clock: VirtualClock;
  private readonly wallClock: boolean;
  private readonly wallClockStart: number;
  /** Unix time (s) when the board started: the virtual epoch, or the host's time of day in wall-clock mode. */
  private readonly startUnixSeconds: number;
  private exitStatus: number | undefined;

  constructor(options: VirtBoardOptions) {
    if (options.ramBytes > VIRT_MAX_RAM_BYTES) {
      throw new ImageError(`RAM size ${options.ramBytes} bytes exceeds the board's ${VIRT_MAX_RAM_BYTES} bytes`);
    }
    const log = options.log ?? (() => {});
    this.bus = new Bus(VIRT_MEMORY_MAP.ram.base, options.ramBytes);
    this.cpu = new Cpu(this.bus);
    const cpu = this.cpu;
    // QEMU's virt without EL2 answers every HVC from PL1 with its PSCI firmware.
    cpu.firmwareCall = new PsciFirmware(this.psci).call;
    this.executor = new Executor(cpu);
    this.clock = new VirtualClock(() => cpu.instructionCount);
    this.wallClock = options.wallClock === true;
    this.wallClockStart = this.wallClock ? performance.now() : 0;
    this.startUnixSeconds = this.wallClock ? Date.now() / 1000 : DEFAULT_EPOCH_SECONDS;

    // GICv2 with one CPU interface, its IRQ/FIQ outputs to the processor's inputs.
    this.gic = new Gic(1, VIRT_GIC_INTERRUPTS, [{ irq: { set: (l) => cpu.setIrq(l) }, fiq: { set: (l) => cpu.setFiq(l) } }]);
    this.bus.map(VIRT_MEMORY_MAP.gicDistributor.base, VIRT_MEMORY_MAP.gicDistributor.size, new GicDistributor(this.gic, log));
    this.bus.map(VIRT_MEMORY_MAP.gicCpuInterface.base, VIRT_MEMORY_MAP.gicCpuInterface.size, new GicCpuInterface(this.gic, log));

    // Generic timer: physical timer to PPI 14 (ID 30), virtual timer to PPI 11 (ID 27).
    this.timer = new GenericTimer(() => this.counter(), [
      this.gic.ppiLine(0, VIRT_PPI.physicalTimer),
      this.gic.ppiLine(0, VIRT_PPI.virtualTimer),
    ]);
    this.timer.install(cpu.cp15);
    // A reprogrammed timer may fire sooner than the current run slice ends: re-plan after this instruction.
    this.timer.onReprogram = () => {
      cpu.runUntil = Math.min(cpu.runUntil, cpu.instructionCount + 1);
    };

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
    this.cpu.semihosting = semihosting.call;
  }

  /**
   * Runs until the guest exits, `maxInstructions` have run, or the processor waits for an
   * interrupt that can never come. Run slices end at the next timer event, so timers fire at
   * the instruction their compare value names; while the processor waits (WFI) with a timer
   * event ahead, virtual time jumps to it, so an idle guest costs no host time.
   */
  run(maxInstructions = Number.POSITIVE_INFINITY): StopReason {
    const cpu = this.cpu;
    const slice = 1 << 20;
    while (cpu.instructionCount < maxInstructions) {
      const budget = Math.min(slice, maxInstructions - cpu.instructionCount, this.instructionsToNextEvent());
      this.executor.run(Math.max(1, budget));
      this.updateDevices();
      if (this.exitStatus !== undefined) return { kind: 'exit', status: this.exitStatus };
      if (this.psci.event !== undefined) return { kind: 'power', event: this.psci.event };
      if (cpu.waitingForInterrupt) {
        // WFI/WFE wake on an asserted IRQ or FIQ even when CPSR masks it (B1.8.13).
        if (cpu.interruptLines === 0 && !this.idle()) {
          return { kind: 'halted', why: `processor waits for an interrupt (WFI/WFE at 0x${(cpu.pc >>> 0).toString(16)}) that can never come (no timer or RTC alarm armed)` };
        }
        if (cpu.interruptLines !== 0) cpu.waitingForInterrupt = false;
      }
    }
    return { kind: 'instruction-limit' };
  }

  /** Instructions until the next timer or RTC event (how long a run slice may be). */
  private instructionsToNextEvent(): number {
    if (this.wallClock) return WALL_CLOCK_POLL_INSTRUCTIONS;
    const next = this.nextEvent();
    if (next === Number.POSITIVE_INFINITY) return Number.POSITIVE_INFINITY;
    return this.clock.instructionsUntil(next);
  }

  /** Board time (ns) of the earliest device event: a generic timer compare or the RTC match. */
  private nextEvent(): number {
    return Math.min(this.timer.nextEvent() * NANOSECONDS_PER_TICK, this.rtc.nextEvent());
  }

  private updateDevices(): void {
    this.timer.update();
    this.rtc.update();
  }

  /**
   * The processor waits and no interrupt is asserted: move time to the next device event (virtual
   * time jumps; wall-clock time sleeps). False when no event is ahead, so nothing can wake it.
   */
  private idle(): boolean {
    const at = this.nextEvent();
    if (at === Number.POSITIVE_INFINITY) return false;
    if (this.wallClock) sleepMilliseconds((at - this.elapsedNanoseconds()) / 1e6);
    else this.clock.skipTo(at);
    this.updateDevices();
    return true;
  }
}

/** Blocks the thread (wall-clock mode only): Atomics.wait where the host allows it, else a busy wait. */
function sleepMilliseconds(ms: number): void {
  if (!(ms > 0)) return;
  try {
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
  } catch {
    const end = performance.now() + ms;
    while (performance.now() < end) {
      // a browser's main thread may not block
    }
  }
}
