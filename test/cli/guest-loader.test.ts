import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { parseGuestLoaderSpec } from '../../src/cli/guest-loader-option.js';
import { splitQemuOptions } from '../../src/cli/qemu-options.js';
import { UserError } from '../../src/cli/user-error.js';
import { dtsWithSeedsMasked, fakeZImage, qemuDumpDtb } from '../support/device-tree.js';
import { partitaCli } from '../support/emulators.js';
import { runProcess } from '../../src/cli/host/run-process.js';

const partita = (args: readonly string[]) => runProcess(process.execPath, [partitaCli(), ...args], { timeoutMs: 30_000 });

test('--guest-loader: QEMU\'s option syntax: ",," is a comma inside a value', () => {
  assert.deepEqual(splitQemuOptions('a=1,b=x,,y,,,c='), ['a=1', 'b=x,y,', 'c=']);
  assert.deepEqual(parseGuestLoaderSpec('addr=0x42000000,kernel=/k,bootargs=console=hvc0 a=b,,c'), {
    address: 0x42000000, kind: 'kernel', file: '/k', bootArgs: 'console=hvc0 a=b,c',
  });
  assert.deepEqual(parseGuestLoaderSpec('initrd=r,addr=1191182336'), { address: 0x47000000, kind: 'initrd', file: 'r', bootArgs: undefined });
  assert.equal(parseGuestLoaderSpec('addr=010000000000,kernel=k').address, 0x40000000, 'a leading 0 is octal, as qemu_strtou64');
});

test('--guest-loader: the checks and messages of QEMU\'s guest_loader_realize', () => {
  const cases: [string, RegExp][] = [
    ['addr=0x42000000', /Need to specify a kernel or initrd image/],
    ['kernel=k', /Need to specify the address of guest blob/],
    ['addr=0,kernel=k', /Need to specify the address of guest blob/],
    ['addr=0x42000000,kernel=k,initrd=r', /Cannot specify a kernel and initrd in same stanza/],
    ['addr=0x42000000,initrd=r,bootargs=x', /Boot args only relevant to kernel blobs/],
    ['addr=zz,kernel=k', /Parameter 'addr' expects integer/],
    ['addr=0x42000000,kernel=k,foo=1', /unknown property 'foo'/],
    ['addr=0x142000000,kernel=k', /beyond the board's 32-bit physical address space/],
  ];
  for (const [spec, message] of cases) {
    assert.throws(() => parseGuestLoaderSpec(spec), (error: unknown) => error instanceof UserError && message.test(error.message) && error.message.includes(`'${spec}'`), spec);
  }
});

test('partita run --dump-dtb --virtualization --guest-loader gives the tree qemu-system-arm -M virt,virtualization=on -device guest-loader,... dumps', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'partita-cli-guest-loader-'));
  const kernel = join(dir, 'vmlinuz');
  const initrd = join(dir, 'initrd');
  writeFileSync(kernel, new Uint8Array(12345).fill(0x5a));
  writeFileSync(initrd, new Uint8Array(999).fill(0xa5));
  const kernelSpec = `addr=0x42000000,kernel=${kernel},bootargs=console=hvc0 earlyprintk=xen`;
  const initrdSpec = `addr=0x47000000,initrd=${initrd}`;
  const out = join(dir, 'partita.dtb');
  // The second module spelled as QEMU spells it, through --device.
  const result = await partita([
    'run', '--virtualization', '--smp', '2', '-m', '2G', '--dump-dtb', out, '--guest-loader', kernelSpec, '--device', `guest-loader,${initrdSpec}`,
  ]);
  assert.equal(result.status, 0, result.stderr.toString());
  const reference = qemuDumpDtb('virt,virtualization=on', ['-m', '2G', '-smp', '2', '-device', `guest-loader,${kernelSpec}`, '-device', `guest-loader,${initrdSpec}`]);
  assert.equal(dtsWithSeedsMasked(readFileSync(out)), dtsWithSeedsMasked(reference));
});

test('partita run --guest-loader: bad specifications, missing files and bad placements are one line on stderr with status 2, never a stack trace', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'partita-cli-guest-loader-'));
  const zImage = join(dir, 'zImage');
  const blob = join(dir, 'blob');
  const dtb = join(dir, 'board.dtb');
  writeFileSync(zImage, fakeZImage([], 0x2000));
  writeFileSync(blob, new Uint8Array(0x1000));
  writeFileSync(dtb, new Uint8Array(64));
  const run = ['run', '--virtualization', '-m', '256M', '--kernel', zImage];
  const cases: [string[], RegExp][] = [
    [[...run, '--guest-loader', 'addr=0x42000000'], /^partita: --guest-loader 'addr=0x42000000': Need to specify a kernel or initrd image\n$/],
    [[...run, '--guest-loader', `addr=0x42000000,kernel=${blob},initrd=${blob}`], /Cannot specify a kernel and initrd in same stanza/],
    [[...run, '--guest-loader', `addr=0x42000000,kernel=${blob},size=3`], /unknown property 'size'/],
    [[...run, '--guest-loader', `addr=0x42000000,kernel=${join(dir, 'missing')}`], /cannot read --guest-loader kernel '.*missing': no such file/],
    [[...run, '--guest-loader', `addr=0x60000000,kernel=${blob}`], /--guest-loader kernel '.*blob' \(4096 bytes at 0x60000000\) is outside RAM \(0x40000000-0x50000000\)/],
    [[...run, '--guest-loader', `addr=0x40011000,initrd=${blob}`], /--guest-loader initrd '.*blob' \(4096 bytes at 0x40011000\) overlaps the kernel '.*zImage' at 0x40010000-0x40012000/],
    [[...run, '--guest-loader', `addr=0x42000000,kernel=${blob}`, '--guest-loader', `addr=0x42000800,initrd=${blob}`], /overlaps --guest-loader kernel/],
    [[...run, '--dtb', dtb, '--guest-loader', `addr=0x42000000,kernel=${blob}`], /--guest-loader describes its modules in the generated device tree; with --dtb/],
  ];
  for (const [args, message] of cases) {
    const result = await partita(args);
    const stderr = result.stderr.toString();
    assert.equal(result.status, 2, `${args.join(' ')}: ${stderr}`);
    assert.match(stderr, message);
    assert.equal(stderr.trim().split('\n').length, 1, `one line: ${stderr}`);
    assert.doesNotMatch(stderr, /\n\s+at /, 'no stack trace');
  }
});
