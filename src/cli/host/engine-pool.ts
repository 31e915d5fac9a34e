import { spawn } from 'node:child_process';
import { constants } from 'node:os';

/**
 * The size of V8's worker pool, which compiles the translated blocks (arch/arm/block-translator.ts)
 * with the optimising compiler while the guest runs. Node starts 4 workers whatever the host;
 * on a host with few cores they take turns with the thread that runs the guest. On 2 cores a
 * Linux boot (bench/linux-boot.ts, alternating runs) took 16.0-16.6 s with 4 workers and
 * 15.0-15.5 s with 1, though the one compiles fewer blocks at a time. So the CLI keeps a core
 * for the guest: one worker fewer than the host's cores, 4 at most (Node's own size).
 */
const NODE_POOL_SIZE = 4;
const POOL_OPTION = '--v8-pool-size';

/**
 * The Node options to start the CLI with so its pool fits a host with `cores` cores: none when
 * Node's own size fits or a pool size was given already (in `execArgv` or NODE_OPTIONS).
 */
export function enginePoolOptions(execArgv: readonly string[], nodeOptions: string | undefined, cores: number): string[] {
  const given = [...execArgv, ...(nodeOptions ?? '').split(/\s+/)].some((option) => option.startsWith(POOL_OPTION));
  const size = Math.min(NODE_POOL_SIZE, Math.max(1, cores - 1));
  return given || size === NODE_POOL_SIZE ? [] : [`${POOL_OPTION}=${size}`];
}

/**
 * Runs this script again in a Node started with `options` (the pool is sized when Node starts),
 * with the same arguments and standard streams, and resolves with its exit status (128 + the
 * signal's number when a signal ended it). SIGINT, SIGTERM and SIGHUP sent to this process are
 * passed on; the new one ends if this one is killed (endWithLauncher).
 */
export function relaunch(options: readonly string[]): Promise<number> {
  const child = spawn(process.execPath, [...options, ...process.execArgv, ...process.argv.slice(1)], {
    stdio: ['inherit', 'inherit', 'inherit', 'ipc'],
  });
  const forward = (signal: NodeJS.Signals): void => {
    child.kill(signal);
  };
  const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  for (const signal of signals) process.on(signal, forward);
  return new Promise((resolve) => {
    child.on('error', (e) => {
      process.stderr.write(`partita: cannot start Node again (${e.message})\n`);
      resolve(1);
    });
    child.on('exit', (code, signal) => {
      for (const s of signals) process.off(s, forward);
      resolve(code ?? 128 + (signal === null ? 0 : constants.signals[signal]));
    });
  });
}

/** In a Node started by relaunch: ends this process when the launcher's goes (its IPC channel closes). */
export function endWithLauncher(): void {
  if (process.channel === undefined) return;
  process.channel.unref();
  process.on('disconnect', () => process.exit(128 + constants.signals.SIGHUP));
}
