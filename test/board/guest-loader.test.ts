import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { ImageError } from '../../src/board/elf-image.js';
import { checkGuestLoaderPlacement, guestLoaderNodeName, type GuestLoaderModule } from '../../src/board/guest-loader.js';
import { buildVirtDeviceTree, virtDeviceTreeBlob } from '../../src/board/virt-device-tree.js';
import { prepareLinuxBoot } from '../../src/board/virt-linux.js';
import { dtsWithSeedsMasked, fakeZImage, normalizedBlob, normalizedTree, qemuDumpDtb, withSeedsMasked } from '../support/device-tree.js';

const MiB = 1 << 20;
const bytes = (length: number, seed: number): Uint8Array => new Uint8Array(length).map((_, i) => (i * seed + 3) & 0xff);

/** A dom0 kernel with bootargs (one comma escaped as QEMU's ",,") and its ramdisk, as Xen gets them. */
const KERNEL = bytes(5000, 7);
const RAMDISK = bytes(777, 13);
const BOOTARGS = 'console=hvc0 earlyprintk=xen clk_ignore_unused,foo';

function modules(dir: string): { ours: GuestLoaderModule[]; qemu: string[] } {
  writeFileSync(join(dir, 'kernel'), KERNEL);
  writeFileSync(join(dir, 'ramdisk'), RAMDISK);
  return {
    ours: [
      { address: 0x42000000, kind: 'kernel', name: 'kernel', data: KERNEL, bootArgs: BOOTARGS },
      { address: 0x47000000, kind: 'initrd', name: 'ramdisk', data: RAMDISK },
    ],
    qemu: [
      '-device', `guest-loader,addr=0x42000000,kernel=${join(dir, 'kernel')},bootargs=${BOOTARGS.replace(',', ',,')}`,
      '-device', `guest-loader,addr=0x47000000,initrd=${join(dir, 'ramdisk')}`,
    ],
  };
}

for (const cpus of [1, 2]) {
  test(`guest-loader: the /chosen/module@... nodes (and the whole tree) are QEMU's for -M virt,virtualization=on -m 2G -smp ${cpus} with a kernel and an initrd module`, () => {
    const dir = mkdtempSync(join(tmpdir(), 'partita-guest-loader-'));
    const { ours, qemu } = modules(dir);
    const qemuBlob = qemuDumpDtb('virt,virtualization=on', ['-m', '2G', '-smp', String(cpus), ...qemu]);
    const options = { ramBytes: 2048 * MiB, cpuCount: cpus, virtualization: true, guestLoaderModules: ours };
    const reference = withSeedsMasked(normalizedBlob(qemuBlob));
    const generated = withSeedsMasked(normalizedTree(buildVirtDeviceTree(options)));
    for (const path of ['/chosen/module@0x42000000', '/chosen/module@0x47000000']) assert.deepEqual(generated[path], reference[path], path);
    assert.deepEqual(generated, reference);
    // Node and property order: the later module's node first, bootargs before compatible before reg.
    assert.equal(dtsWithSeedsMasked(virtDeviceTreeBlob(options)), dtsWithSeedsMasked(qemuBlob));
  });
}

test('guest-loader: the node name has the address in at least 8 hex digits after "0x", as QEMU\'s "module@0x%08" PRIx64', () => {
  assert.equal(guestLoaderNodeName(0x42000000), 'module@0x42000000');
  assert.equal(guestLoaderNodeName(0x1000), 'module@0x00001000');
});

test('guest-loader: a module must lie in RAM and overlap neither another module nor the kernel, initrd or device tree', () => {
  const module = (address: number, size: number): GuestLoaderModule => ({ address, kind: 'kernel', name: `m${address.toString(16)}`, data: new Uint8Array(size) });
  const ram = { base: 0x40000000, bytes: 256 * MiB };
  assert.doesNotThrow(() => checkGuestLoaderPlacement([module(0x42000000, 4096), module(0x42001000, 4096)], ram, []));
  assert.throws(() => checkGuestLoaderPlacement([module(0x30000000, 16)], ram, []), /outside RAM \(0x40000000-0x50000000\)/);
  assert.throws(() => checkGuestLoaderPlacement([module(0x4ffff000, 0x2000)], ram, []), /outside RAM/);
  assert.throws(() => checkGuestLoaderPlacement([module(0x42000000, 4096), module(0x42000fff, 16)], ram, []), /overlaps --guest-loader kernel 'm42000000'/);
  assert.throws(() => checkGuestLoaderPlacement([module(0x40010100, 16)], ram, [{ what: 'the kernel', address: 0x40010000, size: 0x1000 }]), ImageError);

  const kernel = { name: 'zImage', data: fakeZImage([], 0x2000) };
  assert.throws(() => prepareLinuxBoot(256 * MiB, { kernel, guestLoaderModules: [module(0x40011000, 16)] }), /overlaps the kernel 'zImage' at 0x40010000-0x40012000/);
  assert.throws(() => prepareLinuxBoot(256 * MiB, { kernel, guestLoaderModules: [module(0x48000000, 16)] }), /overlaps the device tree at 0x48000000/);
  assert.throws(
    () => prepareLinuxBoot(256 * MiB, { kernel, dtb: { name: 'board.dtb', data: new Uint8Array(64) }, guestLoaderModules: [module(0x42000000, 16)] }),
    /with --dtb 'board.dtb'/,
  );
});

test('guest-loader: the modules are loaded at their addresses with the kernel', () => {
  const ram = new Map<number, Uint8Array>();
  const boot = prepareLinuxBoot(256 * MiB, {
    kernel: { name: 'zImage', data: fakeZImage([]) },
    guestLoaderModules: [{ address: 0x42000000, kind: 'kernel', name: 'k', data: KERNEL }, { address: 0x47000000, kind: 'initrd', name: 'r', data: RAMDISK }],
  });
  const cpu = { reset() {}, setMode() {}, thumb: 0, pc: 0 } as unknown as Parameters<typeof boot.load>[1];
  boot.load({ loadIntoRam: (address, data) => (ram.set(address, data), true) }, cpu);
  assert.equal(ram.get(0x42000000), KERNEL);
  assert.equal(ram.get(0x47000000), RAMDISK);
});
