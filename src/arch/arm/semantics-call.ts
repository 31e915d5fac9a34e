import type { Cpu } from './cpu.js';
import type { Instr } from './decode-table.js';

/**
 * Instructions whose meaning is one named semantics function called with operands fixed at
 * decode time: `semantics(cpu, ...constants)`. The interpreter runs a closure that makes that
 * call; the block translator (block-translator.ts) writes the very same call into a block's
 * source with the constants as literals, so the engine inlines the function there and folds the
 * constants away (the switch on the operation, the register numbers, the flag-setting choice).
 * The instruction's meaning is still written once, in the function.
 *
 * Decoded instructions keep nothing but their closure: the translator decodes a hot
 * instruction again under describeDecoding() to learn its call, so the decode cache costs no
 * more memory than the closures themselves.
 */

/** An operand fixed at decode time: a number, a flag, or a function the semantics calls. */
export type Constant = number | boolean | ((...args: never[]) => unknown);

export interface SemanticsCall {
  readonly semantics: Function;
  readonly constants: readonly Constant[];
  /** The A32 condition the call runs under (A8.3), or undefined when it always runs. */
  readonly condition: number | undefined;
  /**
   * The call only reads and writes general-purpose registers and flags: no memory access, no
   * exception, no write to the PC. A block needs no PC bookkeeping around it.
   */
  readonly registersOnly: boolean;
}

/**
 * Closure makers by semantics function: `(c0, c1, ...) => (cpu) => semantics(cpu, c0, c1, ...)`.
 * One per function, not one per number of constants: the closures a maker makes share their
 * code and the engine's record of what they call, which is then always the same function, so
 * the engine inlines it into them and an interpreted instruction is one call, not two.
 */
const closureMakers = new Map<Function, (...constants: unknown[]) => Instr>();

function closureMaker(semantics: Function, arity: number): (...constants: unknown[]) => Instr {
  let make = closureMakers.get(semantics);
  if (make === undefined) {
    const names = Array.from({ length: arity }, (_, i) => `c${i}`);
    const body = `"use strict";\nreturn function make(${names.join(', ')}) {\nreturn function instr(cpu) { semantics(cpu${names.map((n) => `, ${n}`).join('')}); };\n};`;
    make = (new Function('semantics', body) as (semantics: Function) => (...constants: unknown[]) => Instr)(semantics);
    closureMakers.set(semantics, make);
  }
  if (make.length !== arity) throw new Error(`semantics ${semantics.name} called with ${arity} constants and with ${make.length}`);
  return make;
}

/** While describeDecoding runs: the last instruction built as a call, and that call. */
let describing = false;
let describedInstr: Instr | undefined;
let describedCall: SemanticsCall | undefined;

/** The instruction that runs `semantics(cpu, ...constants)`. */
export function callingSemantics<A extends Constant[]>(semantics: (cpu: Cpu, ...constants: A) => void, ...constants: A): Instr {
  return describedClosure(semantics, constants, false);
}

/** As callingSemantics, for semantics that touch only registers and flags (SemanticsCall.registersOnly). */
export function callingRegisterSemantics<A extends Constant[]>(semantics: (cpu: Cpu, ...constants: A) => void, ...constants: A): Instr {
  return describedClosure(semantics, constants, true);
}

function describedClosure(semantics: SemanticsCall['semantics'], constants: readonly Constant[], registersOnly: boolean): Instr {
  const instr = closureMaker(semantics, constants.length)(...constants);
  if (describing) {
    describedInstr = instr;
    describedCall = { semantics, constants, condition: undefined, registersOnly };
  }
  return instr;
}

/** `instr` under an A32 condition: `run` is its interpreter form; a call `instr` makes stays describable. */
export function conditionalCall(condition: number, instr: Instr, run: Instr): Instr {
  if (describing && describedInstr === instr && describedCall !== undefined && describedCall.condition === undefined) {
    describedInstr = run;
    describedCall = { ...describedCall, condition };
  }
  return run;
}

/** Runs `decode` and returns the semantics call of the instruction it returns, if it was built as one. */
export function describeDecoding(decode: () => Instr): SemanticsCall | undefined {
  describing = true;
  describedInstr = undefined;
  describedCall = undefined;
  try {
    const instr = decode();
    return instr === describedInstr ? describedCall : undefined;
  } finally {
    describing = false;
    describedInstr = undefined;
    describedCall = undefined;
  }
}
