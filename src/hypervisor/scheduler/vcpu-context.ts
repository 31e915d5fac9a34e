import {
  CNTV_CTL_REGISTER, GUEST_CP15_CONTEXT, GUEST_CP15_CONTEXT_64, type Pl2Port, type VfpContext,
} from '../../arch/arm/hyp/pl2-port.js';
import { CNT_CTL_ENABLE, CNT_CTL_IMASK } from '../../arch/arm/generic-timer.js';
import { Mode } from '../../arch/arm/modes.js';

/** The modes with their own SP and LR (B1.3.2); Sys shares Usr's, and Hyp's SP is the hypervisor's. */
const BANKED_MODES = [Mode.Usr, Mode.Svc, Mode.Abt, Mode.Und, Mode.Irq, Mode.Fiq] as const;
/** The modes with an SPSR a guest can have (all but Usr/Sys, and not Mon or Hyp). */
const SPSR_MODES = [Mode.Svc, Mode.Abt, Mode.Und, Mode.Irq, Mode.Fiq] as const;

/** Where CNTV_CVAL (MCRR p15, 3, c14) is in GUEST_CP15_CONTEXT_64. */
const CNTV_CVAL_INDEX = GUEST_CP15_CONTEXT_64.findIndex((r) => r.opc1 === 3 && r.crm === 14);

/**
 * Everything of a vCPU that lives in its physical processor while it runs there, as a Hyp
 * hypervisor saves it before another vCPU (or nothing) uses the processor: the guest's general
 * registers of every mode (R0-R12, the FIQ bank's R8-R12, SP and LR of each mode, each SPSR),
 * its return state (ELR_hyp, SPSR_hyp), its CP15 state, its VFP registers and its virtual timer.
 * (The GIC virtual interface is the vGIC's to save; VTTBR, VMPIDR, CNTVOFF and HCR are the
 * hypervisor's per-VM programming, written again whenever a vCPU is entered.)
 */
export class VcpuContext {
  /** R0-R12 (User bank), R8-R12 (FIQ bank), then SP and LR of each BANKED_MODES entry. */
  readonly registers = new Int32Array(13 + 5 + 2 * BANKED_MODES.length);
  readonly spsrs = new Int32Array(SPSR_MODES.length);
  elr = 0;
  spsr = 0;
  readonly cp15 = new Int32Array(GUEST_CP15_CONTEXT.length);
  readonly cp15Pairs = new Int32Array(2 * GUEST_CP15_CONTEXT_64.length);
  /** CNTV_CTL as the guest left it (the processor's own timer is disabled while the vCPU is out). */
  timerControl = 0;
  readonly vfp: VfpContext = { fpexc: 0, fpscr: 0, d: new Int32Array(64) };

  /** The guest's virtual timer condition (B8.2.4): enabled, unmasked, and its compare value in CNTVCT. */
  timerDeadline(): number | undefined {
    if ((this.timerControl & (CNT_CTL_ENABLE | CNT_CTL_IMASK)) !== CNT_CTL_ENABLE) return undefined;
    const at = CNTV_CVAL_INDEX;
    return (this.cp15Pairs[2 * at]! >>> 0) + (this.cp15Pairs[2 * at + 1]! >>> 0) * 2 ** 32;
  }
}

/**
 * Saves the guest state of the processor `port` is (in Hyp mode, at a trap from the guest) into
 * `context`, then disables the processor's virtual timer so it cannot fire for the next vCPU.
 */
export function saveVcpuContext(port: Pl2Port, context: VcpuContext): void {
  const r = context.registers;
  for (let n = 0; n <= 12; n++) r[n] = port.registerOfMode(n, Mode.Usr);
  for (let n = 8; n <= 12; n++) r[13 + n - 8] = port.registerOfMode(n, Mode.Fiq);
  BANKED_MODES.forEach((mode, i) => {
    r[18 + 2 * i] = port.registerOfMode(13, mode);
    r[19 + 2 * i] = port.registerOfMode(14, mode);
  });
  SPSR_MODES.forEach((mode, i) => {
    context.spsrs[i] = port.spsrOfMode(mode);
  });
  context.elr = port.elr;
  context.spsr = port.spsr;
  GUEST_CP15_CONTEXT.forEach((name, i) => {
    context.cp15[i] = port.readCp15(...name);
  });
  GUEST_CP15_CONTEXT_64.forEach((name, i) => {
    const [low, high] = port.readCp15Pair(name);
    context.cp15Pairs[2 * i] = low;
    context.cp15Pairs[2 * i + 1] = high;
  });
  context.timerControl = port.readCp15(...CNTV_CTL_REGISTER);
  port.writeCp15(...CNTV_CTL_REGISTER, 0);
  port.saveVfp(context.vfp);
}

/** Puts `context` back into the processor; the next ERET returns to the guest where it was saved. */
export function restoreVcpuContext(port: Pl2Port, context: VcpuContext): void {
  const r = context.registers;
  for (let n = 0; n <= 12; n++) port.setRegisterOfMode(n, Mode.Usr, r[n]!);
  for (let n = 8; n <= 12; n++) port.setRegisterOfMode(n, Mode.Fiq, r[13 + n - 8]!);
  BANKED_MODES.forEach((mode, i) => {
    port.setRegisterOfMode(13, mode, r[18 + 2 * i]!);
    port.setRegisterOfMode(14, mode, r[19 + 2 * i]!);
  });
  SPSR_MODES.forEach((mode, i) => port.setSpsrOfMode(mode, context.spsrs[i]!));
  GUEST_CP15_CONTEXT.forEach((name, i) => port.writeCp15(...name, context.cp15[i]!));
  GUEST_CP15_CONTEXT_64.forEach((name, i) => port.writeCp15Pair(name, context.cp15Pairs[2 * i]!, context.cp15Pairs[2 * i + 1]!));
  port.writeCp15(...CNTV_CTL_REGISTER, context.timerControl);
  port.restoreVfp(context.vfp);
  port.elr = context.elr;
  port.spsr = context.spsr;
}
