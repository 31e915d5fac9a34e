import { CODE_BASE, RAM_BASE, makeHarness, type Harness } from '../../../support/cpu-harness.js';
import type { CpuFeatures } from '../../../../src/arch/arm/cpu.js';

/** Vector base used by these tests: exceptions land at RAM_BASE + offset. */
export const VECTORS = RAM_BASE;

/** An ARM-state processor with `words` at CODE_BASE and VBAR at VECTORS. */
export function arm(words: readonly number[], features?: CpuFeatures): Harness {
  const h = makeHarness(features ? { features } : {});
  h.cpu.cp15.vbar = VECTORS;
  h.writeWords(CODE_BASE, words);
  return h;
}

/** A Thumb-state processor with `halfwords` at CODE_BASE (+ `offset`) and VBAR at VECTORS. */
export function thumb(halfwords: readonly number[], features?: CpuFeatures, offset = 0): Harness {
  const h = makeHarness(features ? { thumb: true, features } : { thumb: true });
  h.cpu.cp15.vbar = VECTORS;
  h.writeHalfwords(CODE_BASE + offset, halfwords);
  h.cpu.pc = CODE_BASE + offset;
  return h;
}

export const WITH_EL2: CpuFeatures = { hasEl2: true, hasEl3: false, hasNeon: false };
export const WITH_EL3: CpuFeatures = { hasEl2: false, hasEl3: true, hasNeon: false };

export const u32 = (x: number): number => x >>> 0;
