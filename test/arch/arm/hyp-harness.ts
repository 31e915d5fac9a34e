import type { CpuFeatures } from '../../../src/arch/arm/cpu.js';
import { Mode } from '../../../src/arch/arm/modes.js';
import { CODE_BASE, RAM_BASE, makeHarness, type Harness } from '../../support/cpu-harness.js';

/** Processor features of QEMU's `virt,virtualization=on`: EL2, no EL3. */
export const EL2: CpuFeatures = { hasEl2: true, hasEl3: false, hasNeon: true };

/** Hyp vectors at RAM_BASE, PL1 vectors at RAM_BASE + 0x100: each vector slot holds a NOP. */
export const HVBAR = RAM_BASE;
export const VBAR = RAM_BASE + 0x100;
const NOP = 0xe320f000;

export const u32 = (x: number): number => x >>> 0;

/**
 * A processor with the Virtualization Extensions in `mode` (SVC by default) with `words` (A32)
 * at CODE_BASE, HVBAR and VBAR set, and IRQ/FIQ/aborts unmasked.
 */
export function hypHarness(words: readonly number[], mode: number = Mode.Svc): Harness {
  const h = makeHarness({ features: EL2 });
  h.cpu.cp15.hvbar = HVBAR;
  h.cpu.cp15.vbar = VBAR;
  h.writeWords(HVBAR, new Array<number>(8).fill(NOP));
  h.writeWords(VBAR, new Array<number>(8).fill(NOP));
  h.writeWords(CODE_BASE, words);
  h.cpu.setMode(mode);
  h.cpu.maskA = h.cpu.maskI = h.cpu.maskF = 0;
  return h;
}

/** The same with T32/T16 `halfwords` at CODE_BASE, in Thumb state. */
export function hypThumbHarness(halfwords: readonly number[], mode: number = Mode.Svc): Harness {
  const h = hypHarness([], mode);
  h.writeHalfwords(CODE_BASE, halfwords);
  h.cpu.thumb = 1;
  return h;
}

/** Runs one instruction and reports where the exception it took (if any) entered. */
export function step(h: Harness): void {
  h.executor.step();
}

export { CODE_BASE };
