import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Semihosting, type SemihostingHost } from '../../../src/arch/arm/semihosting.js';
import { RAM_BASE, makeHarness, type Harness } from '../../support/cpu-harness.js';

const BLOCK = RAM_BASE + 0x1000;
const STRINGS = RAM_BASE + 0x2000;
const BUFFER = RAM_BASE + 0x3000;

interface Recorded {
  stdout: number[];
  stderr: number[];
  exits: number[];
}

function setup(stdin: number[] = [], commandLine = 'prog.elf arg'): { h: Harness; rec: Recorded; call: (op: number, param: number) => number } {
  const h = makeHarness();
  const rec: Recorded = { stdout: [], stderr: [], exits: [] };
  const host: SemihostingHost = {
    writeStdout: (d) => rec.stdout.push(...d),
    writeStderr: (d) => rec.stderr.push(...d),
    readStdin: (max) => new Uint8Array(stdin.splice(0, max)),
    exit: (s) => rec.exits.push(s),
    elapsedNanoseconds: () => 1_234_567_890,
    unixTime: () => 1_767_225_600.5,
  };
  const semihosting = new Semihosting(host, { commandLine, imageEnd: 0x40019b48, ramEnd: 0x48000000 });
  const call = (op: number, param: number): number => {
    h.cpu.r[0] = op;
    h.cpu.r[1] = param;
    semihosting.call(h.cpu);
    return h.cpu.r[0]!;
  };
  return { h, rec, call };
}

function putString(h: Harness, address: number, text: string): void {
  [...Buffer.from(text + '\0')].forEach((b, i) => h.cpu.mem.store8(address + i, b));
}

function putWords(h: Harness, address: number, words: number[]): void {
  words.forEach((w, i) => h.cpu.mem.store32(address + 4 * i, w));
}

test('semihosting: ":tt" opens stdin for read modes, stdout for write modes, stderr for append modes', () => {
  const { h, rec, call } = setup();
  putString(h, STRINGS, ':tt');
  const handles = [0, 4, 8].map((mode) => {
    putWords(h, BLOCK, [STRINGS, mode, 3]);
    return call(0x01, BLOCK);
  });
  assert.ok(handles.every((x) => x > 0));
  putString(h, BUFFER, 'hi');
  putWords(h, BLOCK, [handles[1]!, BUFFER, 2]);
  assert.equal(call(0x05, BLOCK), 0, 'SYS_WRITE returns the number of bytes not written');
  putWords(h, BLOCK, [handles[2]!, BUFFER, 2]);
  call(0x05, BLOCK);
  assert.deepEqual(Buffer.from(rec.stdout).toString(), 'hi');
  assert.deepEqual(Buffer.from(rec.stderr).toString(), 'hi');
  putWords(h, BLOCK, [handles[0]!]);
  assert.equal(call(0x09, BLOCK), 1, 'SYS_ISTTY of the console');
});

test('semihosting: SYS_READ of stdin returns the count not read and stores the bytes', () => {
  const { h, call } = setup([0x61, 0x62]);
  putString(h, STRINGS, ':tt');
  putWords(h, BLOCK, [STRINGS, 0, 3]);
  const handle = call(0x01, BLOCK);
  putWords(h, BLOCK, [handle, BUFFER, 5]);
  assert.equal(call(0x06, BLOCK), 3);
  assert.deepEqual([h.cpu.mem.load8(BUFFER), h.cpu.mem.load8(BUFFER + 1)], [0x61, 0x62]);
});

test('semihosting: WRITEC and WRITE0 print to the debug console, stderr (as qemu -semihosting without a chardev)', () => {
  const { h, rec, call } = setup();
  putString(h, STRINGS, 'Z');
  call(0x03, STRINGS);
  putString(h, STRINGS, 'line\n');
  call(0x04, STRINGS);
  assert.equal(Buffer.from(rec.stderr).toString(), 'Zline\n');
  assert.equal(rec.stdout.length, 0);
});

test('semihosting: ":semihosting-features" reads SHFB and EXIT_EXTENDED|STDOUT_STDERR, as QEMU 7.2', () => {
  const { h, call } = setup();
  putString(h, STRINGS, ':semihosting-features');
  putWords(h, BLOCK, [STRINGS, 0, 21]);
  const handle = call(0x01, BLOCK);
  putWords(h, BLOCK, [handle]);
  assert.equal(call(0x0c, BLOCK), 5, 'SYS_FLEN');
  putWords(h, BLOCK, [handle, BUFFER, 5]);
  assert.equal(call(0x06, BLOCK), 0);
  assert.deepEqual([0, 1, 2, 3, 4].map((i) => h.cpu.mem.load8(BUFFER + i)), [0x53, 0x48, 0x46, 0x42, 0x03]);
});

test('semihosting: HEAPINFO gives heap from image end to RAM end, and the stack at RAM end (QEMU layout)', () => {
  const { h, call } = setup();
  putWords(h, BLOCK, [BUFFER]);
  assert.equal(call(0x16, BLOCK), 0);
  const words = [0, 1, 2, 3].map((i) => h.cpu.mem.load32(BUFFER + 4 * i) >>> 0);
  assert.deepEqual(words, [0x40019b48, 0x48000000, 0x48000000, 0x40019b48]);
});

test('semihosting: GET_CMDLINE stores the command line with its length, and fails when the buffer is short', () => {
  const { h, call } = setup();
  putWords(h, BLOCK, [BUFFER, 64]);
  assert.equal(call(0x15, BLOCK), 0);
  assert.equal(h.cpu.mem.load32(BLOCK + 4), 12);
  const text = Buffer.from([...Array(12).keys()].map((i) => h.cpu.mem.load8(BUFFER + i))).toString();
  assert.equal(text, 'prog.elf arg');
  putWords(h, BLOCK, [BUFFER, 5]);
  assert.equal(call(0x15, BLOCK), -1);
});

test('semihosting: SYS_EXIT succeeds only for ADP_Stopped_ApplicationExit; EXIT_EXTENDED carries the status', () => {
  const cases: [number, number[] | number, number][] = [
    [0x18, 0x20026, 0],
    [0x18, 0x20023, 1],
    [0x20, [0x20026, 7], 7],
    [0x20, [0x20023, 7], 1],
  ];
  for (const [op, param, status] of cases) {
    const { h, rec, call } = setup();
    if (typeof param === 'number') call(op, param);
    else {
      putWords(h, BLOCK, param);
      call(op, BLOCK);
    }
    assert.deepEqual(rec.exits, [status]);
    assert.equal(h.cpu.stopRequested, 1);
  }
});

test('semihosting: CLOCK is centiseconds and ELAPSED/TICKFREQ are nanoseconds of virtual time; TIME is the virtual epoch', () => {
  const { h, call } = setup();
  assert.equal(call(0x10, 0), 123);
  assert.equal(call(0x31, 0), 1_000_000_000);
  assert.equal(call(0x30, BLOCK), 0);
  assert.equal(h.cpu.mem.load32(BLOCK) >>> 0, 1_234_567_890);
  assert.equal(h.cpu.mem.load32(BLOCK + 4), 0);
  assert.equal(call(0x11, 0), 1_767_225_600);
});

test('semihosting: bad handles and file operations without host files fail with -1 and set errno', () => {
  const { h, call } = setup();
  putWords(h, BLOCK, [99]);
  assert.equal(call(0x02, BLOCK), -1);
  assert.equal(call(0x13, 0), 9); // EBADF
  putString(h, STRINGS, '/etc/hostname');
  putWords(h, BLOCK, [STRINGS, 0, 13]);
  assert.equal(call(0x01, BLOCK), -1);
  assert.equal(call(0x13, 0), 38); // ENOSYS
  assert.equal(call(0x12, 0), -1, 'SYS_SYSTEM is refused');
  assert.equal(call(0x99, 0), -1, 'unknown operations fail');
});
