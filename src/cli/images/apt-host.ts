import { execFile } from 'node:child_process';
import { chmod, mkdir, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { UserError } from '../user-error.js';

/** A package fetched and unpacked: where its files are, and what it was. */
export interface FetchedPackage {
  readonly name: string;
  readonly version: string;
  readonly architecture: string;
  /** The directory `dpkg -x` unpacked it into. */
  readonly root: string;
}

/** What building a Debian guest image needs from the host's package manager. */
export interface DebianPackageHost {
  /** The package an armhf meta package depends on now (linux-image-armmp → linux-image-6.1.0-NN-armmp). */
  resolveDependency(metaPackage: string, log: (line: string) => void): Promise<string>;
  /** Downloads `name:armhf` into workDir and unpacks it. */
  fetchPackage(name: string, workDir: string, log: (line: string) => void): Promise<FetchedPackage>;
}

const ARCH = 'armhf';

interface CommandResult {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a host command to completion; a missing program is a UserError, a failure is a status. */
function run(program: string, args: readonly string[], cwd?: string): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    execFile(
      program,
      args,
      { cwd, env: { ...process.env, LC_ALL: 'C', DEBIAN_FRONTEND: 'noninteractive' }, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = (error as NodeJS.ErrnoException | null)?.code;
        if (code === 'ENOENT') {
          reject(new UserError(`${program} not found: building Debian guest images needs a Debian host (apt-get, apt-cache, dpkg)`));
          return;
        }
        const status = error === null ? 0 : typeof code === 'number' ? code : 1;
        resolve({ status, stdout: String(stdout), stderr: String(stderr) });
      },
    );
  });
}

/** The most telling line of a failed command's stderr ("E: ..." lines from apt first). */
function firstError(result: CommandResult): string {
  const lines = result.stderr.split('\n').map((line) => line.trim()).filter((line) => line.length > 0);
  return lines.find((line) => line.startsWith('E:')) ?? lines[0] ?? `exit status ${result.status}`;
}

async function mustRun(program: string, args: readonly string[], cwd?: string): Promise<string> {
  const result = await run(program, args, cwd);
  if (result.status !== 0) throw new UserError(`${[program, ...args].join(' ')} failed: ${firstError(result)}`);
  return result.stdout;
}

const isRoot = (): boolean => process.getuid?.() === 0;

/**
 * The host's apt and dpkg. As root it enables the armhf architecture and refreshes the package
 * lists when (and only when) they lack what is needed; otherwise it says which command to run.
 */
export class AptPackageHost implements DebianPackageHost {
  private armhfChecked = false;
  private listsUpdated = false;

  async resolveDependency(metaPackage: string, log: (line: string) => void): Promise<string> {
    await this.ensureArmhf(log);
    log(`resolving ${metaPackage}:${ARCH}`);
    let result = await run('apt-cache', ['depends', `${metaPackage}:${ARCH}`]);
    if (result.status !== 0 && !this.listsUpdated) {
      await this.updateLists(log, `the package lists do not have ${metaPackage}:${ARCH}`);
      result = await run('apt-cache', ['depends', `${metaPackage}:${ARCH}`]);
    }
    if (result.status !== 0) throw new UserError(`apt-cache depends ${metaPackage}:${ARCH} failed: ${firstError(result)}`);
    const dependency = /^\s*\|?Depends:\s*([a-z0-9][a-z0-9.+-]*)(?::[a-z0-9]+)?\s*$/m.exec(result.stdout)?.[1];
    if (dependency === undefined) throw new UserError(`${metaPackage}:${ARCH} has no package dependency to fetch (apt-cache depends shows none)`);
    return dependency;
  }

  async fetchPackage(name: string, workDir: string, log: (line: string) => void): Promise<FetchedPackage> {
    await this.ensureArmhf(log);
    const downloads = join(workDir, `${name}.download`);
    await mkdir(downloads, { recursive: true });
    // apt downloads as user _apt when it can reach the directory (otherwise it warns).
    await chmod(workDir, 0o755);
    await chmod(downloads, 0o755);
    log(`downloading ${name}:${ARCH} ...`);
    const download = () => run('apt-get', ['download', '-q', `${name}:${ARCH}`], downloads);
    let result = await download();
    if (result.status !== 0 && isRoot() && !this.listsUpdated) {
      // Stale package lists name files the mirror no longer has (404): refresh them once and retry.
      await this.updateLists(log, `apt-get download ${name}:${ARCH} failed: ${firstError(result)}`);
      result = await download();
    }
    if (result.status !== 0) throw new UserError(`apt-get download ${name}:${ARCH} failed: ${firstError(result)}`);
    const debs = (await readdir(downloads)).filter((file) => file.endsWith('.deb'));
    if (debs.length !== 1) throw new UserError(`apt-get download ${name}:${ARCH} left ${debs.length} .deb files, expected 1`);
    const deb = join(downloads, debs[0]!);
    const control = new Map(
      (await mustRun('dpkg-deb', ['-f', deb, 'Package', 'Version', 'Architecture']))
        .split('\n')
        .map((line) => /^([A-Za-z-]+):\s*(.*)$/.exec(line.trim()))
        .filter((match) => match !== null)
        .map((match) => [match[1]!, match[2]!] as const),
    );
    const packageName = control.get('Package') ?? name;
    const version = control.get('Version') ?? '';
    const architecture = control.get('Architecture') ?? '';
    const root = join(workDir, `${name}.root`);
    log(`extracting ${packageName} ${version}`);
    await mustRun('dpkg', ['-x', deb, root]);
    return { name: packageName, version, architecture, root };
  }

  private async ensureArmhf(log: (line: string) => void): Promise<void> {
    if (this.armhfChecked) return;
    const foreign = (await mustRun('dpkg', ['--print-foreign-architectures'])).split('\n').map((line) => line.trim());
    if (!foreign.includes(ARCH) && (await mustRun('dpkg', ['--print-architecture'])).trim() !== ARCH) {
      if (!isRoot()) {
        throw new UserError(`armhf packages are not enabled on this host; run: sudo dpkg --add-architecture ${ARCH} && sudo apt-get update`);
      }
      log(`adding the ${ARCH} architecture (dpkg --add-architecture ${ARCH})`);
      await mustRun('dpkg', ['--add-architecture', ARCH]);
      await this.updateLists(log, 'armhf was just added');
    }
    this.armhfChecked = true;
  }

  private async updateLists(log: (line: string) => void, why: string): Promise<void> {
    if (!isRoot()) throw new UserError(`${why}; run: sudo apt-get update`);
    log(`updating the package lists (apt-get update: ${why}) ...`);
    await mustRun('apt-get', ['update', '-q']);
    this.listsUpdated = true;
  }
}
