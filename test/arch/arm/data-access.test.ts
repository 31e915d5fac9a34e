import assert from 'node:assert/strict';
import { test } from 'node:test';
import { makeHarness, RAM_BASE } from '../../support/cpu-harness.js';

const DATA = RAM_BASE + 0x20000;
const DATA_PAGE = (DATA - RAM_BASE) >>> 12;

/** A harness whose bus counts the writes it reports to a page with decoded code. */
function countingCodeWrites(): { h: ReturnType<typeof makeHarness>; written: number[] } {
  const h = makeHarness();
  const written: number[] = [];
  h.bus.codeWritten = (page) => written.push(page);
  return { h, written };
}

test('data access: every store to a page that holds decoded code is reported, none taking the fast path', () => {
  const { h, written } = countingCodeWrites();
  h.bus.codePages[DATA_PAGE] = 1; // stays set: this bus's codeWritten keeps the decoded code
  for (let i = 0; i < 3; i++) h.cpu.mem.store32(DATA + 4 * i, i);
  assert.deepEqual(written, [DATA_PAGE, DATA_PAGE, DATA_PAGE]);
  assert.equal(h.cpu.mem.load32(DATA + 8), 2);
});

test('data access: a page whose stores took the fast path reports them once it comes to hold code', () => {
  const { h, written } = countingCodeWrites();
  h.cpu.mem.store32(DATA, 1); // the full way, which fills the fast path's entry
  h.cpu.mem.store32(DATA + 4, 2);
  assert.deepEqual(written, []);
  h.executor.cache.watch(DATA); // the page now holds code (PhysicalBus.codeMarked)
  h.cpu.mem.store32(DATA + 8, 3);
  assert.deepEqual(written, [DATA_PAGE]);
});
