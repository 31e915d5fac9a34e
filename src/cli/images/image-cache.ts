import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * The host cache of guest images built from Debian packages: one directory per image under
 * ${XDG_CACHE_HOME:-~/.cache}/partita/images, holding the image's files and a manifest.json that
 * records the packages they came from and each file's size and sha256. The manifest is written
 * last and removed first, so a half-written cache is never taken for a complete one.
 */

export const MANIFEST_FILE = 'manifest.json';

export interface CachedFileRecord {
  readonly sha256: string;
  readonly size: number;
}

export interface PackageRecord {
  readonly name: string;
  readonly version: string;
  readonly architecture: string;
}

/** What every image's manifest has; each image adds its own fields. */
export interface ImageManifest {
  readonly image: string;
  /** Bumped by an image whenever what its cache holds changes. */
  readonly format: number;
  readonly packages: readonly PackageRecord[];
  readonly files: Readonly<Record<string, CachedFileRecord>>;
}

export function imageCacheDir(image: string, env: Readonly<Record<string, string | undefined>> = process.env): string {
  const base = env['XDG_CACHE_HOME'] !== undefined && env['XDG_CACHE_HOME'] !== '' ? env['XDG_CACHE_HOME'] : join(homedir(), '.cache');
  return join(base, 'partita', 'images', image);
}

export const sha256 = (data: Uint8Array): string => createHash('sha256').update(data).digest('hex');

/**
 * The cached image's manifest when the cache is complete: the manifest parses, has `format`, and
 * lists each of `files`, which is there with its recorded size (and sha256 too when verify is
 * set); otherwise undefined.
 */
export async function readCachedImage<M extends ImageManifest>(dir: string, format: number, files: readonly string[], verify: boolean): Promise<M | undefined> {
  let manifest: M;
  try {
    manifest = JSON.parse(await readFile(join(dir, MANIFEST_FILE), 'utf8')) as M;
  } catch {
    return undefined;
  }
  if (manifest.format !== format || manifest.files === undefined) return undefined;
  for (const file of files) {
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

/** The records of `files` for a manifest. */
function fileRecords(files: Readonly<Record<string, Uint8Array>>): Record<string, CachedFileRecord> {
  return Object.fromEntries(Object.entries(files).map(([name, data]) => [name, { sha256: sha256(data), size: data.length }]));
}

async function writeAtomically(dir: string, name: string, data: Uint8Array | string): Promise<void> {
  const temporary = join(dir, `.${name}.${process.pid}.tmp`);
  await writeFile(temporary, data);
  await rename(temporary, join(dir, name));
}

/** Replaces the cache's contents with `files` and `manifest` (whose `files` records them). */
async function writeCachedImage(dir: string, files: Readonly<Record<string, Uint8Array>>, manifest: ImageManifest): Promise<void> {
  await mkdir(dir, { recursive: true });
  await rm(join(dir, MANIFEST_FILE), { force: true });
  for (const [name, data] of Object.entries(files)) await writeAtomically(dir, name, data);
  await writeAtomically(dir, MANIFEST_FILE, `${JSON.stringify(manifest, null, 2)}\n`);
}

/** What building an image made: its files, the rest of its manifest, and a line saying what is ready. */
export interface BuiltImage<M extends ImageManifest> {
  readonly files: Readonly<Record<string, Uint8Array>>;
  readonly manifest: Omit<M, 'files'>;
  readonly summary: string;
}

export interface EnsureCachedImageOptions<M extends ImageManifest> {
  readonly image: string;
  readonly dir: string;
  readonly format: number;
  /** The files a complete cache has. */
  readonly files: readonly string[];
  /** Rebuild even when the cache is complete. */
  readonly force?: boolean | undefined;
  readonly log: (line: string) => void;
  /** Builds the image in a scratch directory (removed afterwards). */
  readonly build: (workDir: string) => Promise<BuiltImage<M>>;
}

/** Uses a complete cache as it is (verified by sha256), else builds the image and caches it. */
export async function ensureCachedImage<M extends ImageManifest>(options: EnsureCachedImageOptions<M>): Promise<void> {
  const { image, dir, log } = options;
  if (!options.force) {
    const cached = await readCachedImage<M>(dir, options.format, options.files, true);
    if (cached !== undefined) {
      const versions = cached.packages.map((p) => `${p.name} ${p.version}`).join(', ');
      log(`${image} image already cached in ${dir} (${versions}); --force rebuilds it`);
      return;
    }
  }
  const work = await mkdtemp(join(tmpdir(), 'partita-images-'));
  try {
    const built = await options.build(work);
    await writeCachedImage(dir, built.files, { ...built.manifest, files: fileRecords(built.files) } as M);
    log(`${image} image ready in ${dir} (${built.summary})`);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
