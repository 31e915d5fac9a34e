import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { isZImage } from '../../../src/board/linux-boot.js';
import type { DebianPackageHost, FetchedPackage } from '../../../src/cli/images/apt-host.js';
import { cachedXenImagePaths, ensureXenImage, xenImageCacheDir } from '../../../src/cli/images/xen-image.js';
import { UserError } from '../../../src/cli/user-error.js';
import { fakeZImage } from '../../support/device-tree.js';

const XEN = fakeZImage([0xe1a00000], 0x3000);

/** Stands in for apt and dpkg: "unpacks" a package holding `files`, and counts the fetches. */
class FakeHost implements DebianPackageHost {
  fetches: string[] = [];
  constructor(private readonly files: Record<string, Uint8Array>) {}

  async resolveDependency(): Promise<string> {
    throw new Error('the xen image names its package');
  }

  async fetchPackage(name: string, workDir: string): Promise<FetchedPackage> {
    this.fetches.push(name);
    const root = join(workDir, name);
    for (const [path, data] of Object.entries(this.files)) {
      mkdirSync(join(root, path, '..'), { recursive: true });
      writeFileSync(join(root, path), data);
    }
    return { name, version: '4.17.7+13-g2445b30a44-0+deb12u1', architecture: 'armhf', root };
  }
}

const newCache = () => join(mkdtempSync(join(tmpdir(), 'partita-xen-test-')), 'xen');

test('xen image: boot/xen-4.17-armhf of xen-hypervisor-4.17-armhf, cached with a manifest; a complete cache is used as it is', async () => {
  const cacheDir = newCache();
  const host = new FakeHost({ 'boot/xen-4.17-armhf': XEN, 'boot/xen-4.17-armhf.config': new Uint8Array(3) });
  const lines: string[] = [];
  const paths = await ensureXenImage({ cacheDir, host, log: (line) => lines.push(line) });
  assert.deepEqual(host.fetches, ['xen-hypervisor-4.17-armhf']);
  assert.deepEqual(readFileSync(paths.xen), Buffer.from(XEN));
  assert.deepEqual(await cachedXenImagePaths(cacheDir), paths);
  const manifest = JSON.parse(readFileSync(join(cacheDir, 'manifest.json'), 'utf8'));
  assert.deepEqual(manifest.packages, [{ name: 'xen-hypervisor-4.17-armhf', version: '4.17.7+13-g2445b30a44-0+deb12u1', architecture: 'armhf' }]);
  assert.match(lines.at(-1)!, /^xen image ready in .* \(xen-hypervisor-4.17-armhf 4.17.7.*, 12288 bytes\)$/);
  await ensureXenImage({ cacheDir, host, log: (line) => lines.push(line) });
  assert.equal(host.fetches.length, 1);
  assert.match(lines.at(-1)!, /already cached .* --force rebuilds it/);
  await ensureXenImage({ cacheDir, host, force: true, log: () => {} });
  assert.equal(host.fetches.length, 2);
});

test('xen image: a package without the hypervisor, or with one that is not a zImage, is a UserError; nothing is cached', async () => {
  const cases: Record<string, Uint8Array>[] = [{}, { 'boot/xen-4.17-armhf': new Uint8Array(100) }];
  for (const files of cases) {
    const cacheDir = newCache();
    await assert.rejects(ensureXenImage({ cacheDir, host: new FakeHost(files), log: () => {} }), UserError);
    assert.equal(existsSync(join(cacheDir, 'manifest.json')), false);
    await assert.rejects(cachedXenImagePaths(cacheDir), /run: partita images fetch xen/);
  }
});

test('xen image: the cache lives under $XDG_CACHE_HOME, else ~/.cache', () => {
  assert.equal(xenImageCacheDir({ XDG_CACHE_HOME: '/c' }), '/c/partita/images/xen');
  assert.match(xenImageCacheDir({}), /\.cache\/partita\/images\/xen$/);
});

const realXen = join(xenImageCacheDir(), 'xen');
// npm test fetches the image first (partita images fetch xen).
test('xen image (the cached one): a zImage-format Xen 4.17 for 32-bit ARM', () => {
  const image = readFileSync(realXen);
  assert.ok(isZImage(image));
  assert.ok(image.includes(Buffer.from('Xen version')), 'a Xen image');
});
