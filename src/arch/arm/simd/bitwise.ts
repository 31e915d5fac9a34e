import type { Instr } from '../decode-table.js';
import { simdEnabled } from './enable.js';

/**
 * The bitwise three-register instructions (ARM ARM A8: VAND, VBIC, VORR, VORN, VEOR and the
 * bitwise selects VBSL, VBIT, VBIF; VMOV (register) is VORR with Vn = Vm), word by word.
 */

export const enum Bitwise {
  And,
  BitClear,
  Or,
  OrNot,
  Xor,
  /** VBSL: d selects between n (1) and m (0). */
  Select,
  /** VBIT: n where m is 1, else d. */
  InsertIfTrue,
  /** VBIF: n where m is 0, else d. */
  InsertIfFalse,
}

function combine(op: Bitwise, d: number, n: number, m: number): number {
  switch (op) {
    case Bitwise.And: return n & m;
    case Bitwise.BitClear: return n & ~m;
    case Bitwise.Or: return n | m;
    case Bitwise.OrNot: return n | ~m;
    case Bitwise.Xor: return n ^ m;
    case Bitwise.Select: return (n & d) | (m & ~d);
    case Bitwise.InsertIfTrue: return (n & m) | (d & ~m);
    default: return (n & ~m) | (d & m);
  }
}

export function bitwise(op: Bitwise, d: number, n: number, m: number, regs: number): Instr {
  return (cpu) => {
    if (!simdEnabled(cpu)) return cpu.undefinedInstruction();
    const w = cpu.vfp.words;
    for (let i = 0; i < 2 * regs; i++) w[2 * d + i] = combine(op, w[2 * d + i]!, w[2 * n + i]!, w[2 * m + i]!);
  };
}
