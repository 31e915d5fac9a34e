import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CODE_BASE, makeHarness, RAM_BASE } from '../../support/cpu-harness.js';

/**
 * Translated blocks against the interpreter: the same random sequences (data processing with
 * every operation, operand form and shift type, with and without S, under random conditions or
 * in random IT blocks; single loads and stores of every size, addressing mode and offset form) run as a loop on a
 * processor that translates it at once and on one that never does, and must leave the same
 * registers, flags and memory. Translated blocks embed the instructions' source with literal
 * operands (semantics-call.ts) where the interpreter runs closures compiled from it with operand
 * parameters, so this checks the two forms against each other.
 */

/** DecodeState.Arm and DecodeState.Thumb (a const enum in decode-cache.ts). */
const ARM_STATE = 0;
const THUMB_STATE = 1;
const PASSES = 12;
const SEQUENCES = 150;
const LENGTH = 24;

/** A loop's code, and whether it accesses memory (its base registers then point into the data area). */
interface Code {
  readonly words?: number[];
  readonly halfwords?: number[];
  readonly memory?: boolean;
}

/** A fixed pseudo-random sequence. */
function generator(seed: number): (n: number) => number {
  let state = seed;
  return (n) => {
    state = (Math.imul(state, 1103515245) + 12345) | 0;
    return ((state >>> 8) % n) >>> 0;
  };
}

/** A random A32 data-processing instruction: Rd never the PC; Rn and Rm may be (read as PC + 8), except in the register-shifted form. */
function randomA32(random: (n: number) => number): number {
  const cond = random(15);
  const op = random(16);
  const test = op >= 8 && op <= 11; // TST..CMN: S = 1, Rd = 0
  const move = op === 13 || op === 15; // MOV, MVN: Rn = 0
  const form = random(3);
  const rn = move ? 0 : form === 2 ? random(15) : random(16);
  const rd = test ? 0 : random(15);
  const head = ((cond << 28) | (op << 21) | ((test ? 1 : random(2)) << 20) | (rn << 16) | (rd << 12)) >>> 0;
  if (form === 0) return (head | (1 << 25) | (random(16) << 8) | random(256)) >>> 0;
  if (form === 1) return (head | (random(32) << 7) | (random(4) << 5) | random(16)) >>> 0;
  return (head | (random(15) << 8) | (random(4) << 5) | (1 << 4) | random(15)) >>> 0;
}

/** T32 data-processing opcodes (A6.3.1, A6.3.11) with their test forms (Rd = PC, S = 1) left out. */
const T32_OPS = [0b0000, 0b0001, 0b0010, 0b0011, 0b0100, 0b1000, 0b1010, 0b1011, 0b1101, 0b1110];

/** A random T32 data-processing instruction (modified immediate or shifted register) on R0-R12, as two halfwords. */
function randomT32(random: (n: number) => number): [number, number] {
  const op = T32_OPS[random(T32_OPS.length)]!;
  const s = random(2);
  const rn = random(13);
  const rd = random(13);
  if (random(2) === 0) {
    const imm12 = random(4096);
    const valid = (imm12 >>> 10) !== 0 || ((imm12 >>> 8) & 3) === 0 || (imm12 & 0xff) !== 0;
    const imm = valid ? imm12 : imm12 | 1;
    return [0xf000 | ((imm >>> 11) << 10) | (op << 5) | (s << 4) | rn, (((imm >>> 8) & 7) << 12) | (rd << 8) | (imm & 0xff)];
  }
  const imm5 = random(32);
  return [0xea00 | (op << 5) | (s << 4) | rn, ((imm5 >>> 2) << 12) | (rd << 8) | ((imm5 & 3) << 6) | (random(4) << 4) | random(13)];
}

/** Where the load/store sequences' base registers (R0-R3) point at the start. */
const DATA = CODE_BASE + 0x40000;

/**
 * A random A32 single load or store (A5.3): word or byte (immediate or register offset), halfword
 * or signed byte/halfword (immediate or register offset), offset, pre-indexed or post-indexed;
 * Rn is R0-R3, Rm R4-R5 (small values), Rt R6-R12. Post-indexed word and byte forms with W = 1
 * are the unprivileged LDRT/STRT and friends.
 */
function randomLoadStore(random: (n: number) => number): number {
  const p = random(2);
  const u = random(2);
  const w = random(2);
  const n = random(4);
  const t = 6 + random(7);
  const m = 4 + random(2);
  const head = (0xe << 28) | (p << 24) | (u << 23) | (w << 21) | (n << 16) | (t << 12);
  if (random(2) === 0) {
    const l = random(2);
    const b = random(2);
    if (random(2) === 0) return (head | (1 << 26) | (b << 22) | (l << 20) | random(64)) >>> 0;
    return (head | (3 << 25) | (b << 22) | (l << 20) | (random(3) << 7) | (random(4) << 5) | m) >>> 0;
  }
  // LDRH/STRH, LDRSB, LDRSH: SH = 01 either way, 10 and 11 for loads only.
  const l = random(2);
  const sh = l === 1 ? 1 + random(3) : 1;
  const form = (1 << 7) | (sh << 5) | (1 << 4) | (l << 20);
  if (random(2) === 0) {
    const imm8 = random(64);
    return (head | (1 << 22) | form | ((imm8 >>> 4) << 8) | (imm8 & 0xf)) >>> 0;
  }
  return (head | form | m) >>> 0;
}

/**
 * A random A32 instruction of another kind a block embeds as source: LDM/STM and LDRD/STRD on
 * R13 (word aligned) with R6-R12 as data registers, MOVW/MOVT, MUL/MLA/MLS, the long multiplies,
 * SDIV/UDIV, the extends (rotated, with and without accumulation), bit-field extract and insert,
 * CLZ and the reversals, NOP, DMB, and a forward conditional branch (B or BL) at index `i` that
 * stays inside the loop (a side exit when taken).
 */
function randomOther(random: (n: number) => number, i: number): number {
  const cond = random(15);
  const head = cond << 28;
  const rd = 6 + random(7);
  const rn = random(13);
  const rm = random(13);
  switch (random(12)) {
    case 0: {
      const list = (random(127) + 1) << 6;
      return (head | (0b100 << 25) | (random(4) << 23) | (random(2) << 21) | (random(2) << 20) | (13 << 16) | list) >>> 0;
    }
    case 1: return (head | (0x30 << 20) | (random(2) << 22) | (random(16) << 16) | (rd << 12) | random(4096)) >>> 0;
    case 2: {
      const op = [0b0000000, 0b0000001, 0b0000011][random(3)]!;
      const s = op === 0b0000011 ? 0 : random(2);
      const ra = op === 0 ? 0 : random(13);
      return (head | (op << 21) | (s << 20) | (rd << 16) | (ra << 12) | (random(13) << 8) | (0b1001 << 4) | random(13)) >>> 0;
    }
    case 3: return random(2) === 0 ? (head | 0x0320f000) >>> 0 : 0xf57ff05b;
    case 4: return ((random(14) << 28) | ((0b1010 | random(2)) << 24) | random(Math.min(4, LENGTH - i - 1))) >>> 0; // B<c> or BL<c>
    case 5: {
      // UMULL, UMLAL, SMULL, SMLAL, with and without S; RdLo != RdHi.
      const lo = 6 + random(3);
      return (head | 0x00800090 | (random(8) << 20) | ((lo + 1 + random(3)) << 16) | (lo << 12) | (rm << 8) | rn) >>> 0;
    }
    case 6: return (head | (random(2) === 0 ? 0x0730f010 : 0x0710f010) | (rd << 16) | (rm << 8) | rn) >>> 0; // UDIV, SDIV
    case 7: {
      // SXTB, SXTH, UXTB, UXTH and their accumulating forms (Rn = PC is the plain form).
      const op = [0b010, 0b011, 0b110, 0b111][random(4)]!;
      return (head | 0x06800070 | (op << 20) | ((random(2) === 0 ? 15 : rn) << 16) | (rd << 12) | (random(4) << 10) | rm) >>> 0;
    }
    case 8: {
      // UBFX, SBFX, BFI and BFC (Rn = PC), lsb + width <= 32.
      const lsb = random(32);
      const width = 1 + random(32 - lsb);
      if (random(2) === 0) return (head | (random(2) === 0 ? 0x07e00050 : 0x07a00050) | ((width - 1) << 16) | (rd << 12) | (lsb << 7) | rn) >>> 0;
      return (head | 0x07c00010 | ((lsb + width - 1) << 16) | (rd << 12) | (lsb << 7) | (random(2) === 0 ? 15 : rn)) >>> 0;
    }
    case 9: return (head | [0x016f0f10, 0x06bf0f30, 0x06bf0fb0, 0x06ff0f30, 0x06ff0fb0][random(5)]! | (rd << 12) | rm) >>> 0; // CLZ, REV, REV16, RBIT, REVSH
    case 10: {
      // LDRD, STRD (immediate) on R13: offset, pre-indexed or post-indexed, Rt even.
      const p = random(2);
      const w = p === 1 ? random(2) : 0;
      const imm = 4 * random(16);
      return (head | (p << 24) | (random(2) << 23) | (1 << 22) | (w << 21) | (13 << 16) | ((6 + 2 * random(3)) << 12) |
        ((imm >>> 4) << 8) | (random(2) === 0 ? 0xd0 : 0xf0) | (imm & 0xf)) >>> 0;
    }
    default: return randomLoadStore(random);
  }
}

/** A random 16-bit data-processing instruction on R0-R7 (A6.2.1): inside an IT block only CMP/CMN/TST set flags. */
function randomT16(random: (n: number) => number): number {
  const rd = random(8);
  const rn = random(8);
  switch (random(5)) {
    case 0: return 0x1c00 | (random(2) << 9) | (random(8) << 6) | (rn << 3) | rd; // ADD/SUB (3-bit immediate)
    case 1: return 0x2000 | (random(2) << 11) | (rd << 8) | random(256); // MOV/CMP (immediate)
    case 2: return 0x3000 | (random(2) << 11) | (rd << 8) | random(256); // ADD/SUB (8-bit immediate)
    default: return 0x4000 | (random(16) << 6) | (rn << 3) | rd; // AND ... MVN (register)
  }
}

/**
 * A random IT block: IT with a condition other than AL and one to four Then/Else slots, each a
 * 16-bit or a 32-bit data-processing instruction. Returns its halfwords and its instruction count.
 */
function randomItBlock(random: (n: number) => number): [number[], number] {
  const firstcond = random(14);
  const slots = 1 + random(4);
  let mask = 1;
  for (let i = 1; i < slots; i++) mask = (mask << 1) | (random(2) === 0 ? firstcond & 1 : 1 - (firstcond & 1));
  // mask holds the slots' bits after the first, then the terminating 1; it fills IT[3:0] from the top.
  mask = (((mask & ((1 << (slots - 1)) - 1)) << 1) | 1) << (4 - slots);
  const halfwords = [0xbf00 | (firstcond << 4) | mask];
  for (let i = 0; i < slots; i++) halfwords.push(...(random(2) === 0 ? [randomT16(random)] : randomT32(random)));
  return [halfwords, 1 + slots];
}

interface Outcome {
  /** R0-R14: R15 holds the PC as an instruction reads it only while one runs (cpu.ts), and a block does not keep it between them. */
  readonly registers: number[];
  readonly pc: number;
  readonly cpsr: number;
  readonly instructions: number;
  /** A checksum of the data area. */
  readonly data: number;
}

function runLoop(code: Code, length: number, seed: number, translate: boolean): Outcome {
  const h = makeHarness({ thumb: code.halfwords !== undefined });
  if (code.words !== undefined) h.writeWords(CODE_BASE, code.words);
  else h.writeHalfwords(CODE_BASE, code.halfwords!);
  h.executor.hotThreshold = translate ? 1 : 65535;
  const random = generator(seed);
  for (let i = 0; i < 15; i++) h.cpu.r[i] = [0, 1, 0x7fffffff, 0x80000000, -1][random(5)]! ^ (random(2) === 0 ? 0 : random(1 << 30) << random(3));
  if (code.memory === true) {
    for (let i = 0; i < 4; i++) h.cpu.r[i] = DATA + 0x4000 * i + random(64);
    for (let i = 4; i < 6; i++) h.cpu.r[i] = random(16);
    h.cpu.r[13] = DATA + 0x10000;
    h.writeWords(DATA - 0x8000, Array.from({ length: 0x8000 }, () => random(1 << 30) * 7));
  }
  h.cpu.nf = random(2);
  h.cpu.zf = random(2);
  h.cpu.cf = random(2);
  h.cpu.vf = random(2);
  h.run(PASSES * (length + 1));
  const loop = h.executor.cache.page(CODE_BASE, code.halfwords !== undefined ? THUMB_STATE : ARM_STATE)?.blocks?.[0];
  assert.equal(loop?.length, translate ? length + 1 : undefined, 'the loop runs as one translated block, or not at all');
  let data = 0;
  for (let i = DATA - 0x8000 - RAM_BASE; i < DATA + 0x18000 - RAM_BASE; i++) data = (Math.imul(data, 31) + h.bus.ram[i]!) | 0;
  return { registers: Array.from(h.cpu.r.subarray(0, 15)), pc: h.cpu.pc, cpsr: h.cpu.getCpsr(), instructions: h.cpu.instructionCount, data };
}

function assertSame(code: Code, length: number, seed: number, what: string): void {
  const translated = runLoop(code, length, seed, true);
  const interpreted = runLoop(code, length, seed, false);
  assert.deepEqual(translated, interpreted, what);
}

test('translated blocks: random A32 data-processing sequences end as the interpreter ends them', () => {
  const random = generator(7);
  for (let sequence = 0; sequence < SEQUENCES; sequence++) {
    const words = Array.from({ length: LENGTH }, () => randomA32(random));
    words.push((0xea000000 | ((-(LENGTH + 2)) & 0xffffff)) >>> 0); // b start
    assertSame({ words }, LENGTH, sequence, `sequence ${sequence}: ${words.map((w) => w.toString(16)).join(' ')}`);
  }
});

test('translated blocks: random T32 data-processing sequences end as the interpreter ends them', () => {
  const random = generator(11);
  for (let sequence = 0; sequence < SEQUENCES; sequence++) {
    const halfwords = Array.from({ length: LENGTH }, () => randomT32(random)).flat();
    halfwords.push(0xe000 | ((-(2 * LENGTH + 2) >> 0) & 0x7ff)); // b start (T2: offset in halfwords from PC + 4)
    assertSame({ halfwords }, LENGTH, sequence, `sequence ${sequence}: ${halfwords.map((w) => w.toString(16)).join(' ')}`);
  }
});

test('translated blocks: random Thumb sequences with IT blocks end as the interpreter ends them', () => {
  const random = generator(19);
  for (let sequence = 0; sequence < SEQUENCES; sequence++) {
    const halfwords: number[] = [];
    let count = 0;
    while (count < LENGTH) {
      const [more, instructions] = random(3) === 0 ? randomItBlock(random) : [randomT32(random), 1];
      halfwords.push(...more);
      count += instructions;
    }
    halfwords.push(0xe000 | (-(halfwords.length + 2) & 0x7ff)); // b start (T2: offset in halfwords from PC + 4)
    assertSame({ halfwords }, count, sequence, `sequence ${sequence}: ${halfwords.map((w) => w.toString(16)).join(' ')}`);
  }
});

test('translated blocks: random A32 load/store sequences end as the interpreter ends them (registers and memory)', () => {
  const random = generator(13);
  for (let sequence = 0; sequence < SEQUENCES; sequence++) {
    const words = Array.from({ length: LENGTH }, () => randomLoadStore(random));
    words.push((0xea000000 | ((-(LENGTH + 2)) & 0xffffff)) >>> 0); // b start
    assertSame({ words, memory: true }, LENGTH, sequence, `sequence ${sequence}: ${words.map((w) => w.toString(16)).join(' ')}`);
  }
});

test('translated blocks: random A32 sequences of LDM/STM, LDRD/STRD, MOVW/MOVT, multiplies, divides, extends, bit fields, reversals, hints and side exits end as the interpreter ends them', () => {
  const random = generator(17);
  for (let sequence = 0; sequence < SEQUENCES; sequence++) {
    const words = Array.from({ length: LENGTH }, (_, i) => (random(2) === 0 ? randomOther(random, i) : randomA32(random)));
    words.push((0xea000000 | ((-(LENGTH + 2)) & 0xffffff)) >>> 0); // b start
    assertSame({ words, memory: true }, LENGTH, sequence, `sequence ${sequence}: ${words.map((w) => w.toString(16)).join(' ')}`);
  }
});
