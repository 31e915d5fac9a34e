import type { Cpu } from '../cpu.js';
import { HSR_FLOATING_POINT_ACCESS } from '../hyp/syndrome.js';
import { Mode } from '../modes.js';

/**
 * Whether floating-point instructions may execute (ARM ARM "Enabling Advanced SIMD and floating-point
 * support" and the CheckVFPEnabled pseudocode): CPACR.cp10/cp11 must grant the current
 * privilege level (PL0 needs 0b11, PL1 0b01 or 0b11; 0b10 is reserved and denies) and FPEXC.EN
 * must be set. CPACR does not apply in Hyp mode; HCPTR.TCP10/TCP11 trap the instructions to Hyp
 * mode from any Non-secure mode, Hyp mode included (HSR EC 0x07). The model has no NSACR (Secure
 * state is not modelled). Differing cp10/cp11 settings are UNPREDICTABLE; access is granted only
 * when both allow.
 */

export const FPEXC_EN = 1 << 30;

/** FPSCR.Len [18:16] and FPSCR.Stride [21:20]. */
const FPSCR_LEN_STRIDE = 0x00370000;

function fieldAllows(field: number, user: boolean): boolean {
  return user ? field === 3 : field === 1 || field === 3;
}

/** HCPTR.TCP10 and TCP11 (B4.1.74); set differently they are UNPREDICTABLE, and either traps. */
const HCPTR_TCP10_TCP11 = 0x0c00;

/** CPACR alone allows coprocessors 10 and 11 at the current privilege level. */
export function cpacrAllowsVfp(cpu: Cpu): boolean {
  if (cpu.mode === Mode.Hyp) return true;
  const cpacr = cpu.cp15.cpacr;
  const user = cpu.isUserMode();
  return fieldAllows((cpacr >>> 20) & 3, user) && fieldAllows((cpacr >>> 22) & 3, user);
}

/**
 * Whether HCPTR traps coprocessors 10 and 11 now. When it does, the Hyp Trap syndrome is left
 * for the undefinedInstruction() call the failed check makes (cpu.hypTrapSyndrome).
 */
export function hcptrTrapsVfp(cpu: Cpu): boolean {
  if ((cpu.cp15.hcptr & HCPTR_TCP10_TCP11) === 0 || cpu.mode === Mode.Mon) return false;
  cpu.hypTrapSyndrome = HSR_FLOATING_POINT_ACCESS;
  return true;
}

/**
 * CheckVFPEnabled(TRUE) for loads, stores, transfers, compares and conversions: CPACR (UNDEFINED),
 * then HCPTR (Hyp trap), then FPEXC.EN (UNDEFINED), in QEMU's order (fp_exception_el, then
 * vfp_enabled).
 */
export function vfpEnabled(cpu: Cpu): boolean {
  return cpacrAllowsVfp(cpu) && !hcptrTrapsVfp(cpu) && (cpu.vfp.fpexc & FPEXC_EN) !== 0;
}

/**
 * CheckVFPEnabled for the data-processing instructions that would be short-vector operations
 * (VADD ... VSQRT, VMOV): the Cortex-A15 has no short vectors (MVFR0.ShortVecs = 0), so non-zero
 * FPSCR.Len or Stride makes them UNDEFINED, as QEMU 7.2 does (ARM ARM "VFP vector operation support").
 */
export function vfpScalarEnabled(cpu: Cpu): boolean {
  return (cpu.vfp.fpscr & FPSCR_LEN_STRIDE) === 0 && vfpEnabled(cpu);
}
