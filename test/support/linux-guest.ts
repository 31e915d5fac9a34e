import { readFileSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { writeCpioNewc } from '../../src/cli/images/cpio-newc.js';
import { cachedDebianImagePaths, debianImageCacheDir, readCachedDebianImage, type DebianImageManifest } from '../../src/cli/images/debian-image.js';

/** The Debian kernel and busybox initramfs `npm test` fetches before the tests run (`partita images fetch debian`). */
export async function debianImage(): Promise<{ kernel: string; initrd: string; manifest: DebianImageManifest }> {
  const paths = await cachedDebianImagePaths();
  const manifest = (await readCachedDebianImage(debianImageCacheDir(), false))!;
  return { ...paths, manifest };
}

/**
 * The Debian initramfs with `/init` replaced by `script` (a busybox sh script): Linux unpacks
 * concatenated cpio archives in order, so a second gzip'd archive overrides the first one's file.
 */
export function initramfsRunning(baseInitrd: string, script: string, outPath: string): string {
  const overlay = writeCpioNewc([{ kind: 'file', path: 'init', data: new TextEncoder().encode(script), mode: 0o755 }]);
  writeFileSync(outPath, Buffer.concat([readFileSync(baseInitrd), gzipSync(overlay)]));
  return outPath;
}

/** A console transcript without the kernel's own lines (their timestamps are host time under QEMU). */
export function withoutKernelLog(console: string): string {
  return console
    .replace(/\r\n/g, '\n')
    .split('\n')
    .filter((line) => !/^\[\s*\d+\.\d+\] /.test(line))
    .join('\n');
}

/** The command line both emulators get. */
export const QUIET_CONSOLE = 'console=ttyAMA0 quiet';
