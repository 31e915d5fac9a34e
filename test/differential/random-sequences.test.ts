import assert from 'node:assert/strict';
import { test } from 'node:test';
import { partitaAvailable, partitaCli } from '../support/emulators.js';
import { compareSeeds, mismatchReport } from '../support/random-sequences/compare.js';
import { generateSequence } from '../support/random-sequences/generator.js';

/**
 * Random A32/T32 instruction sequences (test/support/random-sequences/) from fixed seeds: the final
 * core, flag, FPSCR, D-register and memory state must equal QEMU's after every sequence.
 * Longer campaigns: node dist/test/support/random-sequences/long-run.js --count 100000.
 */

const SEEDS = Array.from({ length: 10000 }, (_, i) => i + 1);

test('random sequences: 10000 A32/T32 sequences end in the same state as under QEMU', { timeout: 5 * 60_000 }, async () => {
  assert.ok(partitaAvailable(), `Partita CLI not found at ${partitaCli()}`);
  const r = await compareSeeds(SEEDS, { batchSize: 1000, label: 'ci', concurrency: 2 });
  assert.deepEqual(r.runErrors, []);
  const report = await mismatchReport(r, '');
  if (report !== undefined) assert.fail(report);
});

test('random sequences: a seed always gives the same sequence; IT blocks hold 1-4 instructions', () => {
  for (let seed = 1; seed <= 300; seed++) {
    const a = generateSequence(seed);
    assert.deepEqual(generateSequence(seed), a);
    assert.equal(a.isa, seed % 2 === 0 ? 'arm' : 'thumb');
    for (const item of a.items) {
      if (!item[0]!.startsWith('it')) continue;
      assert.equal(item.length - 1, item[0]!.split(' ')[0]!.length - 1, `seed ${seed}: ${item.join(' ; ')}`);
    }
  }
});
