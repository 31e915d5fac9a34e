import assert from 'node:assert/strict';
import { test } from 'node:test';
import { partitaAvailable, partitaCli } from '../support/emulators.js';
import { compareSeeds, mismatchReport } from '../support/random-sequences/compare.js';
import { generateSequence } from '../support/random-sequences/generator.js';

/**
 * Random Advanced SIMD sequences (the 'neon' profile of test/support/random-sequences/, instructions
 * from neon-generator.ts among ordinary ones), A32 and T32: D0-D31, FPSCR (QC included), the core
 * registers and the scratch memory must equal QEMU's after every sequence.
 * Longer campaigns: node dist/test/support/random-sequences/long-run.js --profile neon --count 100000.
 */

const SEEDS = Array.from({ length: 2000 }, (_, i) => i + 1);

test('neon sequences: 2000 A32/T32 Advanced SIMD sequences end in the same state as under QEMU', { timeout: 5 * 60_000 }, async () => {
  assert.ok(partitaAvailable(), `Partita CLI not found at ${partitaCli()}`);
  const r = await compareSeeds(SEEDS, { batchSize: 1000, label: 'neon', concurrency: 2, profile: 'neon' });
  assert.deepEqual(r.runErrors, []);
  const report = await mismatchReport(r, '--profile neon ');
  if (report !== undefined) assert.fail(report);
});

test('neon sequences: most items are Advanced SIMD instructions, none inside an IT block', () => {
  let neon = 0;
  let total = 0;
  for (let seed = 1; seed <= 200; seed++) {
    const s = generateSequence(seed, undefined, 'neon');
    assert.deepEqual(generateSequence(seed, undefined, 'neon'), s);
    for (const item of s.items) {
      total++;
      if (/^v(ld|st)\d|^v[a-z]+\.[a-z]?\d+ [dq]|^v(and|bic|orr|orn|eor|bsl|bit|bif|mov) [dq]/.test(item.at(-1)!)) neon++;
      // (The base items' VFP instructions use S0-S31 and D0-D15 only, and no Advanced SIMD data types.)
      const simd = /\bq\d+\b|\bd(1[6-9]|2\d|3[01])\b|^v(ld|st)[1-4]|\.[isup](8|16|64)\b|\.i32\b/;
      if (item[0]!.startsWith('it')) assert.ok(!item.some((l) => simd.test(l)), item.join(' ; '));
    }
  }
  assert.ok(neon > total / 2, `${neon} of ${total}`);
});
