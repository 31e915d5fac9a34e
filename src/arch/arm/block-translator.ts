import type { Cpu } from './cpu.js';
import type { Instr } from './decode-table.js';

/**
 * Translation of hot guest code into JavaScript: a straight run of decoded instructions becomes
 * one generated function that calls each instruction's semantics (the same `Instr` the
 * interpreter runs, so each instruction's meaning is still written once) with its PC values as
 * constants, and none of the interpreter's per-instruction dispatch: no page lookup, no decode
 * cache index, no loop test. Each call site in a block calls one known function, so the engine
 * can inline the instruction bodies into the block.
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

/**
 * Builds the function for `instrs`, which start at the PC the block is entered with and have
 * the given sizes in bytes. `thumb` selects the PC-read offset (A2.3: +8 in ARM state, +4 in Thumb).
 */
export function translateBlock(instrs: readonly Instr[], sizes: readonly number[], thumb: boolean): TranslatedBlock {
  const pcReadOffset = thumb ? 4 : 8;
  const lines: string[] = ['const r = cpu.r;', 'const base = cpu.pc;'];
  let offset = 0;
  instrs.forEach((_, i) => {
    const next = offset + sizes[i]!;
    lines.push(
      `cpu.pc = base + ${offset}; r[15] = base + ${offset + pcReadOffset}; cpu.nextPc = base + ${next};`,
      `i${i}(cpu);`,
      'cpu.instructionCount++;',
      i === instrs.length - 1 ? 'cpu.pc = cpu.nextPc;' : `if (cpu.nextPc !== base + ${next} || cpu.blockBreak) { cpu.pc = cpu.nextPc; return; }`,
    );
    offset = next;
  });
  const names = instrs.map((_, i) => `i${i}`);
  const source = `"use strict";\nconst [${names.join(', ')}] = instrs;\nreturn function block(cpu) {\n${lines.join('\n')}\n};`;
  const factory = new Function('instrs', source) as (instrs: readonly Instr[]) => (cpu: Cpu) => void;
  return { length: instrs.length, run: factory(instrs) };
}
