import type { Cpu } from './cpu.js';
import { conditionSource, itAdvance } from './condition.js';
import type { Instr } from './decode-table.js';
import { Effects, type SemanticsCall } from './semantics-call.js';
import { directBranchOffset } from './isa-control/semantics-branch.js';

/**
 * Translation of hot guest code into JavaScript: a straight run of decoded instructions becomes
 * one generated function with none of the interpreter's per-instruction dispatch: no page
 * lookup, no decode cache index, no loop test. An instruction whose semantics are written as
 * source (semantics-call.ts: data processing, single loads and stores) is embedded as its
 * statements with its operands as literals; one built as a semantics call is written as that
 * call with literal operands, so the engine inlines the semantics and folds the operands; any
 * other runs as a call of the closure the interpreter runs. Either way each instruction's
 * meaning is written once.
 *
 * Exceptions stay precise: before each instruction that can take an exception the block stores
 * its PC (cpu.pc and R15, and the fall-through next PC where the instruction may branch), and
 * counts it after it completes, so a GuestAbort thrown from the middle of a block leaves exactly
 * the state the interpreter would. Register-only instructions need R15 alone, and are counted
 * before the next instruction that can observe the count. A block leaves early as soon as an
 * instruction redirects the PC (branch, exception, exception return) or sets `cpu.blockBreak`
 * (code written, translation or timer state changed).
 *
 * Direct block chaining: where a block ends with a direct branch (B, B<c>, CBZ/CBNZ) or runs
 * off its end into more code, the successor's address is known when the block is translated.
 * If that successor is in the same page (so the translation and execute permission the executor
 * checked for this block hold for it too) and nothing asks the executor to look (the block was
 * not broken, no interrupt input is asserted, no stop is requested, the run's budget holds the
 * successor), the block returns the successor's translated block and the executor runs it at
 * once. A block that branches back to its own start (a loop) runs its next pass in place.
 */
export interface TranslatedBlock {
  /** Instructions in the block. */
  readonly length: number;
  /**
   * Runs the block from its first instruction (cpu.pc must be the block's address) and returns
   * the block to run next when it is chained to it (see above).
   */
  readonly run: (cpu: Cpu) => TranslatedBlock | undefined;
}

/** Longest block, in instructions (bounds the delay before a pending interrupt is taken). */
export const MAX_BLOCK_INSTRUCTIONS = 32;

/**
 * One instruction of a block: its closure, its size in bytes, its semantics call if it has one,
 * and the ITSTATE it runs in (0 outside IT blocks).
 */
export interface BlockInstruction {
  readonly instr: Instr;
  readonly size: number;
  readonly call: SemanticsCall | undefined;
  readonly itState: number;
}

/** Where a block is: its page's translated blocks (by halfword offset) and its offset in the page. */
export interface BlockPlace {
  readonly pageBlocks: readonly (TranslatedBlock | null | undefined)[];
  readonly pageOffset: number;
  /** The last instruction does not end blocks (endsBlockA32/endsBlockThumb): the block may fall through into more code. */
  readonly fallsThrough: boolean;
}

/**
 * Builds the function for `instrs`, which start at the PC the block is entered with. `thumb`
 * selects the PC-read offset (A2.3: +8 in ARM state, +4 in Thumb).
 */
export function translateBlock(instrs: readonly BlockInstruction[], thumb: boolean, place: BlockPlace): TranslatedBlock {
  const pcReadOffset = thumb ? 4 : 8;
  const bindings: unknown[] = [];
  const bind = (value: unknown): string => {
    let i = bindings.indexOf(value);
    if (i < 0) i = bindings.push(value) - 1;
    return `b${i}`;
  };
  const successors = staticSuccessors(instrs, pcReadOffset, place);
  const loops = successors.includes(0);
  const lines: string[] = [];
  let offset = 0;
  // Register-only instructions (Effects.RegistersOnly) cannot fault or branch: they need
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
    if (instr.itState !== 0) {
      // In an IT block, as the interpreter runs it (Executor.step): ITSTATE is the instruction's
      // own while it runs (an exception saves it), its IT condition decides, and ITSTATE
      // advances unless the instruction took an exception or returned from one.
      countUncounted();
      const it = instr.itState;
      lines.push(
        `cpu.pc = base + ${offset}; r[15] = base + ${offset + pcReadOffset}; cpu.nextPc = base + ${next};`,
        `cpu.itState = ${it}; cpu.itAdvance = true;`,
        `if (${conditionSource(it >>> 4)}) ${callSource(instr, bind)};`,
        'cpu.instructionCount++;',
        `if (cpu.itAdvance) cpu.itState = ${itAdvance(it)};`,
      );
      if (!last) lines.push(`if (cpu.nextPc !== base + ${next} || cpu.blockBreak !== 0) { cpu.pc = cpu.nextPc; return; }`);
      else lines.push('cpu.pc = cpu.nextPc;', ...chainSource(successors, instrs.length, place, bind));
    } else if (instr.call?.effects === Effects.RegistersOnly) {
      lines.push(`r[15] = base + ${offset + pcReadOffset};`, `${callSource(instr, bind)};`);
      uncounted++;
      if (last) {
        countUncounted();
        lines.push(`cpu.pc = base + ${next};`, ...chainSource(successors, instrs.length, place, bind));
      }
    } else if (instr.call?.effects === Effects.KeepsPc) {
      // Its abort needs cpu.pc (the exception sets the next PC); it goes on to the next instruction.
      countUncounted();
      lines.push(`cpu.pc = base + ${offset}; r[15] = base + ${offset + pcReadOffset};`, `${callSource(instr, bind)};`, 'cpu.instructionCount++;');
      if (!last) lines.push(`if (cpu.blockBreak !== 0) { cpu.pc = base + ${next}; return; }`);
      else lines.push(`cpu.pc = base + ${next};`, ...chainSource(successors, instrs.length, place, bind));
    } else {
      countUncounted();
      lines.push(
        `cpu.pc = base + ${offset}; r[15] = base + ${offset + pcReadOffset}; cpu.nextPc = base + ${next};`,
        `${callSource(instr, bind)};`,
        'cpu.instructionCount++;',
      );
      if (!last) lines.push(`if (cpu.nextPc !== base + ${next} || cpu.blockBreak !== 0) { cpu.pc = cpu.nextPc; return; }`);
      else lines.push('cpu.pc = cpu.nextPc;', ...chainSource(successors, instrs.length, place, bind));
    }
    offset = next;
  });
  const body = loops ? ['for (;;) {', ...lines, 'return;', '}'] : lines;
  const names = bindings.map((_, i) => `b${i}`);
  // The block function in parentheses: the engine compiles it with the factory instead of
  // pre-parsing it now and parsing it again at its first call.
  const source = `"use strict";\nconst [${names.join(', ')}] = bindings;\nreturn (function block(cpu) {\nconst r = cpu.r;\nconst base = cpu.pc;\n${body.join('\n')}\n});`;
  const factory = new Function('bindings', source) as (bindings: readonly unknown[]) => TranslatedBlock["run"];
  return { length: instrs.length, run: factory(bindings) };
}

/**
 * Offsets from the block's start of the successors known at translation (the taken target of a
 * final direct branch; the fall-through after a conditional one or after an instruction that
 * does not end blocks) that lie in the block's page.
 */
function staticSuccessors(instrs: readonly BlockInstruction[], pcReadOffset: number, place: BlockPlace): number[] {
  const last = instrs[instrs.length - 1]!;
  // A block that stops inside an IT block leaves ITSTATE set: blocks are entered outside IT blocks only.
  if (last.itState !== 0 && itAdvance(last.itState) !== 0) return [];
  const end = instrs.reduce((sum, instr) => sum + instr.size, 0);
  const branchOffset = last.call === undefined ? undefined : directBranchOffset(last.call);
  const offsets: number[] = [];
  if (branchOffset !== undefined) offsets.push(end - last.size + pcReadOffset + branchOffset);
  if (branchOffset !== undefined || place.fallsThrough) offsets.push(end);
  return offsets.filter((d) => place.pageOffset + d >= 0 && place.pageOffset + d < 4096);
}

/** The end of a block: the checks that allow chaining, then its own start again (a loop) or a successor's block. */
function chainSource(successors: readonly number[], length: number, place: BlockPlace, bind: (value: unknown) => string): string[] {
  if (successors.length === 0) return [];
  const blocks = bind(place.pageBlocks);
  return [
    'if (cpu.blockBreak !== 0 || cpu.interruptLines !== 0 || cpu.stopRequested !== 0) return;',
    ...successors.map((d) =>
      d === 0
        ? `if (cpu.pc === base && cpu.runUntil - cpu.instructionCount >= ${length}) continue;`
        : `if (cpu.pc === base + ${d}) { const next = ${blocks}[${(place.pageOffset + d) >>> 1}]; if (next && cpu.runUntil - cpu.instructionCount >= next.length) return next; }`,
    ),
  ];
}

/**
 * The statement that runs one instruction: the source of a semantics written as source, else its
 * semantics call written out with literal constants (semantics-call.ts), under its condition if
 * it has one; else a call of its closure.
 */
function callSource({ instr, call }: BlockInstruction, bind: (value: unknown) => string): string {
  if (call === undefined) return `${bind(instr)}(cpu)`;
  let source: string;
  if (call.inline !== undefined) {
    source = `{\n${call.inline(bind)}\n}`;
  } else {
    const args = call.constants.map((c) => (typeof c === 'function' ? bind(c) : String(c)));
    source = `${bind(call.semantics)}(cpu${args.map((a) => `, ${a}`).join('')})`;
  }
  return call.condition === undefined ? source : `if (${conditionSource(call.condition)}) ${source}`;
}
