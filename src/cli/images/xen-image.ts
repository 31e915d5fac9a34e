import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isZImage } from '../../board/linux-boot.js';
import { UserError } from '../user-error.js';
import { AptPackageHost, type DebianPackageHost } from './apt-host.js';
import { ensureCachedImage, imageCacheDir, readCachedImage, type ImageManifest } from './image-cache.js';

/**
 * The Xen image: Debian 12's Xen 4.17 hypervisor for 32-bit ARM, from the armhf package
 * xen-hypervisor-4.17-armhf, whose boot/xen-4.17-armhf is a zImage-format image that boots
 * like a Linux kernel (`partita run --virtualization --kernel xen`, dom0 given with
 * --guest-loader: the Debian image's kernel and initramfs). Cached in
 * ${XDG_CACHE_HOME:-~/.cache}/partita/images/xen.
 */

export const XEN_FILE = 'xen';
const MANIFEST_FORMAT = 1;
const XEN_PACKAGE = 'xen-hypervisor-4.17-armhf';
/** The hypervisor inside the package. */
const XEN_IN_PACKAGE = join('boot', 'xen-4.17-armhf');

export interface XenImagePaths {
  readonly xen: string;
}

export interface XenImageManifest extends ImageManifest {
  readonly image: 'xen';
}

export interface EnsureXenImageOptions {
  /** Rebuild even when the cache is complete. */
  readonly force?: boolean;
  /** Progress, one line per step (without the "partita: " prefix or newline). */
  readonly log: (line: string) => void;
  /** Defaults to xenImageCacheDir(). */
  readonly cacheDir?: string;
  /** Defaults to the host's apt and dpkg. */
  readonly host?: DebianPackageHost;
}

export function xenImageCacheDir(env: Readonly<Record<string, string | undefined>> = process.env): string {
  return imageCacheDir('xen', env);
}

const pathsIn = (dir: string): XenImagePaths => ({ xen: join(dir, XEN_FILE) });

/** The hypervisor's path in the cache; a UserError when it has not been fetched. */
export async function cachedXenImagePaths(cacheDir = xenImageCacheDir()): Promise<XenImagePaths> {
  if ((await readCachedImage<XenImageManifest>(cacheDir, MANIFEST_FORMAT, [XEN_FILE], false)) === undefined) {
    throw new UserError(`the xen image is not in ${cacheDir} yet; run: partita images fetch xen`);
  }
  return pathsIn(cacheDir);
}

/** Makes sure the Xen image is in the cache (fetching the package when it is missing, incomplete or force is set). */
export async function ensureXenImage(options: EnsureXenImageOptions): Promise<XenImagePaths> {
  const dir = options.cacheDir ?? xenImageCacheDir();
  const log = options.log;
  await ensureCachedImage<XenImageManifest>({
    image: 'xen', dir, format: MANIFEST_FORMAT, files: [XEN_FILE], force: options.force, log,
    build: async (work) => {
      const host = options.host ?? new AptPackageHost();
      const xen = await host.fetchPackage(XEN_PACKAGE, work, log);
      const path = join(xen.root, XEN_IN_PACKAGE);
      if (!existsSync(path)) throw new UserError(`${xen.name} has no ${XEN_IN_PACKAGE}`);
      const image = await readFile(path);
      if (!isZImage(image)) throw new UserError(`${xen.name}: ${XEN_IN_PACKAGE} is not a zImage-format image`);
      const { name, version, architecture } = xen;
      return {
        files: { [XEN_FILE]: image },
        manifest: { image: 'xen', format: MANIFEST_FORMAT, packages: [{ name, version, architecture }] },
        summary: `${name} ${version}, ${image.length} bytes`,
      };
    },
  });
  return pathsIn(dir);
}
