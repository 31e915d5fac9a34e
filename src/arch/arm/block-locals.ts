/**
 * The guest state a translated block keeps in JavaScript locals (block-translator.ts): R0-R14
 * and the N, Z, C, V flags, which the engine can then hold in machine registers instead of
 * reading and writing `cpu.r` and `cpu`'s fields at every instruction. A local is named as its
 * state is written in semantics source (semantics-call.ts): `r4` for `r[4]`, `cf` for `cpu.cf`.
 *
 * Localizing rewrites an instruction's source to use the locals. The source rules it relies on
 * are those of Source: registers read as `r[n]` and written as a statement `r[n] = expression;`,
 * flags read and written as `cpu.nf` (0 or 1), the next PC as `cpu.nextPc`, all with literal
 * register numbers once the operands are filled in.
 */

/** A local: `r0`-`r14`, `nf`, `zf`, `cf` or `vf`. */
export type Local = string;

export interface LocalizedSource {
  readonly text: string;
  /** Locals the text reads or writes. */
  readonly used: ReadonlySet<Local>;
  /** Locals the text may write. */
  readonly written: ReadonlySet<Local>;
}

const REGISTER_WRITE = /\br\[(\d+)\] = ([^;]+);/g;
const REGISTER = /\br\[(\d+)\]/g;
const FLAG_WRITE = /\bcpu\.([nzcv]f) = (?!=)/g;
const FLAG = /\bcpu\.([nzcv]f)\b/g;

/**
 * `text` with its registers and flags as locals, `cpu.nextPc` as the local `nextPc`, and R15
 * read as `pcValue` (the PC an instruction reads, A2.3: its address + 8 in ARM state, + 4 in
 * Thumb). A register write keeps the Int32Array's conversion: the local holds `(value) | 0`.
 */
export function localizeSource(text: string, pcValue: string): LocalizedSource {
  const used = new Set<Local>();
  const written = new Set<Local>();
  const register = (n: string): Local => {
    if (n === '15') throw new Error('semantics source writes r[15]: a PC write is cpu.nextPc or a helper');
    used.add(`r${n}`);
    return `r${n}`;
  };
  const localized = text
    .replace(REGISTER_WRITE, (_, n: string, value: string) => {
      const local = register(n);
      written.add(local);
      return `${local} = (${value}) | 0;`;
    })
    .replace(REGISTER, (_, n: string) => (n === '15' ? pcValue : register(n)))
    .replace(FLAG_WRITE, (_, flag: string) => {
      used.add(flag);
      written.add(flag);
      return `${flag} = `;
    })
    .replace(FLAG, (_, flag: string) => {
      used.add(flag);
      return flag;
    })
    .replace(/\bcpu\.nextPc\b/g, 'nextPc');
  return { text: localized, used, written };
}

/** A write of a local in localized text (`r4 = ...`, `cf = ...`). */
const LOCAL_WRITE = /(?:^|[^\w.])(?:r\d+|[nzcv]f) = (?!=)/;

/** Whether localized `text` writes a local. */
export function writesLocal(text: string): boolean {
  return LOCAL_WRITE.test(text);
}

/** The guest state a local stands for, as an expression over `cpu` and `r`. */
export function guestStateOf(local: Local): string {
  return local.startsWith('r') ? `r[${local.slice(1)}]` : `cpu.${local}`;
}

/** The statement that reads a local's guest state into it. */
export function loadLocal(local: Local): string {
  return `${local} = ${guestStateOf(local)};`;
}

/** The statement that writes a local back to its guest state. */
export function storeLocal(local: Local): string {
  return `${guestStateOf(local)} = ${local};`;
}
