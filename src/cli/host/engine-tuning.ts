import { setFlagsFromString } from 'node:v8';

/**
 * V8's tier-up, made sooner for the translated code (arch/arm/block-translator.ts). A new block
 * runs in V8's interpreter and baseline compiler until the engine optimises it, after a number
 * of "ticks" that grows with the function's bytecode size (3 + size / 150 by default, so 20 and
 * more for a block with its RAM fast paths); while it waits, a hot block runs several times
 * slower. Profiling the kernel phase of a Linux boot found about a fifth of the main thread in
 * unoptimised blocks. With optimisation after one tick whatever the size, and a smaller budget
 * per tick, a boot (bench/linux-boot.ts, alternating runs) took 22.3 s instead of 24.3 s.
 *
 * A block whose recorded types change (a way out taken for the first time, a new kind of value)
 * when it is due is put off: the engine gives it at least a number of further runs before
 * optimising it (`--minimum-invocations-after-ic-update`, 500 by default). Blocks meet new cases
 * often in their first runs, so they waited in the engine's interpreter for hundreds of runs more;
 * with 20, the kernel and workload phases of a Linux boot (earlycon console, medians of 5
 * alternating pairs) took 6.31 s instead of 6.45 s.
 *
 * On-stack replacement is off (`--no-use-osr`). With it, a block that loops in place was now and
 * then entered in baseline code at every run, going over to code optimised for its loop only
 * there, and was never optimised as a whole: the zImage decompressor of a Linux boot took 4.0-4.6
 * s instead of 2.6-2.8 s in about one run of eight (5 of 42 runs to 1.95 G instructions), and a
 * profile of one showed a block of its inner loop so. Without on-stack replacement none of 50
 * runs did; a block's optimised code is then used from its next run, and a loop runs in place
 * for a quantum of the board's at most. The kernel and workload phases took about as long or a
 * little longer (medians 6.21 and 6.26 s, then 6.25 and 6.31 s, in two sets of 6 alternating
 * pairs without and with the flag; 2 of the 12 runs without it had the slow decompressor).
 *
 * Loop peeling is off (`--no-turbo-loop-peeling`). The optimising compiler copies the first pass
 * of every loop out of it, and a block that loops in place is one loop around its whole body, so
 * each such block was compiled twice over. Without it, the engine's thread spent 2.49 s instead
 * of 2.62 s optimising the blocks of a Linux boot (1414 and 1411 compilations, `--trace-opt`),
 * and a boot (earlycon console, medians of 6 alternating pairs) took 9.18 s instead of 9.29 s,
 * its kernel and workload phases 6.14 s instead of 6.22 s (two more sets of 3 and 4 pairs: 9.38
 * and 9.47 s, 9.44 and 9.57 s).
 *
 * V8's inlining limits are left at their defaults: blocks embed their instructions' source, and
 * the calls left are the slow paths of memory accesses and rare instructions, which larger
 * limits only inline into every block (more compile time on the engine's threads, which share
 * the host's cores with the guest).
 *
 * The flags must be set before the hot code is compiled, so the CLI sets them first thing.
 */
const TIER_UP_FLAGS = [
  '--ticks-before-optimization=1', '--bytecode-size-allowance-per-tick=10000', '--interrupt-budget=32768',
  '--minimum-invocations-after-ic-update=20', '--no-use-osr', '--no-turbo-loop-peeling',
];

export function tuneEngineForTranslatedCode(): void {
  for (const flag of TIER_UP_FLAGS) setFlagsFromString(flag);
}
