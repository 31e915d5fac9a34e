import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { cachedXenImagePaths } from '../../src/cli/images/xen-image.js';
import { describeDifference, partitaCli, QEMU } from '../support/emulators.js';
import { debianImage, initramfsRunning, withoutKernelLog } from '../support/linux-guest.js';
import { runProcess } from '../../src/cli/host/run-process.js';

/**
 * Debian's Xen 4.17 on the virtualization=on board, with Debian's armmp kernel as dom0 and the
 * busybox initramfs, on both emulators with QEMU's command line (-smp 2 -m 2G, dom0 given by two
 * guest-loader modules). Dom0 runs a workload on its console, hvc0 (Xen's console ring, which Xen
 * copies to the PL011), then `poweroff -f`: Xen shuts the machine down (PSCI SYSTEM_OFF over SMC)
 * and both emulators exit with status 0. The workload's lines must be the same bytes; Xen's own
 * "(XEN)" lines and dom0's kernel log carry host timing under QEMU and are left out.
 */
const WORKLOAD = `#!/bin/busybox sh
/bin/busybox mount -t proc proc /proc
/bin/busybox mount -t sysfs sysfs /sys
/bin/busybox --install -s
echo '== dom0 workload'
cat /proc/cmdline
sed -e 's/[0-9]/#/g' -e 's/ (.*//' /proc/version
cat /proc/cpuinfo
grep -E '^(MemTotal|SwapTotal)' /proc/meminfo
ls /sys/hypervisor 2>/dev/null; cat /sys/hypervisor/type 2>/dev/null
grep -c . /proc/interrupts > /dev/null && echo interrupts listed
seq 1 2000 | gzip -9 | gunzip | md5sum
echo 'scale=15; 4*a(1)' | bc -l
echo 'Xen dom0 on Partita' | rev
echo '== end'
poweroff -f
`;

const XEN_APPEND = 'dom0_mem=512M console=dtuart dtuart=/pl011@9000000';
const DOM0_BOOTARGS = 'console=hvc0 quiet';

/**
 * Dom0's console lines: Xen's own messages and the kernel log removed. Xen's console driver turns
 * the tty's CR LF into CR CR LF; every CR goes.
 */
function dom0Lines(console: string): string {
  return withoutKernelLog(console.replace(/\r/g, ''))
    .split('\n')
    .filter((line) => !line.startsWith('(XEN)'))
    .join('\n');
}

test('xen: Debian Xen 4.17 boots dom0 to its busybox shell on hvc0, which prints what it prints under QEMU; poweroff -f halts the machine', async () => {
  const { kernel, initrd } = await debianImage();
  const { xen } = await cachedXenImagePaths();
  const dir = mkdtempSync(join(tmpdir(), 'partita-xen-'));
  const dom0Initrd = initramfsRunning(initrd, WORKLOAD, join(dir, 'dom0.cpio.gz'));
  const kernelModule = `addr=0x42000000,kernel=${kernel},bootargs=${DOM0_BOOTARGS}`;
  const initrdModule = `addr=0x47000000,initrd=${dom0Initrd}`;
  const [ours, reference] = await Promise.all([
    runProcess(
      process.execPath,
      [partitaCli(), 'run', '--virtualization', '--smp', '2', '--mem', '2G', '--kernel', xen, '--append', XEN_APPEND,
        '--guest-loader', kernelModule, '--guest-loader', initrdModule],
      { timeoutMs: 1_200_000 },
    ),
    runProcess(
      QEMU,
      ['-M', 'virt,virtualization=on', '-cpu', 'cortex-a15', '-smp', '2', '-m', '2G', '-nographic', '-kernel', xen, '-append', XEN_APPEND,
        '-device', `guest-loader,${kernelModule}`, '-device', `guest-loader,${initrdModule}`],
      { timeoutMs: 600_000 },
    ),
  ]);
  assert.equal(reference.status, 0, `QEMU: ${reference.stderr.toString()}\n${reference.stdout.toString().slice(-2000)}`);
  assert.equal(ours.status, 0, `Partita: ${ours.stderr.toString()}\n${ours.stdout.toString().slice(-3000)}`);
  const expected = dom0Lines(reference.stdout.toString());
  const actual = dom0Lines(ours.stdout.toString());
  assert.match(expected, /== dom0 workload\n[\s\S]*processor\t: 0\n[\s\S]*== end/);
  assert.equal(actual, expected, describeDifference(expected, actual));
});
