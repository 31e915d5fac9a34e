import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { gunzipSync } from 'node:zlib';
import type { DebianPackageHost, FetchedPackage } from '../../../src/cli/images/apt-host.js';
import {
  cachedDebianImagePaths, debianImageCacheDir, ensureDebianImage, readCachedDebianImage,
} from '../../../src/cli/images/debian-image.js';
import { INITRAMFS_READY_MARKER } from '../../../src/cli/images/initramfs.js';
import { modinfoDependencies } from '../../../src/cli/images/kernel-modules.js';
import { UserError } from '../../../src/cli/user-error.js';
import { readCpioNewc } from './cpio-reader.js';
import { syntheticModule } from './synthetic-module.js';

const RELEASE = '6.1.0-99-armmp';

/** Stands in for apt and dpkg: "unpacks" small synthetic packages and counts the fetches. */
class FakeHost implements DebianPackageHost {
  fetches: string[] = [];

  async resolveDependency(metaPackage: string): Promise<string> {
    assert.equal(metaPackage, 'linux-image-armmp');
    return `linux-image-${RELEASE}`;
  }

  async fetchPackage(name: string, workDir: string, log: (line: string) => void): Promise<FetchedPackage> {
    this.fetches.push(name);
    log(`downloading ${name}:armhf ...`);
    const root = join(workDir, name);
    const put = (path: string, data: Uint8Array | string) => {
      mkdirSync(dirname(join(root, path)), { recursive: true });
      writeFileSync(join(root, path), data);
    };
    if (name === 'busybox-static') {
      put('bin/busybox', 'busybox');
      return { name, version: '1:1.35.0-4', architecture: 'armhf', root };
    }
    const modules = `lib/modules/${RELEASE}`;
    put(`boot/vmlinuz-${RELEASE}`, 'zImage');
    put(`${modules}/modules.builtin`, 'kernel/drivers/virtio/virtio.ko\nkernel/drivers/virtio/virtio_ring.ko\n');
    const ko: Record<string, readonly string[]> = {
      'drivers/virtio/virtio_mmio.ko': ['virtio', 'virtio_ring'], 'drivers/block/virtio_blk.ko': ['virtio', 'virtio_ring'],
      'drivers/net/virtio_net.ko': ['net_failover'], 'drivers/net/net_failover.ko': ['failover'], 'net/core/failover.ko': [],
      'drivers/char/virtio_console.ko': [], 'drivers/char/hw_random/virtio-rng.ko': [], 'drivers/unrelated.ko': ['virtio_blk'],
    };
    for (const [path, depends] of Object.entries(ko)) put(`${modules}/kernel/${path}`, syntheticModule(path, depends));
    return { name, version: '6.1.176-1', architecture: 'armhf', root };
  }
}

function setup() {
  const cacheDir = join(mkdtempSync(join(tmpdir(), 'partita-images-test-')), 'debian');
  const host = new FakeHost();
  const lines: string[] = [];
  const fetch = (force = false) => ensureDebianImage({ cacheDir, host, force, log: (line) => lines.push(line) });
  return { cacheDir, host, lines, fetch };
}

test('debian image: built from the packages: vmlinuz, a gzip cpio initramfs with /init, busybox and the virtio modules, and a manifest', async () => {
  const { cacheDir, fetch } = setup();
  const paths = await fetch();
  assert.deepEqual(paths, { kernel: join(cacheDir, 'vmlinuz'), initrd: join(cacheDir, 'initramfs.cpio.gz') });
  assert.equal(readFileSync(paths.kernel, 'utf8'), 'zImage');
  const { members } = readCpioNewc(gunzipSync(readFileSync(paths.initrd)));
  const modules = members.filter((m) => m.name.endsWith('.ko')).map((m) => m.name.replace(`lib/modules/${RELEASE}/kernel/`, ''));
  assert.deepEqual(modules.sort(), [
    'drivers/block/virtio_blk.ko', 'drivers/char/hw_random/virtio-rng.ko', 'drivers/char/virtio_console.ko', 'drivers/net/net_failover.ko',
    'drivers/net/virtio_net.ko', 'drivers/virtio/virtio_mmio.ko', 'net/core/failover.ko',
  ]);
  const init = new TextDecoder().decode(members.find((m) => m.name === 'init')!.data);
  assert.deepEqual(
    init.split('\n').filter((line) => line.startsWith('insmod')).map((line) => line.slice(line.lastIndexOf('/') + 1)),
    ['virtio_mmio.ko', 'virtio_blk.ko', 'failover.ko', 'net_failover.ko', 'virtio_net.ko', 'virtio_console.ko', 'virtio-rng.ko'],
  );
  const manifest = JSON.parse(readFileSync(join(cacheDir, 'manifest.json'), 'utf8'));
  assert.equal(manifest.kernelRelease, RELEASE);
  assert.deepEqual(manifest.packages, [
    { name: `linux-image-${RELEASE}`, version: '6.1.176-1', architecture: 'armhf' },
    { name: 'busybox-static', version: '1:1.35.0-4', architecture: 'armhf' },
  ]);
  assert.match(manifest.files['initramfs.cpio.gz'].sha256, /^[0-9a-f]{64}$/);
});

test('debian image: a complete cache is used as it is (and says so); --force rebuilds the same bytes', async () => {
  const { cacheDir, host, lines, fetch } = setup();
  await fetch();
  const first = readFileSync(join(cacheDir, 'initramfs.cpio.gz'));
  const firstManifest = readFileSync(join(cacheDir, 'manifest.json'));
  lines.length = 0;
  await fetch();
  assert.equal(host.fetches.length, 2, 'nothing fetched the second time');
  assert.match(lines.join('\n'), /already cached in .*--force rebuilds it/);
  await fetch(true);
  assert.equal(host.fetches.length, 4);
  assert.deepEqual(readFileSync(join(cacheDir, 'initramfs.cpio.gz')), first, 'byte-for-byte reproducible');
  assert.deepEqual(readFileSync(join(cacheDir, 'manifest.json')), firstManifest);
});

test('debian image: a damaged or incomplete cache is rebuilt', async () => {
  const { cacheDir, host, fetch } = setup();
  await fetch();
  const initrd = join(cacheDir, 'initramfs.cpio.gz');
  const good = readFileSync(initrd);
  const damaged = Buffer.from(good);
  damaged[100]! ^= 1;
  writeFileSync(initrd, damaged);
  assert.equal(await readCachedDebianImage(cacheDir, true), undefined);
  await fetch();
  assert.equal(host.fetches.length, 4);
  assert.deepEqual(readFileSync(initrd), good);
});

test('debian image: paths of an image not fetched yet are a UserError saying what to run', async () => {
  const { cacheDir } = setup();
  await assert.rejects(cachedDebianImagePaths(cacheDir), (e: unknown) => e instanceof UserError && /run: partita images fetch debian/.test(e.message));
});

test('debian image: the cache lives under $XDG_CACHE_HOME, else ~/.cache', () => {
  assert.equal(debianImageCacheDir({ XDG_CACHE_HOME: '/x/cache' }), '/x/cache/partita/images/debian');
  assert.match(debianImageCacheDir({}), /\/\.cache\/partita\/images\/debian$/);
});

const realImage = debianImageCacheDir();
const haveRealImage = existsSync(join(realImage, 'manifest.json'));

test('debian image (cached real one): /init loads virtio_net after net_failover as its .modinfo says, and prints the marker', { skip: haveRealImage ? false : 'no debian image in the cache (partita images fetch debian)' }, async () => {
  const { initrd } = await cachedDebianImagePaths(realImage);
  const { members } = readCpioNewc(gunzipSync(readFileSync(initrd)));
  const virtioNet = members.find((m) => m.name.endsWith('/virtio_net.ko'))!;
  assert.deepEqual(modinfoDependencies(virtioNet.data, virtioNet.name), ['net_failover']);
  const init = new TextDecoder().decode(members.find((m) => m.name === 'init')!.data);
  assert.ok(init.indexOf('net_failover.ko') < init.indexOf('virtio_net.ko'));
  assert.ok(init.includes(INITRAMFS_READY_MARKER));
  assert.ok(members.find((m) => m.name === 'bin/busybox')!.data.length > 500_000);
});
