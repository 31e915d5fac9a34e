import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseFdt } from '../../src/board/fdt/fdt-reader.js';
import { propertyCells, propertyStrings } from '../../src/board/fdt/fdt-tree.js';
import { buildVirtDeviceTree, DEFAULT_DTB_SEED, VIRT_DTB_SIZE, virtDeviceTreeBlob } from '../../src/board/virt-device-tree.js';
import { decompileWithDtc, dtsWithSeedsMasked, normalizedBlob, normalizedTree, qemuDumpDtb, withSeedsMasked } from '../support/device-tree.js';

const MiB = 1 << 20;

/** QEMU configurations and the same board described to Partita. */
const CONFIGS = [
  { qemu: ['virt', '-m', '256'], ours: { ramBytes: 256 * MiB } },
  { qemu: ['virt', '-m', '128', '-smp', '2'], ours: { ramBytes: 128 * MiB, cpuCount: 2 } },
  { qemu: ['virt', '-m', '1024', '-smp', '4'], ours: { ramBytes: 1024 * MiB, cpuCount: 4 } },
  { qemu: ['virt,virtualization=on', '-m', '256', '-smp', '2'], ours: { ramBytes: 256 * MiB, cpuCount: 2, virtualization: true } },
  // The machine Xen boots on (issue 5): GICH/GICV and the maintenance interrupt, the Hyp timer, PSCI over SMC.
  { qemu: ['virt,virtualization=on', '-m', '2G'], ours: { ramBytes: 2048 * MiB, virtualization: true } },
  { qemu: ['virt,virtualization=on', '-m', '2G', '-smp', '2'], ours: { ramBytes: 2048 * MiB, cpuCount: 2, virtualization: true } },
] as const;

for (const { qemu, ours } of CONFIGS) {
  test(`virt device tree: the whole tree of qemu-system-arm -M ${qemu.join(' ')}, node for node, property for property, in QEMU's order (seed values aside)`, () => {
    const [machine, ...extra] = qemu;
    const qemuBlob = qemuDumpDtb(machine, extra);
    const reference = withSeedsMasked(normalizedBlob(qemuBlob));
    const generated = withSeedsMasked(normalizedTree(buildVirtDeviceTree(ours)));
    assert.deepEqual(Object.keys(generated).sort(), Object.keys(reference).sort(), 'same nodes');
    for (const path of Object.keys(reference)) assert.deepEqual(generated[path], reference[path], `node ${path}`);
    // dtc's source compares the order of nodes and properties, and the phandle numbers, too.
    assert.equal(dtsWithSeedsMasked(virtDeviceTreeBlob(ours)), dtsWithSeedsMasked(qemuBlob));
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

test('virt device tree: the seeds in /chosen are 32 and 8 bytes from the seed given, the same for the same seed', () => {
  const chosen = (seed?: number) => buildVirtDeviceTree({ ramBytes: 256 * MiB, ...(seed === undefined ? {} : { seed }) }).find('/chosen')!;
  assert.equal(chosen().property('rng-seed')!.value.length, 32);
  assert.equal(chosen().property('kaslr-seed')!.value.length, 8);
  assert.deepEqual(chosen(7).property('rng-seed'), chosen(7).property('rng-seed'));
  assert.deepEqual(chosen().property('rng-seed'), chosen(DEFAULT_DTB_SEED).property('rng-seed'));
  assert.notDeepEqual(chosen(7).property('rng-seed'), chosen(8).property('rng-seed'));
  assert.notDeepEqual(chosen(7).property('kaslr-seed'), chosen(8).property('kaslr-seed'));
});

test('virt device tree: the power button is KEY_POWER on the PL061 line 3, whose interrupt is SPI 7, level-high', () => {
  const root = buildVirtDeviceTree({ ramBytes: 256 * MiB, cpuCount: 2 });
  const gpio = root.find('/pl061@9030000')!;
  const key = root.find('/gpio-keys/poweroff')!;
  assert.deepEqual(propertyCells(key.property('gpios')!), [propertyCells(gpio.property('phandle')!)[0], 3, 0]);
  assert.deepEqual(propertyCells(key.property('linux,code')!), [116]);
  assert.deepEqual(propertyCells(gpio.property('interrupts')!), [0, 7, 4]);
});

test('virt device tree: virtualization=on adds GICH (0x08030000) and GICV (0x08040000) to the GIC and its maintenance interrupt (PPI 9), and moves PSCI to "smc"', () => {
  const on = buildVirtDeviceTree({ ramBytes: 256 * MiB, virtualization: true });
  const off = buildVirtDeviceTree({ ramBytes: 256 * MiB });
  const gicRegions = (root: typeof on): number[] => propertyCells(root.find('/intc@8000000')!.property('reg')!);
  assert.deepEqual(gicRegions(on).slice(8), [0, 0x08030000, 0, 0x10000, 0, 0x08040000, 0, 0x10000]);
  assert.equal(gicRegions(off).length, 8);
  assert.deepEqual(propertyCells(on.find('/intc@8000000')!.property('interrupts')!), [1, 9, 4]);
  assert.equal(off.find('/intc@8000000')!.property('interrupts'), undefined);
  assert.deepEqual(propertyStrings(on.find('/psci')!.property('method')!), ['smc']);
  assert.deepEqual(propertyStrings(off.find('/psci')!.property('method')!), ['hvc']);
  // Secure, non-secure physical, virtual and Hyp timers: PPIs 13, 14, 11, 10 either way.
  assert.deepEqual(propertyCells(on.find('/timer')!.property('interrupts')!).filter((_, i) => i % 3 === 1), [13, 14, 11, 10]);
});

test('virt device tree: processor counts outside 1-4 are rejected', () => {
  assert.throws(() => buildVirtDeviceTree({ ramBytes: 256 * MiB, cpuCount: 0 }), RangeError);
  assert.throws(() => buildVirtDeviceTree({ ramBytes: 256 * MiB, cpuCount: 5 }), RangeError);
});
