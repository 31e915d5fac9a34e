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

/** A processor's RAM page caches (DataAccess's). */
export type PageCaches = Pick<DataAccess, 'readEntries' | 'writeEntries'>;

/**
 * The page caches the fast path reads, by the name of their local: each processor's own. Bound as
 * constants of the block when one processor runs the machine's blocks (the engine then checks no
 * map of them in a loop's every pass: a Linux boot ran 3% faster), else read from the running
 * processor's DataAccess at entry.
 */
const PAGE_CACHES: Readonly<Record<string, keyof PageCaches>> = { ram_read: 'readEntries', ram_write: 'writeEntries' };

/**
 * Declarations for the block's head of the locals the fast paths in `body` read (a block entry
 * reads no page cache it does not use): the views of `ram` bound with `bind`, and the page caches,
 * `pageCaches` bound when the block runs on that processor alone.
 */
export function ramLocals(body: string, ram: RamViews, pageCaches: PageCaches | undefined, bind: (value: unknown) => string): string[] {
  const used = ([local]: [string, unknown]): boolean => body.includes(local);
  const caches = Object.entries(PAGE_CACHES).filter(used)
    .map(([local, field]) => `${local} = ${pageCaches === undefined ? `cpu.mem.${field}` : bind(pageCaches[field])}`);
  const views = Object.entries(RAM_VIEWS).filter(used).map(([local, field]) => `${local} = ${bind(ram[field])}`);
  return [`const ${[...caches, ...views].join(', ')};`, 'let ram_class = 0, ram_wideClass = 0, ram_offset = 0, ram_va = 0;'];
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
 * The words of an LDM or STM (accesses all alike, at one name plus literal offsets) share one
 * lookup, before the first of them: their range is in one page, or the block leaves (a range
 * that crosses a page end is rare, and the interpreter runs it).
 *
 * The miss path is kept free of operations the engine records types for (block-translator.ts):
 * code the engine optimised before it ever ran would throw that code away on its first miss.
 */
export function inlineRamAccesses(text: string, miss: string): string | undefined {
  const lines = text.split('\n');
  const accesses = lines.map(accessesIn);
  if (!accesses.every((a) => a !== undefined)) return undefined;
  const all = accesses.flat() as Access[];
  // No access after a write of a local, no line with two loads (each load's lookup goes before its line).
  let written = false;
  for (const [i, line] of lines.entries()) {
    const here = accesses[i]!;
    if (here.length > 0 && written) return undefined;
    if (here.filter((a) => a.kind === 'load').length > 1) return undefined;
    written ||= writesLocal(line);
  }
  const group = sharedPage(all);
  return lines.map((line, i) => {
    let lookup = '';
    let rewritten = '';
    let from = 0;
    for (const access of accesses[i]!) {
      const { kind, size, args } = access;
      const [view, shift] = VIEWS[size]!;
      const entries = kind === 'load' ? 'ram_read' : 'ram_write';
      let element = `${view}[ram_offset >>> ${shift}]`;
      let find: string;
      if (group === undefined) {
        find = lookupSource(entries, args[0]!, size, '', miss);
      } else {
        element = `${view}[(ram_offset + ${access.offset! - group.first}) >>> ${shift}]`;
        find = access === all[0] ? lookupSource(entries, `(${group.name} + ${group.first}) | 0`, size, ` && (ram_va & 0xfff) <= ${4096 - group.span}`, miss) : '';
      }
      rewritten += line.slice(from, access.start);
      if (kind === 'load') {
        lookup = find;
        rewritten += element;
      } else {
        rewritten += `${find}${element} = ${args[1]};`;
      }
      from = access.end;
    }
    return lookup + rewritten + line.slice(from);
  }).join('\n');
}

/** A plain load or store in a line of source: where it is, and its address's name and offset when it is NAME_PLUS_OFFSET. */
interface Access {
  readonly kind: 'load' | 'store';
  readonly size: string;
  readonly args: readonly string[];
  /** Its index in the line, and the index after it (after the `;` of a store). */
  readonly start: number;
  readonly end: number;
  readonly name: string | undefined;
  readonly offset: number | undefined;
}

/** An address `(name + offset) | 0`, or `name` (offset 0). */
const NAME_PLUS_OFFSET = /^(?:\((\w+) \+ (-?\d+)\) \| 0|(\w+))$/;

/** The accesses in `line`, undefined when one breaks the forms (its arguments, a store not a statement). */
function accessesIn(line: string): Access[] | undefined {
  const found: Access[] = [];
  try {
    for (let match = ACCESS.exec(line); match !== null; match = ACCESS.exec(line)) {
      const [call, kind, size] = match;
      const [args, close] = argumentsAt(line, match.index + call.length);
      if (args.length !== (kind === 'load' ? 1 : 2) || (kind === 'store' && line[close] !== ';')) return undefined;
      const address = NAME_PLUS_OFFSET.exec(args[0]!);
      found.push({
        kind: kind as 'load' | 'store', size: size!, args, start: match.index, end: kind === 'store' ? close + 1 : close,
        name: address === null ? undefined : address[1] ?? address[3], offset: address === null ? undefined : Number(address[2] ?? 0),
      });
    }
  } finally {
    ACCESS.lastIndex = 0;
  }
  return found;
}

/**
 * The one page the accesses of an LDM or STM share when they can: two or more, all loads or all
 * stores of one size, at one name plus offsets. Its name, the lowest offset, and the bytes the
 * accesses span from there.
 */
function sharedPage(accesses: readonly Access[]): { name: string; first: number; span: number } | undefined {
  const [head] = accesses;
  if (accesses.length < 2 || head?.name === undefined) return undefined;
  if (!accesses.every((a) => a.kind === head.kind && a.size === head.size && a.name === head.name)) return undefined;
  const offsets = accesses.map((a) => a.offset!);
  const first = Math.min(...offsets);
  return { name: head.name, first, span: Math.max(...offsets) - first + Number(head.size) / 8 };
}

/**
 * The lookup of `address` in `entries` for an access of `size` bits (also under `extra`, a further
 * condition of the hit), leaving by `miss` when it misses: `ram_va` the address, `ram_offset` its
 * RAM offset.
 */
function lookupSource(entries: string, address: string, size: string, extra: string, miss: string): string {
  const [, shift] = VIEWS[size]!;
  const classKey = shift === 0 ? 'ram_class' : 'ram_wideClass';
  return `ram_va = ${address}; if (!(${cachedPageHitSource(entries, 'ram_va', classKey, String(1 << shift))}${extra})) ${miss}\n` +
    `ram_offset = ${cachedPageOffsetSource(entries, 'ram_va')};\n`;
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
