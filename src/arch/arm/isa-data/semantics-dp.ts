import { Mode } from '../modes.js';
import type { Cpu } from '../cpu.js';
import type { Instr } from '../decode-table.js';
import { addCarry, addOverflow, addWithCarry, shiftC, shiftCarry, type SRType } from '../alu.js';
import { callingRegisterSemantics, callingSemantics } from '../semantics-call.js';

/**
 * Semantics of the data-processing instructions (ARM ARM A8.8: AND ... MVN, ORN), written once for
 * A32 and T32. The encodings pick the operand shape (immediate, register shifted by an immediate,
 * register shifted by a register) and call one of the builders below.
 */

/** Data-processing operations; the first sixteen are the A32 opcode field values (A5.2.1). */
export const enum DpOp {
  AND = 0, EOR = 1, SUB = 2, RSB = 3, ADD = 4, ADC = 5, SBC = 6, RSC = 7,
  TST = 8, TEQ = 9, CMP = 10, CMN = 11, ORR = 12, MOV = 13, BIC = 14, MVN = 15,
  ORN = 16,
}

/** What happens to the result (decided at decode time). */
const enum Dest {
  Register = 0,
  /** TST, TEQ, CMP, CMN: flags only. */
  None = 1,
  /** Rd = PC: ALUWritePC (A2.3.1). */
  AluWritePc = 2,
  /** A32 S=1 with Rd = PC: "SUBS PC, LR and related instructions" (B9.3.20), an exception return. */
  ExceptionReturn = 3,
}

function isLogical(op: DpOp): boolean {
  return op === DpOp.AND || op === DpOp.EOR || op === DpOp.TST || op === DpOp.TEQ || op === DpOp.ORR ||
    op === DpOp.MOV || op === DpOp.BIC || op === DpOp.MVN || op === DpOp.ORN;
}

function isTest(op: DpOp): boolean {
  return op === DpOp.TST || op === DpOp.TEQ || op === DpOp.CMP || op === DpOp.CMN;
}

/**
 * Where a data-processing result goes. `allowExceptionReturn` is true for A32, where S=1 with
 * Rd=PC is an exception return (B9.3.20), and for T32 MOVS PC (as QEMU does); the other T32
 * encodings with S=1 and Rd=PC are CMP/CMN/TST/TEQ or UNPREDICTABLE, and QEMU then just writes the
 * PC, as we do.
 */
function destination(op: DpOp, setflags: boolean, rd: number, allowExceptionReturn: boolean): Dest {
  if (isTest(op)) return Dest.None;
  if (rd !== 15) return Dest.Register;
  return setflags && allowExceptionReturn ? Dest.ExceptionReturn : Dest.AluWritePc;
}

/** The operation itself; arithmetic ones leave C and V in alu.ts's addCarry/addOverflow. */
function compute(cpu: Cpu, op: DpOp, a: number, b: number): number {
  switch (op) {
    case DpOp.AND: case DpOp.TST: return a & b;
    case DpOp.EOR: case DpOp.TEQ: return a ^ b;
    case DpOp.ORR: return a | b;
    case DpOp.ORN: return a | ~b;
    case DpOp.MOV: return b;
    case DpOp.BIC: return a & ~b;
    case DpOp.MVN: return ~b;
    case DpOp.SUB: case DpOp.CMP: return addWithCarry(a, ~b, 1);
    case DpOp.RSB: return addWithCarry(~a, b, 1);
    case DpOp.ADD: case DpOp.CMN: return addWithCarry(a, b, 0);
    case DpOp.ADC: return addWithCarry(a, b, cpu.cf);
    case DpOp.SBC: return addWithCarry(a, ~b, cpu.cf);
    case DpOp.RSC: return addWithCarry(~a, b, cpu.cf);
  }
}

/**
 * ALUExceptionReturn (B9.3.20): CPSR from SPSR, then branch to the result. UNPREDICTABLE in User
 * and System mode: QEMU takes it as UNDEFINED in User mode and returns in System mode (with the
 * SPSR it has), as we do; UNDEFINED in Hyp mode.
 */
function aluExceptionReturn(cpu: Cpu, result: number): void {
  if (cpu.mode === Mode.Usr || cpu.mode === Mode.Hyp) {
    cpu.undefinedInstruction();
    return;
  }
  cpu.exceptionReturn(result, cpu.getSpsr());
}

/** A result in a register or in the flags only touches registers; one for the PC is a branch. */
function callingFor(dest: Dest): typeof callingSemantics {
  return dest === Dest.Register || dest === Dest.None ? callingRegisterSemantics : callingSemantics;
}

/** The common tail: compute, set flags, write the destination. */
function finish(cpu: Cpu, op: DpOp, logical: boolean, setflags: boolean, dest: Dest, rd: number, a: number, b: number, carry: number): void {
  const result = compute(cpu, op, a, b);
  if (dest === Dest.ExceptionReturn) {
    aluExceptionReturn(cpu, result);
    return;
  }
  if (setflags) {
    cpu.nf = result >>> 31;
    cpu.zf = result === 0 ? 1 : 0;
    if (logical) {
      cpu.cf = carry;
    } else {
      cpu.cf = addCarry;
      cpu.vf = addOverflow;
    }
  }
  if (dest === Dest.Register) cpu.r[rd] = result;
  else if (dest === Dest.AluWritePc) cpu.aluWritePc(result);
}

/**
 * Immediate form: `imm32` already expanded; `immCarry` is the carry out of the expansion, or -1
 * when the expansion keeps APSR.C (ARMExpandImm_C / ThumbExpandImm_C with no rotation).
 */
export function dpImmediate(op: DpOp, setflags: boolean, rd: number, rn: number, imm32: number, immCarry: number, allowExceptionReturn: boolean): Instr {
  const dest = destination(op, setflags, rd, allowExceptionReturn);
  const b = imm32 | 0;
  if (dest === Dest.Register && !setflags) {
    // The common cases, without flags, kept short for the interpreter.
    switch (op) {
      case DpOp.MOV: return callingRegisterSemantics(movImmediate, rd, b);
      case DpOp.ADD: return callingRegisterSemantics(addImmediate, rd, rn, b);
      case DpOp.SUB: return callingRegisterSemantics(addImmediate, rd, rn, -b | 0);
      case DpOp.AND: return callingRegisterSemantics(andImmediate, rd, rn, b);
      case DpOp.ORR: return callingRegisterSemantics(orrImmediate, rd, rn, b);
      default: break;
    }
  }
  return callingFor(dest)(dpImmediateGeneral, op, isLogical(op), setflags, dest, rd, rn, b, immCarry);
}

function movImmediate(cpu: Cpu, rd: number, b: number): void {
  cpu.r[rd] = b;
}

function addImmediate(cpu: Cpu, rd: number, rn: number, b: number): void {
  cpu.r[rd] = (cpu.r[rn]! + b) | 0;
}

function andImmediate(cpu: Cpu, rd: number, rn: number, b: number): void {
  cpu.r[rd] = cpu.r[rn]! & b;
}

function orrImmediate(cpu: Cpu, rd: number, rn: number, b: number): void {
  cpu.r[rd] = cpu.r[rn]! | b;
}

function dpImmediateGeneral(cpu: Cpu, op: DpOp, logical: boolean, setflags: boolean, dest: Dest, rd: number, rn: number, b: number, immCarry: number): void {
  finish(cpu, op, logical, setflags, dest, rd, cpu.r[rn]!, b, immCarry < 0 ? cpu.cf : immCarry);
}

/** Register form: Rm shifted by a constant (DecodeImmShift already applied: type and amount). */
export function dpRegister(op: DpOp, setflags: boolean, rd: number, rn: number, rm: number, type: SRType, amount: number, allowExceptionReturn: boolean): Instr {
  const dest = destination(op, setflags, rd, allowExceptionReturn);
  if (amount === 0 && (type as number) === 0) {
    if (dest === Dest.Register && !setflags) {
      switch (op) {
        case DpOp.MOV: return callingRegisterSemantics(movRegister, rd, rm);
        case DpOp.ADD: return callingRegisterSemantics(addRegister, rd, rn, rm);
        case DpOp.SUB: return callingRegisterSemantics(subRegister, rd, rn, rm);
        default: break;
      }
    }
    return callingFor(dest)(dpRegisterUnshifted, op, isLogical(op), setflags, dest, rd, rn, rm);
  }
  return callingFor(dest)(dpRegisterShiftedByImmediate, op, isLogical(op), setflags, dest, rd, rn, rm, type, amount);
}

function movRegister(cpu: Cpu, rd: number, rm: number): void {
  cpu.r[rd] = cpu.r[rm]!;
}

function addRegister(cpu: Cpu, rd: number, rn: number, rm: number): void {
  cpu.r[rd] = (cpu.r[rn]! + cpu.r[rm]!) | 0;
}

function subRegister(cpu: Cpu, rd: number, rn: number, rm: number): void {
  cpu.r[rd] = (cpu.r[rn]! - cpu.r[rm]!) | 0;
}

function dpRegisterUnshifted(cpu: Cpu, op: DpOp, logical: boolean, setflags: boolean, dest: Dest, rd: number, rn: number, rm: number): void {
  finish(cpu, op, logical, setflags, dest, rd, cpu.r[rn]!, cpu.r[rm]!, cpu.cf);
}

function dpRegisterShiftedByImmediate(
  cpu: Cpu, op: DpOp, logical: boolean, setflags: boolean, dest: Dest, rd: number, rn: number, rm: number, type: SRType, amount: number,
): void {
  const b = shiftC(cpu.r[rm]!, type, amount, cpu.cf);
  finish(cpu, op, logical, setflags, dest, rd, cpu.r[rn]!, b, shiftCarry);
}

/** Register-shifted register form: Rm shifted by the bottom byte of Rs (A8.4.3). */
export function dpRegisterShifted(op: DpOp, setflags: boolean, rd: number, rn: number, rm: number, type: SRType, rs: number, allowExceptionReturn: boolean): Instr {
  const dest = destination(op, setflags, rd, allowExceptionReturn);
  return callingFor(dest)(dpRegisterShiftedByRegister, op, isLogical(op), setflags, dest, rd, rn, rm, type, rs);
}

function dpRegisterShiftedByRegister(
  cpu: Cpu, op: DpOp, logical: boolean, setflags: boolean, dest: Dest, rd: number, rn: number, rm: number, type: SRType, rs: number,
): void {
  const b = shiftC(cpu.r[rm]!, type, cpu.r[rs]! & 0xff, cpu.cf);
  finish(cpu, op, logical, setflags, dest, rd, cpu.r[rn]!, b, shiftCarry);
}

/**
 * Writes a result register of a non-data-processing instruction. Rd = PC is UNPREDICTABLE for
 * those; QEMU writes the PC as a branch without interworking, so we do too.
 */
export function writeResult(cpu: Cpu, rd: number, value: number): void {
  if (rd === 15) cpu.branchWritePc(value);
  else cpu.r[rd] = value;
}

/** MOVW / MOV (immediate) A2, T3 (A8.8.102): Rd = imm16. */
export function movw(rd: number, imm16: number): Instr {
  return (cpu) => writeResult(cpu, rd, imm16);
}

/** MOVT (A8.8.106): Rd[31:16] = imm16, low half kept. */
export function movt(rd: number, imm16: number): Instr {
  const high = imm16 << 16;
  return (cpu) => writeResult(cpu, rd, (cpu.r[rd]! & 0xffff) | high);
}

/** ADR in T32/T16 and ADDW/SUBW from the PC (A8.8.12): Align(PC, 4) + offset. */
export function adr(rd: number, offset: number): Instr {
  return (cpu) => writeResult(cpu, rd, ((cpu.r[15]! & ~3) + offset) | 0);
}
