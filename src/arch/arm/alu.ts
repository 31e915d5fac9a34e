/**
 * Shared arithmetic shapes of the ARM pseudocode (ARM ARM A2.2, A2.3, A5.2.4, A6.3.2, A8.4).
 * Functions that have a second result (carry, overflow, saturation) leave it in an exported
 * binding instead of allocating a tuple; read it immediately after the call. The carries and
 * the overflow, written by every flag-setting instruction, are `var`s: a `let` would be checked
 * for its temporal dead zone at each write and read in compiled code.
 */

/** Shift types, SRType in the ARM ARM (A8.4.1). */
export const enum SRType {
  LSL = 0,
  LSR = 1,
  ASR = 2,
  ROR = 3,
  RRX = 4,
}

/** Carry out of the last shiftC / armExpandImmC / thumbExpandImmC call (0 or 1). */
export var shiftCarry = 0;
/** Carry and overflow out of the last addWithCarry call (0 or 1). */
export var addCarry = 0;
export var addOverflow = 0;
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

/** Shift_C(value, type, amount, carry_in): returns the result, carry in `shiftCarry`. */
export function shiftC(value: number, type: SRType, amount: number, carryIn: number): number {
  if (amount === 0 && type !== SRType.RRX) {
    shiftCarry = carryIn;
    return value | 0;
  }
  switch (type) {
    case SRType.LSL:
      if (amount >= 32) {
        shiftCarry = amount === 32 ? value & 1 : 0;
        return 0;
      }
      shiftCarry = (value >>> (32 - amount)) & 1;
      return (value << amount) | 0;
    case SRType.LSR:
      if (amount >= 32) {
        shiftCarry = amount === 32 ? (value >>> 31) & 1 : 0;
        return 0;
      }
      shiftCarry = (value >>> (amount - 1)) & 1;
      return (value >>> amount) | 0;
    case SRType.ASR:
      if (amount >= 32) {
        shiftCarry = (value >>> 31) & 1;
        return value >> 31;
      }
      shiftCarry = (value >> (amount - 1)) & 1;
      return value >> amount;
    case SRType.ROR: {
      const n = amount & 31;
      const result = n === 0 ? value | 0 : ((value >>> n) | (value << (32 - n))) | 0;
      shiftCarry = (result >>> 31) & 1;
      return result;
    }
    case SRType.RRX:
      shiftCarry = value & 1;
      return ((carryIn << 31) | (value >>> 1)) | 0;
  }
}

/** Shift(): as shiftC without the carry. */
export function shift(value: number, type: SRType, amount: number, carryIn: number): number {
  return shiftC(value, type, amount, carryIn);
}

/** ROR by a constant, no carry. */
export function ror(value: number, amount: number): number {
  const n = amount & 31;
  return n === 0 ? value | 0 : ((value >>> n) | (value << (32 - n))) | 0;
}

/** ARMExpandImm_C(imm12, carry_in) (A5.2.4). */
export function armExpandImmC(imm12: number, carryIn: number): number {
  const unrotated = imm12 & 0xff;
  const rotation = 2 * ((imm12 >>> 8) & 0xf);
  return shiftC(unrotated, SRType.ROR, rotation, carryIn);
}

/** Whether ThumbExpandImm of imm12 is defined (a replicated pattern with byte 0 is UNPREDICTABLE). */
export function thumbExpandImmValid(imm12: number): boolean {
  if ((imm12 >>> 10) & 3) return true;
  const mode = (imm12 >>> 8) & 3;
  return mode === 0 || (imm12 & 0xff) !== 0;
}

/** ThumbExpandImm_C(imm12, carry_in) (A6.3.2). Check thumbExpandImmValid first. */
export function thumbExpandImmC(imm12: number, carryIn: number): number {
  const imm8 = imm12 & 0xff;
  if (((imm12 >>> 10) & 3) === 0) {
    shiftCarry = carryIn;
    switch ((imm12 >>> 8) & 3) {
      case 0: return imm8;
      case 1: return (imm8 << 16) | imm8;
      case 2: return (imm8 << 24) | (imm8 << 8);
      default: return (imm8 << 24) | (imm8 << 16) | (imm8 << 8) | imm8;
    }
  }
  const unrotated = 0x80 | (imm12 & 0x7f);
  return shiftC(unrotated, SRType.ROR, (imm12 >>> 7) & 0x1f, carryIn);
}

/**
 * AddWithCarry(x, y, carry_in) (A2.2.1): result, with `addCarry` and `addOverflow`. In 32-bit
 * integer operations only: the carry is the unsigned wrap-around (the result below x, or not
 * above it with a carry in), the overflow two operands of one sign giving a result of the other.
 */
export function addWithCarry(x: number, y: number, carryIn: number): number {
  const result = (x + y + carryIn) | 0;
  addCarry = (carryIn === 0 ? result >>> 0 < x >>> 0 : result >>> 0 <= x >>> 0) ? 1 : 0;
  addOverflow = ((x ^ result) & (y ^ result)) < 0 ? 1 : 0;
  return result;
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
