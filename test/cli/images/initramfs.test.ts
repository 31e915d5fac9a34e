import assert from 'node:assert/strict';
import { test } from 'node:test';
import { INITRAMFS_READY_MARKER, initramfsEntries, initScript } from '../../../src/cli/images/initramfs.js';

const release = '6.1.0-50-armmp';
const modules = ['kernel/drivers/virtio/virtio_mmio.ko', 'kernel/net/core/failover.ko', 'kernel/drivers/net/virtio_net.ko'];

test('initramfs /init: a busybox script that mounts, installs applets, loads the modules in order, then the marker and a shell', () => {
  const lines = initScript(release, modules).split('\n');
  assert.equal(lines[0], '#!/bin/busybox sh');
  const index = (pattern: RegExp) => lines.findIndex((line) => pattern.test(line));
  const mounts = ['proc', 'sysfs', 'devtmpfs'].map((type) => index(new RegExp(`mount -t ${type} `)));
  const install = index(/^\/bin\/busybox --install -s$/);
  const inserts = lines.filter((line) => line.startsWith('insmod '));
  assert.ok(mounts.every((at) => at > 0 && at < install), 'proc, sysfs and devtmpfs are mounted before the applets are installed');
  assert.deepEqual(inserts, modules.map((path) => `insmod /lib/modules/${release}/${path}`));
  assert.ok(install < index(/^insmod /));
  assert.equal(lines[index(/^echo /)], `echo '${INITRAMFS_READY_MARKER}'`);
  assert.ok(index(/^echo /) > lines.lastIndexOf(inserts[inserts.length - 1]!));
  assert.deepEqual(lines.slice(-3), ['setsid cttyhack sh', 'poweroff -f', '']);
  assert.equal(lines.filter((line) => /^(echo|printf) /.test(line)).length, 1, 'the marker is the only thing /init prints');
});

test('initramfs contents: busybox, /init, the modules, console and null devices, each directory before what it holds', () => {
  const busybox = new Uint8Array([1, 2, 3]);
  const entries = initramfsEntries({ busybox, kernelRelease: release, modules: modules.map((path) => ({ path, data: new Uint8Array([4]) })) });
  const paths = entries.map((entry) => entry.path);
  assert.deepEqual([...paths].sort(), paths, 'sorted by path');
  for (const path of paths) {
    const parent = path.slice(0, Math.max(0, path.lastIndexOf('/')));
    if (parent !== '') assert.ok(paths.indexOf(parent) >= 0 && paths.indexOf(parent) < paths.indexOf(path), `${parent} before ${path}`);
  }
  for (const dir of ['proc', 'sys', 'dev', 'tmp', 'root', 'etc', 'bin', 'sbin', 'usr/bin', 'usr/sbin']) {
    assert.equal(entries.find((entry) => entry.path === dir)?.kind, 'directory', dir);
  }
  assert.deepEqual(entries.find((entry) => entry.path === 'dev/console'), { kind: 'char-device', path: 'dev/console', major: 5, minor: 1, mode: 0o600 });
  assert.deepEqual(entries.find((entry) => entry.path === 'dev/null'), { kind: 'char-device', path: 'dev/null', major: 1, minor: 3, mode: 0o666 });
  assert.deepEqual(entries.find((entry) => entry.path === 'bin/busybox'), { kind: 'file', path: 'bin/busybox', data: busybox, mode: 0o755 });
  assert.deepEqual(entries.find((entry) => entry.path === 'init'), { kind: 'file', path: 'init', data: new TextEncoder().encode(initScript(release, modules)), mode: 0o755 });
  assert.deepEqual(paths.filter((path) => path.endsWith('.ko')), modules.map((path) => `lib/modules/${release}/${path}`).sort());
});
