/**
 * Virtualization overhead (issue 6, "Overhead"): the same Linux workload bare on the virt board
 * and as the only VM under the Partita hypervisor (test/support/linux-overhead.ts). Prints, for
 * the workload window, the guest instructions and virtual time of each run, their ratios, and the
 * VM's traps by class, physical interrupts, world switches and hypervisor cycles.
 *   npm run bench:overhead [-- --rounds N]
 */
import { CLASS_NAMES } from '../src/cli/up/vm-report.js';
import { prepareOverheadRuns } from '../test/support/linux-overhead.js';

const roundsArg = process.argv.indexOf('--rounds');
const rounds = roundsArg >= 0 ? Number(process.argv[roundsArg + 1]) : 4000;

const runs = await prepareOverheadRuns(rounds);
const timed = <T>(run: () => T): { result: T; seconds: number } => {
  const started = performance.now();
  const result = run();
  return { result, seconds: (performance.now() - started) / 1000 };
};
const bare = timed(runs.bare);
const vm = timed(runs.inVm);
const b = bare.result.window;
const v = vm.result.window;
const traps = vm.result.trapsByClass
  .map((count, ec) => (count === 0 ? '' : `${CLASS_NAMES[ec] ?? `ec${ec.toString(16)}`}=${count}`))
  .filter((t) => t !== '')
  .join(' ');
const pad = (n: number): string => n.toLocaleString('en-US').padStart(15);
console.log(`Linux workload window (${rounds} rounds), 1 CPU, 192 MiB, the VM's device tree in both runs`);
console.log(`                    guest instructions   virtual ns        host s (whole run)`);
console.log(`  bare board        ${pad(b.guestInstructions)}   ${pad(b.nanoseconds)}   ${bare.seconds.toFixed(1)}`);
console.log(`  VM (Partita)      ${pad(v.guestInstructions)}   ${pad(v.nanoseconds)}   ${vm.seconds.toFixed(1)}`);
console.log(`  VM - bare         ${pad(v.guestInstructions - b.guestInstructions)}   ${pad(v.nanoseconds - b.nanoseconds)}`);
console.log(`  VM / bare         ${(v.guestInstructions / b.guestInstructions).toFixed(6).padStart(15)}   ${(v.nanoseconds / b.nanoseconds).toFixed(6).padStart(15)}`);
console.log(`  VM in the window: traps ${traps || 'none'}, ${vm.result.interrupts} physical interrupts, ${vm.result.worldSwitches} world switches, ${vm.result.hypervisorCycles} hypervisor cycles`);
const sums = (console: string): string => /sums \d+ \d+/.exec(console)?.[0] ?? 'no result';
console.log(`  timer ticks around the window: bare ${bare.result.timerTicks}, VM ${vm.result.timerTicks}`);
console.log(`  workload result: bare ${sums(bare.result.console)}, VM ${sums(vm.result.console)}`);
