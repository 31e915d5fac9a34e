import type { Cpu } from '../cpu.js';

/**
 * Whether floating-point instructions may execute (ARM ARM "Enabling Advanced SIMD and floating-point
 * support" and the CheckVFPEnabled pseudocode): CPACR.cp10/cp11 must grant the current
 * privilege level (PL0 needs 0b11, PL1 0b01 or 0b11; 0b10 is reserved and denies) and FPEXC.EN
 * must be set. The model has no Security or Virtualization Extensions, so NSACR and HCPTR do not
 * apply. Differing cp10/cp11 settings are UNPREDICTABLE; access is granted only when both allow.
 */

export const FPEXC_EN = 1 << 30;

/** FPSCR.Len [18:16] and FPSCR.Stride [21:20]. */
const FPSCR_LEN_STRIDE = 0x00370000;

function fieldAllows(field: number, user: boolean): boolean {
  return user ? field === 3 : field === 1 || field === 3;
}

/** CPACR alone allows coprocessors 10 and 11 at the current privilege level. */
export function cpacrAllowsVfp(cpu: Cpu): boolean {
  const cpacr = cpu.cp15.cpacr;
  const user = cpu.isUserMode();
  return fieldAllows((cpacr >>> 20) & 3, user) && fieldAllows((cpacr >>> 22) & 3, user);
}

/** CheckVFPEnabled(TRUE) for loads, stores, transfers, compares and conversions. */
export function vfpEnabled(cpu: Cpu): boolean {
  return (cpu.vfp.fpexc & FPEXC_EN) !== 0 && cpacrAllowsVfp(cpu);
}

/**
 * CheckVFPEnabled for the data-processing instructions that would be short-vector operations
 * (VADD ... VSQRT, VMOV): the Cortex-A15 has no short vectors (MVFR0.ShortVecs = 0), so non-zero
 * FPSCR.Len or Stride makes them UNDEFINED, as QEMU 7.2 does (ARM ARM "VFP vector operation support").
 */
export function vfpScalarEnabled(cpu: Cpu): boolean {
  return (cpu.vfp.fpscr & FPSCR_LEN_STRIDE) === 0 && vfpEnabled(cpu);
}
