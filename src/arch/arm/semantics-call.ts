import type { Cpu } from './cpu.js';
import type { Instr } from './decode-table.js';

/**
 * Instructions whose meaning is one named semantics function called with operands fixed at
 * decode time: `semantics(cpu, ...constants)`. The interpreter runs a closure that makes that
 * call; the block translator (block-translator.ts) writes the very same call into a block's
 * source with the constants as literals, so the engine inlines the function there and folds the
 * constants away (the switch on the operation, the register numbers, the flag-setting choice).
 * The instruction's meaning is still written once, in the function.
 */

/** An operand fixed at decode time: a number, a flag, or a function the semantics calls. */
export type Constant = number | boolean | ((...args: never[]) => unknown);

export interface SemanticsCall {
  readonly semantics: Function;
  readonly constants: readonly Constant[];
  /** The A32 condition the call runs under (A8.3), or undefined when it always runs. */
  readonly condition: number | undefined;
}

const calls = new WeakMap<Instr, SemanticsCall>();

/** Closure makers by number of constants: `(f, c0, c1, ...) => (cpu) => f(cpu, c0, c1, ...)`. */
const closureMakers: ((...args: unknown[]) => Instr)[] = [];

function closureMaker(arity: number): (...args: unknown[]) => Instr {
  let make = closureMakers[arity];
  if (make === undefined) {
    const names = Array.from({ length: arity }, (_, i) => `c${i}`);
    const body = `"use strict";\nreturn function instr(cpu) { semantics(cpu${names.map((n) => `, ${n}`).join('')}); };`;
    make = new Function('semantics', ...names, body) as (...args: unknown[]) => Instr;
    closureMakers[arity] = make;
  }
  return make;
}

/** The instruction that runs `semantics(cpu, ...constants)`. */
export function callingSemantics<A extends Constant[]>(semantics: (cpu: Cpu, ...constants: A) => void, ...constants: A): Instr {
  const instr = closureMaker(constants.length)(semantics, ...constants);
  calls.set(instr, { semantics, constants, condition: undefined });
  return instr;
}

/** `instr` under an A32 condition: `run` is its interpreter form; the call, if any, is kept for translation. */
export function conditionalCall(condition: number, instr: Instr, run: Instr): Instr {
  const call = calls.get(instr);
  if (call !== undefined && call.condition === undefined) calls.set(run, { ...call, condition });
  return run;
}

/** The semantics call `instr` makes, if it was built by callingSemantics. */
export function semanticsCall(instr: Instr): SemanticsCall | undefined {
  return calls.get(instr);
}
