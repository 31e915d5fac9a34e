import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { partitaCli } from '../support/emulators.js';
import { debianImage, QUIET_CONSOLE } from '../support/linux-guest.js';
import { runProcess } from '../../src/cli/host/run-process.js';

/**
 * Debian's armmp kernel with the busybox initramfs of `partita images fetch debian`, driven like a
 * user at the console: commands on stdin, answers checked against values known without Partita.
 */
for (const cpus of [1, 2]) {
  test(`linux on ${cpus} CPU(s): Debian armmp boots to the busybox shell, runs commands from the console, and poweroff -f exits 0`, async () => {
    const { kernel, initrd, manifest } = await debianImage();
    const dir = mkdtempSync(join(tmpdir(), 'partita-linux-shell-'));
    const disk = join(dir, 'disk.img');
    const firstSector = Buffer.alloc(512, 0);
    firstSector.write('partita disk sector zero\n');
    writeFileSync(disk, Buffer.concat([firstSector, Buffer.alloc(1024 * 1024 - 512)]));
    const commands = join(dir, 'commands');
    writeFileSync(
      commands,
      [
        'echo answer-$((6*7))',
        'uname -r',
        'echo -n abc | md5sum',
        'grep -c ^processor /proc/cpuinfo',
        "lsmod | cut -d' ' -f1 | sort | tr '\\n' ' '; echo",
        'dd if=/dev/vda bs=512 count=1 2>/dev/null | md5sum',
        'echo written-by-the-guest | dd of=/dev/vda bs=512 seek=1 conv=sync 2>/dev/null; sync',
        'dd if=/dev/hwrng bs=16 count=1 2>/dev/null | wc -c',
        'cat /sys/class/net/eth0/address',
        'poweroff -f',
        '',
      ].join('\n'),
    );
    const result = await runProcess(
      process.execPath,
      [
        partitaCli(), 'run', '--kernel', kernel, '--initrd', initrd, '--append', QUIET_CONSOLE, '--mem', '256M', '--smp', String(cpus),
        '--drive', `file=${disk},format=raw,if=none,id=d0`, '--device', 'virtio-blk-device,drive=d0',
        '--device', 'virtio-rng-device', '--device', 'virtio-net-device',
      ],
      { timeoutMs: 900_000, stdinFile: commands },
    );
    const out = result.stdout.toString().replace(/\r\n/g, '\n');
    assert.equal(result.status, 0, `${out}\n${result.stderr}`);
    const answers = [
      'answer-42',
      manifest.kernelRelease,
      '900150983cd24fb0d6963f7d28e17f72  -',
      String(cpus),
      'Module failover net_failover virtio_blk virtio_console virtio_mmio virtio_net virtio_rng ',
      `${createHash('md5').update(firstSector).digest('hex')}  -`,
      '16',
      '52:54:00:12:34:56',
    ];
    for (const answer of answers) assert.ok(out.split('\n').includes(answer), `missing line '${answer}' in:\n${out}`);
    assert.match(out, /reboot: Power down/);
    // What the guest wrote and synced is in the image file, byte for byte.
    const written = readFileSync(disk).subarray(512, 1024);
    assert.deepEqual(written, Buffer.concat([Buffer.from('written-by-the-guest\n'), Buffer.alloc(512 - 21)]));
  });
}
