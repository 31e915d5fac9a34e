import assert from 'node:assert/strict';
import { test } from 'node:test';
import { VirtBoard } from '../../src/board/virt-board.js';

const WFI = 0xe320f003;
const B_MINUS_4 = 0xeafffffd;
const CODE = 0x40010000;
const GICD = 0x08000000;
const GPIO = 0x09030000;

function board(cpus = 1) {
  const b = new VirtBoard({ ramBytes: 1 << 20, uartOutput: () => {}, cpus });
  b.bus.write(CODE, 4, WFI);
  b.bus.write(CODE + 4, 4, B_MINUS_4);
  b.cpu.pc = CODE;
  return b;
}
const pending = (b: VirtBoard, id: number) => ((b.bus.read(GICD + 0x200 + 4 * (id >>> 5), 4)! >>> (id & 31)) & 1) === 1;

test('virt board: the devices QEMU\'s tree describes answer at their addresses (flash banks, GICv2m, fw-cfg, PL061)', () => {
  const b = board(2);
  b.bus.write(0x00000000, 4, 0x00980098);
  assert.equal(b.bus.read(0x40, 4), 0x00510051, 'bank 0 CFI "Q"');
  assert.equal(b.bus.read(0x04000000 + 0x40, 4), 0, 'bank 1 is a bank of its own (read array)');
  assert.equal(b.bus.read(0x07fffffc, 4), 0);
  assert.equal(b.bus.read(0x08020008, 4), 0x00500040, 'MSI_TYPER');
  b.bus.write(0x09020008, 2, 0x0500); // fw-cfg key 5, big-endian
  assert.equal(b.bus.read(0x09020000, 2), 2, 'fw-cfg: two processors');
  assert.equal(b.bus.read(GPIO + 0xfe0, 4), 0x61);
  assert.equal(b.bus.read(0x09020018, 4), undefined, 'fw-cfg is 0x18 bytes');
});

test('virt board: an MSI written to the GICv2m frame makes its (edge-triggered) SPI pending', () => {
  const b = board();
  const id = 80;
  b.bus.write(GICD + 0xc00 + 4 * (id >>> 4), 4, 2 << ((id & 15) * 2));
  b.bus.write(0x08020040, 4, id);
  assert.equal(pending(b, id), true);
  assert.equal(pending(b, id + 1), false);
});

test('virt board: pressPowerButton raises PL061 line 3 for 100 ms of virtual time; with both edges enabled each edge interrupts on SPI 7', () => {
  const b = board();
  b.bus.write(GPIO + 0x408, 4, 0x08); // GPIOIBE: both edges on line 3 (gpio-keys' IRQ_TYPE_EDGE_BOTH)
  b.bus.write(GPIO + 0x410, 4, 0x08); // GPIOIE
  const spi7 = 32 + 7;
  assert.equal(pending(b, spi7), false);
  b.pressPowerButton();
  assert.equal(b.bus.read(GPIO + (0x08 << 2), 4), 0x08, 'line 3 high');
  assert.equal(pending(b, spi7), true, 'the PL061 interrupt is level-high on SPI 7');
  b.bus.write(GPIO + 0x41c, 4, 0x08);
  assert.equal(pending(b, spi7), false);
  // The processor waits in WFI: virtual time skips to the button's release 100 ms later.
  const started = b.elapsedNanoseconds();
  b.run(10);
  assert.ok(b.elapsedNanoseconds() - started >= 100_000_000, `${b.elapsedNanoseconds() - started} ns`);
  assert.equal(b.bus.read(GPIO + (0x08 << 2), 4), 0, 'released');
  assert.equal(pending(b, spi7), true, 'the falling edge interrupts too');
});
