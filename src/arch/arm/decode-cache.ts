import type { TranslatedBlock } from './block-translator.js';
import type { Cpu } from './cpu.js';
import type { Instr } from './decode-table.js';
import type { PhysicalBus } from './physical-bus.js';

/** Decoding state that changes what the same bytes mean: ARM, or Thumb outside/inside an IT block. */
export const enum DecodeState {
  Arm = 0,
  Thumb = 1,
  ThumbInIt = 2,
  ThumbLastInIt = 3,
}
const STATE_COUNT = 4;

/** Decoded instructions of one 4 KiB physical page, indexed by halfword offset. */
export interface DecodedPage {
  readonly instrs: (Instr | undefined)[];
  /** Instruction length in bytes (2 or 4), parallel to `instrs`. */
  readonly sizes: Uint8Array;
  /**
   * Translated blocks by the halfword offset they start at;
   * allocated with the page's first block, as most pages never get one.
   */
  blocks: (TranslatedBlock | undefined)[] | undefined;
  /** How often the interpreter has started at each offset, until a block is translated there. */
  readonly heat: Uint16Array;
  /**
   * The 32-bit Thumb instruction at the page's last halfword, which ends in the next page, as last
   * decoded: with the MMU on it depends on that page's translation too, so it is not in `instrs`
   * but kept with the word it was decoded from, and used again while the fetch gives that word.
   */
  crossing: { readonly word: number; readonly instr: Instr } | undefined;
}

/** Pages by decode state, none made yet. */
function noPages(): ((DecodedPage | undefined)[] | undefined)[] {
  return new Array<(DecodedPage | undefined)[] | undefined>(STATE_COUNT).fill(undefined);
}

/** What the cache needs of a processor that runs its blocks: the flag that ends a running block. */
export type BlockRunner = Pick<Cpu, 'blockBreak'>;

/**
 * Decoded instructions cached by physical page and decode state, so each instruction word is
 * decoded once until its page is written. The CPU marks pages it caches in the bus's codePages
 * flags; a write to such a page drops the page (self-modifying code, program loading) and ends
 * the block each of its processors may be running, which may be the code just written. A bus has
 * one cache (its code flags are one set), shared by the machine's processors: it takes the bus's
 * codeWritten.
 */
export class DecodeCache {
  /**
   * The pages by decode state, each indexed by RAM page and made at its state's first page: a
   * lookup is one load, where a hash table probe showed among the costs of the interpreter's
   * loop (it looks a page up at every branch to another page).
   */
  private byState = noPages();
  private readonly ramBytes: number;
  /** Bumped whenever cached pages are dropped, so holders of a page know to look it up again. */
  generation = 0;
  /** Processors whose executors use this cache, and so run the blocks in its pages (addProcessor). */
  private readonly processors: BlockRunner[] = [];

  private readonly codePages: Uint8Array;
  private readonly ramBase: number;

  constructor(private readonly bus: Pick<PhysicalBus, 'codePages' | 'ramBase' | 'codeMarked' | 'codeWritten'>) {
    this.codePages = bus.codePages;
    this.ramBase = bus.ramBase;
    this.ramBytes = bus.codePages.length * 4096;
    bus.codeWritten = (page) => {
      this.invalidate(page);
      for (const cpu of this.processors) cpu.blockBreak = 1;
    };
  }

  /** Sets RAM page `ramPage`'s code flag, telling the bus's listeners when it was clear. */
  private markCode(ramPage: number): void {
    if (this.codePages[ramPage] !== 0) return;
    this.codePages[ramPage] = 1;
    for (const listener of this.bus.codeMarked) listener(ramPage);
  }

  /** The page for a physical address and state, created on first use; undefined outside RAM. */
  page(physicalAddress: number, state: DecodeState): DecodedPage | undefined {
    const offset = (physicalAddress - this.ramBase) >>> 0;
    if (offset >= this.ramBytes) return undefined;
    const ramPage = offset >>> 12;
    const pages = (this.byState[state] ??= new Array<DecodedPage | undefined>(this.codePages.length).fill(undefined));
    let page = pages[ramPage];
    if (page === undefined) {
      page = {
        instrs: new Array<Instr | undefined>(2048).fill(undefined),
        sizes: new Uint8Array(2048),
        blocks: undefined,
        heat: new Uint16Array(2048),
        crossing: undefined,
      };
      pages[ramPage] = page;
      this.markCode(ramPage);
    }
    return page;
  }

  /**
   * Marks the page of a physical address as code without decoding it, so that a write to it moves
   * the generation (an instruction decoded from the page before is then decoded again). Returns
   * false outside RAM, where writes are not seen.
   */
  watch(physicalAddress: number): boolean {
    const offset = (physicalAddress - this.ramBase) >>> 0;
    if (offset >= this.ramBytes) return false;
    this.markCode(offset >>> 12);
    return true;
  }

  /**
   * Forgets a written RAM page. A 32-bit Thumb instruction may start in the previous page and end
   * in this one, so that page's Thumb entries go too.
   */
  invalidate(ramPage: number): void {
    for (let s = 0; s < STATE_COUNT; s++) {
      const pages = this.byState[s];
      if (pages === undefined) continue;
      pages[ramPage] = undefined;
      if (s !== DecodeState.Arm && ramPage > 0) pages[ramPage - 1] = undefined;
    }
    this.codePages[ramPage] = 0;
    this.generation++;
  }

  /**
   * Adds a processor whose executor uses this cache. Blocks translated while one processor used
   * it may hold that processor's own state (the processor, its register file and RAM page caches
   * as constants: translateBlock's `alone`), so a second one drops them all.
   */
  addProcessor(cpu: BlockRunner): void {
    this.processors.push(cpu);
    if (this.processors.length === 2) this.clear();
  }

  /** Whether blocks in this cache run on one processor only. */
  get oneProcessor(): boolean {
    return this.processors.length <= 1;
  }

  clear(): void {
    this.byState = noPages();
    this.codePages.fill(0);
    this.generation++;
  }
}
