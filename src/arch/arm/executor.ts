import { conditionPassed, itAdvance } from './condition.js';
import { ExceptionKind, type Cpu } from './cpu.js';
import { DecodeCache, DecodeState, type DecodedPage } from './decode-cache.js';
import type { DecodeContext, Instr } from './decode-table.js';
import { FaultStatus, GuestAbort } from './guest-abort.js';
import { faultStatusRegister } from './mmu/fault-status.js';
import { abortGoesToHyp, takeAbortToHyp } from './hyp/aborts.js';
import { decodeA32, decodeT16, decodeT32, endsBlockA32, endsBlockThumb, undefinedInstruction } from './instruction-sets.js';
import { isT32Wide } from './thumb-width.js';
import { MAX_BLOCK_INSTRUCTIONS, MISSED_ACCESS, translateBlock, type BlockInstruction, type TranslatedBlock } from './block-translator.js';
import { alwaysWritesPc, describeDecoding, type SemanticsCall } from './semantics-call.js';
import { ifThenState } from './isa-control/semantics-hint.js';
import { conditionalBranchOffset, unconditionalBranchOffset } from './isa-control/semantics-branch.js';

const CONTEXTS: readonly DecodeContext[] = [
  { inItBlock: false, lastInItBlock: false }, // Arm
  { inItBlock: false, lastInItBlock: false }, // Thumb
  { inItBlock: true, lastInItBlock: false }, // ThumbInIt
  { inItBlock: true, lastInItBlock: true }, // ThumbLastInIt
];

/**
 * Times the interpreter starts at an address before a block is translated there, by default.
 * Translating a block (generating its source and compiling it) costs 0.1 to 0.5 ms, what the
 * interpreter spends on some hundreds of runs of it, and the engine optimises it later still:
 * code run fewer times than this gains nothing from a block. Booting Linux (bench/linux-boot.ts
 * under `--stats`, one run each) took 56.9 s at 250, 53.0 s at 1000, 52.0 s at 2000 and 51.7 s
 * at 4000; with blocks' RAM fast path, 21.5 s at 1000 and 20.4 s at 2000; with one-instruction
 * blocks and chaining in the page (alternating runs), 18.5 s at 2000, 18.0 s at 3000 and 17.7 s at
 * 4000, the engine's threads also compiling less.
 */
const HOT_THRESHOLD = 4000;

/** Entries of the jump cache (direct mapped by virtual PC). */
const JUMP_CACHE_ENTRIES = 4096;
const JUMP_CACHE_MASK = JUMP_CACHE_ENTRIES - 1;

/**
 * Runs a processor: fetches at the PC, finds the decoded instruction in the cache (decoding on a
 * miss), applies the condition of an IT block, runs it, and takes the synchronous aborts its
 * memory accesses raise. Each executed instruction, condition failed or not, is counted.
 */
export class Executor {
  readonly cache: DecodeCache;
  /**
   * The decoded page of the last fetch, by virtual page and decode state: consecutive
   * instructions are almost always in one page, so most fetches skip translation and lookup.
   */
  private recentVirtualPage = -1;
  private recentState = -1;
  private recentGeneration = -1;
  /** The mode (PL0 or PL1 execute permission) of that fetch. A change of translation forgets the page (-1). */
  private recentMode = -1;
  private recentPage: DecodedPage | undefined;
  /**
   * The last 32-bit Thumb instruction decoded across a page end with the MMU on (decodeThumb):
   * its PC (-1 when none), decode state, access class and DecodeCache generation. It holds while
   * they do and neither page's translation changed (Mmu.observers forget it); a write to either
   * page moves the generation (the second page is marked as code). A loop that runs across the
   * page end then skips both fetches, each a full translation.
   */
  private crossingPc = -1;
  private crossingState = -1;
  private crossingClass = -1;
  private crossingGeneration = -1;
  private crossingInstr: Instr = undefinedInstruction;
  /** The size in bytes (2 or 4) of the instruction decodeThumb decoded last. */
  private decodedSize = 2;
  /** Starts at an address before a block is translated there (1 to 65535: heat is a halfword). */
  hotThreshold = HOT_THRESHOLD;
  /**
   * The jump cache, as QEMU's tb_jmp_cache: translated blocks by virtual PC, so that a block
   * entered again (a return, an indirect branch, a call into another page) is found without
   * translating its PC and looking its physical page up. A tag is the PC with bit 0 = Thumb,
   * with the access class (PL0 or PL1 execute permission) beside it; every entry is dropped when
   * decoded pages were dropped (DecodeCache.generation) or a translation of a 1 MiB region it
   * holds blocks in may have changed (Mmu.observers), so a hit is exactly the block the full
   * lookup would find. An empty entry has the class -1, which no access class is (every tag is
   * some PC's).
   */
  private readonly jumpTags = new Int32Array(JUMP_CACHE_ENTRIES);
  private readonly jumpClasses = new Int8Array(JUMP_CACHE_ENTRIES).fill(-1);
  private readonly jumpBlocks = new Array<TranslatedBlock | undefined>(JUMP_CACHE_ENTRIES).fill(undefined);
  private jumpGeneration = -1;
  /** By VA[31:20], 1 where the jump cache may hold blocks: TLB maintenance elsewhere leaves it be. */
  private readonly jumpRegions = new Uint8Array(4096);

  /**
   * `cache`: the decoded-instruction cache to use. The processors of one machine share one (the
   * bus has one set of code-page flags, and a decoded instruction does not depend on which
   * processor runs it), so a write by any processor drops the page for all of them.
   */
  constructor(readonly cpu: Cpu, cache?: DecodeCache) {
    this.cache = cache ?? new DecodeCache(cpu.bus);
    this.cache.addProcessor(cpu);
    cpu.runCrossingInstruction = (state) => this.crossingInstruction(cpu.pc, state)(cpu);
    cpu.mem.mmu.observers.push({
      translationsChanged: () => {
        this.recentVirtualPage = -1;
        this.crossingPc = -1;
        this.dropJumpCache();
      },
      pagesChanged: (firstPage, pages) => {
        if (this.recentVirtualPage >= firstPage && this.recentVirtualPage < firstPage + pages) this.recentVirtualPage = -1;
        // Its two pages: the one it starts in and the next.
        const crossingPage = this.crossingPc >>> 12;
        if (this.crossingPc !== -1 && crossingPage + 1 >= firstPage && crossingPage < firstPage + pages) this.crossingPc = -1;
        for (let region = firstPage >>> 8; region <= (firstPage + pages - 1) >>> 8; region++) {
          if (this.jumpRegions[region] !== 0) {
            this.dropJumpCache();
            return;
          }
        }
      },
    });
  }

  /**
   * Runs up to `budget` instructions (fewer if the machine lowers cpu.runUntil meanwhile); stops
   * early on WFI/WFE or a stop request. At each instruction boundary an asserted, unmasked IRQ or
   * FIQ input is taken first (B1.8.6). Returns the count run.
   */
  run(budget: number): number {
    const cpu = this.cpu;
    const start = cpu.instructionCount;
    cpu.runUntil = start + budget;
    while (cpu.instructionCount < cpu.runUntil && cpu.stopRequested === 0 && !cpu.waitingForInterrupt) {
      try {
        while (cpu.instructionCount < cpu.runUntil && cpu.stopRequested === 0 && !cpu.waitingForInterrupt) {
          if (cpu.interruptLines !== 0 && cpu.takePendingInterrupt()) continue;
          if (!this.runBlock()) this.interpret();
        }
      } catch (e) {
        if (!(e instanceof GuestAbort)) throw e;
        this.takeAbort(e);
      }
    }
    return cpu.instructionCount - start;
  }

  /** Runs the translated block at the PC, if there is one and it fits in the run's budget. Returns whether a block ran. */
  private runBlock(): boolean {
    const cpu = this.cpu;
    let block = this.cachedBlock(cpu.pc, cpu.thumb);
    if (block === undefined) {
      block = this.lookUpBlock();
      if (block === undefined) return false;
    }
    if (cpu.runUntil - cpu.instructionCount < block.length) return false;
    cpu.blockBreak = 0;
    let next = block.run(cpu);
    while (next !== undefined) {
      // A load or store missed the RAM fast path: its instruction runs here, the full way.
      if (next === MISSED_ACCESS) {
        this.step();
        break;
      }
      next = next.run(cpu); // chained blocks (block-translator.ts)
    }
    return true;
  }

  /** The jump cache's block for `pc` in the current state, if it holds one (never inside an IT block). */
  private cachedBlock(pc: number, thumb: number): TranslatedBlock | undefined {
    const i = (pc >>> 1) & JUMP_CACHE_MASK;
    if (this.jumpTags[i] !== (pc | thumb) || this.jumpClasses[i] !== this.cpu.accessClass || this.cpu.itState !== 0) return undefined;
    if (this.cache.generation !== this.jumpGeneration) return undefined;
    return this.jumpBlocks[i];
  }

  /**
   * The translated block at the PC through its decoded page, entered in the jump cache; else
   * counts the PC's heat and translates a block there once it is hot. Blocks start only outside
   * IT blocks (the IT state is not translated).
   */
  private lookUpBlock(): TranslatedBlock | undefined {
    const cpu = this.cpu;
    const pc = cpu.pc;
    const thumb = cpu.thumb !== 0;
    if (thumb ? cpu.itState !== 0 : (pc & 3) !== 0) return undefined;
    const page = this.decodedPage(pc, thumb ? DecodeState.Thumb : DecodeState.Arm);
    if (page === undefined) return undefined;
    const slot = (pc & 0xfff) >>> 1;
    const block = page.blocks?.[slot];
    if (block === undefined) {
      if (++page.heat[slot]! === this.hotThreshold) (page.blocks ??= new Array(2048))[slot] = this.translate(pc, thumb, page);
      return undefined;
    }
    this.enterJumpCache(pc, cpu.thumb, block);
    return block;
  }

  private enterJumpCache(pc: number, thumb: number, block: TranslatedBlock): void {
    const generation = this.cache.generation;
    if (generation !== this.jumpGeneration) {
      this.dropJumpCache();
      this.jumpGeneration = generation;
    }
    const i = (pc >>> 1) & JUMP_CACHE_MASK;
    this.jumpTags[i] = pc | thumb;
    this.jumpClasses[i] = this.cpu.accessClass;
    this.jumpBlocks[i] = block;
    this.jumpRegions[pc >>> 20] = 1;
  }

  private dropJumpCache(): void {
    this.jumpClasses.fill(-1);
    this.jumpRegions.fill(0);
  }

  /**
   * Translates the block at `pc`: decoded instructions up to one that ends a block
   * (endsBlockA32/endsBlockThumb) or always writes the PC (alwaysWritesPc: a return such as POP
   * {..., pc}, after which the code is another entry point), the end of the page, or
   * MAX_BLOCK_INSTRUCTIONS. A 32-bit Thumb instruction that crosses into the next page ends
   * the block too, run as a barrier (crossingInstruction). Each instruction is decoded once
   * more to learn its semantics call (semantics-call.ts). An IT instruction's ITSTATE is known
   * here, so the instructions of its IT block are decoded in IT state and carry the ITSTATE
   * they run in. A block may be a single instruction: an entry point such as the BL or the POP
   * {..., pc} a return lands on, which the interpreter would otherwise run at every entry after
   * looking for a block in vain.
   */
  private translate(pc: number, thumb: boolean, page: DecodedPage): TranslatedBlock {
    const cpu = this.cpu;
    const instrs: BlockInstruction[] = [];
    let address = pc;
    let ends = false;
    let it = 0;
    do {
      const slot = (address & 0xfff) >>> 1;
      let size: number;
      let call: SemanticsCall | undefined;
      let instr: Instr;
      if (thumb) {
        const hw1 = cpu.mem.fetch16(address);
        const wide = isT32Wide(hw1);
        const state = it === 0 ? DecodeState.Thumb : (it & 0xf) === 8 ? DecodeState.ThumbLastInIt : DecodeState.ThumbInIt;
        if (wide && (address & 0xfff) === 0xffe) {
          // Run through the running processor's executor: blocks are shared by a machine's processors.
          const crossing: Instr = (c) => c.runCrossingInstruction(state);
          instrs.push({ instr: crossing, size: 4, call: undefined, itState: it, offset: address - pc });
          break;
        }
        const word = wide ? (hw1 << 16) | cpu.mem.fetch16(address + 2) : hw1;
        const ctx = CONTEXTS[state]!;
        const decode = (): Instr => (wide ? decodeT32(word, ctx) : decodeT16(word, ctx)) ?? undefinedInstruction;
        if (it === 0) {
          if (page.instrs[slot] === undefined) this.decodeThumb(address, DecodeState.Thumb, page, slot);
          instr = page.instrs[slot]!;
        } else {
          instr = decode();
        }
        size = wide ? 4 : 2;
        call = describeDecoding(decode);
        ends = endsBlockThumb(word, wide) || (it === 0 && call !== undefined && alwaysWritesPc(call));
      } else {
        const word = cpu.mem.fetch32(address);
        if (page.instrs[slot] === undefined) {
          page.instrs[slot] = decodeA32(word, CONTEXTS[DecodeState.Arm]!);
          page.sizes[slot] = 4;
        }
        instr = page.instrs[slot]!;
        size = 4;
        call = describeDecoding(() => decodeA32(word, CONTEXTS[DecodeState.Arm]!));
        ends = endsBlockA32(word) || (call !== undefined && alwaysWritesPc(call));
      }
      // A conditional forward branch is a side exit: the block goes on with its fall-through. A
      // backward one, mostly a loop's back edge and mostly taken, ends it.
      const sideExit = it === 0 && call !== undefined ? conditionalBranchOffset(call) : undefined;
      if (sideExit !== undefined && (thumb ? 4 : 8) + sideExit > 0) ends = false;
      instrs.push({ instr, size, call, itState: it, offset: address - pc });
      // An unconditional forward branch to the same page is followed: the block goes on at its target.
      const jump = it === 0 && call !== undefined ? unconditionalBranchOffset(call) : undefined;
      const target = jump === undefined ? 0 : address + (thumb ? 4 : 8) + jump;
      it = it !== 0 ? itAdvance(it) : (call === undefined ? undefined : ifThenState(call)) ?? 0;
      if (jump !== undefined && target > address && target >>> 12 === pc >>> 12) {
        address = target;
        ends = false;
      } else {
        address += size;
      }
      if (ends) break;
    } while (instrs.length < MAX_BLOCK_INSTRUCTIONS && (address & 0xfff) !== 0);
    // The block's other instructions may have heat of their own (control arrived there too, or
    // an interpreted run started there); left as it is, some would turn hot along with the
    // block's start and be translated again as blocks of their own. Inside the block they are
    // reached through it: their heat counts anew, from entries from elsewhere only.
    for (const { offset } of instrs.slice(1)) page.heat[((pc + offset) & 0xfff) >>> 1] = 0;
    return translateBlock(instrs, thumb, { pageBlocks: page.blocks!, pageOffset: pc & 0xfff }, cpu.mem, this.cache.oneProcessor ? cpu : undefined);
  }

  /**
   * Interprets from the PC along a straight line: up to MAX_BLOCK_INSTRUCTIONS, while each
   * instruction goes on to the next one in its page and nothing asks run() to look (an interrupt
   * input, a stop, the budget). A block can start only where run() looks, so heat is counted at
   * the places control arrives at (branch targets, block exits, the start of a page run into),
   * as blocks are entered, and not again at every instruction of a cold path. (A line that ran
   * on into the next page would keep a hot path there interpreted: one entered from a 32-bit
   * Thumb instruction that crosses the page, where no block starts.)
   */
  private interpret(): void {
    const cpu = this.cpu;
    if (cpu.thumb === 0 && (cpu.pc & 3) === 0) {
      const page = this.decodedPage(cpu.pc, DecodeState.Arm);
      if (page !== undefined) {
        this.interpretArm(page);
        return;
      }
    }
    for (let n = 0; n < MAX_BLOCK_INSTRUCTIONS; n++) {
      const pc = cpu.pc;
      this.step();
      const advance = cpu.pc - pc;
      if (advance <= 0 || advance > 4 || (cpu.pc ^ pc) >>> 12 !== 0) return;
      if (this.runMustLook()) return;
    }
  }

  /** Whether run() must look before the next instruction: an interrupt input, a stop request, WFI/WFE, or the budget's end. */
  private runMustLook(): boolean {
    const cpu = this.cpu;
    return cpu.interruptLines !== 0 || cpu.stopRequested !== 0 || cpu.waitingForInterrupt || cpu.instructionCount >= cpu.runUntil;
  }

  /**
   * interpret() in ARM state from a PC in RAM: `page` is the PC's decoded page, looked up once for
   * the line. Each following instruction comes from it while nothing decodedPage depends on has
   * moved: the PC's translation (recentVirtualPage, forgotten by Mmu.observers), the decoded pages
   * (DecodeCache.generation: a write to code), the mode (execute permission) and the instruction
   * set (an exception return may change it and go on at the next address). Thumb lines keep
   * step(): a loop like this one for them made the Linux boot slower in alternating runs.
   */
  private interpretArm(page: DecodedPage): void {
    const cpu = this.cpu;
    const r = cpu.r;
    const instrs = page.instrs;
    const virtualPage = cpu.pc >>> 12;
    const generation = this.cache.generation;
    const mode = cpu.mode;
    let pc = cpu.pc;
    for (let n = 0; n < MAX_BLOCK_INSTRUCTIONS; n++) {
      const slot = (pc & 0xfff) >>> 1;
      const instr = instrs[slot] ?? this.decodeArm(pc, page, slot);
      r[15] = pc + 8;
      cpu.nextPc = pc + 4;
      instr(cpu);
      const next = cpu.nextPc;
      cpu.pc = next;
      cpu.instructionCount++;
      if (next !== pc + 4 || (next & 0xfff) === 0) return;
      if (this.runMustLook()) return;
      if (cpu.thumb !== 0 || this.recentVirtualPage !== virtualPage || this.cache.generation !== generation || cpu.mode !== mode) return;
      pc = next;
    }
  }

  /** Executes one instruction. Throws GuestAbort for a synchronous abort (see run()). */
  step(): void {
    const cpu = this.cpu;
    const pc = cpu.pc;
    if (cpu.thumb) {
      const it = cpu.itState;
      const state = it === 0 ? DecodeState.Thumb : (it & 0xf) === 8 ? DecodeState.ThumbLastInIt : DecodeState.ThumbInIt;
      const page = this.decodedPage(pc, state);
      const slot = (pc & 0xfff) >>> 1;
      let instr = page?.instrs[slot];
      let size: number;
      if (instr === undefined) {
        instr = this.decodeThumb(pc, state, page, slot);
        size = this.decodedSize;
      } else {
        size = page!.sizes[slot]!;
      }
      cpu.r[15] = pc + 4;
      cpu.nextPc = pc + size;
      if (it === 0) {
        instr(cpu);
      } else {
        cpu.itAdvance = true;
        if (conditionPassed(cpu, it >>> 4)) instr(cpu);
        if (cpu.itAdvance) cpu.itState = itAdvance(it);
      }
    } else {
      // A PC that is not word aligned in ARM state takes a PC alignment fault, as QEMU does.
      if ((pc & 3) !== 0) throw new GuestAbort(true, FaultStatus.Alignment, pc, false);
      const page = this.decodedPage(pc, DecodeState.Arm);
      const slot = (pc & 0xfff) >>> 1;
      const instr = page?.instrs[slot] ?? this.decodeArm(pc, page, slot);
      cpu.r[15] = pc + 8;
      cpu.nextPc = pc + 4;
      instr(cpu);
    }
    cpu.pc = cpu.nextPc;
    cpu.instructionCount++;
  }

  private decodedPage(pc: number, state: DecodeState): DecodedPage | undefined {
    const virtualPage = pc >>> 12;
    const cpu = this.cpu;
    if (
      virtualPage === this.recentVirtualPage && state === this.recentState && this.cache.generation === this.recentGeneration &&
      cpu.mode === this.recentMode
    ) {
      return this.recentPage;
    }
    // Translation (and its execute permission check, which may raise a prefetch abort) first.
    const page = this.cache.page(cpu.mem.instructionPhysicalAddress(pc), state);
    this.recentVirtualPage = virtualPage;
    this.recentState = state;
    this.recentGeneration = this.cache.generation;
    this.recentMode = cpu.mode;
    this.recentPage = page;
    return page;
  }

  /**
   * The 32-bit Thumb instruction at `pc` (a page's last halfword) that crosses into the next
   * page, as the interpreter decodes it: through the translation of each page now, the decoding
   * kept with the word it came from (DecodedPage.crossing). A block runs it so (as a barrier),
   * since what it holds of the next page, its translation and contents, may change.
   */
  private crossingInstruction(pc: number, state: DecodeState): Instr {
    return this.decodeThumb(pc, state, this.decodedPage(pc, state), (pc & 0xfff) >>> 1);
  }

  /** Decodes the Thumb instruction at `pc`, kept in `page` when there is one; its size goes to decodedSize (no tuple per decode). */
  private decodeThumb(pc: number, state: DecodeState, page: DecodedPage | undefined, slot: number): Instr {
    const cpu = this.cpu;
    if (
      pc === this.crossingPc && state === this.crossingState && cpu.accessClass === this.crossingClass &&
      this.cache.generation === this.crossingGeneration
    ) {
      this.decodedSize = 4;
      return this.crossingInstr;
    }
    const hw1 = cpu.mem.fetch16(pc);
    if (!isT32Wide(hw1)) {
      const instr = decodeT16(hw1, CONTEXTS[state]!) ?? undefinedInstruction;
      if (page !== undefined) {
        page.instrs[slot] = instr;
        page.sizes[slot] = 2;
      }
      this.decodedSize = 2;
      return instr;
    }
    const word = (hw1 << 16) | cpu.mem.fetch16(pc + 2);
    // One whose second halfword is in the next page is kept apart with the MMU on (DecodedPage.crossing).
    const crossing = (pc & 0xfff) === 0xffe && cpu.mem.mmu.enabled;
    this.decodedSize = 4;
    if (page !== undefined && crossing) {
      if (page.crossing?.word !== word) page.crossing = { word, instr: decodeT32(word, CONTEXTS[state]!) ?? undefinedInstruction };
      this.rememberCrossing(pc, state, page.crossing.instr);
      return page.crossing.instr;
    }
    const instr = decodeT32(word, CONTEXTS[state]!) ?? undefinedInstruction;
    if (page !== undefined) {
      page.instrs[slot] = instr;
      page.sizes[slot] = 4;
    }
    return instr;
  }

  /** Decodes the A32 instruction at `pc`, kept in `page` when there is one. */
  private decodeArm(pc: number, page: DecodedPage | undefined, slot: number): Instr {
    const instr = decodeA32(this.cpu.mem.fetch32(pc), CONTEXTS[DecodeState.Arm]!);
    if (page !== undefined) {
      page.instrs[slot] = instr;
      page.sizes[slot] = 4;
    }
    return instr;
  }

  /** Makes `instr`, just fetched and decoded at `pc` across the page end, the crossing instruction held (crossingPc). */
  private rememberCrossing(pc: number, state: DecodeState, instr: Instr): void {
    const cpu = this.cpu;
    // A write to the second page must move the generation: mark it as code (the first page already is).
    if (!this.cache.watch(cpu.mem.instructionPhysicalAddress(pc + 2))) return;
    this.crossingPc = pc;
    this.crossingState = state;
    this.crossingClass = cpu.accessClass;
    this.crossingGeneration = this.cache.generation;
    this.crossingInstr = instr;
  }

  /**
   * Takes a synchronous abort for the instruction at cpu.pc (B1.9.7, B1.9.8): fault status in the
   * short-descriptor format (FS[4] at bit 10, domain at [7:4]) or, with TTBCR.EAE=1, the long one
   * (mmu/fault-status.ts), WnR at bit 11, and the faulting address. ExT (bit 12) is
   * IMPLEMENTATION DEFINED and left clear for external aborts, as QEMU leaves it. Stage 2 faults,
   * and aborts in Hyp mode or routed there, go to Hyp mode with their syndrome (hyp/aborts.ts).
   */
  private takeAbort(abort: GuestAbort): void {
    const cpu = this.cpu;
    if (abortGoesToHyp(cpu, abort)) {
      takeAbortToHyp(cpu, abort);
    } else {
      const fsr = faultStatusRegister(abort.faultStatus, abort.domain, abort.level, cpu.cp15.ttbcr);
      if (abort.isPrefetch) {
        cpu.cp15.ifsr = fsr;
        cpu.cp15.ifar = abort.address;
        cpu.takeException(ExceptionKind.PrefetchAbort);
      } else {
        cpu.cp15.dfsr = fsr | (abort.isWrite ? 1 << 11 : 0);
        cpu.cp15.dfar = abort.address;
        cpu.takeException(ExceptionKind.DataAbort);
      }
    }
    cpu.pc = cpu.nextPc;
    cpu.instructionCount++;
  }
}
