import { runPartita, runQemu, type GuestRun } from '../emulators.js';
import { mapLimited } from '../../../src/cli/host/run-process.js';
import { generateSequence, type Profile, type Sequence } from './generator.js';
import { buildBatch, parseOutput, sequencesForSeeds } from './program.js';

/**
 * Runs batches of random sequences under QEMU and Partita and compares the final states
 * sequence by sequence; bisects a mismatching sequence to the first instruction (item) after
 * which the states differ.
 */

export interface Mismatch {
  readonly seed: number;
  readonly isa: string;
  readonly profile?: Profile;
  /** QEMU's and Partita's lines for this sequence (missing lines are absent). */
  readonly expected: readonly string[];
  readonly actual: readonly string[];
  /** Filled by bisect(): index of the first item whose inclusion makes the states differ. */
  firstBadItem?: number;
  firstBadText?: string;
}

export interface BatchResult {
  readonly count: number;
  readonly mismatches: Mismatch[];
  /** A problem with a whole run (crash, timeout, exit status). */
  readonly runErrors: string[];
  readonly qemuSeconds: number;
  readonly partitaSeconds: number;
}

function runSummary(who: string, run: GuestRun): string | null {
  if (run.timedOut) return `${who} timed out`;
  if (run.status !== 0) return `${who} exited with status ${run.status}: ${run.stderr.slice(-1500)}`;
  return null;
}

export async function compareBatch(seqs: readonly Sequence[], label: string, timeoutMs = 120_000): Promise<BatchResult> {
  const batch = await buildBatch(seqs, label);
  let [q, p] = await Promise.all([runQemu(batch.elf, timeoutMs), runPartita(batch.elf, timeoutMs)]);
  // One retry of a run that failed as a whole (a crash, a truncated output): what remains is reported.
  const complete = (r: GuestRun): boolean => !r.timedOut && r.status === 0 && /^done \d+$/m.test(r.stdout);
  if (!complete(q)) q = await runQemu(batch.elf, timeoutMs);
  if (!complete(p)) p = await runPartita(batch.elf, timeoutMs);
  const runErrors: string[] = [];
  const qe = runSummary('QEMU', q);
  if (qe) runErrors.push(`${label}: ${qe}`);
  const pe = runSummary('Partita', p);
  if (pe) runErrors.push(`${label} (${batch.elf}): ${pe}`);
  if (!/^done \d+$/m.test(q.stdout)) runErrors.push(`${label}: QEMU's output is incomplete (no "done" line)`);
  if (!pe && !/^done \d+$/m.test(p.stdout)) runErrors.push(`${label} (${batch.elf}): Partita's output is incomplete (no "done" line)`);
  const qo = parseOutput(q.stdout);
  const po = parseOutput(p.stdout);
  const mismatches: Mismatch[] = [];
  for (const s of seqs) {
    const key = s.label ?? s.seed;
    const e = qo.get(key) ?? [];
    const a = po.get(key) ?? [];
    if (e.length !== 3) {
      runErrors.push(`${label}: QEMU printed no state for sequence ${key}`);
      continue;
    }
    // A Partita run that failed as a whole is one run error, not thousands of mismatches.
    if (a.length === 0 && !complete(p)) continue;
    if (e.join('\n') !== a.join('\n')) mismatches.push({ seed: s.seed, isa: s.isa, profile: s.profile ?? 'base', expected: e, actual: a });
  }
  return { count: seqs.length, mismatches, runErrors, qemuSeconds: q.seconds, partitaSeconds: p.seconds };
}

/** Runs many seeds in batches of `batchSize`, two batches at a time. */
export async function compareSeeds(seeds: readonly number[], options: { batchSize?: number; label?: string; concurrency?: number; profile?: Profile; onBatch?: (done: number, r: BatchResult) => void } = {}): Promise<BatchResult> {
  const size = options.batchSize ?? 500;
  const batches: number[][] = [];
  for (let i = 0; i < seeds.length; i += size) batches.push(seeds.slice(i, i + size));
  let done = 0;
  const results = await mapLimited(batches, options.concurrency ?? 1, async (b, i) => {
    const r = await compareBatch(sequencesForSeeds(b, undefined, options.profile), `${options.label ?? 'seeds'}-${i}`);
    done += b.length;
    options.onBatch?.(done, r);
    return r;
  });
  return {
    count: seeds.length,
    mismatches: results.flatMap((r) => r.mismatches),
    runErrors: results.flatMap((r) => r.runErrors),
    qemuSeconds: results.reduce((s, r) => s + r.qemuSeconds, 0),
    partitaSeconds: results.reduce((s, r) => s + r.partitaSeconds, 0),
  };
}

/**
 * Finds the shortest prefix of a mismatching sequence that already mismatches: every prefix
 * (0..n items) runs as its own sequence in one ELF, labelled by its length.
 */
export async function bisect(m: Mismatch): Promise<Mismatch> {
  const full = generateSequence(m.seed, undefined, m.profile);
  const prefixes: Sequence[] = [];
  for (let k = 0; k <= full.items.length; k++) prefixes.push({ ...full, items: full.items.slice(0, k), label: k });
  const r = await compareBatch(prefixes, `bisect-${m.seed}`);
  const labels = new Set(r.mismatches.map((x) => Number((x.expected[0] ?? x.actual[0] ?? '-1').split(' ')[0])));
  let first = -1;
  for (let k = 0; k <= full.items.length; k++)
    if (labels.has(k)) {
      first = k;
      break;
    }
  if (first === 0) {
    m.firstBadItem = -1;
    m.firstBadText = '(the empty sequence already differs: harness or state load/capture)';
  } else if (first > 0) {
    m.firstBadItem = first - 1;
    m.firstBadText = full.items[first - 1]!.join(' ; ');
  }
  return m;
}

/** Names the registers/fields that differ between two state dumps. */
export function describeStateDifference(expected: readonly string[], actual: readonly string[]): string {
  const names: Record<string, string[]> = {
    R: ['r0', 'r1', 'r2', 'r3', 'r4', 'r5', 'r6', 'r7', 'r8', 'r9', 'r10', 'r11', 'r12', 'lr'],
    D: Array.from({ length: 32 }, (_, i) => `d${i}`),
  };
  const out: string[] = [];
  for (let i = 0; i < Math.max(expected.length, actual.length); i++) {
    const e = (expected[i] ?? '').split(' ');
    const a = (actual[i] ?? '').split(' ');
    if (e.join(' ') === a.join(' ')) continue;
    const kind = e[1] ?? a[1] ?? '?';
    for (let k = 2; k < Math.max(e.length, a.length); k++) {
      if (e[k] === a[k]) continue;
      const name = kind === 'F' ? (e[k] ?? a[k] ?? '').split('=')[0] : (names[kind]?.[k - 2] ?? `#${k}`);
      out.push(`${name}: qemu ${kind === 'F' ? e[k]?.split('=')[1] : e[k]} partita ${kind === 'F' ? a[k]?.split('=')[1] : a[k]}`);
    }
  }
  return out.join(', ') || 'missing output';
}

/**
 * A test failure message for the mismatches of `result`, or undefined when every sequence
 * matched: up to eight mismatches, each bisected to its first differing item. `profileOption`
 * is the long-run.js option that shows the same sequences ('' for the default profile).
 */
export async function mismatchReport(result: BatchResult, profileOption: string): Promise<string | undefined> {
  if (result.mismatches.length === 0) return undefined;
  const lines: string[] = [`${result.mismatches.length} of ${result.count} sequences differ from QEMU:`];
  for (const m of result.mismatches.slice(0, 8)) {
    await bisect(m);
    lines.push(`  seed ${m.seed} (${m.isa}), first differing after item ${m.firstBadItem ?? '?'}: ${m.firstBadText ?? '(only after earlier sequences)'}`);
    lines.push(`    ${describeStateDifference(m.expected, m.actual)}`);
  }
  lines.push(`  (show a sequence: node dist/test/support/random-sequences/long-run.js ${profileOption}--show --count 1 --start SEED)`);
  return lines.join('\n');
}
