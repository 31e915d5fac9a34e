import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import * as net from 'node:net';
import { spawn } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { ROOT } from '../../src/cli/host/repo-paths.js';
import { runProcess } from '../../src/cli/host/run-process.js';
import { partitaCli } from '../support/emulators.js';

const scratch = (): string => mkdtempSync(join(tmpdir(), 'partita-up-'));

test('partita up: a bad system description is reported one problem a line, exit status 2, no stack trace', async () => {
  const dir = scratch();
  const file = join(dir, 'bad.yaml');
  writeFileSync(file, `
board: { cpus: 2, memory: 64M }
vms:
  - { name: a, cpus: [0], memory: [{ base: 0x40000000, size: 32M }, { base: 0x41000000, size: 16M }], kernel: missing.elf, scheduling: { budget-us: 600, period-us: 1000 } }
  - { name: b, cpus: [0], memory: [{ base: 0x40000000, size: 32M }], kernel: missing.elf, scheduling: { budget-us: 600, period-us: 1000 } }
`);
  const result = await runProcess(process.execPath, [partitaCli(), 'up', file], { timeoutMs: 60_000 });
  const err = result.stderr.toString();
  assert.equal(result.status, 2, err);
  assert.doesNotMatch(err, /^\s+at /m);
  assert.match(err, /vms\[0\]\.kernel: no such file: .*missing\.elf/);
  assert.match(err, /vms\[0\]\.memory\[1\]: .*overlaps/);
  assert.match(err, /physical CPU 0 is over-committed: .* sum to 120% \(a 60%, b 60%\)/);
  assert.match(err, /over-commit|exceeds|more than/i);
});

test('partita up: the real-time VM alone reports 0 misses each second, its console also on a TCP port; --stats measures it', { timeout: 300_000 }, async () => {
  const dir = scratch();
  const port = 20_000 + (process.pid % 20_000);
  const file = join(dir, 'rt.yaml');
  writeFileSync(file, `
board: { cpus: 1, memory: 32M }
vms:
  - { name: rt, cpus: [0], memory: [{ base: 0x40000000, size: 16M }], kernel: "guests:rt-control-uart", console: { tcp-port: ${port} } }
`);
  const child = spawn(process.execPath, [partitaCli(), 'up', file, '--max-virtual-seconds', '3.1', '--stats'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  let fromSocket = '';
  const connect = (): void => {
    const socket = net.connect(port, '127.0.0.1');
    socket.on('data', (d) => (fromSocket += d.toString()));
    socket.on('error', () => setTimeout(connect, 50));
  };
  connect();
  const status = await new Promise<number | null>((done) => child.on('close', done));
  assert.equal(status, 0, stderr);
  const reports = stdout.split('\n').filter((l) => /^rt \| rt-control: periods=\d+ misses=/.test(l));
  assert.deepEqual(reports.map((l) => /periods=(\d+) misses=(\d+)/.exec(l)!.slice(1)), [['1000', '0'], ['2000', '0'], ['3000', '0']], stdout);
  assert.match(fromSocket, /rt-control: periods=\d+000 misses=0/);
  assert.match(stderr, /stopped at 3\.100 s of virtual time/);
  assert.match(stderr, /rt: running, \d+ guest instructions, \d+ hypervisor cycles .*traps wfi\/wfe=3\d\d\d data-abort=\d+, 3\d\d\d interrupts/);
});

const STRESS = 'i=0; while [ $i -lt 20 ]; do dd if=/dev/zero bs=64k count=32 2>/dev/null | md5sum >/dev/null; i=$((i+1)); done; echo stress-$i-done\n';

/** `partita up` of a system with VMs `linux` and `rt` and the stress loop typed at Linux's console; its output after the run. */
async function runLinuxBesideRt(upArgs: string[], virtualSeconds: number): Promise<{ out: string; err: string; reports: string[] }> {
  const script = join(scratch(), 'input');
  writeFileSync(script, STRESS);
  const result = await runProcess(process.execPath, [partitaCli(), ...upArgs, '--max-virtual-seconds', String(virtualSeconds), '--stats'], {
    timeoutMs: 850_000,
    stdinFile: script,
  });
  const out = result.stdout.toString();
  const err = result.stderr.toString();
  assert.equal(result.status, 0, err);
  assert.match(out, /Run \/init as init process/);
  assert.match(out, /stress-20-done/, out.slice(-2000));
  // rt's lines are prefixed; the focused Linux console is raw, so one may follow its prompt on a line.
  const reports = out.match(/rt +\| rt-control: periods=\d+ misses=\d+ /g) ?? [];
  assert.ok(reports.length >= virtualSeconds - 1, out.slice(-2000));
  for (const line of reports) assert.match(line, / misses=0 $/);
  assert.match(err, /linux: running, \d+ guest instructions/);
  return { out, err, reports };
}

/**
 * The must-show of issue 6, as `npm start` runs it (package.json's start script) for 20 s of
 * virtual time: Linux reaches its shell and runs a CPU and memory stress loop typed at its
 * console while rt reports 0 deadline misses every second.
 */
test('npm start (partita up examples/mixed-criticality.yaml) for 20 s: Linux reaches its shell and runs a stress loop; rt misses no deadline', { timeout: 900_000 }, async () => {
  const start = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: { start: string } }).scripts.start.split(' ');
  assert.deepEqual(start.slice(0, 4), ['node', 'bin/partita.js', 'up', 'examples/mixed-criticality.yaml']);
  const { reports } = await runLinuxBesideRt([...start.slice(2, 3), join(ROOT, start[3]!), ...start.slice(4)], 20);
  assert.ok(reports.length >= 19);
});

/** examples/shared-cpu.yaml: the same two VMs on one physical CPU, rt under a reservation. */
test('partita up examples/shared-cpu.yaml: Linux and rt on one CPU; Linux runs its stress loop, rt misses no deadline', { timeout: 900_000 }, async () => {
  const { err } = await runLinuxBesideRt(['up', join(ROOT, 'examples', 'shared-cpu.yaml'), '--console', 'linux'], 10);
  assert.match(err, /linux: running, .* \d+ vCPU switches/);
  assert.match(err, /rt: running, .* \d+ vCPU switches/);
});
