import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parse, problemsOf, system, vm } from './system-fixtures.js';

const withFiles = system([vm('a', [0], { kernel: 'images:debian/vmlinuz', initrd: 'boot/initrd.gz', devices: [{ type: 'virtio-blk', file: 'guests:disk' }] })]);

test('images:/guests: refs go to resolveImage, other names to resolvePath', () => {
  const description = parse(withFiles, { resolveImage: (ref) => ({ path: `/cache/${ref}` }), resolvePath: (path) => `/yaml-dir/${path}` });
  const [a] = description.vms;
  assert.equal(a!.kernel, '/cache/images:debian/vmlinuz');
  assert.equal(a!.initrd, '/yaml-dir/boot/initrd.gz');
  assert.deepEqual(a!.devices, [{ type: 'virtio-blk', file: '/cache/guests:disk', readonly: false }]);
});

test('missing files: kernel, initrd and virtio-blk file each say "no such file" with the resolved path', () => {
  assert.deepEqual(problemsOf(withFiles, { resolveImage: (ref) => ({ path: `/cache/${ref}` }), fileExists: () => false }), [
    'vms[0].kernel: no such file: /cache/images:debian/vmlinuz',
    'vms[0].initrd: no such file: /config/boot/initrd.gz',
    'vms[0].devices[0].file: no such file: /cache/guests:disk',
  ]);
});

test("an image ref the host cannot resolve reports the host's line", () => {
  assert.deepEqual(problemsOf(withFiles, { resolveImage: (ref) => ({ error: `${ref} is not downloaded (partita images fetch)` }) }), [
    'vms[0].kernel: images:debian/vmlinuz is not downloaded (partita images fetch)',
    'vms[0].devices[0].file: guests:disk is not downloaded (partita images fetch)',
  ]);
});
