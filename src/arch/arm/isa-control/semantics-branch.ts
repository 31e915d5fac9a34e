import { conditionPassed } from '../condition.js';
import type { Cpu } from '../cpu.js';
import type { SemanticsCall } from '../semantics-call.js';

/**
 * Branch semantics shared by the A32, T16 and T32 encodings (ARM ARM A8.8.18 B, A8.8.25 BL/BLX
 * (immediate), A8.8.26 BLX (register), A8.8.27 BX, A8.8.28 BXJ, A8.8.29 CBZ, TBB/TBH).
 * Offsets are already sign-extended by the encoding; `cpu.r[15]` reads as the architectural PC.
 */

/** B: BranchWritePC(PC + imm32). */
export function branchRelative(cpu: Cpu, imm32: number): void {
  cpu.branchWritePc((cpu.r[15]! + imm32) | 0);
}

/** B<c> T1/T3: the condition is part of the encoding (outside IT blocks). */
export function conditionalBranch(cpu: Cpu, cond: number, imm32: number): void {
  if (conditionPassed(cpu, cond)) cpu.branchWritePc((cpu.r[15]! + imm32) | 0);
}

/**
 * BL and BLX (immediate): LR is the next instruction (bit 0 set when called from Thumb), then
 * SelectInstrSet(target) and BranchWritePC. An ARM target is relative to Align(PC, 4).
 */
export function branchWithLink(cpu: Cpu, imm32: number, toThumb: number): void {
  const lr = cpu.thumb ? cpu.nextPc | 1 : cpu.nextPc;
  const base = toThumb ? cpu.r[15]! : cpu.r[15]! & ~3;
  cpu.r[14] = lr;
  cpu.thumb = toThumb;
  cpu.branchWritePc((base + imm32) | 0);
}

/** BX (and BXJ without Jazelle, which behaves as BX): BXWritePC(R[m]). */
export function branchExchange(cpu: Cpu, m: number): void {
  cpu.bxWritePc(cpu.r[m]!);
}

/** BLX (register): the target is read before LR is written (BLX LR is valid). */
export function branchLinkExchange(cpu: Cpu, m: number): void {
  const target = cpu.r[m]!;
  cpu.r[14] = cpu.thumb ? cpu.nextPc | 1 : cpu.nextPc;
  cpu.bxWritePc(target);
}

/** CBZ / CBNZ: branch forward when R[n] is (non)zero; flags are not affected. */
export function compareAndBranch(cpu: Cpu, n: number, nonZero: boolean, imm32: number): void {
  if ((cpu.r[n] !== 0) === nonZero) cpu.branchWritePc((cpu.r[15]! + imm32) | 0);
}

/** TBB / TBH: PC + 2 * (byte or halfword at R[n] + R[m] (TBB) / R[n] + LSL(R[m], 1) (TBH)). */
export function tableBranch(cpu: Cpu, n: number, m: number, halfword: boolean): void {
  const base = cpu.r[n]!;
  const index = cpu.r[m]!;
  const entry = halfword ? cpu.mem.load16((base + (index << 1)) | 0) : cpu.mem.load8((base + index) | 0);
  cpu.branchWritePc((cpu.r[15]! + 2 * entry) | 0);
}

/**
 * The offset from the PC (as R15 reads) of a branch whose target is fixed at decode time and
 * which does not change the instruction set: B, B<c> and CBZ/CBNZ. Undefined for other calls.
 */
export function directBranchOffset(call: SemanticsCall): number | undefined {
  const c = call.constants;
  if (call.semantics === branchRelative) return c[0] as number;
  if (call.semantics === conditionalBranch) return c[1] as number;
  if (call.semantics === compareAndBranch) return c[2] as number;
  return undefined;
}
