import { spawn } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface ProcessResult {
  readonly stdout: Buffer;
  readonly stderr: Buffer;
  /** Exit status, or null when killed by a signal (see `signal`). */
  readonly status: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly timedOut: boolean;
  /** Wall time in seconds, measured around the child process. */
  readonly seconds: number;
}

/**
 * Runs a program to completion with stdin closed (or read from `stdinFile`), collecting its output; kills it after `timeoutMs`.
 * Output goes to temporary files, not pipes: QEMU's stdio chardev drops console output when a
 * pipe is full (seen under load as sequences missing from the middle of a run), a file never is.
 */
export function runProcess(
  command: string,
  args: readonly string[],
  options: { timeoutMs?: number; cwd?: string; stdinFile?: string } = {},
): Promise<ProcessResult> {
  const dir = mkdtempSync(join(tmpdir(), 'partita-run-'));
  const outPath = join(dir, 'stdout');
  const errPath = join(dir, 'stderr');
  const outFd = openSync(outPath, 'w');
  const errFd = openSync(errPath, 'w');
  const inFd = options.stdinFile === undefined ? undefined : openSync(options.stdinFile, 'r');
  const cleanup = (): void => {
    closeSync(outFd);
    closeSync(errFd);
    if (inFd !== undefined) closeSync(inFd);
  };
  return new Promise<ProcessResult>((resolve, reject) => {
    const started = process.hrtime.bigint();
    let child;
    try {
      child = spawn(command, args, { stdio: [inFd ?? 'ignore', outFd, errFd], cwd: options.cwd });
    } catch (e) {
      cleanup();
      rmSync(dir, { recursive: true, force: true });
      reject(e);
      return;
    }
    let timedOut = false;
    const timer =
      options.timeoutMs === undefined
        ? undefined
        : setTimeout(() => {
            timedOut = true;
            child.kill('SIGKILL');
          }, options.timeoutMs);
    child.on('error', (e) => {
      if (timer) clearTimeout(timer);
      cleanup();
      rmSync(dir, { recursive: true, force: true });
      reject(e);
    });
    child.on('close', (status, signal) => {
      if (timer) clearTimeout(timer);
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      cleanup();
      const stdout = readFileSync(outPath);
      const stderr = readFileSync(errPath);
      rmSync(dir, { recursive: true, force: true });
      resolve({ stdout, stderr, status, signal, timedOut, seconds });
    });
  });
}

/** Runs `jobs` with at most `limit` of them in flight; results keep the input order. */
export async function mapLimited<T, R>(items: readonly T[], limit: number, job: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      results[i] = await job(items[i]!, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
