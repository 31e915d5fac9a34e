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

/**
 * Semantics written as source: statements over `cpu`, `r` (cpu.r) and the operands, given as
 * expressions (names or literals), with `helper(fn)` naming a function the statements call.
 * The interpreter compiles it once per shape with the operands as parameters; a translated block
 * embeds it with the operands as literals, so the block computes the instruction in its own
 * code, without a call (and without the engine's inlining budget deciding whether it may fold
 * the operands). Used for the hottest shapes (data processing, MOVW/MOVT, multiplies and divides,
 * extends, bit fields, reversals, single and dual loads and stores, LDM/STM, direct branches,
 * hints). The statements run in a block of their own: the names they declare do not meet other
 * instructions'. Memory accesses are written as block-memory.ts describes, so that a translated
 * block can give them its RAM fast path.
 *
 * A block keeps registers and flags in locals (block-locals.ts), so the statements name them in
 * one way only: a register read as `r[n]` and written as a statement `r[n] = expression;`, a
 * flag as `cpu.nf`, `cpu.zf`, `cpu.cf` or `cpu.vf` (0 or 1), the next PC of a direct branch as
 * `cpu.nextPc`. Helpers and other `cpu` members must not read or write those: an instruction
 * that needs them is Effects.Any. The one exception is the processor's PC writers
 * (`cpu.bxWritePc(...)` and the like, cpu.ts), which set the next PC themselves: an instruction
 * that calls one is Effects.WritesPc, and a block reads the processor's next PC after it.
 */
export type Source = (operands: readonly string[], helper: (fn: Function) => string) => string;

/** What an instruction may do, for the PC bookkeeping of a translated block (block-translator.ts). */
export const enum Effects {
  /** Reads and writes general-purpose registers and flags only: no memory access, no exception, no PC write. */
  RegistersOnly = 0,
  /** Also reads memory, and may take a synchronous abort (thrown); never writes the PC itself. */
  ReadsMemory = 1,
  /** Also writes memory (which may hold code: cpu.blockBreak), and may take a synchronous abort; never writes the PC itself. */
  WritesMemory = 2,
  /** Reads and writes registers and flags and may write cpu.nextPc (a branch in the same instruction set); nothing else. */
  Branch = 3,
  /** Anything: exceptions, exception returns, system state. */
  Any = 4,
  /**
   * Reads registers, flags and memory (may take a synchronous abort), writes registers, and writes
   * the PC every time it runs, through one of the processor's PC writers (cpu.branchWritePc,
   * bxWritePc, aluWritePc, loadWritePc), which may change the instruction set: BX, POP {..., pc},
   * LDR pc, MOV pc. Nothing else.
   */
  WritesPc = 5,
}

/** An operand fixed at decode time: a number, a flag, or a function the semantics calls. */
export type Constant = number | boolean | ((...args: never[]) => unknown);

export interface SemanticsCall {
  readonly semantics: Function;
  readonly constants: readonly Constant[];
  /** The A32 condition the call runs under (A8.3), or undefined when it always runs. */
  readonly condition: number | undefined;
  /** What the instruction may do besides computing: how much PC bookkeeping a block needs around it. */
  readonly effects: Effects;
  /** For semantics written as source: the instruction's statements, operands as literals. */
  readonly inline: ((helper: (fn: Function) => string) => string) | undefined;
  /** For semantics written as source: the shape key it was built with. */
  readonly shape: string | undefined;
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
  const instr = closureMaker(semantics, constants.length)(...constants);
  if (describing) {
    describedInstr = instr;
    describedCall = { semantics, constants, condition: undefined, effects: Effects.Any, inline: undefined, shape: undefined };
  }
  return instr;
}

/** Interpreter closure makers of source semantics, by the shape key the semantics gives. */
const sourceMakers = new Map<string, (...operands: number[]) => Instr>();

/**
 * Most makers kept. Some shapes hold more than the operation (LDM/STM hold the register list), so
 * a guest can make many; past this many the makers are dropped (instructions already decoded keep
 * their closures, and a maker is compiled again when its shape comes back), so what a guest
 * decodes cannot grow the host's memory without bound.
 */
export const MAX_SOURCE_SHAPES = 4096;

/** Shapes whose maker is kept now (at most MAX_SOURCE_SHAPES). */
export function keptSourceShapes(): number {
  return sourceMakers.size;
}

/**
 * The instruction that runs `source` with `operands`. `shape` names everything the source's
 * text depends on besides the operands (its closure maker is shared by that name), `effects` what
 * it may do.
 */
export function callingSource(shape: string, source: Source, operands: readonly number[], effects: Effects): Instr {
  let make = sourceMakers.get(shape);
  if (make === undefined) {
    const names = operands.map((_, i) => `o${i}`);
    const helpers: Function[] = [];
    const helper = (fn: Function): string => {
      const i = helpers.indexOf(fn);
      return `h${i < 0 ? helpers.push(fn) - 1 : i}`;
    };
    const body = source(names, helper);
    const factory = `"use strict";\nconst [${helpers.map((_, i) => `h${i}`).join(', ')}] = helpers;\n` +
      `return function make(${names.join(', ')}) {\nreturn function instr(cpu) {\nconst r = cpu.r;\n${body}\n};\n};`;
    make = (new Function('helpers', factory) as (helpers: readonly Function[]) => (...operands: number[]) => Instr)(helpers);
    if (sourceMakers.size >= MAX_SOURCE_SHAPES) sourceMakers.clear();
    sourceMakers.set(shape, make);
  }
  if (make.length !== operands.length) throw new Error(`source semantics ${shape} given ${operands.length} operands and ${make.length}`);
  const instr = make(...operands);
  if (describing) {
    describedInstr = instr;
    describedCall = {
      semantics: source, constants: operands, condition: undefined, effects,
      inline: (helper) => source(operands.map(String), helper), shape,
    };
  }
  return instr;
}

/**
 * Whether an instruction writes the PC whenever it runs (Effects.WritesPc, with no A32 condition):
 * code after it is reached only from elsewhere.
 */
export function alwaysWritesPc(call: SemanticsCall): boolean {
  return call.effects === Effects.WritesPc && call.condition === undefined;
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
