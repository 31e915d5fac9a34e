import { NEON_GROUPS, neonInstruction } from './neon-generator.js';
import { Prng } from './prng.js';

/**
 * Random A32/T32 instruction sequences, written as assembler mnemonics (GNU as checks each
 * encoding). Every sequence is a list of items; an item is one or more lines that must stay
 * together (an IT block, a load with the instruction that prepares its address), so a sequence
 * can be cut after any item when bisecting a mismatch.
 *
 * Conventions that keep sequences well defined on every implementation:
 *  - r10 holds the scratch-area base (SCRATCH_BIAS bytes into a 2 KiB area) and is never written;
 *  - SP and PC are never operands, except balanced PUSH/POP pairs and reads of the PC;
 *    LR is an ordinary register (the harness saves the real one);
 *  - UNPREDICTABLE register combinations of the ARM ARM are avoided (RdLo == RdHi, writeback
 *    with Rn == Rt, base register in an LDM/STM list, LDRD register pairs, ...);
 *  - doubleword, multiple and exclusive accesses are word aligned; LDR/LDRH/STR/STRH may be
 *    unaligned (SCTLR.A is 0, as QEMU's virt leaves it).
 */

export type Isa = 'arm' | 'thumb';
/** 'base': core, VFP and memory instructions; 'neon': mostly Advanced SIMD (neon-generator.ts) among base items. */
export type Profile = 'base' | 'neon';

export interface Sequence {
  readonly seed: number;
  /** Printed instead of the seed to tell sequences of one batch apart (bisection runs prefixes of one seed). */
  readonly label?: number;
  readonly isa: Isa;
  readonly profile?: Profile;
  readonly items: readonly string[][];
}

/** Registers a sequence may write. */
const DEST = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 11, 12, 14];
/** Registers a sequence may read: also the scratch base. */
const SRC = [...DEST, 10];
const SCRATCH_REG = 10;
/** Offset of r10 inside the scratch area; accesses stay within [-SCRATCH_BIAS, +SCRATCH_BIAS). */
export const SCRATCH_SIZE = 2048;
export const SCRATCH_BIAS = 1024;

const CONDS = ['eq', 'ne', 'cs', 'cc', 'mi', 'pl', 'vs', 'vc', 'hi', 'ls', 'ge', 'lt', 'gt', 'le'];
const INVERSE: Record<string, string> = { eq: 'ne', ne: 'eq', cs: 'cc', cc: 'cs', mi: 'pl', pl: 'mi', vs: 'vc', vc: 'vs', hi: 'ls', ls: 'hi', ge: 'lt', lt: 'ge', gt: 'le', le: 'gt' };

function reg(n: number): string {
  return n === 14 ? 'lr' : `r${n}`;
}

class Gen {
  constructor(
    readonly p: Prng,
    readonly isa: Isa,
  ) {}

  get thumb(): boolean {
    return this.isa === 'thumb';
  }

  /** A destination register; in T32 mostly R0-R7, so that 16-bit encodings get picked too. */
  d(exclude: readonly number[] = []): number {
    const low = this.thumb && this.p.chance(0.6);
    const options = DEST.filter((r) => !exclude.includes(r) && (!low || r < 8));
    return this.p.pick(options.length > 0 ? options : DEST.filter((r) => !exclude.includes(r)));
  }

  s(): number {
    return this.thumb && this.p.chance(0.6) ? this.p.int(8) : this.p.pick(SRC);
  }

  /** Distinct destination registers. */
  dn(count: number, exclude: readonly number[] = []): number[] {
    const out: number[] = [];
    while (out.length < count) out.push(this.d([...exclude, ...out]));
    return out;
  }

  /** A modified immediate valid in both A32 and T32 (8 bits shifted left by an even amount), or a T32 replicated pattern. */
  modImm(): number {
    const p = this.p;
    const imm8 = p.int(256);
    if (this.thumb && p.chance(0.25)) {
      const k = p.int(3);
      return k === 0 ? (imm8 * 0x00010001) >>> 0 : k === 1 ? (imm8 * 0x01000100) >>> 0 : (imm8 * 0x01010101) >>> 0;
    }
    const shift = 2 * p.int(13);
    return (imm8 << shift) >>> 0;
  }

  /** A register operand with an optional immediate shift ("r3, lsl #4"). */
  shifted(): string {
    const p = this.p;
    const rm = reg(this.s());
    switch (p.int(6)) {
      case 0:
        return `${rm}, lsl #${p.range(1, 31)}`;
      case 1:
        return `${rm}, lsr #${p.range(1, 32)}`;
      case 2:
        return `${rm}, asr #${p.range(1, 32)}`;
      case 3:
        return `${rm}, ror #${p.range(1, 31)}`;
      case 4:
        return `${rm}, rrx`;
      default:
        return rm;
    }
  }

  /** Operand 2 of a data-processing instruction: immediate, shifted register or (A32) register-shifted register. */
  operand2(): string {
    const p = this.p;
    const k = p.int(10);
    if (k < 3) return `#${this.modImm()}`;
    if (k < 5 && !this.thumb) return `${reg(this.s())}, ${p.pick(['lsl', 'lsr', 'asr', 'ror'])} ${reg(this.s())}`;
    return this.shifted();
  }

  /** One instruction (without condition), as [mnemonic-with-suffixes-placeholder, operands]. `{c}` marks where the condition goes. */
  dataProcessing(): string {
    const p = this.p;
    const ops = this.thumb ? ['and', 'eor', 'sub', 'rsb', 'add', 'adc', 'sbc', 'orr', 'bic', 'orn'] : ['and', 'eor', 'sub', 'rsb', 'add', 'adc', 'sbc', 'rsc', 'orr', 'bic'];
    const k = p.int(10);
    if (k < 6) {
      const op = p.pick(ops);
      const s = p.chance(0.5) ? 's' : '';
      let o2 = this.operand2();
      // T32 has no RSB with a shifted-register... it does (RSB register T1); but no RSC/ADC immediates issue.
      if (this.thumb && op === 'rsb' && o2.startsWith('#') === false && o2.includes('rrx')) o2 = reg(this.s());
      return `${op}${s}{c} ${reg(this.d())}, ${reg(this.s())}, ${o2}`;
    }
    if (k < 8) {
      const op = p.pick(['tst', 'teq', 'cmp', 'cmn']);
      return `${op}{c} ${reg(this.s())}, ${this.operand2()}`;
    }
    const op = p.pick(['mov', 'mvn']);
    const s = p.chance(0.5) ? 's' : '';
    if (this.thumb && p.chance(0.3)) {
      // T32 shifts by register are separate instructions.
      return `${p.pick(['lsl', 'lsr', 'asr', 'ror'])}${s}{c} ${reg(this.d())}, ${reg(this.s())}, ${reg(this.s())}`;
    }
    return `${op}${s}{c} ${reg(this.d())}, ${this.operand2()}`;
  }

  multiply(): string {
    const p = this.p;
    const sOk = !this.thumb && p.chance(0.4);
    const s = sOk ? 's' : '';
    const xy = (): string => p.pick(['bb', 'bt', 'tb', 'tt']);
    switch (p.int(16)) {
      case 0:
        return `mul${s}{c} ${reg(this.d())}, ${reg(this.s())}, ${reg(this.s())}`;
      case 1:
        return `mla${s}{c} ${reg(this.d())}, ${reg(this.s())}, ${reg(this.s())}, ${reg(this.s())}`;
      case 2:
        return `mls{c} ${reg(this.d())}, ${reg(this.s())}, ${reg(this.s())}, ${reg(this.s())}`;
      case 3:
      case 4: {
        const [lo, hi] = this.dn(2);
        return `${p.pick(['umull', 'smull', 'umlal', 'smlal'])}${s}{c} ${reg(lo!)}, ${reg(hi!)}, ${reg(this.s())}, ${reg(this.s())}`;
      }
      case 5: {
        const [lo, hi] = this.dn(2);
        return `umaal{c} ${reg(lo!)}, ${reg(hi!)}, ${reg(this.s())}, ${reg(this.s())}`;
      }
      case 6:
        return `smul${xy()}{c} ${reg(this.d())}, ${reg(this.s())}, ${reg(this.s())}`;
      case 7:
        return `smla${xy()}{c} ${reg(this.d())}, ${reg(this.s())}, ${reg(this.s())}, ${reg(this.s())}`;
      case 8:
        return `${p.pick(['smulwb', 'smulwt'])}{c} ${reg(this.d())}, ${reg(this.s())}, ${reg(this.s())}`;
      case 9:
        return `${p.pick(['smlawb', 'smlawt'])}{c} ${reg(this.d())}, ${reg(this.s())}, ${reg(this.s())}, ${reg(this.s())}`;
      case 10: {
        const [lo, hi] = this.dn(2);
        return `smlal${xy()}{c} ${reg(lo!)}, ${reg(hi!)}, ${reg(this.s())}, ${reg(this.s())}`;
      }
      case 11:
        return `${p.pick(['smuad', 'smuadx', 'smusd', 'smusdx', 'smmul', 'smmulr'])}{c} ${reg(this.d())}, ${reg(this.s())}, ${reg(this.s())}`;
      case 12:
        return `${p.pick(['smlad', 'smladx', 'smlsd', 'smlsdx', 'smmla', 'smmlar', 'smmls', 'smmlsr'])}{c} ${reg(this.d())}, ${reg(this.s())}, ${reg(this.s())}, ${reg(this.s())}`;
      case 13: {
        const [lo, hi] = this.dn(2);
        return `${p.pick(['smlald', 'smlaldx', 'smlsld', 'smlsldx'])}{c} ${reg(lo!)}, ${reg(hi!)}, ${reg(this.s())}, ${reg(this.s())}`;
      }
      default:
        return `${p.pick(['sdiv', 'udiv'])}{c} ${reg(this.d())}, ${reg(this.s())}, ${reg(this.s())}`;
    }
  }

  media(): string {
    const p = this.p;
    const rd = reg(this.d());
    const rn = reg(this.s());
    const rm = reg(this.s());
    switch (p.int(14)) {
      case 0:
      case 1:
      case 2: {
        const prefix = p.pick(['s', 'q', 'sh', 'u', 'uq', 'uh']);
        const op = p.pick(['add16', 'asx', 'sax', 'sub16', 'add8', 'sub8']);
        return `${prefix}${op}{c} ${rd}, ${rn}, ${rm}`;
      }
      case 3:
        return p.chance(0.5) ? `usad8{c} ${rd}, ${rn}, ${rm}` : `usada8{c} ${rd}, ${rn}, ${rm}, ${reg(this.s())}`;
      case 4: {
        const sh = p.int(3) === 0 ? '' : p.chance(0.5) ? `, lsl #${p.range(0, 31)}` : `, asr #${p.range(1, this.thumb ? 31 : 32)}`;
        return p.chance(0.5) ? `ssat{c} ${rd}, #${p.range(1, 32)}, ${rm}${sh}` : `usat{c} ${rd}, #${p.range(0, 31)}, ${rm}${sh}`;
      }
      case 5:
        return p.chance(0.5) ? `ssat16{c} ${rd}, #${p.range(1, 16)}, ${rm}` : `usat16{c} ${rd}, #${p.range(0, 15)}, ${rm}`;
      case 6: {
        const rot = p.pick(['', ', ror #8', ', ror #16', ', ror #24']);
        const op = p.pick(['sxtb', 'sxth', 'uxtb', 'uxth', 'sxtb16', 'uxtb16']);
        return p.chance(0.5) ? `${op}{c} ${rd}, ${rm}${rot}` : `${op.replace('xt', 'xta')}{c} ${rd}, ${rn}, ${rm}${rot}`;
      }
      case 7:
        return p.chance(0.5) ? `pkhbt{c} ${rd}, ${rn}, ${rm}, lsl #${p.range(0, 31)}` : `pkhtb{c} ${rd}, ${rn}, ${rm}, asr #${p.range(1, 32)}`;
      case 8:
        return `${p.pick(['rev', 'rev16', 'revsh', 'rbit', 'clz'])}{c} ${rd}, ${rm}`;
      case 9:
        return `sel{c} ${rd}, ${rn}, ${rm}`;
      case 10: {
        const lsb = p.range(0, 31);
        const width = p.range(1, 32 - lsb);
        const k = p.int(4);
        if (k === 0) return `bfi{c} ${rd}, ${rn}, #${lsb}, #${width}`;
        if (k === 1) return `bfc{c} ${rd}, #${lsb}, #${width}`;
        return `${k === 2 ? 'ubfx' : 'sbfx'}{c} ${rd}, ${rn}, #${lsb}, #${width}`;
      }
      case 11:
        return `${p.pick(['qadd', 'qsub', 'qdadd', 'qdsub'])}{c} ${rd}, ${rn}, ${rm}`;
      case 12:
        return p.chance(0.5) ? `movw{c} ${rd}, #${p.int(0x10000)}` : `movt{c} ${rd}, #${p.int(0x10000)}`;
      default:
        return p.chance(0.5) ? `mrs{c} ${rd}, apsr` : `msr{c} APSR_nzcvqg, ${rn}`;
    }
  }

  /** A load or store, with the instruction that forms its base address when it needs its own base. */
  loadStore(): { setup: string[]; insn: string } {
    const p = this.p;
    const base = reg(SCRATCH_REG);
    const k = p.int(12);
    if (k < 6) {
      // single register
      const kinds = ['ldr', 'str', 'ldrb', 'strb', 'ldrh', 'strh', 'ldrsb', 'ldrsh'];
      const op = p.pick(kinds);
      const isLoad = op.startsWith('ldr');
      const wide = op === 'ldr' || op === 'str' || op === 'ldrb' || op === 'strb';
      const rt = this.d();
      const mode = p.int(5);
      if (mode === 0) return { setup: [], insn: `${op}{c} ${reg(rt)}, [${base}, #${p.range(-255, 255)}]` };
      if (mode === 1 && wide) return { setup: [], insn: `${op}{c} ${reg(rt)}, [${base}, #${p.range(this.thumb ? -255 : -1020, 1020)}]` };
      if (mode <= 2) {
        // register offset: index register made small first
        const ri = this.d([rt]);
        const shift = wide && p.chance(0.5) ? `, lsl #${p.range(0, 2)}` : '';
        const neg = !this.thumb && p.chance(0.4) ? '-' : '';
        return { setup: [`and{c} ${reg(ri)}, ${reg(this.s())}, #0xfc`], insn: `${op}{c} ${reg(rt)}, [${base}, ${neg}${reg(ri)}${shift}]` };
      }
      // pre/post indexed with writeback on a fresh base register
      const rb = this.d([rt]);
      const setup = [`add{c} ${reg(rb)}, ${base}, #${4 * p.range(-60, 60)}`];
      const off = p.range(-255, 255);
      return { setup, insn: mode === 3 ? `${op}{c} ${reg(rt)}, [${reg(rb)}, #${off}]!` : `${op}{c} ${reg(rt)}, [${reg(rb)}], #${off}` };
      void isLoad;
    }
    if (k < 8) {
      // doubleword
      const op = p.pick(['ldrd', 'strd']);
      let rt: number;
      let rt2: number;
      if (this.thumb) {
        [rt, rt2] = this.dn(2);
      } else {
        rt = p.pick([0, 2, 4, 6, 8]);
        rt2 = rt + 1;
      }
      const off = 4 * p.range(-60, 60);
      const mode = p.int(3);
      if (mode === 0) return { setup: [], insn: `${op}{c} ${reg(rt!)}, ${reg(rt2!)}, [${base}, #${off}]` };
      const rb = this.d([rt!, rt2!]);
      const setup = [`add{c} ${reg(rb)}, ${base}, #${4 * p.range(-60, 60)}`];
      return { setup, insn: mode === 1 ? `${op}{c} ${reg(rt!)}, ${reg(rt2!)}, [${reg(rb)}, #${off}]!` : `${op}{c} ${reg(rt!)}, ${reg(rt2!)}, [${reg(rb)}], #${off}` };
    }
    if (k === 10 && p.chance(0.5)) {
      // PC-relative: a literal from the pool at the end of the sequence's function (or a MOV)
      return { setup: [], insn: `ldr{c} ${reg(this.d())}, =${p.chance(0.5) ? p.u32() : this.modImm()}` };
    }
    if (k === 10) {
      // VFP load/store multiple on a fresh base register
      const rb = this.d();
      const first = p.int(14);
      const count = p.range(1, Math.min(4, 16 - first));
      const op = p.pick(['vldmia', 'vstmia', 'vldmdb', 'vstmdb']);
      const wb = op.endsWith('db') || p.chance(0.5) ? '!' : '';
      const setup = [`add{c} ${reg(rb)}, ${base}, #${4 * p.range(-40, 40)}`];
      return { setup, insn: `${op}{c} ${reg(rb)}${wb}, {${count === 1 ? `d${first}` : `d${first}-d${first + count - 1}`}}` };
    }
    if (k < 10) {
      // load/store multiple
      const rb = this.d();
      const count = p.range(2, 6);
      const list = this.dn(count, [rb]).sort((a, b) => a - b);
      const op = p.pick(['ldm', 'stm']);
      const modes = this.thumb ? ['ia', 'db'] : ['ia', 'ib', 'da', 'db'];
      const wb = p.chance(0.5) ? '!' : '';
      const setup = [`add{c} ${reg(rb)}, ${base}, #${4 * p.range(-40, 40)}`];
      return { setup, insn: `${op}${p.pick(modes)}{c} ${reg(rb)}${wb}, {${list.map(reg).join(', ')}}` };
    }
    // exclusives on the (aligned) scratch base
    const rt = this.d();
    if (p.chance(0.5)) return { setup: [], insn: `ldrex{c} ${reg(rt)}, [${base}]` };
    const rs = this.d([rt]);
    // STREX always follows its LDREX: a STREX with the monitor left open by earlier code succeeds
    // or fails by IMPLEMENTATION DEFINED rules (QEMU compares the memory value, for one).
    return { setup: [`ldrex{c} ${reg(this.d([rs]))}, [${base}]`], insn: `strex{c} ${reg(rs)}, ${reg(rt)}, [${base}]` };
  }

  sreg(): string {
    return `s${this.p.int(32)}`;
  }

  dreg(): string {
    return `d${this.p.int(16)}`;
  }

  /** A VFP immediate (VFPExpandImm): +-(16..31)/16 * 2^(-3..4). */
  vfpImm(): string {
    const p = this.p;
    const v = (p.chance(0.5) ? -1 : 1) * (p.range(16, 31) / 16) * 2 ** p.range(-3, 4);
    return `#${v}`;
  }

  vfp(): string {
    const p = this.p;
    const dbl = p.chance(0.5);
    const sz = dbl ? 'f64' : 'f32';
    const r = (): string => (dbl ? this.dreg() : this.sreg());
    switch (p.int(14)) {
      case 0:
      case 1:
      case 2:
        return `${p.pick(['vadd', 'vsub', 'vmul', 'vdiv', 'vnmul'])}{c}.${sz} ${r()}, ${r()}, ${r()}`;
      case 3:
      case 4:
        return `${p.pick(['vmla', 'vmls', 'vnmla', 'vnmls', 'vfma', 'vfms', 'vfnma', 'vfnms'])}{c}.${sz} ${r()}, ${r()}, ${r()}`;
      case 5:
        return `${p.pick(['vabs', 'vneg', 'vsqrt', 'vmov'])}{c}.${sz} ${r()}, ${r()}`;
      case 6:
        return `vmov{c}.${sz} ${r()}, ${this.vfpImm()}`;
      case 7: {
        const k = p.int(5);
        if (k === 0) return `vmov{c} ${this.sreg()}, ${reg(this.s())}`;
        if (k === 1) return `vmov{c} ${reg(this.d())}, ${this.sreg()}`;
        if (k === 2) return `vmov{c} ${this.dreg()}, ${reg(this.s())}, ${reg(this.s())}`;
        if (k === 3) {
          const [a, b] = this.dn(2);
          return `vmov{c} ${reg(a!)}, ${reg(b!)}, ${this.dreg()}`;
        }
        return p.chance(0.5) ? `vmov{c}.32 ${this.dreg()}[${p.int(2)}], ${reg(this.s())}` : `vmov{c}.32 ${reg(this.d())}, ${this.dreg()}[${p.int(2)}]`;
      }
      case 8:
      case 9: {
        const k = p.int(6);
        if (k === 0) return `vcvt{c}.f64.f32 ${this.dreg()}, ${this.sreg()}`;
        if (k === 1) return `vcvt{c}.f32.f64 ${this.sreg()}, ${this.dreg()}`;
        if (k === 2) return `${p.pick(['vcvt', 'vcvtr'])}{c}.${p.pick(['s32', 'u32'])}.${sz} ${this.sreg()}, ${r()}`;
        if (k === 3) return `vcvt{c}.${sz}.${p.pick(['s32', 'u32'])} ${r()}, ${this.sreg()}`;
        if (k === 4) {
          const t = p.pick(['s16', 'u16', 's32', 'u32']);
          const fbits = t.endsWith('16') ? p.range(1, 16) : p.range(1, 32);
          const rr = r();
          return p.chance(0.5) ? `vcvt{c}.${sz}.${t} ${rr}, ${rr}, #${fbits}` : `vcvt{c}.${t}.${sz} ${rr}, ${rr}, #${fbits}`;
        }
        return `${p.pick(['vcvtb', 'vcvtt'])}{c}.${p.chance(0.5) ? 'f32.f16' : 'f16.f32'} ${this.sreg()}, ${this.sreg()}`;
      }
      case 10:
      case 11:
        return p.chance(0.3) ? `${p.pick(['vcmp', 'vcmpe'])}{c}.${sz} ${r()}, #0` : `${p.pick(['vcmp', 'vcmpe'])}{c}.${sz} ${r()}, ${r()}`;
      case 12:
        return `vmrs{c} APSR_nzcv, fpscr`;
      default:
        return p.chance(0.5) ? `vmrs{c} ${reg(this.d())}, fpscr` : `vldr{c} ${dbl ? this.dreg() : this.sreg()}, [${reg(SCRATCH_REG)}, #${4 * p.range(-200, 200)}]`;
    }
  }

  /** One instruction with its setup lines; `{c}` placeholders still unresolved. */
  instruction(): { setup: string[]; insn: string } {
    const p = this.p;
    const k = p.int(100);
    if (k < 30) return { setup: [], insn: this.dataProcessing() };
    if (k < 42) return { setup: [], insn: this.multiply() };
    if (k < 60) return { setup: [], insn: this.media() };
    if (k < 75) return this.loadStore();
    if (k < 95) return { setup: [], insn: this.vfp() };
    if (k < 97) {
      // reads of the PC: A32 sees PC+8; T32 sees PC+4, and Align(PC, 4) for ADR
      const rd = reg(this.d());
      if (this.thumb) return { setup: [], insn: p.chance(0.5) ? `mov{c} ${rd}, pc` : `addw{c} ${rd}, pc, #${p.int(4096)}` };
      return { setup: [], insn: p.chance(0.5) ? `mov{c} ${rd}, pc` : `${p.pick(['add', 'sub', 'eor'])}{c} ${rd}, pc, #${this.modImm()}` };
    }
    if (k < 98) {
      // PUSH then POP of as many registers: the stack forms of STMDB/LDMIA (and T16 PUSH/POP); SP ends where it was
      const count = p.range(1, 5);
      const a = this.dn(count).sort((x, y) => x - y);
      const b = this.dn(count).sort((x, y) => x - y);
      return { setup: [`push{c} {${a.map(reg).join(', ')}}`], insn: `pop{c} {${b.map(reg).join(', ')}}` };
    }
    return { setup: [], insn: `vstr{c} ${p.chance(0.5) ? this.dreg() : this.sreg()}, [${reg(SCRATCH_REG)}, #${4 * p.range(-200, 200)}]` };
  }

  /** An item: one instruction (A32 possibly conditional) or, in T32, possibly an IT block. */
  item(): string[] {
    const p = this.p;
    if (!this.thumb) {
      const { setup, insn } = this.instruction();
      const cond = p.chance(0.3) ? p.pick(CONDS) : '';
      // The setup runs under the same condition, so a skipped access also skips its address setup.
      return [...setup, insn].map((l) => l.replaceAll('{c}', cond));
    }
    if (!p.chance(0.35)) {
      const { setup, insn } = this.instruction();
      return [...setup, insn].map((l) => l.replaceAll('{c}', ''));
    }
    // IT block: 1-4 instructions; each instruction (with its setup) must fit in the block.
    const first = p.pick(CONDS);
    const lines: string[] = [];
    const conds: string[] = [];
    let pattern = '';
    const slots = p.range(1, 4);
    for (let i = 0; i < slots; i++) {
      const { setup, insn } = this.instruction();
      const group = [...setup, insn];
      if (conds.length + group.length > 4) break;
      const same = i === 0 || p.chance(0.5);
      const c = same ? first : INVERSE[first]!;
      for (const l of group) {
        if (conds.length > 0) pattern += same ? 't' : 'e';
        conds.push(c);
        lines.push(l.replaceAll('{c}', c));
      }
    }
    if (lines.length === 0) {
      const { insn } = this.instruction();
      return [insn.replaceAll('{c}', '')];
    }
    return [`it${pattern} ${first}`, ...lines];
  }
}

/** The sequence for a seed: ARM for even seeds, Thumb for odd ones. */
export function generateSequence(seed: number, length?: number, profile: Profile = 'base'): Sequence {
  const p = new Prng(profile === 'neon' ? (seed ^ 0x4e454f4e) >>> 0 : seed);
  const isa: Isa = seed % 2 === 0 ? 'arm' : 'thumb';
  const g = new Gen(p, isa);
  const n = length ?? p.range(8, 24);
  const items: string[][] = [];
  for (let i = 0; i < n; i++) {
    if (profile === 'neon' && p.chance(0.8)) {
      // Advanced SIMD instructions are unconditional (and UNPREDICTABLE in IT blocks).
      const { setup, insn } = neonInstruction(g, NEON_GROUPS);
      items.push([...setup, insn]);
    } else {
      items.push(g.item());
    }
  }
  return profile === 'neon' ? { seed, isa, profile, items } : { seed, isa, items };
}

/** Special values for the initial floating-point registers (as 32-bit patterns). */
const F32_SPECIALS = [0x00000000, 0x80000000, 0x3f800000, 0xbf800000, 0x7f800000, 0xff800000, 0x7fc00000, 0x7fa00001, 0xffc12345, 0x00000001, 0x807fffff, 0x00800000, 0x7f7fffff, 0x4f000000, 0xcf000001, 0x3f000000, 0x47800000, 0x38800000, 0x477fe000, 0x33800000];
const F64_SPECIALS: [number, number][] = [
  [0, 0], [0x80000000, 0], [0x3ff00000, 0], [0xbff00000, 0], [0x7ff00000, 0], [0xfff00000, 0], [0x7ff80000, 0], [0x7ff40000, 1], [0xfff80000, 0x1234],
  [0, 1], [0x800fffff, 0xffffffff], [0x00100000, 0], [0x7fefffff, 0xffffffff], [0x41e00000, 0], [0xc1e00000, 0x00200000], [0x41f00000, 0], [0x3fe00000, 0], [0x43300000, 0x80000000],
];
const U32_SPECIALS = [0, 1, 0xffffffff, 0x7fffffff, 0x80000000, 0x80000001, 0x0000ffff, 0xffff0000, 0x7fff7fff, 0x80008000, 0x00ff00ff, 0x7f7f7f7f, 0x80808080, 31, 32, 33];

export interface InitialState {
  /** r0..r12 and r14 (index 13 holds LR); r10 is replaced by the scratch base. */
  readonly r: number[];
  readonly apsr: number;
  readonly fpscr: number;
  /** D0-D15 as [low word, high word]. */
  readonly d: [number, number][];
  /** D16-D31 likewise (drawn from their own stream, so D0-D15 stay as before they were added). */
  readonly dHigh: [number, number][];
  /** Seed of the guest's scratch-area filler. */
  readonly scratchSeed: number;
}

/** Initial registers for a seed: random values mixed with special integers and floats. */
export function initialState(seed: number): InitialState {
  const p = new Prng((seed ^ 0x5bd1e995) >>> 0);
  const r: number[] = [];
  for (let i = 0; i < 14; i++) r.push(p.chance(0.3) ? p.pick(U32_SPECIALS) : p.chance(0.2) ? p.int(256) : p.u32());
  const apsr = ((p.int(32) << 27) | (p.int(16) << 16)) >>> 0; // NZCVQ, GE
  // FPSCR: NZCV, AHP, DN, FZ, RMode, cumulative exception flags (IDC, IXC..IOC); Len/Stride 0.
  const fpscr = ((p.int(16) << 28) | (p.chance(0.2) ? 1 << 26 : 0) | (p.chance(0.3) ? 1 << 25 : 0) | (p.chance(0.3) ? 1 << 24 : 0) | (p.int(4) << 22) | (p.chance(0.3) ? p.int(256) & 0x9f : 0)) >>> 0;
  const d: [number, number][] = [];
  for (let i = 0; i < 16; i++) {
    const k = p.int(4);
    if (k === 0) d.push(p.pick(F64_SPECIALS).slice().reverse() as [number, number]);
    else if (k === 1) d.push([p.pick(F32_SPECIALS), p.pick(F32_SPECIALS)]);
    else if (k === 2) d.push([p.u32(), (p.int(0x800) << 20) | (p.u32() & 0xfffff)]);
    else d.push([p.chance(0.5) ? p.pick(F32_SPECIALS) : p.u32(), p.u32()]);
  }
  const q = new Prng((seed ^ 0x1b873593) >>> 0);
  const dHigh: [number, number][] = [];
  for (let i = 0; i < 16; i++) dHigh.push(q.chance(0.3) ? [q.pick(F32_SPECIALS), q.pick(F32_SPECIALS)] : [q.chance(0.3) ? q.pick(U32_SPECIALS) : q.u32(), q.u32()]);
  return { r, apsr, fpscr, d: d.map(([lo, hi]) => [lo >>> 0, hi >>> 0]), dHigh: dHigh.map(([lo, hi]) => [lo >>> 0, hi >>> 0]), scratchSeed: p.u32() | 1 };
}
