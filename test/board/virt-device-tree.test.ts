import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseFdt } from '../../src/board/fdt/fdt-reader.js';
import { propertyCells, propertyStrings } from '../../src/board/fdt/fdt-tree.js';
import { buildVirtDeviceTree, VIRT_DTB_SIZE, virtDeviceTreeBlob } from '../../src/board/virt-device-tree.js';
import { decompileWithDtc, modelledPartOfQemuTree, normalizedBlob, normalizedTree, qemuDumpDtb } from '../support/device-tree.js';

const MiB = 1 << 20;

/** QEMU configurations and the same board described to Partita. */
const CONFIGS = [
  { qemu: ['virt', '-m', '256'], ours: { ramBytes: 256 * MiB } },
  { qemu: ['virt', '-m', '128', '-smp', '2'], ours: { ramBytes: 128 * MiB, cpuCount: 2 } },
  { qemu: ['virt', '-m', '1024', '-smp', '4'], ours: { ramBytes: 1024 * MiB, cpuCount: 4 } },
  { qemu: ['virt,virtualization=on', '-m', '256', '-smp', '2'], ours: { ramBytes: 256 * MiB, cpuCount: 2, virtualization: true } },
] as const;

for (const { qemu, ours } of CONFIGS) {
  test(`virt device tree: matches qemu-system-arm -M ${qemu.join(' ')} node for node, property for property (modelled part)`, () => {
    const [machine, ...extra] = qemu;
    const reference = modelledPartOfQemuTree(normalizedBlob(qemuDumpDtb(machine, extra)));
    const generated = normalizedTree(buildVirtDeviceTree(ours));
    assert.deepEqual(Object.keys(generated).sort(), Object.keys(reference).sort(), 'same nodes');
    for (const path of Object.keys(reference)) assert.deepEqual(generated[path], reference[path], `node ${path}`);
  });
}

test('virt device tree: the blob is QEMU-sized (1 MiB), like the one QEMU dumps, and dtc reads it without warnings', () => {
  const blob = virtDeviceTreeBlob({ ramBytes: 256 * MiB });
  assert.equal(blob.length, qemuDumpDtb('virt', ['-m', '256']).length);
  assert.equal(blob.length, VIRT_DTB_SIZE);
  const { dts, warnings } = decompileWithDtc(blob);
  assert.equal(warnings, '');
  assert.match(dts, /compatible = "linux,dummy-virt";/);
});

test('virt device tree: /chosen carries bootargs and the initrd range as single cells; empty bootargs are left out', () => {
  const root = parseFdt(virtDeviceTreeBlob({ ramBytes: 256 * MiB, bootArgs: 'console=ttyAMA0', initrd: { start: 0x48000000, end: 0x48001388 } })).root;
  const chosen = root.find('/chosen')!;
  assert.deepEqual(propertyStrings(chosen.property('bootargs')!), ['console=ttyAMA0']);
  assert.deepEqual(propertyCells(chosen.property('linux,initrd-start')!), [0x48000000]);
  assert.deepEqual(propertyCells(chosen.property('linux,initrd-end')!), [0x48001388]);
  assert.deepEqual(propertyStrings(chosen.property('stdout-path')!), ['/pl011@9000000']);
  assert.equal(buildVirtDeviceTree({ ramBytes: 256 * MiB, bootArgs: '' }).find('/chosen')!.property('bootargs'), undefined);
});

test('virt device tree: processor counts outside 1-4 are rejected', () => {
  assert.throws(() => buildVirtDeviceTree({ ramBytes: 256 * MiB, cpuCount: 0 }), RangeError);
  assert.throws(() => buildVirtDeviceTree({ ramBytes: 256 * MiB, cpuCount: 5 }), RangeError);
});
