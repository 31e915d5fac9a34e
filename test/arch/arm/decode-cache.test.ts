import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DecodeCache, DecodeState } from '../../../src/arch/arm/decode-cache.js';

const RAM_BASE = 0x40000000;

function cacheOver(ramPages: number): { cache: DecodeCache; codePages: Uint8Array; marked: number[]; codeWritten: (page: number) => void } {
  const codePages = new Uint8Array(ramPages);
  const marked: number[] = [];
  const bus = { codePages, ramBase: RAM_BASE, codeMarked: [(page: number) => marked.push(page)], codeWritten: (_page: number): void => {} };
  const cache = new DecodeCache(bus);
  return { cache, codePages, marked, codeWritten: bus.codeWritten };
}

test('decode cache: one page per RAM page and decode state, made once and marked as code; none outside RAM', () => {
  const { cache, codePages, marked } = cacheOver(4);
  const arm = cache.page(RAM_BASE + 0x1004, DecodeState.Arm);
  assert.ok(arm !== undefined);
  assert.equal(cache.page(RAM_BASE + 0x1ffc, DecodeState.Arm), arm);
  assert.notEqual(cache.page(RAM_BASE + 0x1000, DecodeState.Thumb), arm);
  assert.notEqual(cache.page(RAM_BASE + 0x2000, DecodeState.Arm), arm);
  assert.deepEqual([...codePages], [0, 1, 1, 0]);
  assert.deepEqual(marked, [1, 2]);
  assert.equal(cache.page(RAM_BASE - 4, DecodeState.Arm), undefined);
  assert.equal(cache.page(RAM_BASE + 0x4000, DecodeState.Thumb), undefined);
});

test('decode cache: a written page goes in every state, with the Thumb pages before it (a 32-bit instruction may end in it)', () => {
  const { cache, codePages } = cacheOver(4);
  const states = [DecodeState.Arm, DecodeState.Thumb, DecodeState.ThumbInIt, DecodeState.ThumbLastInIt];
  const before = states.map((s) => cache.page(RAM_BASE + 0x1000, s));
  const written = states.map((s) => cache.page(RAM_BASE + 0x2000, s));
  const after = states.map((s) => cache.page(RAM_BASE + 0x3000, s));
  const generation = cache.generation;
  cache.invalidate(2);
  assert.equal(cache.generation, generation + 1);
  assert.equal(codePages[2], 0);
  states.forEach((s, i) => {
    assert.notEqual(cache.page(RAM_BASE + 0x2000, s), written[i], `written page, state ${s}`);
    const previous = cache.page(RAM_BASE + 0x1000, s);
    if (s === DecodeState.Arm) assert.equal(previous, before[i]);
    else assert.notEqual(previous, before[i], `page before, state ${s}`);
    assert.equal(cache.page(RAM_BASE + 0x3000, s), after[i], `page after, state ${s}`);
  });
});

test('decode cache: a second processor drops what was decoded for the first alone', () => {
  const { cache, codePages } = cacheOver(2);
  cache.addProcessor({ blockBreak: 0 });
  const page = cache.page(RAM_BASE, DecodeState.Arm);
  assert.equal(cache.oneProcessor, true);
  cache.addProcessor({ blockBreak: 0 });
  assert.equal(cache.oneProcessor, false);
  assert.equal(codePages[0], 0);
  assert.notEqual(cache.page(RAM_BASE, DecodeState.Arm), page);
});

test('decode cache: it takes the bus\'s codeWritten, which drops the page and ends the block of every processor', () => {
  const { cache, codeWritten } = cacheOver(2);
  const processors = [{ blockBreak: 0 }, { blockBreak: 0 }];
  for (const cpu of processors) cache.addProcessor(cpu);
  const page = cache.page(RAM_BASE + 0x1000, DecodeState.Arm);
  codeWritten(1);
  assert.notEqual(cache.page(RAM_BASE + 0x1000, DecodeState.Arm), page);
  assert.deepEqual(processors, [{ blockBreak: 1 }, { blockBreak: 1 }]);
});
