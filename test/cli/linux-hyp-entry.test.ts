import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { describeDifference, partitaCli, QEMU } from '../support/emulators.js';
import { debianImage, initramfsRunning, QUIET_CONSOLE, withoutKernelLog } from '../support/linux-guest.js';
import { runProcess } from '../../src/cli/host/run-process.js';

/**
 * Debian's armmp kernel entered in Hyp mode, as on `-M virt,virtualization=on`: it installs its
 * Hyp stub on every CPU (CONFIG_ARM_VIRT_EXT), drops to SVC and boots as usual. What it reports
 * about that, and a short workload, must be what it reports under QEMU.
 */
const WORKLOAD = `#!/bin/busybox sh
/bin/busybox mount -t proc proc /proc
/bin/busybox --install -s
echo '== hyp entry'
dmesg | sed -n 's/^\\[ *[0-9.]*\\] //p' | grep -i -e 'hyp mode' -e 'CPU.*started'
grep -c ^processor /proc/cpuinfo
seq 1 1000 | md5sum
echo '== end'
poweroff -f
`;

test('linux entered in Hyp mode on 2 CPUs: the kernel starts every CPU in HYP mode and runs as under QEMU virtualization=on', async () => {
  const { kernel, initrd } = await debianImage();
  const dir = mkdtempSync(join(tmpdir(), 'partita-linux-hyp-'));
  const workload = initramfsRunning(initrd, WORKLOAD, join(dir, 'workload.cpio.gz'));
  const [ours, reference] = await Promise.all([
    runProcess(
      process.execPath,
      [partitaCli(), 'run', '--virtualization', '--smp', '2', '--kernel', kernel, '--initrd', workload, '--append', QUIET_CONSOLE, '--mem', '256M'],
      { timeoutMs: 900_000 },
    ),
    runProcess(
      QEMU,
      ['-M', 'virt,virtualization=on', '-cpu', 'cortex-a15', '-smp', '2', '-m', '256', '-nographic', '-kernel', kernel, '-initrd', workload,
        '-append', QUIET_CONSOLE],
      { timeoutMs: 300_000 },
    ),
  ]);
  assert.equal(reference.status, 0, reference.stderr.toString());
  assert.equal(ours.status, 0, ours.stderr.toString());
  const expected = withoutKernelLog(reference.stdout.toString());
  const actual = withoutKernelLog(ours.stdout.toString());
  assert.match(expected, /== hyp entry\nCPU: All CPU\(s\) started in HYP mode\.\n2\n[0-9a-f]{32}  -\n== end/);
  assert.equal(actual, expected, describeDifference(expected, actual));
});
