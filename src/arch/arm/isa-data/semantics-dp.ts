import { Mode } from '../modes.js';
import type { Cpu } from '../cpu.js';
import type { Instr } from '../decode-table.js';
import { addWithCarrySource, shiftCSource, SRType } from '../alu.js';
import { callingSource, Effects } from '../semantics-call.js';

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

/** The second operand's shape. */
const enum Operand {
  /** An expanded immediate; its carry out, or -1 when the expansion keeps APSR.C. */
  Immediate = 0,
  /** Rm shifted by a constant (DecodeImmShift applied). */
  ShiftedByImmediate = 1,
  /** Rm shifted by the bottom byte of Rs (A8.4.3). */
  ShiftedByRegister = 2,
}

/** What decides a data-processing instruction's source, besides its operands. */
interface DpShape {
  readonly op: DpOp;
  readonly setflags: boolean;
  readonly dest: Dest;
  readonly operand: Operand;
  /** The shift type of a register operand. */
  readonly type: SRType;
}

/**
 * The operation (A8.8: AddWithCarry for the arithmetic ones, A2.2.1) on `dp_a` and `dp_b`,
 * declaring `dp_result` and, for the arithmetic ones when they set flags, `dp_carry` and
 * `dp_overflow`.
 */
function computeSource(op: DpOp, setflags: boolean): string {
  const logical = (expression: string): string => `const dp_result = ${expression};`;
  const add = (x: string, y: string, carryIn: string): string =>
    setflags ? addWithCarrySource(x, y, carryIn, 'dp_result', 'dp_carry', 'dp_overflow') : addWithCarrySource(x, y, carryIn, 'dp_result');
  switch (op) {
    case DpOp.AND: case DpOp.TST: return logical('dp_a & dp_b');
    case DpOp.EOR: case DpOp.TEQ: return logical('dp_a ^ dp_b');
    case DpOp.ORR: return logical('dp_a | dp_b');
    case DpOp.ORN: return logical('dp_a | ~dp_b');
    case DpOp.MOV: return logical('dp_b');
    case DpOp.BIC: return logical('dp_a & ~dp_b');
    case DpOp.MVN: return logical('~dp_b');
    case DpOp.SUB: case DpOp.CMP: return add('dp_a', '~dp_b', '1');
    case DpOp.RSB: return add('~dp_a', 'dp_b', '1');
    case DpOp.ADD: case DpOp.CMN: return add('dp_a', 'dp_b', '0');
    case DpOp.ADC: return add('dp_a', 'dp_b', 'cpu.cf');
    case DpOp.SBC: return add('dp_a', '~dp_b', 'cpu.cf');
    case DpOp.RSC: return add('~dp_a', 'dp_b', 'cpu.cf');
  }
}

/**
 * A data-processing instruction as source (semantics-call.ts), operands [rd, rn, x, y]: for an
 * immediate x = imm32 and y = its carry out (-1: APSR.C); for a shifted register x = Rm and y =
 * the shift amount, or Rs for a register-shifted register. Flags are set before the result is
 * written; an exception return (B9.3.20) sets none.
 */
function dpSource({ op, setflags, dest, operand, type }: DpShape, [rd, rn, x, y]: readonly string[], helper: (fn: Function) => string): string {
  const logical = isLogical(op);
  const shifterCarry = setflags && logical && dest !== Dest.ExceptionReturn;
  const lines = op === DpOp.MOV || op === DpOp.MVN ? [] : [`const dp_a = r[${rn}];`];
  if (operand === Operand.Immediate) {
    lines.push(`const dp_b = ${x};`);
    if (shifterCarry) lines.push(`const dp_shifterCarry = ${y} < 0 ? cpu.cf : ${y};`);
  } else {
    const amount = operand === Operand.ShiftedByImmediate ? y! : 'dp_amount';
    if (operand === Operand.ShiftedByRegister) lines.push(`const dp_amount = r[${y}] & 0xff;`);
    lines.push(`const dp_m = r[${x}];`, shiftCSource(type, 'dp_m', amount, 'cpu.cf', 'dp_b', shifterCarry ? 'dp_shifterCarry' : undefined));
  }
  lines.push(computeSource(op, setflags && dest !== Dest.ExceptionReturn));
  if (dest === Dest.ExceptionReturn) {
    lines.push(`${helper(aluExceptionReturn)}(cpu, dp_result);`);
    return lines.join('\n');
  }
  if (setflags) {
    // Flags as numbers made without a branch (addWithCarrySource says why).
    lines.push('cpu.nf = dp_result >>> 31;', 'cpu.zf = +(dp_result === 0);');
    lines.push(...(logical ? ['cpu.cf = dp_shifterCarry;'] : ['cpu.cf = dp_carry;', 'cpu.vf = dp_overflow;']));
  }
  if (dest === Dest.Register) lines.push(`r[${rd}] = dp_result;`);
  else if (dest === Dest.AluWritePc) lines.push('cpu.aluWritePc(dp_result);');
  return lines.join('\n');
}

/** The instruction for a shape and its operands; a result in a register or in the flags only touches registers. */
function dataProcessing(shape: DpShape, operands: readonly number[]): Instr {
  const key = `dp/${shape.op}/${shape.setflags}/${shape.dest}/${shape.operand}/${shape.type}`;
  const effects = shape.dest === Dest.AluWritePc ? Effects.WritesPc : shape.dest === Dest.ExceptionReturn ? Effects.Any : Effects.RegistersOnly;
  return callingSource(key, (names, helper) => dpSource(shape, names, helper), operands, effects);
}

/**
 * Immediate form: `imm32` already expanded; `immCarry` is the carry out of the expansion, or -1
 * when the expansion keeps APSR.C (ARMExpandImm_C / ThumbExpandImm_C with no rotation).
 */
export function dpImmediate(op: DpOp, setflags: boolean, rd: number, rn: number, imm32: number, immCarry: number, allowExceptionReturn: boolean): Instr {
  const dest = destination(op, setflags, rd, allowExceptionReturn);
  return dataProcessing({ op, setflags, dest, operand: Operand.Immediate, type: SRType.LSL }, [rd, rn, imm32 | 0, immCarry]);
}

/** Register form: Rm shifted by a constant (DecodeImmShift already applied: type and amount). */
export function dpRegister(op: DpOp, setflags: boolean, rd: number, rn: number, rm: number, type: SRType, amount: number, allowExceptionReturn: boolean): Instr {
  const dest = destination(op, setflags, rd, allowExceptionReturn);
  return dataProcessing({ op, setflags, dest, operand: Operand.ShiftedByImmediate, type }, [rd, rn, rm, amount]);
}

/** Register-shifted register form: Rm shifted by the bottom byte of Rs (A8.4.3). */
export function dpRegisterShifted(op: DpOp, setflags: boolean, rd: number, rn: number, rm: number, type: SRType, rs: number, allowExceptionReturn: boolean): Instr {
  const dest = destination(op, setflags, rd, allowExceptionReturn);
  return dataProcessing({ op, setflags, dest, operand: Operand.ShiftedByRegister, type }, [rd, rn, rm, rs]);
}

/**
 * Writes a result register of a non-data-processing instruction. Rd = PC is UNPREDICTABLE for
 * those; QEMU writes the PC as a branch without interworking, so we do too.
 */
export function writeResult(cpu: Cpu, rd: number, value: number): void {
  if (rd === 15) cpu.branchWritePc(value);
  else cpu.r[rd] = value;
}

/** writeResult as source (semantics-call.ts): `toPc` tells whether Rd (the expression `rd`) is the PC. */
export function writeResultSource(toPc: boolean, rd: string, value: string): string {
  return toPc ? `cpu.branchWritePc(${value});` : `r[${rd}] = ${value};`;
}

/**
 * An instruction that writes only Rd (operand 0) with `value` (an expression over the operand
 * names), as source: a write to the PC is a branch (Effects.WritesPc). `shape` names everything the
 * value's text depends on besides the operands.
 */
export function writingResult(
  shape: string, rd: number, operands: readonly number[], value: (operands: readonly string[], helper: (fn: Function) => string) => string,
): Instr {
  const toPc = rd === 15;
  return callingSource(`${shape}/${toPc}`, (names, helper) => writeResultSource(toPc, names[0]!, value(names, helper)), [rd, ...operands], toPc ? Effects.WritesPc : Effects.RegistersOnly);
}

/** MOVW / MOV (immediate) A2, T3 (A8.8.102): Rd = imm16. */
export function movw(rd: number, imm16: number): Instr {
  return writingResult('movw', rd, [imm16], ([, imm]) => imm!);
}

/** MOVT (A8.8.106): Rd[31:16] = imm16, low half kept. */
export function movt(rd: number, imm16: number): Instr {
  return writingResult('movt', rd, [imm16 << 16], ([d, high]) => `(r[${d}] & 0xffff) | ${high}`);
}

/** ADR in T32/T16 and ADDW/SUBW from the PC (A8.8.12): Align(PC, 4) + offset. */
export function adr(rd: number, offset: number): Instr {
  return (cpu) => writeResult(cpu, rd, ((cpu.r[15]! & ~3) + offset) | 0);
}
