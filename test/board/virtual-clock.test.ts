import assert from 'node:assert/strict';
import { test } from 'node:test';
import { NANOSECONDS_PER_INSTRUCTION, VirtualClock } from '../../src/board/virtual-clock.js';

test('virtual clock: time is instructions times NANOSECONDS_PER_INSTRUCTION plus idle time skipped', () => {
  let instructions = 1000;
  const clock = new VirtualClock(() => instructions, 0);
  assert.equal(clock.elapsedNanoseconds(), 1000 * NANOSECONDS_PER_INSTRUCTION);
  clock.skipTo(5000 * NANOSECONDS_PER_INSTRUCTION);
  assert.equal(clock.elapsedNanoseconds(), 5000 * NANOSECONDS_PER_INSTRUCTION);
  clock.skipTo(0); // never backwards
  assert.equal(clock.elapsedNanoseconds(), 5000 * NANOSECONDS_PER_INSTRUCTION);
  instructions = 1010;
  assert.equal(clock.elapsedNanoseconds(), 5010 * NANOSECONDS_PER_INSTRUCTION);
  assert.equal(clock.instructionsUntil(5020 * NANOSECONDS_PER_INSTRUCTION), 10);
  assert.equal(clock.instructionsUntil(0), 0);
  assert.equal(clock.unixTime(), 5010 * NANOSECONDS_PER_INSTRUCTION / 1e9);
});
