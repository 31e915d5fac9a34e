import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import {
  compileWithDtc, decompileWithDtc, dtsWithSeedsMasked, fakeZImage, normalizedBlob, qemuDumpDtb, withSeedsMasked,
} from '../support/device-tree.js';
import { partitaCli } from '../support/emulators.js';
import { GUESTS_DIR } from '../../src/cli/host/repo-paths.js';
import { runProcess } from '../../src/cli/host/run-process.js';

const partita = (args: readonly string[]) => runProcess(process.execPath, [partitaCli(), ...args], { timeoutMs: 60_000 });
const demo = join(GUESTS_DIR, 'demo', 'demo.elf');

function fixtures() {
  const dir = mkdtempSync(join(tmpdir(), 'partita-linux-cli-'));
  const kernel = join(dir, 'zImage');
  writeFileSync(kernel, fakeZImage([0xeafffffe])); // b .
  const initrd = join(dir, 'initrd.img');
  writeFileSync(initrd, new Uint8Array(5000).fill(0x5a));
  const userDtb = join(dir, 'user.dtb');
  writeFileSync(
    userDtb,
    compileWithDtc(`/dts-v1/;
/ {
  #address-cells = <1>; #size-cells = <1>; compatible = "test,user";
  memory@80000000 { device_type = "memory"; reg = <0x80000000 0x1000>; };
  psci { compatible = "arm,psci"; method = "smc"; cpu_on = <0x1>; };
  uart@9000000 { compatible = "arm,pl011"; reg = <0x9000000 0x1000>; };
};`),
  );
  return { dir, kernel, initrd, userDtb };
}

async function dumpOurs(args: readonly string[], out: string): Promise<Uint8Array> {
  const result = await partita(['run', ...args, '--dump-dtb', out]);
  assert.equal(result.status, 0, result.stderr.toString());
  assert.equal(result.stdout.toString(), '');
  return readFileSync(out);
}

test('partita run --dump-dtb: with no kernel, the whole tree qemu -M virt -m 128 -machine dumpdtb writes (seed values aside), dtc-clean', async () => {
  const { dir } = fixtures();
  const ours = await dumpOurs(['-m', '128'], join(dir, 'ours.dtb'));
  const qemu = qemuDumpDtb('virt', ['-m', '128']);
  assert.deepEqual(withSeedsMasked(normalizedBlob(ours)), withSeedsMasked(normalizedBlob(qemu)));
  assert.equal(dtsWithSeedsMasked(ours), dtsWithSeedsMasked(qemu));
  assert.equal(decompileWithDtc(ours).warnings, '');
});

test('partita run --dump-dtb --smp 2: the whole tree of qemu -M virt -smp 2 (seed values aside)', async () => {
  const { dir } = fixtures();
  const ours = await dumpOurs(['-m', '256', '--smp', '2'], join(dir, 'ours-smp.dtb'));
  assert.equal(dtsWithSeedsMasked(ours), dtsWithSeedsMasked(qemuDumpDtb('virt', ['-m', '256', '-smp', '2'])));
});

test('partita run --dump-dtb: a zImage with --initrd and --append gets the /chosen QEMU writes', async () => {
  const { dir, kernel, initrd } = fixtures();
  const common = ['-m', '256', '-kernel', kernel, '-initrd', initrd, '-append', 'console=ttyAMA0 rdinit=/bin/sh'];
  const ours = await dumpOurs(common.map((a) => (a.startsWith('-') && a !== '-m' ? `-${a}` : a)), join(dir, 'ours.dtb'));
  const qemu = qemuDumpDtb('virt', common);
  const reference = withSeedsMasked(normalizedBlob(qemu));
  assert.deepEqual(withSeedsMasked(normalizedBlob(ours)), reference);
  assert.equal(dtsWithSeedsMasked(ours), dtsWithSeedsMasked(qemu));
  assert.ok(reference['/chosen']!['linux,initrd-start'] !== undefined && reference['/chosen']!['bootargs'] !== undefined);
});

test('partita run --dtb: a user tree is patched as QEMU patches it (memory, psci, chosen), same size as QEMU loads it', async () => {
  const { dir, kernel, initrd, userDtb } = fixtures();
  const ours = await dumpOurs(['-m', '256', '--kernel', kernel, '--initrd', initrd, '--append', 'a b', '--dtb', userDtb], join(dir, 'ours.dtb'));
  const qemu = qemuDumpDtb('virt', ['-m', '256', '-kernel', kernel, '-initrd', initrd, '-append', 'a b', '-dtb', userDtb]);
  assert.deepEqual(normalizedBlob(ours), normalizedBlob(qemu));
  assert.equal(ours.length, qemu.length);
});

test('partita run: Linux-boot mistakes are one line on stderr with status 2', async () => {
  const { dir, kernel, initrd, userDtb } = fixtures();
  const notKernel = join(dir, 'random.bin');
  writeFileSync(notKernel, new Uint8Array(4096).fill(7));
  const badMagic = join(dir, 'bad.dtb');
  writeFileSync(badMagic, new Uint8Array(64).fill(1));
  const truncated = join(dir, 'truncated.dtb');
  writeFileSync(truncated, readFileSync(userDtb).subarray(0, 60));
  const bigInitrd = join(dir, 'big.img');
  writeFileSync(bigInitrd, new Uint8Array(9 << 20));
  const cases: [string[], RegExp][] = [
    [['run', '--kernel', notKernel], /random\.bin: not an ELF file or an ARM Linux zImage/],
    [['run', '--kernel', kernel, '--initrd', join(dir, 'missing.img')], /cannot read initrd '.*missing\.img': no such file/],
    [['run', '--kernel', kernel, '--dtb', join(dir, 'missing.dtb')], /cannot read device tree '.*missing\.dtb': no such file/],
    [['run', '--kernel', kernel, '--dtb', badMagic], /bad\.dtb: not a device tree blob \(bad magic 0x1010101/],
    [['run', '--kernel', kernel, '--dtb', truncated], /truncated\.dtb: truncated: header says \d+ bytes, file has 60/],
    [['run', '--kernel', kernel, '--initrd', bigInitrd, '-m', '16'], /big\.img: 9437184 bytes do not fit at 0x40800000/],
    [['run', '--kernel', demo, '--initrd', initrd], /--initrd and --dtb need a Linux zImage kernel/],
    [['run', '--dump-dtb', join(dir, 'no', 'such', 'dir.dtb')], /cannot write device tree '.*dir\.dtb'/],
    [['run', '--initrd', initrd, '--dump-dtb', join(dir, 'x.dtb')], /--initrd '.*initrd\.img' needs a kernel/],
    [['run'], /required option '--kernel <file>'/],
  ];
  for (const [args, message] of cases) {
    const result = await partita(args);
    const stderr = result.stderr.toString();
    assert.equal(result.status, 2, `${args.join(' ')}: ${stderr}`);
    assert.match(stderr, message);
    assert.equal(stderr.trim().split('\n').length, 1, `one line: ${stderr}`);
  }
});

test('partita run: a zImage boots (to its first instruction loop) under --max-insns', async () => {
  const { kernel } = fixtures();
  const result = await partita(['run', '--kernel', kernel, '--max-insns', '1000']);
  assert.equal(result.status, 124, result.stderr.toString());
});
