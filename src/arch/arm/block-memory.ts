import { writesLocal } from './block-locals.js';
import { cachedPageHitSource, cachedPageOffsetSource, fastPathKeySource, type DataAccess } from './data-access.js';

/**
 * The RAM fast path of a translated block's loads and stores (block-translator.ts): a plain
 * access whose page is in the processor's RAM page cache (DataAccess) reads or writes the RAM
 * array in the block's own code, with the page cache and the RAM views read into locals once
 * per block; at a plain access that misses it the block leaves, and the instruction runs in the
 * interpreter, whose DataAccess call also fills the cache (inlineRamAccesses). Semantics source writes an
 * access as `cpu.mem.load<N>[Aligned](address)` or as the statement
 * `cpu.mem.store<N>[Aligned](address, value);`, its arguments pure expressions (names, literals,
 * arithmetic on them, no access), one statement to a line: the fast path evaluates the address
 * first, into the local `ram_va`.
 *
 * The lookup is DataAccess's own (cachedPageHitSource, cachedPageOffsetSource), with its keys (fastPathKeySource:
 * `ram_class` for bytes, `ram_wideClass` for halfwords and words): it misses an access that is
 * not naturally aligned (which may fault or cross a page), and halfwords and words while CPSR.E
 * is set. A page that holds decoded code has no store entry (DataAccess), so a store there misses
 * and goes the full way, which sees the code written.
 */

/** The machine's RAM as the fast path indexes it (DataAccess's views of the bus's). */
export type RamViews = Pick<DataAccess, 'ram' | 'ramHalves' | 'ramWords'>;

/**
 * The RAM views the fast path reads, by the name of their local. They are the
 * machine's, the same for every processor that runs the block, so they are constants of the
 * block (bound), whose length and data the engine can then take as known: Linux's zImage
 * decompressor ran 5-7% faster than with them read at each entry.
 */
const RAM_VIEWS: Readonly<Record<string, keyof RamViews>> = { ram_bytes: 'ram', ram_halves: 'ramHalves', ram_words: 'ramWords' };

/** The page caches the fast path reads, by the name of their local: each processor's own, read from the running one's DataAccess. */
const PAGE_CACHES: Readonly<Record<string, keyof DataAccess>> = { ram_read: 'readEntries', ram_write: 'writeEntries' };

/**
 * Declarations for the block's head of the locals the fast paths in `body` read (a block entry
 * reads no page cache it does not use), the views of `ram` bound with `bind`.
 */
export function ramLocals(body: string, ram: RamViews, bind: (value: unknown) => string): string[] {
  const used = ([local]: [string, unknown]): boolean => body.includes(local);
  const caches = Object.entries(PAGE_CACHES).filter(used).map(([local, field]) => `, ${local} = ram_mem.${field}`);
  const views = Object.entries(RAM_VIEWS).filter(used).map(([local, field]) => `, ${local} = ${bind(ram[field])}`);
  return [`const ram_mem = cpu.mem${caches.join('')}${views.join('')};`, 'let ram_class = 0, ram_wideClass = 0, ram_offset = 0, ram_va = 0;'];
}

/** The statement that reads the class keys (again after an instruction that may change the mode or CPSR.E). */
export const LOAD_RAM_CLASS = `ram_class = ${fastPathKeySource('cpu', '1')}; ram_wideClass = ${fastPathKeySource('cpu', '4')};`;

/** The RAM view and index shift of each access size. */
const VIEWS: Record<string, readonly [string, number]> = { '8': ['ram_bytes', 0], '16': ['ram_halves', 1], '32': ['ram_words', 2] };

const ACCESS = /\bcpu\.mem\.(load|store)(8|16|32)(Aligned)?\(/g;

/** Whether `text` has a load or store inlineRamAccesses gives the fast path. */
export function hasRamAccess(text: string): boolean {
  const found = ACCESS.test(text);
  ACCESS.lastIndex = 0;
  return found;
}

/**
 * `text` (an instruction's localized source) with its plain loads and stores given the RAM fast
 * path, and `miss` (a statement that leaves the block) where an access misses it: the block
 * leaves before the instruction, which the interpreter then runs (DataAccess takes the access
 * the full way, fills the page cache, raises its abort). A load is an expression: its lookup
 * goes before the statement (line) it is in, which may hold one; a store is a statement. So the
 * instruction must write no register or flag before its last access (it runs again from its
 * start: a store done before a later one missed is done again, to the same RAM, with the same
 * value). Undefined when `text` breaks these forms.
 *
 * The miss path is kept free of operations the engine records types for (block-translator.ts):
 * code the engine optimised before it ever ran would throw that code away on its first miss.
 */
export function inlineRamAccesses(text: string, miss: string): string | undefined {
  const lines = text.split('\n');
  const out: string[] = [];
  let written = false;
  for (const line of lines) {
    let lookup = '';
    let rewritten = '';
    let from = 0;
    for (let match = ACCESS.exec(line); match !== null; match = ACCESS.exec(line)) {
      const [name, kind, size] = match;
      const [args, end] = argumentsAt(line, match.index + name.length);
      const [view, shift] = VIEWS[size!]!;
      const bytes = String(1 << shift);
      const classKey = shift === 0 ? 'ram_class' : 'ram_wideClass';
      const element = `${view}[ram_offset >>> ${shift}]`;
      rewritten += line.slice(from, match.index);
      if (written || args.length !== (kind === 'load' ? 1 : 2)) return abandon();
      if (kind === 'load') {
        if (lookup !== '') return abandon();
        lookup = `ram_va = ${args[0]}; if (!(${cachedPageHitSource('ram_read', 'ram_va', classKey, bytes)})) ${miss}\n` +
          `ram_offset = ${cachedPageOffsetSource('ram_read', 'ram_va')};\n`;
        rewritten += element;
        from = end;
      } else {
        if (line[end] !== ';') return abandon();
        rewritten += `ram_va = ${args[0]}; if (!(${cachedPageHitSource('ram_write', 'ram_va', classKey, bytes)})) ${miss} ` +
          `ram_offset = ${cachedPageOffsetSource('ram_write', 'ram_va')}; ${element} = ${args[1]};`;
        from = end + 1;
      }
    }
    ACCESS.lastIndex = 0;
    rewritten += line.slice(from);
    written ||= writesLocal(rewritten);
    out.push(lookup + rewritten);
  }
  return out.join('\n');
}

function abandon(): undefined {
  ACCESS.lastIndex = 0;
  return undefined;
}

/** The comma-separated arguments of a call whose `(` ends just before `start`, and the index after its `)`. */
function argumentsAt(text: string, start: number): [string[], number] {
  const args: string[] = [];
  let depth = 0;
  let from = start;
  for (let i = start; i < text.length; i++) {
    const c = text[i];
    if (c === '(') depth++;
    else if (c === ')' && depth > 0) depth--;
    else if (c === ',' && depth === 0) {
      args.push(text.slice(from, i).trim());
      from = i + 1;
    } else if (c === ')') {
      args.push(text.slice(from, i).trim());
      return [args, i + 1];
    }
  }
  throw new Error(`unbalanced call in semantics source: ${text.slice(start)}`);
}
