/**
 * A long random-sequence campaign against QEMU:
 *   node dist/test/support/random-sequences/long-run.js --count 100000 [--start 1000000] [--batch 1000] [--bisect 30] [--profile neon]
 * Prints progress, then every mismatching seed with the first instruction after which Partita's
 * state differs from QEMU's (found by running every prefix of the sequence) and the registers
 * that differ. Reproduce one seed with --start SEED --count 1 --show.
 */
import { partitaAvailable, partitaCli } from '../emulators.js';
import { bisect, compareSeeds, describeStateDifference } from './compare.js';
import { generateSequence, type Profile } from './generator.js';

const args = process.argv.slice(2);
const opt = (name: string, fallback: number): number => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const count = opt('count', 10000);
const start = opt('start', 1_000_000);
const batchSize = opt('batch', 1000);
const maxBisect = opt('bisect', 30);
const profile: Profile = args.includes('--profile') && args[args.indexOf('--profile') + 1] === 'neon' ? 'neon' : 'base';

if (args.includes('--show')) {
  for (let s = start; s < start + count; s++) {
    const seq = generateSequence(s, undefined, profile);
    console.log(`seed ${s} (${seq.isa}):`);
    seq.items.forEach((item, i) => console.log(`  [${i}] ${item.join(' ; ')}`));
  }
}
if (!partitaAvailable()) {
  console.error(`partita: CLI not found at ${partitaCli()}`);
  process.exit(2);
}

const seeds = Array.from({ length: count }, (_, i) => start + i);
const t0 = Date.now();
const result = await compareSeeds(seeds, {
  batchSize,
  label: `long-${profile}`,
  profile,
  concurrency: 1,
  onBatch: (done, r) => console.error(`${done}/${count} sequences, ${r.mismatches.length} mismatches in this batch (${((Date.now() - t0) / 1000).toFixed(0)} s)`),
});
for (const e of result.runErrors) console.log(`run error: ${e}`);
console.log(`${result.count} sequences, ${result.mismatches.length} mismatches (QEMU ${result.qemuSeconds.toFixed(1)} s, Partita ${result.partitaSeconds.toFixed(1)} s)`);
for (const m of result.mismatches.slice(0, maxBisect)) {
  await bisect(m);
  console.log(`seed ${m.seed} (${m.isa}): first differing after item ${m.firstBadItem ?? '?'}: ${m.firstBadText ?? (m.firstBadItem === undefined ? '(no prefix mismatches when run alone: depends on earlier sequences)' : '')}`);
  console.log(`    ${describeStateDifference(m.expected, m.actual)}`);
}
if (result.mismatches.length > maxBisect) console.log(`(${result.mismatches.length - maxBisect} more mismatching seeds not bisected)`);
process.exitCode = result.mismatches.length > 0 || result.runErrors.length > 0 ? 1 : 0;
