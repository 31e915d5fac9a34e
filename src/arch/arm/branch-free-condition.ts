/**
 * A conditional instruction that only computes registers and flags (Effects.RegistersOnly), as
 * a translated block writes it without a branch: its statements run whatever the condition, and
 * each write of a register or a flag keeps the old value where the condition fails, through a
 * mask of all ones or all zeros. The engine compiles `if (condition)` as a branch, which the host
 * mispredicts as often as the guest's condition is random: MOVCC/MOVCS on the carry of
 * multi-word arithmetic (the loop of Linux's mpihelp_submul_1 ran at 640 MIPS with the branch and
 * 950 without; where the condition is predictable, the statements run for nothing: the zImage
 * decompressor is about 2% slower). Running the statements anyway is harmless: they touch
 * nothing but registers, flags and locals of their own (semantics-call.ts), and cannot fault.
 *
 * `statements` is the instruction's source, `{ ... }`, whose writes are statements of the form
 * the semantics write them in (`r[n] = expression;`, `cpu.nf = expression;` and so on). The
 * result is undefined when one is not at the top level (inside an `if` or a loop, say) or writes
 * anything else of the processor's, or in another form, where masking it statement by statement
 * would not be the same.
 */
export function branchFreeConditional(condition: string, statements: string): string | undefined {
  if (!statements.startsWith('{')) return undefined;
  const depth = bracketDepths(statements);
  const writes = [...statements.matchAll(ANY_WRITE)];
  if (writes.some((w) => depth[w.index] !== 1 || !/^(r\[\d+\]|cpu\.[nzcv]f)\s*=$/.test(w[0]))) return undefined;
  let out = `{ const cond_mask = -(+(${condition}));`;
  let from = 1;
  for (let match = WRITE.exec(statements); match !== null; match = WRITE.exec(statements)) {
    const target = match[1]!;
    const start = match.index + match[0].length;
    const end = statementEnd(statements, start);
    out += `${statements.slice(from, start)}((${statements.slice(start, end)}) & cond_mask) | (${target} & ~cond_mask)`;
    from = end;
  }
  WRITE.lastIndex = 0;
  return out + statements.slice(from);
}

/** A write of a register or a flag: the target, and the `=` after it (not `==`). */
const WRITE = /(r\[\d+\]|cpu\.[nzcv]f)\s*=(?!=)\s*/g;

/**
 * Any write of a register or of the processor's: an assignment, compound or not, or an increment.
 * The statements may have those of WRITE's form only, each a statement of its own (depth 1, in
 * their braces).
 */
const ANY_WRITE = /(?:\+\+|--)\s*(?:r\[[^\]]*\]|cpu\.\w+)|(?:r\[[^\]]*\]|cpu\.\w+)\s*(?:\+\+|--|(?:[-+*/%&|^]|<<|>>>?|\*\*)?=(?!=))/g;

/** The nesting depth of (), [] and {} at each index of `text`. */
function bracketDepths(text: string): Uint16Array {
  const depths = new Uint16Array(text.length);
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === ')' || c === ']' || c === '}') depth--;
    depths[i] = depth;
    if (c === '(' || c === '[' || c === '{') depth++;
  }
  return depths;
}

/** The index of the `;` that ends the expression starting at `start`. */
function statementEnd(text: string, start: number): number {
  let depth = 0;
  for (let i = start; i < text.length; i++) {
    const c = text[i];
    if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') depth--;
    else if (c === ';' && depth === 0) return i;
  }
  throw new Error(`a write in semantics source without its ';': ${text.slice(start)}`);
}
