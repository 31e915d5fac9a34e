#!/usr/bin/env node
import { tuneEngineForTranslatedCode } from '../dist/src/cli/host/engine-tuning.js';
import { main } from '../dist/src/cli/main.js';

tuneEngineForTranslatedCode();
process.exitCode = await main(process.argv.slice(2));
