import assert from 'node:assert/strict';
import { test } from 'node:test';
import { GicV2mFrame } from '../../../src/hw/gic/gicv2m.js';

function frame() {
  const pulses: number[] = [];
  const device = new GicV2mFrame(48, 64, (spi) => pulses.push(spi));
  return { device, pulses };
}

test('gicv2m: MSI_TYPER reports the first SPI as interrupt ID 80 and 64 SPIs, as QEMU virt (0x00500040); MSI_IIDR ProductID Q', () => {
  const { device } = frame();
  assert.equal(device.read(0x008, 4), 0x00500040);
  assert.equal(device.read(0xfcc, 4), 0x05100000);
  assert.equal(device.read(0xfe8, 4), 0, 'MSI_PIDR2 and the other identification registers read as zero');
  assert.equal(device.read(0x008, 2), 0, 'reads are 32-bit only');
});

test('gicv2m: MSI_SETSPI_NS pulses the SPI it names, for IDs 80-143 only, with 16- or 32-bit writes', () => {
  const { device, pulses } = frame();
  device.write(0x040, 4, 80);
  device.write(0x040, 4, 0x400 | 100); // bits above [9:0] ignored
  device.write(0x040, 2, 143);
  device.write(0x040, 4, 79);
  device.write(0x040, 4, 144);
  device.write(0x040, 1, 81);
  device.write(0x044, 4, 81);
  assert.deepEqual(pulses, [48, 68, 111]);
});

test('gicv2m: a frame beyond the GIC interrupt IDs is a configuration error', () => {
  assert.throws(() => new GicV2mFrame(1000, 64, () => {}), RangeError);
  assert.throws(() => new GicV2mFrame(48, 0, () => {}), RangeError);
});
