import type { Prng } from './prng.js';

/**
 * Random Advanced SIMD instructions for the random-sequence differential test, as GNU as
 * mnemonics (valid in A32 and T32). D registers are D0-D31 and Q registers Q0-Q15, all seeded
 * with random values by the harness. Memory accesses use a fresh base register set from the
 * scratch base (r10) with the alignment the `:align` qualifier needs, so nothing faults.
 * Returns the instruction and the lines that prepare it (an address).
 */

export interface NeonChooser {
  readonly p: Prng;
  /** A core register the sequence may write (not r10, SP, PC). */
  d(exclude?: readonly number[]): number;
  /** A core register the sequence may read. */
  s(): number;
}

const coreName = (n: number): string => (n === 14 ? 'lr' : `r${n}`);

function dreg(p: Prng, max = 32): string {
  return `d${p.int(max)}`;
}

function qreg(p: Prng): string {
  return `q${p.int(16)}`;
}

/** D or Q register triple for an element-wise operation. */
function regs3(p: Prng, allowQ = true): string {
  if (allowQ && p.chance(0.5)) return `${qreg(p)}, ${qreg(p)}, ${qreg(p)}`;
  return `${dreg(p)}, ${dreg(p)}, ${dreg(p)}`;
}

function regs2(p: Prng, allowQ = true): string {
  if (allowQ && p.chance(0.5)) return `${qreg(p)}, ${qreg(p)}`;
  return `${dreg(p)}, ${dreg(p)}`;
}

/** A list of `count` registers from D`first` with step `inc`, written as {dA, dB, ...}. */
function list(first: number, count: number, inc: number, suffix = ''): string {
  return `{${Array.from({ length: count }, (_, i) => `d${first + i * inc}${suffix}`).join(', ')}}`;
}

function memory(g: NeonChooser): { setup: string[]; insn: string } {
  const p = g.p;
  const rb = g.d();
  const blocks = p.range(-28, 28);
  const setup = [`${blocks < 0 ? 'sub' : 'add'} ${coreName(rb)}, r10, #${32 * Math.abs(blocks)}`];
  const misalign = p.chance(0.3) ? p.range(1, 31) : 0;
  if (misalign !== 0) setup.push(`add ${coreName(rb)}, ${coreName(rb)}, #${misalign}`);
  const aligned = misalign === 0;
  const kind = p.int(3);
  const load = p.chance(0.6);
  const op = load ? 'vld' : 'vst';
  let insn: string;
  let align = '';
  if (kind === 0) {
    // multiple structures
    const n = p.range(1, 4);
    const size = n === 1 ? p.int(4) : p.int(3);
    let regList: string;
    let regCount: number;
    if (n === 1) {
      regCount = p.range(1, 4);
      const first = p.int(33 - regCount);
      regList = list(first, regCount, 1);
      if (aligned && p.chance(0.5)) align = `:${p.pick(regCount === 1 ? [64] : regCount === 2 || regCount === 4 ? [64, 128] : [64])}`;
      if (aligned && regCount === 4 && p.chance(0.3)) align = ':256';
    } else {
      const inc = n === 2 && p.chance(0.3) ? 0 : p.range(1, 2);
      if (inc === 0) {
        // VLD2 with four registers
        regCount = 4;
        const first = p.int(29);
        regList = list(first, 4, 1);
        if (aligned && p.chance(0.5)) align = `:${p.pick([64, 128, 256])}`;
      } else {
        regCount = n;
        const first = p.int(32 - (n - 1) * inc);
        regList = list(first, n, inc);
        if (aligned && p.chance(0.5)) align = n === 3 ? ':64' : `:${p.pick(n === 2 ? [64, 128] : [64, 128, 256])}`;
      }
    }
    insn = `${op}${n}.${8 << size} ${regList}`;
  } else if (kind === 1 || !load) {
    // one lane
    const n = p.range(1, 4);
    const size = p.int(3);
    const inc = size > 0 && n > 1 ? p.range(1, 2) : 1;
    const index = p.int(8 >> size);
    const first = p.int(32 - (n - 1) * inc);
    insn = `${op}${n}.${8 << size} ${list(first, n, inc, `[${index}]`)}`;
    if (aligned && p.chance(0.5) && n !== 3 && !(n === 1 && size === 0)) {
      if (n === 1) align = `:${8 << size}`;
      else if (n === 2) align = `:${16 << size}`;
      else align = size === 2 ? `:${p.pick([64, 128])}` : `:${32 << size}`;
    }
  } else {
    // all lanes
    const n = p.range(1, 4);
    const size = p.int(3);
    const two = p.chance(0.5);
    const inc = n > 1 && two ? 2 : 1;
    const count = n === 1 ? (two ? 2 : 1) : n;
    const first = p.int(32 - (count - 1) * inc);
    insn = `vld${n}.${8 << size} ${list(first, count, inc, '[]')}`;
    if (aligned && p.chance(0.5) && n !== 3 && !(n === 1 && size === 0)) align = `:${(8 << size) * n}`;
  }
  const base = `[${coreName(rb)}${align}]`;
  const wb = p.int(3);
  if (wb === 0) return { setup, insn: `${insn}, ${base}` };
  if (wb === 1) return { setup, insn: `${insn}, ${base}!` };
  return { setup, insn: `${insn}, ${base}, ${coreName(g.d([rb]))}` };
}

const SIGNED_DT = ['s8', 's16', 's32', 'u8', 'u16', 'u32'];
const ALL_DT = [...SIGNED_DT, 's64', 'u64'];

function modifiedImmediate(p: Prng): string {
  const imm8 = p.int(256);
  const r = p.chance(0.5) ? qreg(p) : dreg(p);
  switch (p.int(9)) {
    case 0: return `vmov.i8 ${r}, #${imm8}`;
    case 1: return `${p.pick(['vmov', 'vmvn'])}.i16 ${r}, #${imm8 << (8 * p.int(2))}`;
    case 2: return `${p.pick(['vmov', 'vmvn'])}.i32 ${r}, #${(imm8 << (8 * p.int(4))) >>> 0}`;
    case 3: return `${p.pick(['vmov', 'vmvn'])}.i32 ${r}, #${p.chance(0.5) ? (imm8 << 8) | 0xff : (imm8 << 16) | 0xffff}`;
    case 4: {
      let v = 0n;
      for (let i = 0; i < 8; i++) if (((imm8 >>> i) & 1) !== 0) v |= 0xffn << BigInt(8 * i);
      return `vmov.i64 ${r}, #0x${v.toString(16)}`;
    }
    case 5: {
      // An integral value needs its ".0" or GNU as takes it for an integer.
      const v = (p.chance(0.5) ? -1 : 1) * (p.range(16, 31) / 16) * 2 ** p.range(-3, 4);
      return `vmov.f32 ${r}, #${Number.isInteger(v) ? `${v}.0` : v}`;
    }
    case 6: return `${p.pick(['vorr', 'vbic'])}.i16 ${r}, #${Math.max(1, imm8) << (8 * p.int(2))}`;
    default: return `${p.pick(['vorr', 'vbic'])}.i32 ${r}, #${(Math.max(1, imm8) << (8 * p.int(4))) >>> 0}`;
  }
}

function transfer(g: NeonChooser): string {
  const p = g.p;
  const size = p.int(3);
  const index = p.int(8 >> size);
  switch (p.int(4)) {
    case 0: return `vmov.${8 << size} ${dreg(p)}[${index}], ${coreName(g.s())}`;
    case 1: return `vmov.${size === 2 ? '32' : `${p.pick(['s', 'u'])}${8 << size}`} ${coreName(g.d())}, ${dreg(p)}[${index}]`;
    case 2: return `vdup.${8 << size} ${p.chance(0.5) ? qreg(p) : dreg(p)}, ${coreName(g.s())}`;
    default: return `vdup.${8 << size} ${p.chance(0.5) ? qreg(p) : dreg(p)}, ${dreg(p)}[${index}]`;
  }
}

function sameLength(p: Prng): string {
  switch (p.int(12)) {
    case 0: return `${p.pick(['vhadd', 'vrhadd', 'vhsub', 'vmax', 'vmin', 'vabd', 'vaba', 'vcgt', 'vcge'])}.${p.pick(SIGNED_DT)} ${regs3(p)}`;
    case 1:
    case 2: return `${p.pick(['vqadd', 'vqsub', 'vshl', 'vqshl', 'vrshl', 'vqrshl'])}.${p.pick(ALL_DT)} ${regs3(p)}`;
    case 3: return `${p.pick(['vadd', 'vsub'])}.${p.pick(['i8', 'i16', 'i32', 'i64'])} ${regs3(p)}`;
    case 4: return `${p.pick(['vtst', 'vceq'])}.${p.pick(['i8', 'i16', 'i32'])} ${regs3(p)}`.replace('vtst.i', 'vtst.');
    case 5: return `${p.pick(['vmla', 'vmls', 'vmul'])}.${p.pick(['i8', 'i16', 'i32'])} ${regs3(p)}`;
    case 6: return `vmul.p8 ${regs3(p)}`;
    case 7: return `${p.pick(['vpmax', 'vpmin'])}.${p.pick(SIGNED_DT)} ${regs3(p, false)}`;
    case 8: return `vpadd.${p.pick(['i8', 'i16', 'i32'])} ${regs3(p, false)}`;
    case 9: return `${p.pick(['vqdmulh', 'vqrdmulh'])}.${p.pick(['s16', 's32'])} ${regs3(p)}`;
    default: return `${p.pick(['vand', 'vbic', 'vorr', 'vorn', 'veor', 'vbsl', 'vbit', 'vbif'])} ${regs3(p)}`;
  }
}

/** Q, D, D / Q, Q, D / D, Q, Q operand lists of the long, wide and narrow forms. */
function longRegs(p: Prng, kind: 'long' | 'wide' | 'narrow'): string {
  if (kind === 'long') return `${qreg(p)}, ${dreg(p)}, ${dreg(p)}`;
  if (kind === 'wide') return `${qreg(p)}, ${qreg(p)}, ${dreg(p)}`;
  return `${dreg(p)}, ${qreg(p)}, ${qreg(p)}`;
}

function differentLengths(p: Prng): string {
  const sdt = p.pick(SIGNED_DT);
  switch (p.int(9)) {
    case 0: return `${p.pick(['vaddl', 'vsubl', 'vabal', 'vabdl', 'vmlal', 'vmlsl', 'vmull'])}.${sdt} ${longRegs(p, 'long')}`;
    case 1: return `${p.pick(['vaddw', 'vsubw'])}.${sdt} ${longRegs(p, 'wide')}`;
    case 2: return `${p.pick(['vaddhn', 'vraddhn', 'vsubhn', 'vrsubhn'])}.${p.pick(['i16', 'i32', 'i64'])} ${longRegs(p, 'narrow')}`;
    case 3: return `${p.pick(['vqdmlal', 'vqdmlsl', 'vqdmull'])}.${p.pick(['s16', 's32'])} ${longRegs(p, 'long')}`;
    case 4: return `vmull.p8 ${longRegs(p, 'long')}`;
    default: {
      // by scalar: 16-bit scalars are D0-D7[0-3], 32-bit ones D0-D15[0-1]
      const size = p.pick([16, 32]);
      const scalar = size === 16 ? `d${p.int(8)}[${p.int(4)}]` : `d${p.int(16)}[${p.int(2)}]`;
      const q = p.chance(0.5);
      const same = q ? `${qreg(p)}, ${qreg(p)}` : `${dreg(p)}, ${dreg(p)}`;
      switch (p.int(4)) {
        case 0: return `${p.pick(['vmla', 'vmls', 'vmul'])}.i${size} ${same}, ${scalar}`;
        case 1: return `${p.pick(['vqdmulh', 'vqrdmulh'])}.s${size} ${same}, ${scalar}`;
        case 2: return `${p.pick(['vmlal', 'vmlsl', 'vmull'])}.${p.pick(['s', 'u'])}${size} ${qreg(p)}, ${dreg(p)}, ${scalar}`;
        default: return `${p.pick(['vqdmlal', 'vqdmlsl', 'vqdmull'])}.s${size} ${qreg(p)}, ${dreg(p)}, ${scalar}`;
      }
    }
  }
}

function shiftImmediate(p: Prng): string {
  const size = p.pick([8, 16, 32, 64]);
  const sign = p.pick(['s', 'u']);
  const r2 = regs2(p);
  switch (p.int(8)) {
    case 0:
    case 1: return `${p.pick(['vshr', 'vsra', 'vrshr', 'vrsra'])}.${sign}${size} ${r2}, #${p.range(1, size)}`;
    case 2: return `${p.pick(['vsri'])}.${size} ${r2}, #${p.range(1, size)}`;
    case 3: return `${p.pick(['vshl.i', 'vsli.'])}${size} ${r2}, #${p.range(0, size - 1)}`;
    case 4: return `${p.pick(['vqshl.s', 'vqshl.u', 'vqshlu.s'])}${size} ${r2}, #${p.range(0, size - 1)}`;
    case 5: {
      const n = p.pick([16, 32, 64]);
      const op = p.pick([`vshrn.i${n}`, `vrshrn.i${n}`, `vqshrn.${sign}${n}`, `vqrshrn.${sign}${n}`, `vqshrun.s${n}`, `vqrshrun.s${n}`]);
      return `${op} ${dreg(p)}, ${qreg(p)}, #${p.range(1, n / 2)}`;
    }
    default: {
      const n = p.pick([8, 16, 32]);
      if (p.chance(0.3)) return `vmovl.${sign}${n} ${qreg(p)}, ${dreg(p)}`;
      if (p.chance(0.3)) return `vshll.i${n} ${qreg(p)}, ${dreg(p)}, #${n}`;
      return `vshll.${sign}${n} ${qreg(p)}, ${dreg(p)}, #${p.range(1, n - 1)}`;
    }
  }
}

/** Two distinct registers of one kind (VTRN, VUZP, VZIP with equal operands are UNKNOWN). */
function distinct2(p: Prng, q: boolean): string {
  const a = p.int(q ? 16 : 32);
  let b = p.int(q ? 15 : 31);
  if (b >= a) b++;
  return q ? `q${a}, q${b}` : `d${a}, d${b}`;
}

function miscellaneous(p: Prng): string {
  const sdt = p.pick(SIGNED_DT);
  const sz = p.pick(['8', '16', '32']);
  switch (p.int(12)) {
    case 0: return p.pick([`vrev64.${sz}`, `vrev32.${p.pick(['8', '16'])}`, 'vrev16.8']) + ` ${regs2(p)}`;
    case 1: return `${p.pick(['vpaddl', 'vpadal'])}.${sdt} ${regs2(p)}`;
    case 2: return `${p.pick([`vcls.s${sz}`, `vclz.i${sz}`, 'vcnt.8', 'vmvn'])} ${regs2(p)}`;
    case 3: return `${p.pick(['vqabs', 'vqneg', 'vabs', 'vneg'])}.s${sz} ${regs2(p)}`;
    case 4: return `${p.pick(['vcgt', 'vcge', 'vcle', 'vclt'])}.s${sz} ${regs2(p)}, #0`;
    case 5: return `vceq.i${sz} ${regs2(p)}, #0`;
    case 6: return `vswp ${regs2(p)}`;
    case 7: {
      const q = p.chance(0.5);
      const op = p.pick(['vtrn', 'vuzp', 'vzip']);
      return `${op}.${op === 'vtrn' || q ? sz : p.pick(['8', '16'])} ${distinct2(p, q)}`;
    }
    case 8: {
      const n = p.pick(['16', '32', '64']);
      return `${p.pick([`vmovn.i${n}`, `vqmovn.s${n}`, `vqmovn.u${n}`, `vqmovun.s${n}`])} ${dreg(p)}, ${qreg(p)}`;
    }
    case 9: {
      const q = p.chance(0.5);
      return q ? `vext.8 ${qreg(p)}, ${qreg(p)}, ${qreg(p)}, #${p.int(16)}` : `vext.8 ${dreg(p)}, ${dreg(p)}, ${dreg(p)}, #${p.int(8)}`;
    }
    default: {
      const len = p.range(1, 4);
      const first = p.int(33 - len);
      return `${p.pick(['vtbl', 'vtbx'])}.8 ${dreg(p)}, ${list(first, len, 1)}, ${dreg(p)}`;
    }
  }
}

function float(p: Prng): string {
  switch (p.int(9)) {
    case 0:
    case 1: return `${p.pick(['vadd', 'vsub', 'vmul', 'vmla', 'vmls', 'vfma', 'vfms', 'vabd', 'vmax', 'vmin'])}.f32 ${regs3(p)}`;
    case 2: return `${p.pick(['vceq', 'vcge', 'vcgt', 'vacge', 'vacgt', 'vrecps', 'vrsqrts'])}.f32 ${regs3(p)}`;
    case 3: return `${p.pick(['vpadd', 'vpmax', 'vpmin'])}.f32 ${regs3(p, false)}`;
    case 4: {
      const q = p.chance(0.5);
      return `${p.pick(['vmla', 'vmls', 'vmul'])}.f32 ${q ? `${qreg(p)}, ${qreg(p)}` : `${dreg(p)}, ${dreg(p)}`}, d${p.int(16)}[${p.int(2)}]`;
    }
    case 5: return p.chance(0.6) ? `${p.pick(['vabs', 'vneg'])}.f32 ${regs2(p)}` : `${p.pick(['vcgt', 'vcge', 'vceq', 'vcle', 'vclt'])}.f32 ${regs2(p)}, #0`;
    case 6: return `${p.pick(['vrecpe', 'vrsqrte'])}.${p.pick(['f32', 'u32'])} ${regs2(p)}`;
    case 7: {
      const conv = p.pick(['f32.s32', 'f32.u32', 's32.f32', 'u32.f32']);
      return p.chance(0.5) ? `vcvt.${conv} ${regs2(p)}` : `vcvt.${conv} ${regs2(p)}, #${p.range(1, 32)}`;
    }
    default: return p.chance(0.5) ? `vcvt.f16.f32 ${dreg(p)}, ${qreg(p)}` : `vcvt.f32.f16 ${qreg(p)}, ${dreg(p)}`;
  }
}

/** An instruction of one of `groups`. */
export function neonInstruction(g: NeonChooser, groups: readonly NeonGroup[]): { setup: string[]; insn: string } {
  const p = g.p;
  const group = p.pick(groups);
  switch (group) {
    case 'memory': return memory(g);
    case 'transfer': return { setup: [], insn: transfer(g) };
    case 'immediate': return { setup: [], insn: p.chance(0.2) ? `vmov ${regs2(p)}` : modifiedImmediate(p) };
    case 'long': return { setup: [], insn: differentLengths(p) };
    case 'shift': return { setup: [], insn: shiftImmediate(p) };
    case 'misc': return { setup: [], insn: miscellaneous(p) };
    case 'float': return { setup: [], insn: float(p) };
    default: return { setup: [], insn: sameLength(p) };
  }
}

export type NeonGroup = 'memory' | 'transfer' | 'immediate' | 'same' | 'long' | 'shift' | 'misc' | 'float';

/** The groups the NEON profile draws from. */
export const NEON_GROUPS: readonly NeonGroup[] = ['memory', 'transfer', 'immediate', 'same', 'same', 'long', 'shift', 'misc', 'float', 'float'];
