import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Encoding } from '../../../src/arch/arm/decode-table.js';
import { a32ControlEncodings, coprocessorEncodings, t16ControlEncodings, t32ControlEncodings } from '../../../src/arch/arm/isa-control/index.js';
import { a32DataEncodings, t16DataEncodings, t32DataEncodings } from '../../../src/arch/arm/isa-data/index.js';
import { a32MemoryEncodings, t16MemoryEncodings, t32MemoryEncodings } from '../../../src/arch/arm/isa-memory/index.js';
import { vfpEncodings } from '../../../src/arch/arm/vfp/index.js';
import type { CpuFeatures } from '../../../src/arch/arm/cpu.js';
import { Mode } from '../../../src/arch/arm/modes.js';
import { CODE_BASE, makeHarness, RAM_BASE, type Harness } from '../../support/cpu-harness.js';
import { Prng } from '../../support/random-sequences/prng.js';

/**
 * Random instruction words, run one at a time from a random architectural state: whatever a word
 * does (UNDEFINED, abort, SVC, mode change, wild branch), the processor must handle it through
 * the guest's exception model; a host exception escaping the executor is a bug. Half of the words
 * are uniformly random, half are drawn from the decode tables' own patterns with random free
 * bits, which reaches the builders and semantics of every encoding.
 */

const WORDS_PER_SET = 50_000;
/** A fresh processor every so often, so a word that enabled the MMU or moved VBAR doesn't stick. */
const FRESH_EVERY = 500;
const MODES = [Mode.Usr, Mode.Fiq, Mode.Irq, Mode.Svc, Mode.Abt, Mode.Und, Mode.Sys];
/** With the Virtualization Extensions, Hyp mode too, and PL1/PL0 under random Hyp traps and stage 2. */
const EL2_MODES = [...MODES, Mode.Hyp, Mode.Hyp];
const EL2: CpuFeatures = { hasEl2: true, hasEl3: false, hasNeon: true };
const IT_STATES = [0x08, 0x04, 0x0c, 0x02, 0x1a, 0x66, 0xb5, 0xe8, 0x14, 0xd1];

interface Failure {
  readonly what: string;
  readonly message: string;
}

function fromPattern(p: Prng, encodings: readonly Encoding[], wide: boolean): number {
  const e = p.pick(encodings);
  const free = wide ? ~e.mask : ~e.mask & 0xffff;
  return ((p.u32() & free) | (e.value & e.mask)) >>> 0;
}

function randomizeState(h: Harness, p: Prng, thumb: boolean, el2: boolean): void {
  const cpu = h.cpu;
  cpu.setMode(p.pick(el2 ? EL2_MODES : MODES));
  if (el2) {
    // Random trap and routing controls (HCR.VM with a stage 2 table base somewhere in RAM: its
    // walks read whatever is there), the Hyp vectors in RAM.
    const cp15 = cpu.cp15;
    cp15.hcr = p.chance(0.5) ? p.u32() & 0x0fffffff : 0;
    cp15.hstr = p.chance(0.3) ? p.u32() & 0x3bfff : 0;
    cp15.hcptr = p.chance(0.3) ? p.u32() : 0;
    cp15.hdcr = p.chance(0.3) ? p.u32() & 0xfff : 0;
    cp15.vttbr = RAM_BASE + (p.u32() & 0xff000);
    cp15.vtcr = p.u32() & 0x3fcf;
    cp15.hvbar = RAM_BASE;
    cp15.translationControlChanged();
  }
  for (let i = 0; i < 15; i++) {
    const k = p.int(4);
    cpu.r[i] = k === 0 ? RAM_BASE + (p.u32() & 0xffffc) : k === 1 ? p.int(64) : p.u32() | 0;
  }
  cpu.nf = p.int(2);
  cpu.zf = p.int(2);
  cpu.cf = p.int(2);
  cpu.vf = p.int(2);
  cpu.qf = p.int(2);
  cpu.ge = p.int(16);
  cpu.thumb = thumb ? 1 : 0;
  cpu.itState = thumb && p.chance(0.2) ? p.pick(IT_STATES) : 0;
  cpu.vfp.fpscr = (p.u32() & 0xffc0009f) >>> 0 & ~(7 << 16) & ~(3 << 20);
  cpu.pc = CODE_BASE;
  cpu.waitingForInterrupt = false;
  cpu.stopRequested = 0;
}

function fuzz(thumb: boolean, seed: number, el2 = false): Failure[] {
  const p = new Prng(seed);
  const failures: Failure[] = [];
  const a32 = [...a32DataEncodings, ...a32MemoryEncodings, ...a32ControlEncodings, ...coprocessorEncodings, ...vfpEncodings];
  const t16 = [...t16DataEncodings, ...t16MemoryEncodings, ...t16ControlEncodings];
  const t32 = [...t32DataEncodings, ...t32MemoryEncodings, ...t32ControlEncodings, ...[...coprocessorEncodings, ...vfpEncodings].map((e) => ({ ...e, mask: e.mask | 0xf0000000, value: (e.value & 0x0fffffff) | 0xe0000000 }))];
  const fresh = (): Harness => {
    const harness = makeHarness({ thumb, ...(el2 ? { features: EL2 } : {}) });
    harness.cpu.cp15.vbar = RAM_BASE;
    return harness;
  };
  let h = fresh();
  for (let i = 0; i < WORDS_PER_SET; i++) {
    if (i % FRESH_EVERY === 0) h = fresh();
    let what: string;
    if (!thumb) {
      const word = p.chance(0.5) ? p.u32() : fromPattern(p, a32, true);
      h.writeWords(CODE_BASE, [word, 0xe320f000]); // the word, then NOP
      what = `A32 ${word.toString(16).padStart(8, '0')}`;
    } else {
      let hw1: number;
      let hw2: number;
      const k = p.int(4);
      if (k === 0) {
        hw1 = p.int(0x10000);
        hw2 = p.int(0x10000);
      } else if (k === 1) {
        hw1 = fromPattern(p, t16, false);
        hw2 = p.int(0x10000);
      } else {
        const w = fromPattern(p, t32, true);
        hw1 = w >>> 16;
        hw2 = w & 0xffff;
      }
      h.writeHalfwords(CODE_BASE, [hw1, hw2, 0xbf00, 0xbf00]);
      what = `T32 ${hw1.toString(16).padStart(4, '0')} ${hw2.toString(16).padStart(4, '0')}`;
    }
    randomizeState(h, p, thumb, el2);
    const state = `mode ${h.cpu.mode.toString(16)} it ${h.cpu.itState.toString(16)}`;
    try {
      h.run(2);
    } catch (e) {
      const err = e as Error;
      failures.push({ what: `${what} (${state})`, message: `${err.name}: ${err.message}` + (err.stack ? ` @ ${err.stack.split('\n')[1]?.trim()}` : '') });
      h = fresh();
    }
  }
  return failures;
}

function report(failures: Failure[]): string {
  const byMessage = new Map<string, string[]>();
  for (const f of failures) {
    const list = byMessage.get(f.message) ?? [];
    list.push(f.what);
    byMessage.set(f.message, list);
  }
  const lines = [`${failures.length} words raised host exceptions (${byMessage.size} distinct):`];
  for (const [message, words] of [...byMessage].slice(0, 25)) lines.push(`  ${message}\n      e.g. ${words.slice(0, 4).join('; ')}${words.length > 4 ? ` (+${words.length - 4})` : ''}`);
  return lines.join('\n');
}

for (const seed of [1, 2]) {
  test(`fuzz: ${WORDS_PER_SET} random A32 words (seed ${seed}) only ever raise guest exceptions`, () => {
    const failures = fuzz(false, seed);
    assert.equal(failures.length, 0, report(failures));
  });
  test(`fuzz: ${WORDS_PER_SET} random T32 halfword pairs (seed ${seed}) only ever raise guest exceptions`, () => {
    const failures = fuzz(true, 100 + seed);
    assert.equal(failures.length, 0, report(failures));
  });
}

test(`fuzz: ${WORDS_PER_SET} random A32 words with the Virtualization Extensions (Hyp mode, random HCR/HSTR/HCPTR/HDCR, stage 2) only ever raise guest exceptions`, () => {
  const failures = fuzz(false, 7, true);
  assert.equal(failures.length, 0, report(failures));
});
test(`fuzz: ${WORDS_PER_SET} random T32 halfword pairs with the Virtualization Extensions only ever raise guest exceptions`, () => {
  const failures = fuzz(true, 107, true);
  assert.equal(failures.length, 0, report(failures));
});
