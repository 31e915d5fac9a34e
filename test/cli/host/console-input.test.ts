import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { test } from 'node:test';
import { HostConsoleInput } from '../../../src/cli/host/console-input.js';

/** A UART-like receiver with a FIFO of `room` bytes. */
function receiver(room: number, listening = true) {
  const got: number[] = [];
  return {
    got,
    listening,
    receive(bytes: Uint8Array): number {
      const n = Math.min(room - got.length, bytes.length);
      got.push(...bytes.subarray(0, n));
      return n;
    },
  };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

test('console input: piped bytes wait until the guest listens, then go in as the FIFO has room', async () => {
  const stream = new PassThrough();
  const input = HostConsoleInput.attach(stream, () => {});
  stream.write('echo hi\n');
  await input.whenInput();
  const deaf = receiver(16, false);
  input.deliver(deaf);
  assert.deepEqual(deaf.got, []);
  const uart = receiver(4);
  input.deliver(uart);
  assert.equal(Buffer.from(uart.got).toString(), 'echo');
  uart.got.length = 0;
  input.deliver(uart);
  assert.equal(Buffer.from(uart.got).toString(), ' hi\n');
  input.detach();
});

test('console input: end of stdin is reported and wakes a waiting run', async () => {
  const stream = new PassThrough();
  const input = HostConsoleInput.attach(stream, () => {});
  assert.equal(input.open, true);
  const waiting = input.whenInput();
  stream.end();
  await waiting;
  await tick();
  assert.equal(input.open, false);
  input.detach();
});

test('console input on a terminal: raw mode, Ctrl-A x quits, Ctrl-A Ctrl-A sends Ctrl-A, Ctrl-A h prints help', async () => {
  const stream = Object.assign(new PassThrough(), { isTTY: true, rawModes: [] as boolean[], setRawMode(raw: boolean) { this.rawModes.push(raw); } });
  const echoed: string[] = [];
  const input = HostConsoleInput.attach(stream, (text) => echoed.push(text));
  assert.deepEqual(stream.rawModes, [true]);
  stream.write(Buffer.from([0x61, 0x01, 0x01, 0x62, 0x01, 0x68]));
  await input.whenInput();
  const uart = receiver(16);
  input.deliver(uart);
  assert.deepEqual(uart.got, [0x61, 0x01, 0x62]);
  assert.match(echoed.join(''), /C-a x\s+exit/);
  assert.equal(input.quitRequested, false);
  stream.write(Buffer.from([0x01, 0x78]));
  await tick();
  assert.equal(input.quitRequested, true);
  input.detach();
  assert.deepEqual(stream.rawModes, [true, false]);
});
