import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { GUEST_BUILD_DIR, GUESTS_DIR } from '../host/repo-paths.js';
import { mapLimited, runProcess } from '../host/run-process.js';

/**
 * Builds the bare-metal guest programs in guests/ with arm-none-eabi-gcc and newlib's rdimon
 * (semihosting) library, for the differential tests against QEMU and for the benchmark.
 *
 * Layout:
 *   guests/common/   start.S (ELF entry: enables VFP, then newlib's _start), vectors.S (recording
 *                    exception handlers) and shared headers; every .S here is linked into every guest
 *   guests/c/X.c     a C program, built in all six variants (arm|thumb x O0|O2|Os)
 *   guests/asm/X.S   an assembly program (plus optional guests/asm/X.c with main), built once
 *   guests/bench/X.c a benchmark program (not run by the differential tests)
 *   guests/hyp/X.c   a program entered in Hyp mode (QEMU -M virt,virtualization=on), linked with
 *                    the tiny hypervisor in guests/hyp/lib (its .c and .S files; ELF entry
 *                    hyp_start); default variant arm-O2
 *   guests/rt-control/ the real-time guest: one program of all its .c and .S files (main source
 *                    rt-control.c); default variant arm-O2
 *   guests/vm/X.c    a guest for a VM (kind vm): no semihosting, linked with the VM runtime in
 *                    guests/vm/lib (PL011 console, PSCI SYSTEM_OFF exit, hookable vectors; ELF
 *                    entry vm_start) instead of rdimon and guests/common, plus guests/vm/X.S if
 *                    there; default variant arm-O2. rt-control is built that way too, as
 *                    rt-control-uart (run length: RT_PERIODS, unset = forever)
 * A `variants: arm-O2 thumb-Os` comment in the first lines of the main source overrides the default;
 * a `cflags: -mfpu=neon-vfpv4` comment there adds compiler flags (after the common ones).
 * Output: build/guests/<name>-<arm|thumb>-<O0|O2|Os>.elf, rebuilt only when the content hash of its
 * inputs (sources, guests/common, flags, compiler version) changes.
 */

export const CC = 'arm-none-eabi-gcc';
const CPU_FLAGS = ['-mcpu=cortex-a15', '-mfpu=vfpv3-d16', '-mfloat-abi=hard'];
const WARNING_FLAGS = ['-g', '-Wall', '-Wno-unused-function', '-Werror=implicit-function-declaration'];
export const COMMON_FLAGS = [...CPU_FLAGS, '--specs=rdimon.specs', '-Wl,-Ttext-segment=0x40010000', '-Wl,-e,partita_start', ...WARNING_FLAGS];
/** The kind vm: newlib without semihosting (nano, nosys stubs), the VM runtime's own start-up. */
export const VM_FLAGS = [...CPU_FLAGS, '--specs=nano.specs', '--specs=nosys.specs', '-nostartfiles', '-Wl,-Ttext-segment=0x40010000', '-Wl,-e,vm_start', ...WARNING_FLAGS];
export const ISAS = ['arm', 'thumb'] as const;
export const OPTS = ['O0', 'O2', 'Os'] as const;
export type Isa = (typeof ISAS)[number];
export type Opt = (typeof OPTS)[number];
export type GuestKind = 'c' | 'asm' | 'bench' | 'hyp' | 'rt' | 'vm';

export interface GuestProgram {
  readonly name: string;
  readonly kind: GuestKind;
  readonly sources: readonly string[];
  readonly variants: readonly { isa: Isa; opt: Opt }[];
  /** Extra compiler flags from a `cflags:` comment. */
  readonly cflags: readonly string[];
  /** Files the build depends on besides the sources and guests/common (headers). */
  readonly inputs?: readonly string[];
}

export interface GuestElf {
  readonly program: string;
  readonly kind: GuestKind;
  readonly isa: Isa;
  readonly opt: Opt;
  /** File name stem: <program>-<isa>-<opt>. */
  readonly id: string;
  readonly path: string;
  /** Hash of the build inputs (and so of the ELF's meaning). */
  readonly hash: string;
}

function sourceHead(source: string): string {
  return readFileSync(source, 'utf8').split('\n').slice(0, 15).join('\n');
}

function parseCflags(source: string): string[] {
  const m = /cflags:\s*([^\n*]+)/.exec(sourceHead(source));
  return m ? m[1]!.trim().split(/\s+/) : [];
}

function parseVariants(source: string, fallback: readonly { isa: Isa; opt: Opt }[]): { isa: Isa; opt: Opt }[] {
  const head = sourceHead(source);
  const m = /variants:\s*([a-zA-Z0-9 -]+)/.exec(head);
  if (!m) return [...fallback];
  return m[1]!
    .trim()
    .split(/\s+/)
    .map((v) => {
      const [isa, opt] = v.split('-') as [Isa, Opt];
      if (!ISAS.includes(isa) || !OPTS.includes(opt)) throw new Error(`${source}: bad variant '${v}'`);
      return { isa, opt };
    });
}

const ALL_VARIANTS = ISAS.flatMap((isa) => OPTS.map((opt) => ({ isa, opt })));

function listDir(dir: string, ext: string): string[] {
  return existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith(ext)).sort() : [];
}

/** Every guest program under guests/. */
export function discoverGuests(): GuestProgram[] {
  const programs: GuestProgram[] = [];
  const cDir = join(GUESTS_DIR, 'c');
  for (const f of listDir(cDir, '.c')) {
    const src = join(cDir, f);
    programs.push({ name: basename(f, '.c'), kind: 'c', sources: [src], variants: parseVariants(src, ALL_VARIANTS), cflags: parseCflags(src) });
  }
  const asmDir = join(GUESTS_DIR, 'asm');
  for (const f of listDir(asmDir, '.S')) {
    const src = join(asmDir, f);
    const name = basename(f, '.S');
    const companion = join(asmDir, `${name}.c`);
    const sources = existsSync(companion) ? [src, companion] : [src];
    programs.push({ name, kind: 'asm', sources, variants: parseVariants(src, [{ isa: 'arm', opt: 'O2' }]), cflags: parseCflags(src) });
  }
  const benchDir = join(GUESTS_DIR, 'bench');
  for (const f of listDir(benchDir, '.c')) {
    const src = join(benchDir, f);
    programs.push({ name: basename(f, '.c'), kind: 'bench', sources: [src], variants: parseVariants(src, [{ isa: 'arm', opt: 'O2' }, { isa: 'thumb', opt: 'O2' }]), cflags: parseCflags(src) });
  }
  const hypDir = join(GUESTS_DIR, 'hyp');
  const hypLib = join(hypDir, 'lib');
  const hypLibSources = [...listDir(hypLib, '.S'), ...listDir(hypLib, '.c')].map((f) => join(hypLib, f));
  const hypLibHeaders = listDir(hypLib, '.h').map((f) => join(hypLib, f));
  for (const f of listDir(hypDir, '.c')) {
    const src = join(hypDir, f);
    programs.push({ name: basename(f, '.c'), kind: 'hyp', sources: [src, ...hypLibSources], inputs: hypLibHeaders, variants: parseVariants(src, [{ isa: 'arm', opt: 'O2' }]), cflags: ['-Wl,-e,hyp_start', ...parseCflags(src)] });
  }
  const vmDir = join(GUESTS_DIR, 'vm');
  const vmLib = join(vmDir, 'lib');
  const vmLibSources = [...listDir(vmLib, '.S'), ...listDir(vmLib, '.c')].map((f) => join(vmLib, f));
  const vmLibHeaders = listDir(vmLib, '.h').map((f) => join(vmLib, f));
  for (const f of listDir(vmDir, '.c')) {
    const src = join(vmDir, f);
    const name = basename(f, '.c');
    const companion = join(vmDir, `${name}.S`);
    const sources = [src, ...(existsSync(companion) ? [companion] : []), ...vmLibSources];
    programs.push({ name, kind: 'vm', sources, inputs: vmLibHeaders, variants: parseVariants(src, [{ isa: 'arm', opt: 'O2' }]), cflags: parseCflags(src) });
  }
  const rtDir = join(GUESTS_DIR, 'rt-control');
  const rtMain = join(rtDir, 'rt-control.c');
  if (existsSync(rtMain)) {
    const sources = [rtMain, ...[...listDir(rtDir, '.S'), ...listDir(rtDir, '.c')].map((f) => join(rtDir, f)).filter((f) => f !== rtMain)];
    const headers = listDir(rtDir, '.h').map((f) => join(rtDir, f));
    const variants = parseVariants(rtMain, [{ isa: 'arm', opt: 'O2' }]);
    const cflags = parseCflags(rtMain);
    programs.push({ name: 'rt-control', kind: 'rt', sources, inputs: headers, variants, cflags });
    programs.push({ name: 'rt-control-uart', kind: 'vm', sources: [...sources, ...vmLibSources], inputs: [...headers, ...vmLibHeaders], variants, cflags });
  }
  return programs;
}

let compilerVersion: string | undefined;
async function getCompilerVersion(): Promise<string> {
  if (compilerVersion === undefined) {
    const r = await runProcess(CC, ['--version']).catch(() => {
      throw new Error(`partita: ${CC} not found (apt-get install gcc-arm-none-eabi libnewlib-arm-none-eabi)`);
    });
    compilerVersion = r.stdout.toString();
  }
  return compilerVersion;
}

function commonFiles(): string[] {
  const dir = join(GUESTS_DIR, 'common');
  return readdirSync(dir)
    .sort()
    .map((f) => join(dir, f));
}

export function compileArgs(program: GuestProgram, isa: Isa, opt: Opt, output: string): string[] {
  if (program.kind === 'vm') return [...VM_FLAGS, ...program.cflags, `-m${isa}`, `-${opt}`, `-I${join(GUESTS_DIR, 'vm', 'lib')}`, ...program.sources, '-o', output];
  const common = join(GUESTS_DIR, 'common');
  const startup = readdirSync(common)
    .filter((f) => f.endsWith('.S'))
    .sort()
    .map((f) => join(common, f));
  return [...COMMON_FLAGS, ...program.cflags, `-m${isa}`, `-${opt}`, `-I${common}`, ...startup, ...program.sources, '-lm', '-o', output];
}

export interface BuildOptions {
  /** Only programs whose name is in this list. */
  readonly only?: readonly string[];
  readonly kinds?: readonly GuestKind[];
  readonly jobs?: number;
  readonly log?: (line: string) => void;
}

/** Builds (or finds up to date) every selected guest ELF. Throws with the compiler's output on failure. */
export async function buildGuests(options: BuildOptions = {}): Promise<GuestElf[]> {
  const version = await getCompilerVersion();
  const common = commonFiles().map((f) => readFileSync(f));
  mkdirSync(GUEST_BUILD_DIR, { recursive: true });
  const jobs: { program: GuestProgram; isa: Isa; opt: Opt }[] = [];
  for (const program of discoverGuests()) {
    if (options.only && !options.only.includes(program.name)) continue;
    if (options.kinds && !options.kinds.includes(program.kind)) continue;
    for (const v of program.variants) jobs.push({ program, ...v });
  }
  let built = 0;
  const elfs = await mapLimited(jobs, options.jobs ?? 2, async ({ program, isa, opt }) => {
    const id = `${program.name}-${isa}-${opt}`;
    const path = join(GUEST_BUILD_DIR, `${id}.elf`);
    const args = compileArgs(program, isa, opt, path);
    const h = createHash('sha256');
    h.update(version).update(JSON.stringify(args));
    for (const c of common) h.update(c);
    for (const s of [...program.sources, ...(program.inputs ?? [])]) h.update(readFileSync(s));
    const hash = h.digest('hex');
    const hashFile = `${path}.hash`;
    if (!(existsSync(path) && existsSync(hashFile) && readFileSync(hashFile, 'utf8') === hash)) {
      const r = await runProcess(CC, args);
      if (r.status !== 0) throw new Error(`partita: building ${id} failed:\n${CC} ${args.join(' ')}\n${r.stderr.toString()}`);
      writeFileSync(hashFile, hash);
      built++;
      options.log?.(`built ${id}`);
    }
    return { program: program.name, kind: program.kind, isa, opt, id, path, hash };
  });
  options.log?.(`${elfs.length} guest ELFs, ${built} rebuilt, in ${GUEST_BUILD_DIR}`);
  return elfs;
}
