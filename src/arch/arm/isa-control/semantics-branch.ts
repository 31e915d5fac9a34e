import { conditionSource } from '../condition.js';
import type { Cpu } from '../cpu.js';
import type { Instr } from '../decode-table.js';
import { callingSource, Effects, type SemanticsCall } from '../semantics-call.js';

/**
 * Branch semantics shared by the A32, T16 and T32 encodings (ARM ARM A8.8.18 B, A8.8.25 BL/BLX
 * (immediate), A8.8.26 BLX (register), A8.8.27 BX, A8.8.28 BXJ, A8.8.29 CBZ, TBB/TBH).
 * Offsets are already sign-extended by the encoding; `cpu.r[15]` reads as the architectural PC.
 */

/**
 * Shape keys of the direct branches (directBranchOffset): their first operand is the offset.
 * Those that may fall through (B<c>, CBZ, CBNZ) go on with CONDITIONAL.
 */
const DIRECT_BRANCH = 'direct-branch/';
const CONDITIONAL = `${DIRECT_BRANCH}if/`;

/**
 * A direct branch's PC write: BranchWritePC(PC + imm32). The target is aligned already (imm32 is
 * a multiple of 4 in A32 and of 2 in T32, and so is the PC as read), so BranchWritePC's
 * alignment leaves it as it is.
 */
function branchSource(imm32: string): string {
  return `cpu.nextPc = ${branchTarget(imm32)};`;
}

function branchTarget(imm32: string): string {
  return `(r[15] + ${imm32}) | 0`;
}

/**
 * `statements`, a direct branch's source with its PC write as branchSource writes it, run when
 * `condition` (an expression) holds: the target is computed whether or not the branch is taken,
 * so that the taken way only assigns it, which a translated block's optimised code needs no
 * record of types for (block-translator.ts). Also how a translated block writes an A32 B<c> or
 * BL<c>, or a branch in an IT block.
 */
export function conditionalBranchSource(statements: string, imm32: string, condition: string): string {
  const taken = statements.replace(branchSource(imm32), 'cpu.nextPc = br_target;');
  return `{\nconst br_target = ${branchTarget(imm32)};\nif (${condition}) {\n${taken}\n}\n}`;
}

/** B. */
export function branchRelative(imm32: number): Instr {
  return callingSource(`${DIRECT_BRANCH}always`, ([imm]) => branchSource(imm!), [imm32], Effects.Branch);
}

/** B<c> T1/T3: the condition is part of the encoding (outside IT blocks). */
export function conditionalBranch(cond: number, imm32: number): Instr {
  return callingSource(`${CONDITIONAL}${cond}`, ([imm]) => conditionalBranchSource(branchSource(imm!), imm!, conditionSource(cond)), [imm32], Effects.Branch);
}

/**
 * BL (immediate), staying in the instruction set: LR is the next instruction (PC - 4 as read in
 * A32; PC as read, with bit 0 set, after a 32-bit Thumb BL), then BranchWritePC(PC + imm32), the
 * target aligned already as for B (branchSource).
 */
export function branchWithLink(imm32: number, thumb: boolean): Instr {
  const lr = thumb ? 'r[15] | 1' : '(r[15] - 4) | 0';
  return callingSource(`${DIRECT_BRANCH}link/${thumb}`, ([imm]) => `r[14] = ${lr};\n${branchSource(imm!)}`, [imm32], Effects.Branch);
}

/**
 * BLX (immediate): LR is the next instruction (bit 0 set when called from Thumb), then
 * SelectInstrSet(target) and BranchWritePC. An ARM target is relative to Align(PC, 4).
 */
export function branchLinkExchangeImmediate(cpu: Cpu, imm32: number, toThumb: number): void {
  const lr = cpu.thumb ? cpu.nextPc | 1 : cpu.nextPc;
  const base = toThumb ? cpu.r[15]! : cpu.r[15]! & ~3;
  cpu.r[14] = lr;
  cpu.thumb = toThumb;
  cpu.branchWritePc((base + imm32) | 0);
}

/** BX (and BXJ without Jazelle, which behaves as BX): BXWritePC(R[m]). */
export function branchExchange(m: number): Instr {
  return callingSource('bx', ([rm]) => `cpu.bxWritePc(r[${rm}]);`, [m], Effects.WritesPc);
}

/** BLX (register): the target is read before LR is written (BLX LR is valid). */
export function branchLinkExchange(cpu: Cpu, m: number): void {
  const target = cpu.r[m]!;
  cpu.r[14] = cpu.thumb ? cpu.nextPc | 1 : cpu.nextPc;
  cpu.bxWritePc(target);
}

/** CBZ / CBNZ: branch forward when R[n] is (non)zero; flags are not affected. */
export function compareAndBranch(n: number, nonZero: boolean, imm32: number): Instr {
  const test = nonZero ? '!==' : '===';
  return callingSource(`${CONDITIONAL}cb${nonZero ? 'nz' : 'z'}`, ([imm, rn]) => conditionalBranchSource(branchSource(imm!), imm!, `r[${rn}] ${test} 0`), [imm32, n], Effects.Branch);
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
 * which does not change the instruction set: B, B<c>, CBZ/CBNZ and BL. Undefined for other calls.
 */
export function directBranchOffset(call: SemanticsCall): number | undefined {
  return call.shape?.startsWith(DIRECT_BRANCH) ? (call.constants[0] as number) : undefined;
}

/**
 * The offset of a conditional direct branch (B<c>, CBZ, CBNZ), which a translated block may run
 * past to its fall-through (a side exit); undefined for other calls.
 */
export function conditionalBranchOffset(call: SemanticsCall): number | undefined {
  const conditional = call.condition !== undefined || call.shape?.startsWith(CONDITIONAL) === true;
  return conditional ? directBranchOffset(call) : undefined;
}

/** The offset of an unconditional B, whose target a translated block may go on with; undefined for other calls. */
export function unconditionalBranchOffset(call: SemanticsCall): number | undefined {
  return call.condition === undefined && call.shape === `${DIRECT_BRANCH}always` ? (call.constants[0] as number) : undefined;
}
