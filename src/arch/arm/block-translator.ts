import type { Cpu } from './cpu.js';
import { branchFreeConditional } from './branch-free-condition.js';
import { conditionSource, itAdvance } from './condition.js';
import type { Instr } from './decode-table.js';
import { Effects, type SemanticsCall } from './semantics-call.js';
import { conditionalBranchOffset, conditionalBranchSource, directBranchOffset, unconditionalBranchOffset } from './isa-control/semantics-branch.js';
import { ifThenState } from './isa-control/semantics-hint.js';
import { guestStateOf, loadLocal, localizeSource, storeLocal, type Local, type LocalizedSource } from './block-locals.js';
import { hasRamAccess, inlineRamAccesses, LOAD_RAM_CLASS, ramLocals, type RamViews } from './block-memory.js';

/**
 * Translation of hot guest code into JavaScript: a run of decoded instructions becomes one
 * generated function with none of the interpreter's per-instruction dispatch: no page lookup,
 * no decode cache index, no loop test. An instruction whose semantics are written as source
 * (semantics-call.ts) is embedded as its statements with its operands as literals, and with the
 * registers and flags as the block's locals (BlockWriter below); one built as a semantics call
 * is written as that call with literal operands, so the engine inlines the semantics and folds
 * the operands; any other runs as a call of the closure the interpreter runs. Either way each
 * instruction's meaning is written once.
 *
 * Exceptions stay precise (BlockWriter): an abort thrown from the middle of a block leaves
 * exactly the registers, flags, PC and instruction count the interpreter would. A block leaves
 * early as soon as an instruction redirects the PC (a taken side exit, an exception, an
 * exception return) or a store or barrier sets `cpu.blockBreak` (code written, translation or
 * timer state changed).
 *
 * Block chaining: where a block leaves for an address in its own page (by a branch, direct or
 * not, a return, or running off its end into more code), so that the translation and execute
 * permission the executor checked for this block hold there too, and nothing asks the executor
 * to look (the block was not broken, no interrupt input is asserted, no stop is requested, the
 * run's budget holds the successor), the block returns the successor's translated block and the
 * executor runs it at once. A block that branches back to its own start (a loop) runs its next
 * pass in place, its registers kept in locals.
 */
export interface TranslatedBlock {
  /** Instructions in the block. */
  readonly length: number;
  /**
   * Runs the block from its first instruction (cpu.pc must be the block's address) and returns
   * the block to run next when it is chained to it (see above), or MISSED_ACCESS when it left
   * before an instruction the executor must run (BlockWriter).
   */
  readonly run: (cpu: Cpu) => TranslatedBlock | undefined;
}

/** Longest block, in instructions (bounds the delay before a pending interrupt is taken). */
export const MAX_BLOCK_INSTRUCTIONS = 64;

/**
 * One instruction of a block: its closure, its size in bytes, its semantics call if it has one,
 * and the ITSTATE it runs in (0 outside IT blocks).
 */
export interface BlockInstruction {
  readonly instr: Instr;
  readonly size: number;
  /** Its offset from the block's start: a block may go on at the target of an unconditional B. */
  readonly offset: number;
  readonly call: SemanticsCall | undefined;
  readonly itState: number;
}

/** Where a block is: its page's translated blocks (by halfword offset) and its offset in the page. */
export interface BlockPlace {
  readonly pageBlocks: readonly (TranslatedBlock | undefined)[];
  readonly pageOffset: number;
}

/**
 * Builds the function for `instrs`, which start at the PC the block is entered with. `thumb`
 * selects the PC-read offset (A2.3: +8 in ARM state, +4 in Thumb); `ram` is the RAM of the
 * machine it runs on; `alone` the one processor that runs the machine's blocks, undefined when
 * more than one may run it: that processor, its register file and its RAM page caches
 * (block-memory.ts) are then constants of the block, whose maps the engine takes as known (no
 * map checks of them, no loads of them through the processor). The engine still checks the
 * registers' indices against the register file's length, which it does not fold.
 */
export function translateBlock(
  instrs: readonly BlockInstruction[], thumb: boolean, place: BlockPlace, ram: RamViews, alone: Cpu | undefined,
): TranslatedBlock {
  const bindings: unknown[] = [];
  const bind = (value: unknown): string => {
    let i = bindings.indexOf(value);
    if (i < 0) i = bindings.push(value) - 1;
    return `b${i}`;
  };
  const body = new BlockWriter(instrs, thumb ? 4 : 8, place, ram, alone, bind).write();
  // The processor a block runs on alone is a constant of it too, its argument then unused.
  const [parameter, processor] = alone === undefined ? ['cpu', ''] : ['', `const cpu = ${bind(alone)};\n`];
  const names = bindings.map((_, i) => `b${i}`);
  // The block function in parentheses: the engine compiles it with the factory instead of
  // pre-parsing it now and parsing it again at its first call.
  const source = `"use strict";\nconst [${names.join(', ')}] = bindings;\nreturn (function block(${parameter}) {\n${processor}${body}\n});`;
  const factory = new Function('bindings', source) as (bindings: readonly unknown[]) => TranslatedBlock['run'];
  return { length: instrs.length, run: factory(bindings) };
}

/**
 * How an instruction appears in a block. Localized: its source, with registers and flags as
 * the block's locals (block-locals.ts); for semantics written as source that touch nothing but
 * registers, flags, memory, the next PC of a direct branch, and the PC through a PC writer
 * (Effects.WritesPc: the block leaves after it when it branches). Anything else is a barrier: the
 * locals it may read are written back before it, and all are read again after it.
 */
type Placed =
  | { readonly localized: true; readonly effects: Effects; readonly source: LocalizedSource }
  | { readonly localized: false };

/**
 * Writes a block's body. Registers and flags live in locals, read at entry and again after each
 * barrier, so a local always holds its guest state's value or a newer one. The set of locals that
 * may be newer (dirty) is tracked as the body is written, and written back before every barrier.
 * The other ways out write back every local the block writes instead (harmless for those that are
 * not newer), which keeps the source short:
 *
 * - every exit (the end, a taken side exit or PC write, a call of DataAccess that sets
 *   cpu.blockBreak: it may have written code, even this block's) leaves by `break exit` to the one exit after the body,
 *   which also chains (chainSource);
 * - a plain load or store that misses the RAM fast path leaves the same way, before its
 *   instruction, which the executor then runs as the interpreter does (missSource): whatever
 *   DataAccess does the full way (a device access, an abort, a table walk) happens outside the
 *   block, in exactly the interpreter's state;
 * - any other call of DataAccess (LDRT and the like) may throw (GuestAbort): that call is
 *   preceded by what leaves exactly the state the interpreter would have there
 *   (syncBeforeAccess): the locals the block may have changed so far written back, cpu.pc at
 *   the access, ITSTATE the instruction's own. The abort then leaves the block as it is, with
 *   no handler in the block (whose every local the engine would otherwise keep for it at every
 *   such call).
 *
 * The engine optimises a block from the types it recorded while the block ran unoptimised, and
 * throws that code away (to optimise it again later) the first time code that never ran then
 * meets an operation it has no record for: arithmetic, a comparison, a property or element
 * access, a call. Ways out that are seldom taken (the exits, the misses) therefore only assign
 * locals and jump; the exit after the body, run at every exit, does the arithmetic and writes.
 * Booting Linux (bench/linux-boot.ts), this took the optimised blocks thrown away from 521 to 159
 * and the engine's compiling of blocks from 5.9 to 3.9 s of its thread.
 *
 * The count of executed instructions is kept in the local `ic`, and made exact in the processor
 * before every call of DataAccess and every barrier (a device or the counter may read it) and at
 * every exit (`ic` plus `exitCount`, the instructions the exit counts that `ic` does not yet).
 */
class BlockWriter {
  private readonly lines: string[] = [];
  private readonly placed: readonly Placed[];
  /** Locals any localized instruction uses: read at entry and after barriers. */
  private readonly used = new Set<Local>();
  /** Locals any localized instruction may write. */
  private readonly written = new Set<Local>();
  /** Locals that may be newer than their guest state here: written back before a barrier. */
  private readonly dirty = new Set<Local>();
  /** The ITSTATE after the instruction being written (itStateAfter). */
  private itState = 0;
  /** Instructions run but not yet added to `ic`. */
  private uncounted = 0;
  private readonly loops: boolean;
  /** Whether the body leaves by the exit after it (every block but one that ends in a barrier does). */
  private exits = false;
  /** Whether an access leaves the block where it misses the RAM fast path (missSource). */
  private misses = false;
  /** Whether an exit leaves for the block's address plus an offset (`exitOffset`). */
  private offsetExits = false;
  /** Whether the block may be left inside an IT block (the exit then sets ITSTATE). */
  private readonly inItBlocks: boolean;
  /** Whether an access takes the RAM fast path (block-memory.ts), whose locals the head then declares. */
  private readonly ramAccesses: boolean;
  /** The block's forward skips (forwardSkips): the target's index by the branch's. */
  private readonly skips: ReadonlyMap<number, number>;
  /** The skips being written, innermost last: the target's index, and the locals dirty where the branch skips. */
  private readonly openSkips: { readonly target: number; readonly dirty: ReadonlySet<Local> }[] = [];

  constructor(
    private readonly instrs: readonly BlockInstruction[],
    private readonly pcReadOffset: number,
    private readonly place: BlockPlace,
    private readonly ram: RamViews,
    private readonly alone: Cpu | undefined,
    private readonly bind: (value: unknown) => string,
  ) {
    this.loops = loopsToItsStart(instrs, pcReadOffset);
    this.inItBlocks = instrs.some((instr) => instr.itState !== 0 || itStateAfter(instr) !== 0);
    this.placed = instrs.map((instr) => this.placeInstruction(instr));
    for (const p of this.placed) {
      if (!p.localized) continue;
      for (const local of p.source.used) this.used.add(local);
      for (const local of p.source.written) this.written.add(local);
    }
    this.ramAccesses = this.placed.some((p) => p.localized && accessesMemory(p) && hasRamAccess(p.source.text));
    this.skips = forwardSkips(instrs, this.placed, pcReadOffset);
    // A loop's next pass starts with whatever the last one left dirty.
    if (this.loops) for (const local of this.written) this.dirty.add(local);
  }

  /**
   * An instruction of an IT block is localized under its IT condition. The IT instruction itself
   * writes nothing: the ITSTATE it sets is known at translation, and each instruction of its IT
   * block carries its own (BlockInstruction.itState). So inside a block cpu.itState stays 0 (as
   * where blocks are entered) but while a barrier runs, and is set where the block is left in
   * an IT block (itStateAfter): at an exit, and before a call of DataAccess in an IT block.
   */
  private placeInstruction(instr: BlockInstruction): Placed {
    const { call, itState } = instr;
    if (call !== undefined && ifThenState(call) !== undefined) return { localized: true, effects: Effects.RegistersOnly, source: localizeSource('', '') };
    if (call?.inline === undefined || call.effects === Effects.Any) return { localized: false };
    const text = callSource(instr, this.bind);
    const conditioned = itState === 0 ? text : underCondition(itState >>> 4, text, call);
    const source = localizeSource(conditioned, `((base + ${instr.offset + this.pcReadOffset}) | 0)`);
    const placed = { localized: true, effects: call.effects, source } as const;
    // An access the RAM fast path cannot leave the block before (inlineRamAccesses) makes a barrier.
    if (accessesMemory(placed) && hasRamAccess(source.text) && inlineRamAccesses(source.text, '') === undefined) return { localized: false };
    return placed;
  }

  write(): string {
    const { lines, instrs } = this;
    instrs.forEach((instr, i) => {
      this.closeSkipsTo(i);
      const placed = this.placed[i]!;
      const { offset } = instr;
      // Where the block goes on: the next instruction's offset, the fall-through but after a followed B.
      const next = instrs[i + 1]?.offset ?? offset + instr.size;
      const last = i === instrs.length - 1;
      if (placed.localized) this.writeLocalized(instr, placed, offset, next, last, this.skips.get(i));
      else this.writeBarrier(instr, offset, next, last);
    });
    const head = [`const r = ${this.alone === undefined ? 'cpu.r' : this.bind(this.alone.r)};`, 'const base = cpu.pc;', 'let ic = cpu.instructionCount;'];
    if (this.used.size > 0) head.push(`let ${[...this.used].map((local) => `${local} = ${guestStateOf(local)}`).join(', ')};`);
    if (this.ramAccesses) head.push(...ramLocals(lines.join('\n'), this.ram, this.alone?.mem, this.bind), LOAD_RAM_CLASS);
    if (lines.some((line) => NEXT_PC_LOCAL.test(line))) head.push('let nextPc = 0;');
    const writeBack = [...this.written].map(storeLocal).join(' ');
    const body = this.loops ? ['for (;;) {', ...lines, '}'] : lines;
    if (!this.exits) return [...head, ...body].join('\n');
    head.push('let exitPc = 0, exitCount = 0;');
    if (this.offsetExits) head.push('let exitOffset = 0;');
    if (this.inItBlocks) head.push('let exitIt = 0;');
    if (this.misses) head.push('let missed = false;');
    const tail = [writeBack, 'cpu.instructionCount = ic + exitCount;'];
    tail.push(this.offsetExits ? 'cpu.pc = exitPc = (exitPc + exitOffset) | 0;' : 'cpu.pc = exitPc;');
    if (this.inItBlocks) tail.push('cpu.itState = exitIt;');
    if (this.misses) tail.push(`if (missed) return ${this.bind(MISSED_ACCESS)};`);
    return [...head, 'exit: {', ...body, '}', ...tail, this.chainSource()].join('\n');
  }

  /**
   * `skip`: the index of the instruction a conditional branch skips to when it is taken (a
   * forward skip), else undefined.
   */
  private writeLocalized(
    instr: BlockInstruction, placed: Placed & { localized: true }, offset: number, next: number, last: boolean, skip: number | undefined,
  ): void {
    const { lines } = this;
    const { effects, source } = placed;
    let { text } = source;
    const accesses = accessesMemory(placed);
    // Whether the instruction calls DataAccess in the block, which may set cpu.blockBreak (code written).
    let callsDataAccess = false;
    if (accesses) {
      // Plain loads and stores leave the block where they miss the fast path (placeInstruction
      // made sure they can); the instruction's other calls of DataAccess (cpu.mem.f(...) as
      // (sync, cpu.mem).f(...): the same call, after the sync) are made in the block.
      const sync = this.syncBeforeAccess(instr, source);
      text = inlineRamAccesses(text, this.missSource(instr))!;
      callsDataAccess = text.includes('cpu.mem.');
      text = text.replace(/\bcpu\.mem\./g, `(${sync}, cpu.mem).`);
    }
    if (effects === Effects.Branch && this.writeDirectBranch(instr, source, next, last, skip)) return;
    if (effects === Effects.Branch) lines.push(`nextPc = base + ${offset + instr.size};`);
    // A PC writer under a condition that fails leaves the next PC as the interpreter sets it.
    if (effects === Effects.WritesPc && (instr.call!.condition !== undefined || instr.itState !== 0)) lines.push(`cpu.nextPc = base + ${next};`);
    lines.push(text);
    // Back to the ITSTATE of inside a block (syncBeforeAccess set the instruction's own).
    if (accesses && instr.itState !== 0) lines.push('cpu.itState = 0;');
    for (const local of source.written) this.dirty.add(local);
    this.uncounted++;
    this.itState = itStateAfter(instr);
    // A store on the fast path writes no code page (code written is a miss): only DataAccess may break the block.
    if (effects === Effects.WritesMemory && callsDataAccess && !last) lines.push(`if (cpu.blockBreak !== 0) ${this.exitSource(next)}`);
    // Any other branch the block goes on after leaves when it sets another next PC.
    if (effects === Effects.Branch && !last) lines.push(`if (nextPc !== base + ${next}) ${this.exitSource('nextPc')}`);
    if (effects === Effects.WritesPc && !last) {
      // Taken, or a change of instruction set (cpu.blockBreak), leaves the block.
      lines.push(`if ((exitPc = cpu.nextPc) !== base + ${next} || cpu.blockBreak !== 0) ${this.exitSource('exitPc')}`);
    }
    if (last && effects === Effects.WritesPc) this.lines.push('exitPc = cpu.nextPc;');
    if (last) this.writeEnd(effects === Effects.Branch ? 'nextPc' : effects === Effects.WritesPc ? 'exitPc' : next);
  }

  /**
   * A direct branch (B, BL, B<c>, BL<c>, CBZ/CBNZ), whose target is the block's address plus a
   * constant: written with its ways out as such, so that no next PC is compared after it. Returns
   * false for one whose source is not of the forms below (it is then written as any branch).
   *
   * - A B (its source only writes the next PC) inside the block is one the block follows to its
   *   target, the next instruction here: it is only counted. At the end, the block leaves for
   *   its target.
   * - A conditional one (conditionalBranchSource) is its source with the taken way's PC write
   *   replaced by where the block goes then: to the end of a forward skip (`skip`: the index of
   *   the instruction it skips to), or out to its target (a side exit, which may be chained to);
   *   at the end, the block leaves for its fall-through when it is not taken.
   *
   * Leaving at the end for the block's own start is its next pass in place, when nothing asks
   * the executor to look (a loop).
   */
  private writeDirectBranch(instr: BlockInstruction, source: LocalizedSource, next: number, last: boolean, skip: number | undefined): boolean {
    const call = instr.call!;
    const branchOffset = directBranchOffset(call);
    if (branchOffset === undefined) return false;
    const target = instr.offset + this.pcReadOffset + branchOffset;
    const plain = instr.itState === 0 && unconditionalBranchOffset(call) !== undefined;
    const [before, after, ...more] = source.text.split(TAKEN_BRANCH);
    if (plain ? !last && target !== next : after === undefined || more.length > 0) return false;
    for (const local of source.written) this.dirty.add(local);
    this.uncounted++;
    this.itState = itStateAfter(instr);
    if (last) {
      this.countUncounted();
      const taken = `{ ${this.loops && target === 0 ? this.nextPassIf('') : ''}${this.exitSource(target)} }`;
      this.lines.push(plain ? taken : `${before}${taken}${after}`);
      if (!plain) this.lines.push(this.exitSource(next));
    } else if (plain) {
      return true;
    } else if (skip !== undefined) {
      // Counted on both ways: here, and at the end of what it skips (closeSkipsTo).
      this.countUncounted();
      this.lines.push(`skip${instr.offset}: {`, `${before}break skip${instr.offset};${after}`);
      this.openSkips.push({ target: skip, dirty: new Set(this.dirty) });
    } else {
      this.lines.push(`${before}${this.exitSource(target)}${after}`);
    }
    return true;
  }

  /**
   * A barrier, run with the interpreter's PC bookkeeping (cpu.pc, R15, the fall-through next PC)
   * and a check of the next PC after it: any barrier may branch. In an IT block, as the
   * interpreter runs it (Executor.step): ITSTATE is the instruction's own while it runs (an
   * exception saves it), its IT condition decides, and ITSTATE advances unless the instruction
   * took an exception or returned from one.
   */
  private writeBarrier(instr: BlockInstruction, offset: number, next: number, last: boolean): void {
    const { lines } = this;
    for (const local of this.dirty) lines.push(storeLocal(local));
    this.dirty.clear();
    this.countUncounted();
    lines.push('cpu.instructionCount = ic;');
    lines.push(`cpu.pc = base + ${offset}; r[15] = base + ${offset + this.pcReadOffset}; cpu.nextPc = base + ${next};`);
    const run = callSource(instr, this.bind);
    if (instr.itState !== 0) {
      const it = instr.itState;
      lines.push(
        `cpu.itState = ${it}; cpu.itAdvance = true;`,
        `if (${conditionSource(it >>> 4)}) ${run};`,
        'cpu.instructionCount++;',
        `if (cpu.itAdvance) cpu.itState = ${itAdvance(it)};`,
      );
    } else {
      lines.push(`${run};`, 'cpu.instructionCount++;');
    }
    lines.push('ic = cpu.instructionCount;');
    if (!last) lines.push(`if (cpu.nextPc !== base + ${next} || cpu.blockBreak !== 0) { cpu.pc = cpu.nextPc; return; }`);
    // Going on in the block: the ITSTATE the barrier advanced to is carried by the instructions that follow.
    if (!last && instr.itState !== 0 && itAdvance(instr.itState) !== 0) lines.push('cpu.itState = 0;');
    if ((!last || this.loops) && this.used.size > 0) lines.push([...this.used].map(loadLocal).join(' '));
    if ((!last || this.loops) && this.ramAccesses) lines.push(LOAD_RAM_CLASS);
    this.itState = 0; // a barrier sets cpu.itState itself
    // The last leaves as the others do when they branch: its own state written, and the executor
    // to look (it may have changed the mode, the translation, the registers the locals hold).
    if (last) lines.push('cpu.pc = cpu.nextPc;', 'return;');
  }

  /**
   * Ends the skips to instruction `i`: what they skip is counted, and a local dirty where a
   * branch skipped (a barrier skipped would have written it back) is dirty again where the ways join.
   */
  private closeSkipsTo(i: number): void {
    while (this.openSkips.at(-1)?.target === i) {
      this.countUncounted();
      this.lines.push('}');
      for (const local of this.openSkips.pop()!.dirty) this.dirty.add(local);
    }
  }

  /**
   * What precedes a call of DataAccess by instruction `instr` (an expression): the state the
   * interpreter would have there, should the call throw an abort or a device read the count. The
   * locals that may be newer than their guest state are written back: those dirty before the
   * instruction, and those it writes itself (its source writes a register before an access as
   * the interpreter does). Then cpu.pc at the instruction, the count exact, and ITSTATE the
   * instruction's own in an IT block.
   */
  private syncBeforeAccess(instr: BlockInstruction, source: LocalizedSource): string {
    const locals = new Set([...this.dirty, ...source.written]);
    const sync = [...locals].map((local) => `${guestStateOf(local)} = ${local}`);
    sync.push(`cpu.pc = base + ${instr.offset}`, `cpu.instructionCount = ic + ${this.uncounted}`);
    if (instr.itState !== 0) sync.push(`cpu.itState = ${instr.itState}`);
    return sync.join(', ');
  }

  /**
   * The exit before instruction `instr`, where one of its accesses misses the RAM fast path: the
   * block's state written back as at any exit, cpu.pc at the instruction, ITSTATE its own, and
   * MISSED_ACCESS returned so that the executor runs it. Like every exit it only assigns locals,
   * which the engine records no types for (the one exit after the body does the rest).
   */
  private missSource(instr: BlockInstruction): string {
    this.exits = true;
    this.misses = true;
    this.offsetExits = true;
    const it = instr.itState === 0 ? '' : `exitIt = ${instr.itState}; `;
    return `{ exitPc = base; exitOffset = ${instr.offset}; exitCount = ${this.uncounted}; ${it}missed = true; break exit; }`;
  }

  private countUncounted(): void {
    if (this.uncounted > 0) this.lines.push(`ic += ${this.uncounted};`);
    this.uncounted = 0;
  }

  /**
   * A block exit, by the one exit after the body (write()), to `pc`: the local `nextPc`, the local
   * `exitPc` (set already), or the block's address plus an offset (a number).
   */
  private exitSource(pc: 'nextPc' | 'exitPc' | number): string {
    this.exits = true;
    const count = this.uncounted > 0 ? `exitCount = ${this.uncounted}; ` : '';
    let target = '';
    if (typeof pc === 'number') {
      this.offsetExits = true;
      target = `exitPc = base; exitOffset = ${pc}; `;
    } else if (pc === 'nextPc') {
      target = 'exitPc = nextPc; ';
    }
    // The ITSTATE where an instruction leaves the block in an IT block (else it is 0 already).
    const it = this.itState === 0 ? '' : `exitIt = ${this.itState}; `;
    return `{ ${count}${target}${it}break exit; }`;
  }

  /**
   * The end of a block, continuing at `pc` (as exitSource takes it): its own start again (a loop),
   * with the locals kept, when nothing asks the executor to look; else an exit.
   */
  private writeEnd(pc: 'nextPc' | 'exitPc' | number): void {
    this.countUncounted();
    if (this.loops && typeof pc !== 'number') this.lines.push(this.nextPassIf(`${pc} === base && `));
    this.lines.push(this.exitSource(pc));
  }

  /** A loop's next pass in place, when `condition` (empty, or ending in `&&`) holds and nothing asks the executor to look. */
  private nextPassIf(condition: string): string {
    return `if (${condition}${FREE} && cpu.runUntil - ic >= ${this.instrs.length}) continue; `;
  }

  /**
   * After the exit has set cpu.pc to `exitPc`: the translated block there, when chainedBlock
   * finds one. A shared function rather than source in every block: its checks then have the
   * engine's record of every block's exits, where a block's own copy would have none for the
   * cases its first runs did not meet (and the engine would give up its optimised code there).
   */
  private chainSource(): string {
    return `return ${this.bind(chainedBlock)}(cpu, ${this.bind(this.place.pageBlocks)}, exitPc - base + ${this.place.pageOffset});`;
  }
}

/**
 * What a block returns when it left before an instruction whose load or store missed the RAM
 * fast path: the executor runs that instruction (and then goes on as after any block).
 */
export const MISSED_ACCESS: TranslatedBlock = { length: 0, run: () => undefined };

/** The ITSTATE after an instruction runs (and does not branch): an IT instruction's, advanced in its IT block, else 0. */
function itStateAfter({ call, itState }: BlockInstruction): number {
  return itState !== 0 ? itAdvance(itState) : (call === undefined ? undefined : ifThenState(call)) ?? 0;
}

/** Whether a localized instruction loads or stores (and so may abort). */
function accessesMemory(placed: Placed & { localized: true }): boolean {
  const { effects } = placed;
  return effects === Effects.ReadsMemory || effects === Effects.WritesMemory || (effects === Effects.WritesPc && placed.source.text.includes('cpu.mem.'));
}

/** The local `nextPc` (localized `cpu.nextPc`, block-locals.ts), not the processor's. */
const NEXT_PC_LOCAL = /(?<![.\w])nextPc\b/;

/** The taken way of a conditional direct branch's localized source (conditionalBranchSource). */
const TAKEN_BRANCH = 'nextPc = br_target;';

/** Nothing asks the executor to look: no code written or state changed, no interrupt input asserted, no stop requested. */
const FREE = 'cpu.blockBreak === 0 && cpu.interruptLines === 0 && cpu.stopRequested === 0';

/**
 * The block to run next after one that left for byte `offset` of its page (negative or past the
 * page when it left the page): the block translated there, when it is in the page (so the
 * translation and execute permission the executor checked hold there too, and so does the
 * instruction set: a change sets cpu.blockBreak), nothing asks the executor to look, the block is
 * not left inside an IT block (blocks are entered outside them), and the run's budget holds it.
 */
const chainedBlock = new Function('cpu', 'pageBlocks', 'offset', `"use strict";
if (!(${FREE}) || cpu.itState !== 0 || offset < 0 || offset >= 4096) return undefined;
const next = pageBlocks[offset >>> 1];
return next !== undefined && cpu.runUntil - cpu.instructionCount >= next.length ? next : undefined;`) as
  (cpu: Cpu, pageBlocks: readonly (TranslatedBlock | undefined)[], offset: number) => TranslatedBlock | undefined;

/**
 * The forward skips of a block: a localized conditional branch outside IT blocks whose target is
 * a later instruction of the block (not in an IT block), as an if-then compiles to. Taken, it
 * skips to that instruction inside the block instead of leaving it (a side exit). Skips nest (a
 * JavaScript labelled block each): one that would end past the end of one it is inside stays a
 * side exit. The target's index by the branch's.
 */
function forwardSkips(instrs: readonly BlockInstruction[], placed: readonly Placed[], pcReadOffset: number): Map<number, number> {
  const skips = new Map<number, number>();
  const targets: number[] = []; // of the skips around instruction i, innermost last
  instrs.forEach((instr, i) => {
    while (targets.length > 0 && targets[targets.length - 1]! <= i) targets.pop();
    const p = placed[i]!;
    if (!p.localized || p.effects !== Effects.Branch || instr.itState !== 0 || i === instrs.length - 1) return;
    const branchOffset = conditionalBranchOffset(instr.call!);
    if (branchOffset === undefined) return;
    const address = instr.offset + pcReadOffset + branchOffset;
    const target = instrs.findIndex((t, j) => j > i && t.offset === address && t.itState === 0);
    if (target < 0 || (targets.length > 0 && target > targets[targets.length - 1]!)) return;
    skips.set(i, target);
    targets.push(target);
  });
  return skips;
}

/** Whether the block ends in a direct branch to its own start: a loop, which runs its next pass in place. */
function loopsToItsStart(instrs: readonly BlockInstruction[], pcReadOffset: number): boolean {
  const last = instrs[instrs.length - 1]!;
  const branchOffset = last.call === undefined ? undefined : directBranchOffset(last.call);
  return branchOffset !== undefined && last.offset + pcReadOffset + branchOffset === 0;
}

/**
 * The statement that runs one instruction: the source of a semantics written as source, else its
 * semantics call written out with literal constants (semantics-call.ts), under its condition if
 * it has one; else a call of its closure `instr`.
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
  return call.condition === undefined ? source : underCondition(call.condition, source, call);
}

/**
 * `source`, the statements of `call`, run under condition `cond` (A8.3): without a branch when they
 * only compute registers and flags; a direct branch with its target computed either way.
 */
function underCondition(cond: number, source: string, call: SemanticsCall): string {
  const condition = conditionSource(cond);
  const offset = directBranchOffset(call);
  if (offset !== undefined) return conditionalBranchSource(source, String(offset), condition);
  const branchFree = call.inline !== undefined && call.effects === Effects.RegistersOnly ? branchFreeConditional(condition, source) : undefined;
  return branchFree ?? `if (${condition}) ${source}`;
}
