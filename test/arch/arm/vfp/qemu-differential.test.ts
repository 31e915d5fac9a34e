import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { CODE_BASE, makeHarness } from '../../../support/cpu-harness.js';
import { vectorsHash } from './fixtures/generate-qemu-fixture.js';
import { generateVectors, OPS } from './fixtures/vfp-vectors.js';

/**
 * Differential test against QEMU 7.2 (qemu-system-arm -M virt -cpu cortex-a15): every vector of
 * fixtures/vfp-vectors.ts runs one VFP instruction on Partita, and D0 (D16), FPSCR must equal the
 * values QEMU produced for it (fixtures/vfp-qemu.txt.gz, made by generate-qemu-fixture.ts).
 */

const FIXTURE = fileURLToPath(new URL('../../../../../test/arch/arm/vfp/fixtures/vfp-qemu.txt.gz', import.meta.url));

interface Fixture {
  readonly words: number[];
  readonly hash: string;
  readonly results: number[][];
}

function loadFixture(): Fixture {
  const lines = gunzipSync(readFileSync(FIXTURE)).toString().split('\n');
  const words: number[] = [];
  let hash = '';
  const results: number[][] = [];
  for (const line of lines) {
    if (line === '' || line.startsWith('#')) continue;
    if (line.startsWith('vectors ')) hash = line.split(' ')[2]!;
    else if (line.startsWith('op ')) words.push(parseInt(line.split(' ')[2]!, 16) | 0);
    else results.push(line.split(' ').map((x) => parseInt(x, 16) | 0));
  }
  return { words, hash, results };
}

const hex = (x: number): string => (x >>> 0).toString(16).padStart(8, '0');

test('VFP results, FPSCR flags included, match QEMU for every fixture vector', () => {
  const fixture = loadFixture();
  const vectors = generateVectors();
  assert.equal(fixture.hash, vectorsHash(vectors), 'fixture is stale: rerun generate-qemu-fixture --generate');
  assert.equal(fixture.results.length, vectors.length);
  assert.equal(fixture.words.length, OPS.length);

  const h = makeHarness();
  const { cpu } = h;
  const w = cpu.vfp.words;
  const failures = new Map<number, string[]>();
  let currentOp = -1;
  vectors.forEach((v, i) => {
    if (v.op !== currentOp) {
      currentOp = v.op;
      h.writeWords(CODE_BASE, [fixture.words[v.op]!]);
    }
    for (let k = 0; k < 6; k++) {
      w[k] = v.input[k]!;
      w[32 + k] = v.input[k]!;
    }
    cpu.vfp.fpscr = v.fpscr;
    cpu.pc = CODE_BASE;
    h.run(1);
    const expected = fixture.results[i]!;
    const actual = [w[0]!, w[1]!, cpu.vfp.fpscr];
    if (OPS[v.op]!.high) actual.push(w[32]!, w[33]!);
    const undefinedInstr = cpu.pc !== CODE_BASE + 4;
    if (undefinedInstr || actual.some((x, k) => x !== expected[k])) {
      const list = failures.get(v.op) ?? [];
      failures.set(v.op, list);
      if (list.length < 4) {
        list.push(
          `in ${v.input.map(hex).join(' ')} fpscr ${hex(v.fpscr)}: expected ${expected.map(hex).join(' ')}, got ${undefinedInstr ? 'UNDEFINED' : actual.map(hex).join(' ')}`,
        );
      } else {
        list.push('');
      }
    }
  });
  const report = [...failures].map(([op, list]) =>
    `${OPS[op]!.asm}: ${list.length} mismatches\n    ${list.filter((l) => l).join('\n    ')}`);
  assert.equal(report.length, 0, `\n${report.join('\n')}`);
});
