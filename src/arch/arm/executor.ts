import { conditionPassed } from './condition.js';
import { ExceptionKind, type Cpu } from './cpu.js';
import { DecodeCache, DecodeState, type DecodedPage } from './decode-cache.js';
import type { DecodeContext, Instr } from './decode-table.js';
import { FaultStatus, GuestAbort } from './guest-abort.js';
import { faultStatusRegister } from './mmu/fault-status.js';
import { decodeA32, decodeT16, decodeT32, isT32Wide, undefinedInstruction } from './instruction-sets.js';

const CONTEXTS: readonly DecodeContext[] = [
  { inItBlock: false, lastInItBlock: false }, // Arm
  { inItBlock: false, lastInItBlock: false }, // Thumb
  { inItBlock: true, lastInItBlock: false }, // ThumbInIt
  { inItBlock: true, lastInItBlock: true }, // ThumbLastInIt
];

/** ITAdvance() (A2.5.2). */
function itAdvance(it: number): number {
  return (it & 7) === 0 ? 0 : (it & 0xe0) | ((it << 1) & 0x1f);
}

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
  /** The MMU's translation generation and the mode (PL0 or PL1 execute permission) of that fetch. */
  private recentTranslation = -1;
  private recentMode = -1;
  private recentPage: DecodedPage | undefined;

  /**
   * `cache`: the decoded-instruction cache to use. The processors of one machine share one (the
   * bus has one set of code-page flags, and a decoded instruction does not depend on which
   * processor runs it), so a write by any processor drops the page for all of them.
   */
  constructor(readonly cpu: Cpu, cache?: DecodeCache) {
    this.cache = cache ?? new DecodeCache(cpu.bus.codePages, cpu.bus.ramBase);
    const shared = this.cache;
    cpu.bus.codeWritten = (page) => shared.invalidate(page);
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
    while (cpu.instructionCount < cpu.runUntil && !cpu.stopRequested && !cpu.waitingForInterrupt) {
      try {
        while (cpu.instructionCount < cpu.runUntil && !cpu.stopRequested && !cpu.waitingForInterrupt) {
          if (cpu.interruptLines !== 0 && cpu.takePendingInterrupt()) continue;
          this.step();
        }
      } catch (e) {
        if (!(e instanceof GuestAbort)) throw e;
        this.takeAbort(e);
      }
    }
    return cpu.instructionCount - start;
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
        [instr, size] = this.decodeThumb(pc, state, page, slot);
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
      let instr = page?.instrs[slot];
      if (instr === undefined) {
        instr = decodeA32(cpu.mem.fetch32(pc), CONTEXTS[DecodeState.Arm]!);
        if (page !== undefined) {
          page.instrs[slot] = instr;
          page.sizes[slot] = 4;
        }
      }
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
    const mmu = cpu.mem.mmu;
    if (
      virtualPage === this.recentVirtualPage && state === this.recentState && this.cache.generation === this.recentGeneration &&
      mmu.generation === this.recentTranslation && cpu.mode === this.recentMode
    ) {
      return this.recentPage;
    }
    // Translation (and its execute permission check, which may raise a prefetch abort) first.
    const page = this.cache.page(cpu.mem.instructionPhysicalAddress(pc), state);
    this.recentVirtualPage = virtualPage;
    this.recentState = state;
    this.recentGeneration = this.cache.generation;
    this.recentTranslation = mmu.generation;
    this.recentMode = cpu.mode;
    this.recentPage = page;
    return page;
  }

  private decodeThumb(pc: number, state: DecodeState, page: DecodedPage | undefined, slot: number): [Instr, number] {
    const cpu = this.cpu;
    const hw1 = cpu.mem.fetch16(pc);
    let instr: Instr | null;
    let size: number;
    if (isT32Wide(hw1)) {
      const hw2 = cpu.mem.fetch16(pc + 2);
      instr = decodeT32((hw1 << 16) | hw2, CONTEXTS[state]!);
      size = 4;
    } else {
      instr = decodeT16(hw1, CONTEXTS[state]!);
      size = 2;
    }
    const result = instr ?? undefinedInstruction;
    // A 32-bit instruction whose second halfword is in the next page depends on that page's
    // translation too: it is not cached under the first page with the MMU on.
    if (page !== undefined && !(size === 4 && (pc & 0xfff) === 0xffe && cpu.mem.mmu.enabled)) {
      page.instrs[slot] = result;
      page.sizes[slot] = size;
    }
    return [result, size];
  }

  /**
   * Takes a synchronous abort for the instruction at cpu.pc (B1.9.7, B1.9.8): fault status in the
   * short-descriptor format (FS[4] at bit 10, domain at [7:4]) or, with TTBCR.EAE=1, the long one
   * (mmu/fault-status.ts), WnR at bit 11, and the faulting address. ExT (bit 12) is
   * IMPLEMENTATION DEFINED and left clear for external aborts, as QEMU leaves it.
   */
  private takeAbort(abort: GuestAbort): void {
    const cpu = this.cpu;
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
    cpu.pc = cpu.nextPc;
    cpu.instructionCount++;
  }
}
