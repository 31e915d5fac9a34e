import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { describeDifference, partitaCli, QEMU } from '../support/emulators.js';
import { debianImage, initramfsRunning, QUIET_CONSOLE, withoutKernelLog } from '../support/linux-guest.js';
import { runProcess } from '../../src/cli/host/run-process.js';

/**
 * Busybox workloads whose output depends only on the kernel, busybox and the board, never on the
 * host: /proc/cpuinfo is compared whole, Features (neon, vfpv4...) included. The board's
 * devices show in meminfo's MemTotal (Linux allocates the unflattened device tree from memblock,
 * so the whole of QEMU's tree must be there), /proc/iomem and /proc/interrupts (the PL061 with
 * gpio-keys' power button, the RTC's interrupt number after it); the interrupt counts of the
 * arch timer and the IPIs depend on host timing under QEMU and are masked.
 */
const WORKLOAD = `#!/bin/busybox sh
/bin/busybox mount -t proc proc /proc
/bin/busybox mount -t sysfs sysfs /sys
/bin/busybox mount -t devtmpfs devtmpfs /dev
/bin/busybox --install -s
echo '== workload'
awk 'BEGIN { s = 0; for (i = 1; i <= 2000; i++) s += i * i; printf "%d %.6f %d %x\\n", s, 22 / 7, 17 % 5, 48879 }'
seq 1 500 | awk '{ print ($1 * 7919) % 1009 }' | sort -n | uniq -c | sort -rn | head -3
seq 1 3000 > /tmp/numbers
cat /tmp/numbers | gzip -9 | gunzip | md5sum
md5sum /tmp/numbers; sha1sum /tmp/numbers; sha256sum /tmp/numbers
dd if=/dev/zero bs=1k count=64 2>/dev/null | tr '\\0' 'a' | sha256sum
echo 'scale=20; 4*a(1)' | bc -l
echo '2^64 % 1000007' | bc
sed -e 's/[0-9]/#/g' -e 's/ (.*//' /proc/version
grep -c 7 /tmp/numbers
echo 'Partita runs virtual machines' | rev | tr 'a-z' 'A-Z'
cat /proc/cmdline
cat /proc/cpuinfo
grep -E '^(MemTotal|SwapTotal|HugePages_Total|Hugepagesize)' /proc/meminfo
cat /proc/iomem
awk 'NR == 1 { n = NF; print; next } / arch_timer$|^ *IPI/ { for (i = 2; i <= n + 1; i++) $i = "-" } { print }' /proc/interrupts
cat /proc/sys/kernel/ostype /proc/sys/kernel/osrelease
echo '== end'
poweroff -f
`;

/**
 * On one CPU both command lines are exactly the (no -smp: each emulator's default), on
 * two both get -smp 2.
 */
for (const cpus of [1, 2]) {
  const partitaSmp = cpus === 1 ? [] : ['--smp', String(cpus)];
  const qemuSmp = cpus === 1 ? [] : ['-smp', String(cpus)];
  test(`linux on ${cpus} CPU(s): a busybox workload prints exactly what it prints under qemu-system-arm (kernel log lines aside)`, async () => {
    const { kernel, initrd } = await debianImage();
    const dir = mkdtempSync(join(tmpdir(), 'partita-linux-workload-'));
    const workload = initramfsRunning(initrd, WORKLOAD, join(dir, 'workload.cpio.gz'));
    const [ours, reference] = await Promise.all([
      runProcess(
        process.execPath,
        [partitaCli(), 'run', '--kernel', kernel, '--initrd', workload, '--append', QUIET_CONSOLE, '--mem', '256M', ...partitaSmp],
        { timeoutMs: 900_000 },
      ),
      runProcess(
        QEMU,
        ['-M', 'virt', '-cpu', 'cortex-a15', ...qemuSmp, '-m', '256', '-nographic', '-kernel', kernel, '-initrd', workload, '-append', QUIET_CONSOLE],
        { timeoutMs: 300_000 },
      ),
    ]);
    assert.equal(reference.status, 0, reference.stderr.toString());
    assert.equal(ours.status, 0, ours.stderr.toString());
    const expected = withoutKernelLog(reference.stdout.toString());
    const actual = withoutKernelLog(ours.stdout.toString());
    assert.match(expected, new RegExp(`== workload\\n[\\s\\S]*processor\\t: ${cpus - 1}\\n[\\s\\S]*== end`));
    assert.equal(actual, expected, describeDifference(expected, actual));
  });
}
