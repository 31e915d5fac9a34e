import type { Cpu } from './cpu.js';
import { conditionPassed } from './condition.js';
import type { Instr } from './decode-table.js';
import type { SemanticsCall } from './semantics-call.js';

/**
 * Translation of hot guest code into JavaScript: a straight run of decoded instructions becomes
 * one generated function that calls each instruction's semantics with its PC values as
 * constants, and none of the interpreter's per-instruction dispatch: no page lookup, no decode
 * cache index, no loop test. An instruction built as a semantics call (semantics-call.ts) is
 * written as that call with its operands as literals, so the engine inlines the semantics and
 * folds the operands; any other runs as a call of the closure the interpreter runs. Either way
 * each instruction's meaning is written once, and each call site in a block calls one known
 * function.
 *
 * Exceptions stay precise: before each instruction the block stores its PC (cpu.pc, R15 and
 * the fall-through next PC), and counts it after it completes, so a GuestAbort thrown from the
 * middle of a block leaves exactly the state the interpreter would. A block leaves early as soon
 * as an instruction redirects the PC (branch, exception, exception return) or sets
 * `cpu.blockBreak` (code written, translation or timer state changed).
 */
export interface TranslatedBlock {
  /** Instructions in the block. */
  readonly length: number;
  /** Runs the block from its first instruction; cpu.pc must be the block's address. */
  readonly run: (cpu: Cpu) => void;
}

/** Longest block, in instructions (bounds the delay before a pending interrupt is taken). */
export const MAX_BLOCK_INSTRUCTIONS = 32;

/** One instruction of a block: its closure, its size in bytes, and its semantics call if it has one. */
export interface BlockInstruction {
  readonly instr: Instr;
  readonly size: number;
  readonly call: SemanticsCall | undefined;
}

/**
 * Builds the function for `instrs`, which start at the PC the block is entered with. `thumb`
 * selects the PC-read offset (A2.3: +8 in ARM state, +4 in Thumb).
 */
export function translateBlock(instrs: readonly BlockInstruction[], thumb: boolean): TranslatedBlock {
  const pcReadOffset = thumb ? 4 : 8;
  const bindings: unknown[] = [];
  const bind = (value: unknown): string => {
    let i = bindings.indexOf(value);
    if (i < 0) i = bindings.push(value) - 1;
    return `b${i}`;
  };
  const lines: string[] = ['const r = cpu.r;', 'const base = cpu.pc;'];
  let offset = 0;
  // Register-only instructions (SemanticsCall.registersOnly) cannot fault or branch: they need
  // only the PC value they may read, and their count is added before the next instruction that
  // can observe it.
  let uncounted = 0;
  const countUncounted = (): void => {
    if (uncounted > 0) lines.push(`cpu.instructionCount += ${uncounted};`);
    uncounted = 0;
  };
  instrs.forEach((instr, i) => {
    const next = offset + instr.size;
    const last = i === instrs.length - 1;
    if (instr.call?.registersOnly === true) {
      lines.push(`r[15] = base + ${offset + pcReadOffset};`, `${callSource(instr, bind)};`);
      uncounted++;
      if (last) {
        countUncounted();
        lines.push(`cpu.pc = base + ${next};`);
      }
    } else {
      countUncounted();
      lines.push(
        `cpu.pc = base + ${offset}; r[15] = base + ${offset + pcReadOffset}; cpu.nextPc = base + ${next};`,
        `${callSource(instr, bind)};`,
        'cpu.instructionCount++;',
        last ? 'cpu.pc = cpu.nextPc;' : `if (cpu.nextPc !== base + ${next} || cpu.blockBreak) { cpu.pc = cpu.nextPc; return; }`,
      );
    }
    offset = next;
  });
  const names = bindings.map((_, i) => `b${i}`);
  const source = `"use strict";\nconst [${names.join(', ')}] = bindings;\nreturn function block(cpu) {\n${lines.join('\n')}\n};`;
  const factory = new Function('bindings', source) as (bindings: readonly unknown[]) => (cpu: Cpu) => void;
  return { length: instrs.length, run: factory(bindings) };
}

/**
 * The statement that runs one instruction: its semantics call written out with literal
 * constants (semantics-call.ts), under its condition if it has one, else a call of its closure.
 */
function callSource({ instr, call }: BlockInstruction, bind: (value: unknown) => string): string {
  if (call === undefined) return `${bind(instr)}(cpu)`;
  const args = call.constants.map((c) => (typeof c === 'function' ? bind(c) : String(c)));
  const source = `${bind(call.semantics)}(cpu${args.map((a) => `, ${a}`).join('')})`;
  return call.condition === undefined ? source : `if (${bind(conditionPassed)}(cpu, ${call.condition})) ${source}`;
}
