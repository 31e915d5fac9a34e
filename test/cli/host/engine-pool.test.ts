import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { enginePoolOptions } from '../../../src/cli/host/engine-pool.js';
import { ROOT } from '../../../src/cli/host/repo-paths.js';

test('engine pool: one worker fewer than the cores, Node\'s 4 at most, and none asked for when given', () => {
  assert.deepEqual(enginePoolOptions([], undefined, 2), ['--v8-pool-size=1']);
  assert.deepEqual(enginePoolOptions([], undefined, 1), ['--v8-pool-size=1']);
  assert.deepEqual(enginePoolOptions([], undefined, 4), ['--v8-pool-size=3']);
  assert.deepEqual(enginePoolOptions([], undefined, 5), [], 'Node\'s own size fits');
  assert.deepEqual(enginePoolOptions(['--v8-pool-size=2'], undefined, 2), []);
  assert.deepEqual(enginePoolOptions([], '--max-old-space-size=512 --v8-pool-size=3', 2), []);
});

/**
 * A script that relaunches itself with a pool size, as bin/partita.js does; the relaunched one
 * prints its pid and then exits with the status in its first argument, or waits forever.
 */
function launcherScript(): string {
  const module = pathToFileURL(join(ROOT, 'dist', 'src', 'cli', 'host', 'engine-pool.js')).href;
  const path = join(mkdtempSync(join(tmpdir(), 'partita-pool-')), 'launcher.mjs');
  writeFileSync(path, `import { endWithLauncher, relaunch } from '${module}';
if (!process.execArgv.some((o) => o.startsWith('--v8-pool-size'))) {
  process.exitCode = await relaunch(['--v8-pool-size=1']);
} else {
  endWithLauncher();
  process.stdout.write(process.pid + '\\n');
  if (process.argv[2] === 'wait') setInterval(() => {}, 1000);
  else process.exitCode = Number(process.argv[2]);
}
`);
  return path;
}

function relaunched(args: readonly string[]) {
  const launcher = spawn(process.execPath, [launcherScript(), ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  const pid = new Promise<number>((resolve) => launcher.stdout.once('data', (d: Buffer) => resolve(Number(d.toString().trim()))));
  const status = new Promise<number | null>((resolve) => launcher.on('exit', (code) => resolve(code)));
  return { launcher, pid, status };
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

test('engine pool: the relaunched Node\'s exit status is the launcher\'s', async () => {
  const { pid, status } = relaunched(['7']);
  assert.ok((await pid) > 0);
  assert.equal(await status, 7);
});

test('engine pool: the relaunched Node ends when its launcher is killed, and gets its SIGTERM', async () => {
  const killed = relaunched(['wait']);
  const child = await killed.pid;
  killed.launcher.kill('SIGKILL');
  await killed.status;
  for (let i = 0; i < 100 && alive(child); i++) await new Promise((r) => setTimeout(r, 20));
  const gone = !alive(child);
  if (!gone) process.kill(child, 'SIGKILL');
  assert.ok(gone, 'the relaunched Node is gone');

  const terminated = relaunched(['wait']);
  await terminated.pid;
  terminated.launcher.kill('SIGTERM');
  assert.equal(await terminated.status, 128 + 15);
});
