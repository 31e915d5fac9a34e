import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { partitaCli, runQemu } from '../support/emulators.js';
import { GUESTS_DIR } from '../../src/cli/host/repo-paths.js';
import { runProcess } from '../../src/cli/host/run-process.js';

const demo = join(GUESTS_DIR, 'demo', 'demo.elf');
const partita = (args: readonly string[]) => runProcess(process.execPath, [partitaCli(), ...args], { timeoutMs: 60_000 });

test('partita run: the demo prints exactly what qemu-system-arm prints, with the same exit status', async () => {
  const [ours, reference] = await Promise.all([partita(['run', '--kernel', demo, '--semihosting', '--mem', '128M']), runQemu(demo)]);
  assert.equal(ours.stdout.toString(), reference.stdout);
  assert.equal(ours.status, reference.status);
  assert.match(ours.stdout.toString(), /primes below 100000: 9592/);
});

test('partita run: --stats reports instructions, time, MIPS and peak host memory on stderr', async () => {
  const result = await partita(['run', '--kernel', demo, '--semihosting', '--stats']);
  assert.match(result.stderr.toString(), /^partita: \d+ instructions in \d+\.\d{3} s, \d+\.\d MIPS$/m);
  assert.match(result.stderr.toString(), /^partita: peak host memory \d+ MiB \(resident\)$/m);
});

test('partita run: --max-insns stops the guest with status 124 after exactly that many instructions', async () => {
  const result = await partita(['run', '--kernel', demo, '--semihosting', '--max-insns', '10000', '--stats']);
  assert.equal(result.status, 124);
  assert.match(result.stderr.toString(), /^partita: 10000 instructions/m);
});

test('partita run: user errors are one line on stderr with status 2, never a stack trace', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'partita-cli-'));
  const truncated = join(dir, 'truncated.elf');
  writeFileSync(truncated, readFileSync(demo).subarray(0, 100));
  // The demo with its first PT_LOAD segment moved below RAM (p_paddr = 0x10000000).
  const lowImage = join(dir, 'low.elf');
  const low = Buffer.from(readFileSync(demo));
  let header = low.readUInt32LE(28);
  while (low.readUInt32LE(header) !== 1) header += low.readUInt16LE(42);
  low.writeUInt32LE(0x10000000, header + 12);
  writeFileSync(lowImage, low);
  const cases: [string[], RegExp][] = [
    [['run', '--kernel', join(dir, 'missing.elf')], /cannot read kernel .*no such file/],
    [['run', '--kernel', truncated], /truncated\.elf: .*(past the end|truncated)/],
    [['run', '--kernel', join(GUESTS_DIR, 'demo', 'demo.c')], /not an ELF file/],
    [['run', '--kernel', demo, '--mem', 'lots'], /invalid memory size 'lots'/],
    [['run', '--kernel', lowImage, '--semihosting'], /low\.elf: segment at 0x10000000-.* is outside RAM/],
    [['run', '--kernel', demo, '--max-insns', '-5'], /invalid --max-insns/],
    [['run'], /required option '--kernel <file>'/],
    [['launch'], /unknown command 'launch'/],
  ];
  for (const [args, message] of cases) {
    const result = await partita(args);
    const stderr = result.stderr.toString();
    assert.equal(result.status, 2, `${args.join(' ')}: ${stderr}`);
    assert.match(stderr, message);
    assert.doesNotMatch(stderr, /\n\s+at /, 'no stack trace');
  }
});

test('demo image: guests/demo/demo.elf is what guests/demo/build.sh makes from the committed source', () => {
  const dir = mkdtempSync(join(tmpdir(), 'partita-demo-'));
  const rebuilt = join(dir, 'demo.elf');
  execFileSync('sh', [join(GUESTS_DIR, 'demo', 'build.sh'), rebuilt]);
  assert.ok(readFileSync(rebuilt).equals(readFileSync(demo)), 'rebuild guests/demo/demo.elf with guests/demo/build.sh');
});

test('partita run: when the reader of stdout goes away the run ends with status 141 and no stack trace', async () => {
  const { spawn } = await import('node:child_process');
  const child = spawn(process.execPath, [partitaCli(), 'run', '--kernel', demo, '--semihosting'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
  child.stdout.once('data', () => child.stdout.destroy());
  const status = await new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  assert.equal(status, 141);
  assert.equal(stderr, '');
});
