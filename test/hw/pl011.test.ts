import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Pl011 } from '../../src/hw/pl011.js';

test('pl011: bytes written to DR reach the output; FR reports TX FIFO empty and RX FIFO empty', () => {
  const out: number[] = [];
  const uart = new Pl011((b) => out.push(b));
  uart.write(0x000, 4, 0x41);
  uart.write(0x000, 4, 0x142); // only bits [7:0] are data
  assert.deepEqual(out, [0x41, 0x42]);
  assert.equal(uart.read(0x018, 4) & 0x90, 0x90);
});

test('pl011: PrimeCell identification registers read 0x00141011 / 0xb105f00d byte by byte', () => {
  const uart = new Pl011(() => {});
  const ids = [0xfe0, 0xfe4, 0xfe8, 0xfec, 0xff0, 0xff4, 0xff8, 0xffc].map((o) => uart.read(o, 4));
  assert.deepEqual(ids, [0x11, 0x10, 0x14, 0x00, 0x0d, 0xf0, 0x05, 0xb1]);
});

test('pl011: received bytes are read from DR in order; the RX interrupt follows IMSC and clears when empty', () => {
  let level = false;
  const uart = new Pl011(() => {}, { set: (l) => (level = l) });
  uart.write(0x02c, 4, 1 << 4); // LCR_H.FEN: 16-entry FIFOs
  uart.write(0x038, 4, 1 << 4); // IMSC.RXIM
  assert.equal(uart.receive(new Uint8Array([1, 2, 3])), 3);
  assert.equal(level, true);
  assert.equal(uart.read(0x018, 4) & (1 << 4), 0); // RXFE clear
  assert.deepEqual([uart.read(0, 4), uart.read(0, 4), uart.read(0, 4)], [1, 2, 3]);
  assert.equal(level, false);
  assert.notEqual(uart.read(0x018, 4) & (1 << 4), 0);
});

test('pl011: with FIFOs disabled the receive holding register takes one byte', () => {
  const uart = new Pl011(() => {});
  assert.equal(uart.receive(new Uint8Array([7, 8])), 1);
  assert.equal(uart.canReceive(), false);
});

test('pl011: the guest listens while IMSC unmasks RX or RX-timeout; emptying the FIFO asks the host for more', () => {
  const uart = new Pl011(() => {});
  assert.equal(uart.listening, false);
  uart.write(0x038, 4, 1 << 6); // IMSC.RTIM
  assert.equal(uart.listening, true);
  const pending = [0x62, 0x63];
  uart.onReceiveFifoEmpty = () => {
    if (pending.length > 0) uart.receive(new Uint8Array([pending.shift()!]));
  };
  uart.receive(new Uint8Array([0x61]));
  assert.deepEqual([uart.read(0, 4), uart.read(0, 4), uart.read(0, 4)], [0x61, 0x62, 0x63]);
  assert.notEqual(uart.read(0x018, 4) & (1 << 4), 0); // RXFE: nothing left
});
