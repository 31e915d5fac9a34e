import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { gzipSync } from 'node:zlib';
import { UserError } from '../user-error.js';
import { AptPackageHost, type DebianPackageHost, type FetchedPackage } from './apt-host.js';
import { writeCpioNewc } from './cpio-newc.js';
import { ensureCachedImage, imageCacheDir, readCachedImage, type ImageManifest } from './image-cache.js';
import { initramfsEntries, VIRTIO_MODULES, type InitramfsModule } from './initramfs.js';
import { modinfoDependencies, moduleLoadOrder, moduleName, parseModulesBuiltin } from './kernel-modules.js';

/**
 * The Debian guest image: Debian 12's armmp kernel and a busybox initramfs that loads the virtio
 * modules, built from the armhf packages through apt and cached in
 * ${XDG_CACHE_HOME:-~/.cache}/partita/images/debian.
 */

export const KERNEL_FILE = 'vmlinuz';
export const INITRD_FILE = 'initramfs.cpio.gz';
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

export interface DebianImageManifest extends ImageManifest {
  readonly image: 'debian';
  readonly kernelRelease: string;
  /** The modules /init loads, in order, below /lib/modules/<kernelRelease>. */
  readonly modules: readonly string[];
}

export function debianImageCacheDir(env: Readonly<Record<string, string | undefined>> = process.env): string {
  return imageCacheDir('debian', env);
}

const pathsIn = (dir: string): DebianImagePaths => ({ kernel: join(dir, KERNEL_FILE), initrd: join(dir, INITRD_FILE) });

/**
 * The cached image's manifest when the cache is complete: the manifest parses and every file it
 * lists is there (with its recorded size, and sha256 too when verify is set); otherwise undefined.
 */
export function readCachedDebianImage(dir: string, verify: boolean): Promise<DebianImageManifest | undefined> {
  return readCachedImage<DebianImageManifest>(dir, MANIFEST_FORMAT, [KERNEL_FILE, INITRD_FILE], verify);
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

/**
 * Makes sure the Debian image is in the cache (building it when it is missing, incomplete or
 * force is set) and returns the paths of its kernel and initrd. The same packages always give
 * the same bytes.
 */
export async function ensureDebianImage(options: EnsureDebianImageOptions): Promise<DebianImagePaths> {
  const dir = options.cacheDir ?? debianImageCacheDir();
  const log = options.log;
  await ensureCachedImage<DebianImageManifest>({
    image: 'debian', dir, format: MANIFEST_FORMAT, files: [KERNEL_FILE, INITRD_FILE], force: options.force, log,
    build: async (work) => {
      const host = options.host ?? new AptPackageHost();
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
      return {
        files: { [KERNEL_FILE]: await readFile(vmlinuzPath), [INITRD_FILE]: initrd },
        manifest: {
          image: 'debian',
          format: MANIFEST_FORMAT,
          kernelRelease: release,
          packages: [kernel, busybox].map(({ name, version, architecture }) => ({ name, version, architecture })),
          modules: modules.map((module) => module.path),
        },
        summary: `kernel ${release}, initramfs ${initrd.length} bytes, modules: ${modules.map((m) => moduleName(m.path)).join(' ')}`,
      };
    },
  });
  return pathsIn(dir);
}
