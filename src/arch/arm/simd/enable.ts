import type { Cpu } from '../cpu.js';
import { vfpEnabled } from '../vfp/enable.js';

/**
 * Whether Advanced SIMD instructions may execute (CheckAdvSIMDEnabled, ARM ARM "Enabling Advanced
 * SIMD and floating-point support"): the processor has them, CheckVFPEnabled passes and
 * CPACR.ASEDIS is clear. Unlike the floating-point data-processing instructions they ignore
 * FPSCR.Len and Stride.
 */

/** CPACR.ASEDIS [31]: Advanced SIMD instructions are UNDEFINED (floating-point ones are not). */
const CPACR_ASEDIS = 0x80000000 | 0;

export function simdEnabled(cpu: Cpu): boolean {
  return cpu.features.hasNeon && (cpu.cp15.cpacr & CPACR_ASEDIS) === 0 && vfpEnabled(cpu);
}
