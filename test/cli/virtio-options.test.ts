import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { VirtioBlock, VirtioConsole, VirtioNet, VirtioRng } from '../../src/hw/virtio/index.js';
import { UserError } from '../../src/cli/user-error.js';
import { createVirtioDevices } from '../../src/cli/virtio-options.js';

const host = { consoleOutput: { write: () => {} }, hostEntropy: false, log: () => {} };

function disk(): string {
  const path = join(mkdtempSync(join(tmpdir(), 'partita-drive-')), 'disk.img');
  writeFileSync(path, new Uint8Array(64 * 1024));
  return path;
}

test('--drive file=F is a virtio-blk device on its own (if=virtio is the virt default)', () => {
  const setup = createVirtioDevices([`file=${disk()},format=raw`], [], host);
  assert.equal(setup.devices.length, 1);
  assert.ok(setup.devices[0] instanceof VirtioBlock);
  setup.close();
});

test('--drive if=none,id=X waits for --device virtio-blk-device,drive=X; devices keep command-line order', () => {
  const setup = createVirtioDevices(
    [`file=${disk()},if=none,id=d0`],
    ['virtio-rng-device', 'virtio-blk-device,drive=d0', 'virtio-net-device,mac=52:54:00:00:00:02', 'virtio-serial-device'],
    host,
  );
  const kinds = setup.devices.map((d) => d.constructor);
  assert.deepEqual(kinds, [VirtioRng, VirtioBlock, VirtioNet, VirtioConsole]);
  assert.deepEqual([...(setup.devices[2] as VirtioNet).mac], [0x52, 0x54, 0, 0, 0, 2]);
  setup.close();
});

test('--drive/--device mistakes are one-line user errors', () => {
  const image = disk();
  const cases: [string[], string[], RegExp][] = [
    [['format=raw'], [], /needs file=/],
    [[`file=${image},format=qcow2`], [], /format 'qcow2' is not supported/],
    [[`file=${image},if=ide`], [], /if=ide does not exist/],
    [[`file=${image},bogus=1`], [], /unknown property 'bogus'/],
    [[`file=${image},if=none`], [], /if=none needs id=/],
    [[`file=${image},if=none,id=a`], [], /no --device virtio-blk-device,drive=a uses it/],
    [[], ['virtio-blk-device,drive=zz'], /no --drive with id=zz/],
    [[], ['virtio-gpu-device'], /'virtio-gpu-device' is not a device of this board/],
    [[], ['virtio-net-device,mac=1:2'], /mac '1:2' is not six hex bytes/],
    [['file=/nonexistent/disk.img'], [], /cannot open disk image \/nonexistent\/disk.img/],
  ];
  for (const [drives, devices, message] of cases) {
    assert.throws(() => createVirtioDevices(drives, devices, host), (e: unknown) => e instanceof UserError && message.test(e.message) && !e.message.includes('\n'));
  }
});
