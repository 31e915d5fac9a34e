import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { writeCpioNewc, type CpioEntry } from '../../../src/cli/images/cpio-newc.js';
import { readCpioNewc } from './cpio-reader.js';

const bytes = (text: string) => new TextEncoder().encode(text);

const sample: CpioEntry[] = [
  { kind: 'directory', path: 'bin' },
  { kind: 'file', path: 'bin/hello', data: bytes('#!/bin/sh\necho hi\n'), mode: 0o755 },
  { kind: 'directory', path: 'dev' },
  { kind: 'char-device', path: 'dev/console', major: 5, minor: 1, mode: 0o600 },
  { kind: 'symlink', path: 'bin/sh', target: 'hello' },
  { kind: 'file', path: '/empty', data: new Uint8Array(0) },
  { kind: 'file', path: 'odd', data: new Uint8Array([1, 2, 3, 4, 5]) },
];

test('cpio newc: members read back with their names, types, modes, device numbers and data', () => {
  const { members, trailer, end } = readCpioNewc(writeCpioNewc(sample));
  assert.deepEqual(
    members.map((m) => [m.name, m.mode.toString(8), m.nlink, m.rdevMajor, m.rdevMinor, new TextDecoder().decode(m.data)]),
    [
      ['bin', '40755', 2, 0, 0, ''],
      ['bin/hello', '100755', 1, 0, 0, '#!/bin/sh\necho hi\n'],
      ['dev', '40755', 2, 0, 0, ''],
      ['dev/console', '20600', 1, 5, 1, ''],
      ['bin/sh', '120777', 1, 0, 0, 'hello'],
      ['empty', '100644', 1, 0, 0, ''],
      ['odd', '100644', 1, 0, 0, '\x01\x02\x03\x04\x05'],
    ],
  );
  assert.equal(trailer.mode, 0);
  assert.equal(trailer.nlink, 1);
  assert.equal(end, writeCpioNewc(sample).length, 'the archive ends right after the trailer');
});

test('cpio newc: deterministic headers: mtime, uid, gid and check 0, inodes 1, 2, 3, … in entry order', () => {
  const { members, trailer } = readCpioNewc(writeCpioNewc(sample));
  assert.deepEqual(members.map((m) => m.ino), [1, 2, 3, 4, 5, 6, 7]);
  for (const m of [...members, trailer]) assert.deepEqual([m.mtime, m.uid, m.gid, m.check], [0, 0, 0, 0], m.name);
  assert.equal(trailer.ino, 0);
});

test('cpio newc: every header and every body starts on a 4-byte boundary; padding is zero', () => {
  const archive = writeCpioNewc(sample);
  const { members, trailer } = readCpioNewc(archive);
  for (const m of [...members, trailer]) {
    assert.equal(m.offset % 4, 0, m.name);
    assert.equal(m.data.byteOffset % 4, 0, m.name);
  }
  const odd = members.find((m) => m.name === 'odd')!;
  assert.deepEqual([...archive.subarray(odd.data.byteOffset + 5, odd.data.byteOffset + 8)], [0, 0, 0]);
  assert.equal(new TextDecoder().decode(archive.subarray(0, 6)), '070701');
});

test('cpio newc: the same entries give the same bytes', () => {
  assert.deepEqual(writeCpioNewc(sample), writeCpioNewc(sample.map((e) => ({ ...e }))));
});

test('cpio newc: duplicate or empty member names are refused', () => {
  assert.throws(() => writeCpioNewc([{ kind: 'directory', path: 'a' }, { kind: 'directory', path: '/a' }]), /duplicate member a/);
  assert.throws(() => writeCpioNewc([{ kind: 'directory', path: '/' }]), /bad member name/);
});

const hostCpio = spawnSync('cpio', ['--version']).status === 0;

test('cpio newc: the host cpio lists the archive as written', { skip: hostCpio ? false : 'cpio is not installed' }, () => {
  const listing = execFileSync('cpio', ['-it', '--quiet'], { input: writeCpioNewc(sample) }).toString();
  assert.deepEqual(listing.trim().split('\n'), ['bin', 'bin/hello', 'dev', 'dev/console', 'bin/sh', 'empty', 'odd']);
});
