/**
 * Shared arithmetic shapes of the ARM pseudocode (ARM ARM A2.2, A2.3, A5.2.4, A6.3.2, A8.4).
 * Functions that have a second result (saturation) leave it in an exported binding instead of
 * allocating a tuple; read it immediately after the call.
 *
 * Shift_C and AddWithCarry are written as source (see semantics-call.ts): statements over
 * operand expressions that the data-processing semantics embed, so a translated block computes
 * only the results and carries its instruction uses; `shift` is compiled from the same source.
 * Operand expressions are read more than once: they must be names or literals.
 */

/** Shift types, SRType in the ARM ARM (A8.4.1). */
export const enum SRType {
  LSL = 0,
  LSR = 1,
  ASR = 2,
  ROR = 3,
  RRX = 4,
}

/** Whether the last signedSat / unsignedSat call saturated. */
export let saturated = false;

/** DecodeImmShift(): type field and imm5 to the shift type actually applied (A8.4.1). */
export function decodeImmShiftType(type: number, imm5: number): SRType {
  return type === 3 && imm5 === 0 ? SRType.RRX : (type as SRType);
}

/** DecodeImmShift(): the shift amount (LSR/ASR #0 mean 32, RRX shifts by 1). */
export function decodeImmShiftAmount(type: number, imm5: number): number {
  if (imm5 !== 0) return imm5;
  return type === 0 ? 0 : type === 3 ? 1 : 32;
}

/**
 * Shift_C(value, type, amount, carry_in) (A8.4.3, LSL_C ... RRX_C in A2.2.1): declares `result`
 * (an int32) and, when `carry` is named, the carry out (0 or 1). An amount of 0 shifts nothing
 * and keeps the carry, except for RRX; amounts of 32 and more are those of a register shift.
 * A literal amount (a translated block's, or a decoded immediate shift's) picks its case here,
 * so the source holds only the expressions that case needs.
 */
export function shiftCSource(type: SRType, value: string, amount: string, carryIn: string, result: string, carry?: string): string {
  const v = `${result}_v`;
  const n = amount;
  const literal = /^\d+$/.test(n) ? Number(n) : undefined;
  /** `test` ? `yes` : `no`, decided here when the amount is a literal. */
  const when = (test: (amount: number) => boolean, testSource: string, yes: string, no: string): string =>
    literal === undefined ? `${testSource} ? ${yes} : ${no}` : test(literal) ? yes : no;
  /** An amount computed from the amount: a literal when the amount is one. */
  const from = (compute: (amount: number) => number, source: string): string => (literal === undefined ? `(${source})` : String(compute(literal)));
  let shifted: string;
  let carryOut: string;
  switch (type) {
    case SRType.LSL:
      shifted = when((a) => a === 0, `${n} === 0`, v, when((a) => a >= 32, `${n} >= 32`, '0', `${v} << ${n}`));
      carryOut = when((a) => a === 0, `${n} === 0`, carryIn,
        when((a) => a > 32, `${n} > 32`, '0', when((a) => a === 32, `${n} === 32`, `${v} & 1`, `(${v} >>> ${from((a) => 32 - a, `32 - ${n}`)}) & 1`)));
      break;
    case SRType.LSR:
      shifted = when((a) => a === 0, `${n} === 0`, v, when((a) => a >= 32, `${n} >= 32`, '0', `(${v} >>> ${n}) | 0`));
      carryOut = when((a) => a === 0, `${n} === 0`, carryIn,
        when((a) => a > 32, `${n} > 32`, '0', when((a) => a === 32, `${n} === 32`, `${v} >>> 31`, `(${v} >>> ${from((a) => a - 1, `${n} - 1`)}) & 1`)));
      break;
    case SRType.ASR:
      shifted = when((a) => a === 0, `${n} === 0`, v, when((a) => a >= 32, `${n} >= 32`, `${v} >> 31`, `${v} >> ${n}`));
      carryOut = when((a) => a === 0, `${n} === 0`, carryIn, when((a) => a >= 32, `${n} >= 32`, `${v} >>> 31`, `(${v} >> ${from((a) => a - 1, `${n} - 1`)}) & 1`));
      break;
    case SRType.ROR:
      // ROR_C by amount MOD 32; the carry out is the result's top bit.
      shifted = when((a) => (a & 31) === 0, `(${n} & 31) === 0`, v,
        `((${v} >>> ${from((a) => a & 31, `${n} & 31`)}) | (${v} << ${from((a) => 32 - (a & 31), `32 - (${n} & 31)`)})) | 0`);
      carryOut = when((a) => a === 0, `${n} === 0`, carryIn, `${result} >>> 31`);
      break;
    case SRType.RRX:
      shifted = `(${carryIn} << 31) | (${v} >>> 1)`;
      carryOut = `${v} & 1`;
      break;
  }
  const declarations = [`const ${v} = ${value} | 0;`, `const ${result} = ${shifted};`];
  if (carry !== undefined) declarations.push(`const ${carry} = ${carryOut};`);
  return declarations.join(' ');
}

/** Shift(value, type, amount, carry_in) (A8.4.3): Shift_C without the carry. */
export const shift = new Function(
  'value', 'type', 'amount', 'carryIn',
  `"use strict"; switch (type) { ${[SRType.LSL, SRType.LSR, SRType.ASR, SRType.ROR, SRType.RRX]
    .map((type) => `case ${type}: { ${shiftCSource(type, 'value', 'amount', 'carryIn', 'result')} return result; }`).join(' ')} } return value | 0;`,
) as (value: number, type: SRType, amount: number, carryIn: number) => number;

/** ROR by a constant, no carry. */
export function ror(value: number, amount: number): number {
  const n = amount & 31;
  return n === 0 ? value | 0 : ((value >>> n) | (value << (32 - n))) | 0;
}

/** Whether ThumbExpandImm of imm12 is defined (a replicated pattern with byte 0 is UNPREDICTABLE). */
export function thumbExpandImmValid(imm12: number): boolean {
  if ((imm12 >>> 10) & 3) return true;
  const mode = (imm12 >>> 8) & 3;
  return mode === 0 || (imm12 & 0xff) !== 0;
}

/** ThumbExpandImm(imm12) (A6.3.2). Check thumbExpandImmValid first. */
export function thumbExpandImm(imm12: number): number {
  const imm8 = imm12 & 0xff;
  if (((imm12 >>> 10) & 3) === 0) {
    switch ((imm12 >>> 8) & 3) {
      case 0: return imm8;
      case 1: return (imm8 << 16) | imm8;
      case 2: return (imm8 << 24) | (imm8 << 8);
      default: return (imm8 << 24) | (imm8 << 16) | (imm8 << 8) | imm8;
    }
  }
  return ror(0x80 | (imm12 & 0x7f), (imm12 >>> 7) & 0x1f);
}

/**
 * AddWithCarry(x, y, carry_in) (A2.2.1): declares `result` and, when named, the carry and the
 * overflow (0 or 1). In 32-bit integer operations only: the carry is the unsigned wrap-around
 * (the result below x, or not above it with a carry in), the overflow two operands of one sign
 * giving a result of the other. x and y may be int32 or uint32 patterns.
 *
 * Flags are values made without a branch: a comparison turned into a number with `+`, bits
 * shifted down. The engine compiles `test ? 1 : 0` as a branch, which the host mispredicts as
 * often as the flag is random (multi-word arithmetic: the loop of Linux's mpihelp_submul_1 ran at
 * 490 MIPS with it and 640 without, an ADCS chain at 406 and 737), while a comparison's number
 * still folds into a branch that tests the flag.
 */
export function addWithCarrySource(x: string, y: string, carryIn: string, result: string, carry?: string, overflow?: string): string {
  const [a, b, c] = [`${result}_x`, `${result}_y`, `${result}_c`];
  const declarations = [`const ${a} = ${x}, ${b} = ${y}, ${c} = ${carryIn};`, `const ${result} = (${a} + ${b} + ${c}) | 0;`];
  // A literal carry in (SUB, ADD) picks its comparison here.
  const below = `${result} >>> 0 < ${a} >>> 0`;
  const notAbove = `${result} >>> 0 <= ${a} >>> 0`;
  // A variable one (ADC, SBC, RSC): the majority of x[31], y[31] and the carry into bit 31
  // (x[31] ^ y[31] ^ result[31]), with no test of the carry in.
  const majority = `((${a} & ${b}) | ((${a} | ${b}) & ~${result})) >>> 31`;
  const carried = carryIn === '0' ? `+(${below})` : carryIn === '1' ? `+(${notAbove})` : majority;
  if (carry !== undefined) declarations.push(`const ${carry} = ${carried};`);
  if (overflow !== undefined) declarations.push(`const ${overflow} = ((${a} ^ ${result}) & (${b} ^ ${result})) >>> 31;`);
  return declarations.join(' ');
}

/** SignedSatQ(i, n) (A2.2.3): saturate to an n-bit signed value, `saturated` set if it clipped. */
export function signedSat(value: number, bits: number): number {
  const max = 2 ** (bits - 1) - 1;
  const min = -(2 ** (bits - 1));
  if (value > max) {
    saturated = true;
    return max;
  }
  if (value < min) {
    saturated = true;
    return min;
  }
  saturated = false;
  return value;
}

/** UnsignedSatQ(i, n) (A2.2.3): saturate to an n-bit unsigned value. */
export function unsignedSat(value: number, bits: number): number {
  const max = 2 ** bits - 1;
  if (value > max) {
    saturated = true;
    return max;
  }
  if (value < 0) {
    saturated = true;
    return 0;
  }
  saturated = false;
  return value;
}
