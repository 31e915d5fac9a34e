import { Cpu } from '../arch/arm/cpu.js';
import { Executor } from '../arch/arm/executor.js';
import { Semihosting, type SemihostingHost } from '../arch/arm/semihosting.js';
import { Bus } from '../hw/bus.js';
import { Pl011 } from '../hw/pl011.js';
import { ImageError, type ElfImage } from './elf-image.js';
import { VIRT_MAX_RAM_BYTES, VIRT_MEMORY_MAP } from './virt-memory-map.js';

export interface VirtBoardOptions {
  /** RAM size in bytes (a multiple of 4 KiB). */
  readonly ramBytes: number;
  /** Receives every byte the guest writes to the UART. */
  readonly uartOutput: (byte: number) => void;
}

/** Why a run stopped. */
export type StopReason =
  | { readonly kind: 'exit'; readonly status: number }
  | { readonly kind: 'instruction-limit' }
  | { readonly kind: 'halted'; readonly why: string };

/**
 * A single-processor board laid out like QEMU's `virt` machine: RAM at 0x40000000 and the PL011
 * UART at 0x09000000, with a Cortex-A15 starting as `-kernel` leaves it (SVC mode, interrupts
 * masked, MMU off, at the image's entry point).
 */
export class VirtBoard {
  readonly bus: Bus;
  readonly cpu: Cpu;
  readonly executor: Executor;
  readonly uart: Pl011;
  private exitStatus: number | undefined;

  constructor(options: VirtBoardOptions) {
    if (options.ramBytes > VIRT_MAX_RAM_BYTES) {
      throw new ImageError(`RAM size ${options.ramBytes} bytes exceeds the board's ${VIRT_MAX_RAM_BYTES} bytes`);
    }
    this.bus = new Bus(VIRT_MEMORY_MAP.ram.base, options.ramBytes);
    this.uart = new Pl011(options.uartOutput);
    this.bus.map(VIRT_MEMORY_MAP.uart.base, VIRT_MEMORY_MAP.uart.size, this.uart);
    this.cpu = new Cpu(this.bus);
    this.executor = new Executor(this.cpu);
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
   * interrupt that nothing on this board can raise.
   */
  run(maxInstructions = Number.POSITIVE_INFINITY): StopReason {
    const cpu = this.cpu;
    const slice = 1 << 20;
    while (cpu.instructionCount < maxInstructions) {
      this.executor.run(Math.min(slice, maxInstructions - cpu.instructionCount));
      if (this.exitStatus !== undefined) return { kind: 'exit', status: this.exitStatus };
      if (cpu.waitingForInterrupt) {
        // No timer or interrupt controller on this board yet: nothing can ever wake the processor.
        return { kind: 'halted', why: `processor waits for an interrupt (WFI/WFE at 0x${(cpu.pc >>> 0).toString(16)}) that no device can raise` };
      }
    }
    return { kind: 'instruction-limit' };
  }
}
