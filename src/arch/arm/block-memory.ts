import { cachedOffsetSource } from './data-access.js';

/**
 * The RAM fast path of a translated block's loads and stores (block-translator.ts): a plain
 * access whose page is in the processor's RAM page cache (DataAccess) reads or writes the RAM
 * array in the block's own code, with the page cache and the RAM views read into locals once
 * per block; any other access calls DataAccess as the interpreter does, which also fills the
 * cache. Semantics source writes an access as `cpu.mem.load<N>[Aligned](address)` or as the
 * statement `cpu.mem.store<N>[Aligned](address, value);`, its arguments pure expressions (names,
 * literals, arithmetic on them): the fast path reads the address more than once.
 *
 * The lookup is DataAccess's own (cachedOffsetSource), and the tests the fast path adds are
 * those DataAccess makes before it: natural alignment (an unaligned access may fault or cross
 * a page), little-endian data for halfwords and words (their class key `ram_wideClass` is 3,
 * no class, while CPSR.E is set), and no decoded code in a stored page (the store goes the full
 * way, which sees the code written).
 */

/** The locals the fast path reads, as declarations for the block's head. */
export const RAM_LOCALS = [
  'const ram_mem = cpu.mem, ram_read = ram_mem.readEntries, ram_write = ram_mem.writeEntries;',
  'const ram_bytes = ram_mem.ram, ram_halves = ram_mem.ramHalves, ram_words = ram_mem.ramWords, ram_code = ram_mem.codePages;',
  'let ram_class = 0, ram_wideClass = 0, ram_offset = 0;',
];

/** The statement that reads the class keys (again after an instruction that may change the mode or CPSR.E). */
export const LOAD_RAM_CLASS = 'ram_class = cpu.accessClass; ram_wideClass = cpu.bigEndianData === 0 ? ram_class : 3;';

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
 * `text` with its plain loads and stores given the RAM fast path, `beforeCall` (an expression)
 * evaluated before an access goes the full way.
 */
export function inlineRamAccesses(text: string, beforeCall: string): string {
  let out = '';
  let from = 0;
  for (let match = ACCESS.exec(text); match !== null; match = ACCESS.exec(text)) {
    const [name, kind, size, aligned] = match;
    const [args, end] = argumentsAt(text, match.index + name.length);
    const [view, shift] = VIEWS[size!]!;
    const address = `(${args[0]})`;
    const alignment = shift === 0 ? '' : `(${address} & ${(1 << shift) - 1}) === 0 && `;
    const call = `ram_mem.${kind}${size}${aligned ?? ''}(${args.join(', ')})`;
    const classKey = shift === 0 ? 'ram_class' : 'ram_wideClass';
    const element = `${view}[ram_offset >>> ${shift}]`;
    out += text.slice(from, match.index);
    if (kind === 'load') {
      const hit = `${alignment}(ram_offset = ${cachedOffsetSource('ram_read', address, classKey)}) >= 0`;
      out += `(${hit} ? ${element} : (${beforeCall}, ${call}))`;
      from = end;
    } else {
      if (text[end] !== ';') throw new Error(`semantics source stores other than as a statement: ${text.slice(match.index, end + 1)}`);
      const hit = `${alignment}(ram_offset = ${cachedOffsetSource('ram_write', address, classKey)}) >= 0 && ram_code[ram_offset >>> 12] === 0`;
      out += `if (${hit}) ${element} = ${args[1]}; else { ${beforeCall}; ${call}; }`;
      from = end + 1;
    }
  }
  ACCESS.lastIndex = 0;
  return out + text.slice(from);
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
