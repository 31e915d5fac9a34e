import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { gzipSync } from 'node:zlib';
import { UserError } from '../user-error.js';
import { AptPackageHost, type DebianPackageHost, type FetchedPackage } from './apt-host.js';
import { writeCpioNewc } from './cpio-newc.js';
import { initramfsEntries, VIRTIO_MODULES, type InitramfsModule } from './initramfs.js';
import { modinfoDependencies, moduleLoadOrder, moduleName, parseModulesBuiltin } from './kernel-modules.js';

/**
 * The Debian guest image: Debian 12's armmp kernel and a busybox initramfs that loads the virtio
 * modules, built from the armhf packages through apt and cached in
 * ${XDG_CACHE_HOME:-~/.cache}/partita/images/debian.
 */

export const KERNEL_FILE = 'vmlinuz';
export const INITRD_FILE = 'initramfs.cpio.gz';
const MANIFEST_FILE = 'manifest.json';
/** Bumped whenever what the cache holds changes (2: /init powers off when the shell ends). */
const MANIFEST_FORMAT = 2;
const KERNEL_META_PACKAGE = 'linux-image-armmp';
const BUSYBOX_PACKAGE = 'busybox-static';

export interface DebianImagePaths {
  readonly kernel: string;
  readonly initrd: string;
}

export interface EnsureDebianImageOptions {
  /** Rebuild even when the cache is complete. */
  readonly force?: boolean;
  /** Progress, one line per step (without the "partita: " prefix or newline). */
  readonly log: (line: string) => void;
  /** Defaults to debianImageCacheDir(). */
  readonly cacheDir?: string;
  /** Defaults to the host's apt and dpkg. */
  readonly host?: DebianPackageHost;
}

interface FileRecord {
  readonly sha256: string;
  readonly size: number;
}

export interface DebianImageManifest {
  readonly image: 'debian';
  readonly format: number;
  readonly kernelRelease: string;
  readonly packages: ReadonlyArray<{ readonly name: string; readonly version: string; readonly architecture: string }>;
  /** The modules /init loads, in order, below /lib/modules/<kernelRelease>. */
  readonly modules: readonly string[];
  readonly files: Readonly<Record<string, FileRecord>>;
}

export function debianImageCacheDir(env: Readonly<Record<string, string | undefined>> = process.env): string {
  const base = env['XDG_CACHE_HOME'] !== undefined && env['XDG_CACHE_HOME'] !== '' ? env['XDG_CACHE_HOME'] : join(homedir(), '.cache');
  return join(base, 'partita', 'images', 'debian');
}

const sha256 = (data: Uint8Array): string => createHash('sha256').update(data).digest('hex');

const pathsIn = (dir: string): DebianImagePaths => ({ kernel: join(dir, KERNEL_FILE), initrd: join(dir, INITRD_FILE) });

/**
 * The cached image's manifest when the cache is complete: the manifest parses and every file it
 * lists is there (with its recorded size, and sha256 too when verify is set); otherwise undefined.
 */
export async function readCachedDebianImage(dir: string, verify: boolean): Promise<DebianImageManifest | undefined> {
  let manifest: DebianImageManifest;
  try {
    manifest = JSON.parse(await readFile(join(dir, MANIFEST_FILE), 'utf8')) as DebianImageManifest;
  } catch {
    return undefined;
  }
  if (manifest.format !== MANIFEST_FORMAT || manifest.files === undefined) return undefined;
  for (const file of [KERNEL_FILE, INITRD_FILE]) {
    const record = manifest.files[file];
    if (record === undefined) return undefined;
    try {
      if ((await stat(join(dir, file))).size !== record.size) return undefined;
      if (verify && sha256(await readFile(join(dir, file))) !== record.sha256) return undefined;
    } catch {
      return undefined;
    }
  }
  return manifest;
}

/** The kernel and initrd paths of the cached image; a UserError when it has not been fetched. */
export async function cachedDebianImagePaths(cacheDir = debianImageCacheDir()): Promise<DebianImagePaths> {
  if ((await readCachedDebianImage(cacheDir, false)) === undefined) {
    throw new UserError(`the debian image is not in ${cacheDir} yet; run: partita images fetch debian`);
  }
  return pathsIn(cacheDir);
}

/** All `.ko` files below dir, by module name, as paths relative to moduleRoot. */
async function moduleFiles(moduleRoot: string): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  const walk = async (dir: string): Promise<void> => {
    for (const entry of (await readdir(dir, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) await walk(path);
      else if (entry.name.endsWith('.ko')) found.set(moduleName(entry.name), relative(moduleRoot, path).split(sep).join('/'));
      else if (/\.ko\.(xz|gz|zst)$/.test(entry.name)) {
        throw new UserError(`${path}: compressed kernel modules are not supported (this kernel package is not the expected one)`);
      }
    }
  };
  await walk(join(moduleRoot, 'kernel'));
  return found;
}

/** The kernel release a kernel package installs: its only lib/modules/<release> directory. */
async function kernelRelease(kernel: FetchedPackage): Promise<string> {
  const releases = existsSync(join(kernel.root, 'lib', 'modules')) ? await readdir(join(kernel.root, 'lib', 'modules')) : [];
  if (releases.length !== 1) throw new UserError(`${kernel.name} has ${releases.length} kernel releases in lib/modules, expected 1`);
  return releases[0]!;
}

/** The modules /init must insmod, in order, read from the kernel package's module files. */
async function virtioModules(moduleRoot: string): Promise<InitramfsModule[]> {
  const files = await moduleFiles(moduleRoot);
  const builtinList = join(moduleRoot, 'modules.builtin');
  const builtin = existsSync(builtinList) ? parseModulesBuiltin(await readFile(builtinList, 'utf8')) : new Set<string>();
  const contents = new Map<string, Uint8Array>();
  const dependencies = new Map<string, readonly string[]>();
  // Read only the wanted modules and what they need (a few of the ~3,000), then order them.
  const pending = VIRTIO_MODULES.map(moduleName);
  while (pending.length > 0) {
    const name = pending.pop()!;
    const path = files.get(name);
    if (dependencies.has(name) || builtin.has(name) || path === undefined) continue;
    const data = await readFile(join(moduleRoot, path));
    contents.set(name, data);
    const needs = modinfoDependencies(data, path);
    dependencies.set(name, needs);
    pending.push(...needs);
  }
  const catalog = { isBuiltin: (name: string) => builtin.has(name), dependencies: (name: string) => dependencies.get(name) };
  return moduleLoadOrder(VIRTIO_MODULES, catalog).map((name) => ({ path: files.get(name)!, data: contents.get(name)! }));
}

async function writeAtomically(dir: string, name: string, data: Uint8Array | string): Promise<void> {
  const temporary = join(dir, `.${name}.${process.pid}.tmp`);
  await writeFile(temporary, data);
  await rename(temporary, join(dir, name));
}

/**
 * Makes sure the Debian image is in the cache (building it when it is missing, incomplete or
 * force is set) and returns the paths of its kernel and initrd. The same packages always give
 * the same bytes.
 */
export async function ensureDebianImage(options: EnsureDebianImageOptions): Promise<DebianImagePaths> {
  const dir = options.cacheDir ?? debianImageCacheDir();
  const log = options.log;
  if (!options.force) {
    const cached = await readCachedDebianImage(dir, true);
    if (cached !== undefined) {
      const versions = cached.packages.map((p) => `${p.name} ${p.version}`).join(', ');
      log(`debian image already cached in ${dir} (${versions}); --force rebuilds it`);
      return pathsIn(dir);
    }
  }

  const host = options.host ?? new AptPackageHost();
  const work = await mkdtemp(join(tmpdir(), 'partita-images-'));
  try {
    const kernelPackage = await host.resolveDependency(KERNEL_META_PACKAGE, log);
    const kernel = await host.fetchPackage(kernelPackage, work, log);
    const busybox = await host.fetchPackage(BUSYBOX_PACKAGE, work, log);

    const release = await kernelRelease(kernel);
    const vmlinuzPath = join(kernel.root, 'boot', `vmlinuz-${release}`);
    if (!existsSync(vmlinuzPath)) throw new UserError(`${kernel.name} has no boot/vmlinuz-${release}`);
    const busyboxPath = join(busybox.root, 'bin', 'busybox');
    if (!existsSync(busyboxPath)) throw new UserError(`${busybox.name} has no bin/busybox`);

    log(`building the initramfs (busybox, ${VIRTIO_MODULES.join(', ')} and their dependencies)`);
    const modules = await virtioModules(join(kernel.root, 'lib', 'modules', release));
    const cpio = writeCpioNewc(initramfsEntries({ busybox: await readFile(busyboxPath), kernelRelease: release, modules }));
    const initrd = gzipSync(cpio, { level: 9 });
    const vmlinuz = await readFile(vmlinuzPath);

    const manifest: DebianImageManifest = {
      image: 'debian',
      format: MANIFEST_FORMAT,
      kernelRelease: release,
      packages: [kernel, busybox].map(({ name, version, architecture }) => ({ name, version, architecture })),
      modules: modules.map((module) => module.path),
      files: {
        [KERNEL_FILE]: { sha256: sha256(vmlinuz), size: vmlinuz.length },
        [INITRD_FILE]: { sha256: sha256(initrd), size: initrd.length },
      },
    };
    await mkdir(dir, { recursive: true });
    // The manifest goes last and first: a half-written cache is never taken for a complete one.
    await rm(join(dir, MANIFEST_FILE), { force: true });
    await writeAtomically(dir, KERNEL_FILE, vmlinuz);
    await writeAtomically(dir, INITRD_FILE, initrd);
    await writeAtomically(dir, MANIFEST_FILE, `${JSON.stringify(manifest, null, 2)}\n`);
    log(`debian image ready in ${dir} (kernel ${release}, initramfs ${initrd.length} bytes, modules: ${modules.map((m) => moduleName(m.path)).join(' ')})`);
    return pathsIn(dir);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
