/**
 * Builds every guest program in guests/ (see guest-build.ts).
 *   node dist/test/support/build-guests.js [program...] [--jobs N]
 */
import { buildGuests } from '../../src/cli/guests/guest-build.js';

const args = process.argv.slice(2);
let jobs = 2;
const only: string[] = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--jobs') jobs = Number(args[++i]);
  else only.push(args[i]!);
}
try {
  await buildGuests({ jobs, log: (l) => console.log(l), ...(only.length ? { only } : {}) });
} catch (e) {
  console.error((e as Error).message);
  process.exitCode = 1;
}
