import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { serializeFdt } from '../../src/board/fdt/fdt-writer.js';
import { buildVirtDeviceTree } from '../../src/board/virt-device-tree.js';
import { describeDifference, partitaCli, QEMU } from '../support/emulators.js';
import { debianImage, initramfsRunning, QUIET_CONSOLE } from '../support/linux-guest.js';
import { runProcess } from '../../src/cli/host/run-process.js';

/**
 * The Performance Monitors (CP15 c9) as Linux's armv7 PMU driver uses them. QEMU's virt tree has
 * an empty /pmu for an ARMv7 processor, so no driver binds; this boot gives both emulators the
 * board's tree with /pmu completed (arm,cortex-a15-pmu on PPI 7, as QEMU wires the PMU
 * interrupt), so the driver probes: it reads PMCR.N and resets every counter.
 */
const INIT = `#!/bin/busybox sh
/bin/busybox mount -t proc proc /proc
/bin/busybox --install -s
echo '== pmu'
dmesg | grep 'hw perfevents' | sed 's/^\\[[ 0-9.]*\\] //'
grep arm-pmu /proc/interrupts
echo '== end'
poweroff -f
`;

const section = (console: string): string => {
  const text = console.replace(/\r\n/g, '\n');
  return text.slice(text.indexOf('== pmu'), text.indexOf('== end'));
};

test('linux: the armv7 PMU driver probes on the Cortex-A15 PMU registers as under QEMU (6 counters + the cycle counter)', async () => {
  const { kernel, initrd } = await debianImage();
  const dir = mkdtempSync(join(tmpdir(), 'partita-linux-pmu-'));
  const image = initramfsRunning(initrd, INIT, join(dir, 'init.cpio.gz'));
  const tree = buildVirtDeviceTree({ ramBytes: 256 << 20 });
  tree.find('/pmu')!.setString('compatible', 'arm,cortex-a15-pmu').setCells('interrupts', 1, 7, 0x104);
  const dtb = join(dir, 'pmu.dtb');
  writeFileSync(dtb, serializeFdt(tree, { totalSize: 0x10000 }));
  const [ours, reference] = await Promise.all([
    runProcess(process.execPath, [partitaCli(), 'run', '--kernel', kernel, '--initrd', image, '--dtb', dtb, '--append', QUIET_CONSOLE, '--mem', '256M'], { timeoutMs: 900_000 }),
    runProcess(QEMU, ['-M', 'virt', '-cpu', 'cortex-a15', '-m', '256', '-nographic', '-kernel', kernel, '-initrd', image, '-dtb', dtb, '-append', QUIET_CONSOLE], { timeoutMs: 300_000 }),
  ]);
  assert.equal(reference.status, 0, reference.stderr.toString());
  assert.equal(ours.status, 0, ours.stderr.toString());
  const expected = section(reference.stdout.toString());
  const actual = section(ours.stdout.toString());
  assert.match(expected, /hw perfevents: enabled with armv7_cortex_a15 PMU driver, 7 counters available\n.*arm-pmu/);
  assert.equal(actual, expected, describeDifference(expected, actual));
});
