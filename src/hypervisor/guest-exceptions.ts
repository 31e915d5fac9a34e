import { CP15, type Pl2Port } from '../arch/arm/hyp/pl2-port.js';
import { HSR_IL } from '../arch/arm/hyp/syndrome.js';
import { SCTLR_EE, SCTLR_TE, SCTLR_V } from '../arch/arm/cp15.js';
import { FaultStatus } from '../arch/arm/guest-abort.js';
import { faultStatusRegister } from '../arch/arm/mmu/fault-status.js';
import { Mode } from '../arch/arm/modes.js';

/**
 * Exceptions the hypervisor makes a guest take, as the processor would have taken them at PL1
 * (ARM ARM B1.8.3 "Exception entry", table B1-7 for the link values): an external abort for an
 * access nothing answers, an Undefined Instruction for a trap the guest may not make. The entry is
 * prepared for the return from Hyp mode: ELR_hyp and SPSR_hyp name the guest's vector and the
 * target mode, whose LR and SPSR are written first (MSR banked), as KVM/ARM's 32-bit exception
 * injection does; the hypervisor's ERET then enters it.
 */

const { SCTLR, TTBCR, DFSR, IFSR, DFAR, IFAR, VBAR } = CP15;

/** DFSR.WnR (B4.1.52). */
const FSR_WNR = 1 << 11;

/** Vector offsets (B1.8.1). */
const UNDEFINED_VECTOR = 0x04;
const PREFETCH_ABORT_VECTOR = 0x0c;
const DATA_ABORT_VECTOR = 0x10;

const CPSR_A = 1 << 8;
const CPSR_I = 1 << 7;
const CPSR_T = 1 << 5;
const CPSR_E = 1 << 9;
const CPSR_F = 1 << 6;
/** N, Z, C, V, Q [31:27] and GE [19:16]. */
const CPSR_FLAGS_AND_GE = 0xf80f0000 | 0;
/** ITSTATE in the PSR: IT[1:0] at [26:25], IT[7:2] at [15:10]. */
const IT_LOW = 3 << 25;
const IT_HIGH = 0x3f << 10;

/** A synchronous external abort on the data access that trapped (HDFAR is its virtual address). */
export function injectDataAbort(port: Pl2Port, isWrite: boolean): void {
  const status = externalAbortStatus(port);
  port.writeCp15(...DFSR, status | (isWrite ? FSR_WNR : 0));
  port.writeCp15(...DFAR, port.hdfar);
  enter(port, Mode.Abt, DATA_ABORT_VECTOR, port.elr + 8, CPSR_A | CPSR_I);
}

/** A synchronous external abort on the instruction fetch that trapped (HIFAR is its address). */
export function injectPrefetchAbort(port: Pl2Port): void {
  port.writeCp15(...IFSR, externalAbortStatus(port));
  port.writeCp15(...IFAR, port.hifar);
  enter(port, Mode.Abt, PREFETCH_ABORT_VECTOR, port.elr + 4, CPSR_A | CPSR_I);
}

/**
 * An Undefined Instruction exception for the instruction that trapped (at ELR_hyp, its length
 * from HSR.IL): LR_und is the instruction after it.
 */
export function injectUndefined(port: Pl2Port): void {
  const length = (port.hsr & HSR_IL) !== 0 ? 4 : 2;
  enter(port, Mode.Und, UNDEFINED_VECTOR, port.elr + length, CPSR_I);
}

/** A synchronous external abort in the format the guest's TTBCR.EAE selects (B4.1.52), as the processor reports one. */
function externalAbortStatus(port: Pl2Port): number {
  return faultStatusRegister(FaultStatus.SyncExternal, 0, 1, port.readCp15(...TTBCR));
}

/**
 * Exception entry to `mode` at the guest's vector `offset` (B1.8.3): NZCVQ and GE kept, IT and J
 * cleared, T from SCTLR.TE, E from SCTLR.EE, `masks` set and the other A/I/F bits unchanged.
 */
function enter(port: Pl2Port, mode: Mode, offset: number, link: number, masks: number): void {
  const sctlr = port.readCp15(...SCTLR);
  const base = (sctlr & SCTLR_V) !== 0 ? 0xffff0000 : port.readCp15(...VBAR);
  const old = port.spsr;
  port.setRegisterOfMode(14, mode, link);
  port.setSpsrOfMode(mode, old);
  port.elr = (base + offset) >>> 0;
  port.spsr = (old & CPSR_FLAGS_AND_GE) | mode | masks | (old & (CPSR_A | CPSR_I | CPSR_F) & ~masks) |
    ((sctlr & SCTLR_TE) !== 0 ? CPSR_T : 0) | ((sctlr & SCTLR_EE) !== 0 ? CPSR_E : 0);
}

/**
 * Returns past the trapped instruction (its length from HSR.IL, or `length` where HSR has none)
 * and, in Thumb state, advances SPSR_hyp's IT state as executing it would have (ITAdvance(),
 * A2.5.2): an emulated instruction in an IT block must not leave the next one with its condition.
 */
export function skipTrappedInstruction(port: Pl2Port, length: 2 | 4 = (port.hsr & HSR_IL) !== 0 ? 4 : 2): void {
  port.elr = port.elr + length;
  const spsr = port.spsr;
  const it = ((spsr >>> 25) & 3) | (((spsr >>> 10) & 0x3f) << 2);
  if (it === 0) return;
  const next = (it & 7) === 0 ? 0 : (it & 0xe0) | ((it << 1) & 0x1f);
  port.spsr = (spsr & ~(IT_LOW | IT_HIGH)) | ((next & 3) << 25) | ((next >>> 2) << 10);
}
