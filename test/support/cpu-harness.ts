import { Cpu, type CpuFeatures } from '../../src/arch/arm/cpu.js';
import { Executor } from '../../src/arch/arm/executor.js';
import { Mode } from '../../src/arch/arm/modes.js';
import { Bus } from '../../src/hw/bus.js';

/** RAM base of QEMU's virt board, where test code is placed. */
export const RAM_BASE = 0x40000000;
export const CODE_BASE = 0x40010000;

export interface Harness {
  readonly cpu: Cpu;
  readonly bus: Bus;
  readonly executor: Executor;
  /** Writes 32-bit words (A32 instructions or data) at an address. */
  writeWords(address: number, words: readonly number[]): void;
  /** Writes 16-bit halfwords (T32 code) at an address. */
  writeHalfwords(address: number, halfwords: readonly number[]): void;
  /** Runs exactly `count` instructions from the current PC. */
  run(count: number): void;
}

/**
 * A processor with 1 MiB of RAM at RAM_BASE and no devices, in SVC mode with VFP enabled, PC at
 * CODE_BASE (ARM state unless `thumb`). For unit tests of instruction semantics.
 */
export function makeHarness(options: { thumb?: boolean; features?: CpuFeatures } = {}): Harness {
  const bus = new Bus(RAM_BASE, 1 << 20);
  const cpu = new Cpu(bus, options.features);
  const executor = new Executor(cpu);
  // Unit tests' loops are short: translate after 32 starts, so their loops run as blocks.
  executor.hotThreshold = 32;
  cpu.cp15.cpacr = 0x00f00000;
  cpu.vfp.fpexc = 0x40000000;
  cpu.setMode(Mode.Svc);
  cpu.pc = CODE_BASE;
  cpu.thumb = options.thumb ? 1 : 0;
  const view = new DataView(bus.ram.buffer);
  return {
    cpu,
    bus,
    executor,
    writeWords(address, words) {
      words.forEach((w, i) => view.setUint32(address - RAM_BASE + 4 * i, w >>> 0, true));
      executor.cache.clear();
    },
    writeHalfwords(address, halfwords) {
      halfwords.forEach((h, i) => view.setUint16(address - RAM_BASE + 2 * i, h & 0xffff, true));
      executor.cache.clear();
    },
    run(count) {
      executor.run(count);
    },
  };
}
