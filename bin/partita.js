#!/usr/bin/env node
import { availableParallelism } from 'node:os';
import { endWithLauncher, enginePoolOptions, relaunch } from '../dist/src/cli/host/engine-pool.js';

const poolOptions = enginePoolOptions(process.execArgv, process.env.NODE_OPTIONS, availableParallelism());
if (poolOptions.length > 0) {
  process.exitCode = await relaunch(poolOptions);
} else {
  endWithLauncher();
  const { tuneEngineForTranslatedCode } = await import('../dist/src/cli/host/engine-tuning.js');
  const { main } = await import('../dist/src/cli/main.js');
  tuneEngineForTranslatedCode();
  process.exitCode = await main(process.argv.slice(2));
}
