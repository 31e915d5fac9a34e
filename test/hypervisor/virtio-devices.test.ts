import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SeededEntropySource } from '../../src/hw/virtio/entropy-source.js';
import { startSystem } from '../support/hypervisor-system.js';

/**
 * virtio in a VM (issue 6): guests/vm/virtio-rng-probe.c drives the virtio-rng on its first
 * virtio-mmio transport (trapped MMIO) and takes its completion interrupt on its vGIC; the
 * bytes are the VM's seeded source's. Its last buffer lies outside its RAM, at the IPA that is
 * the next VM's host address: the device refuses it (DEVICE_NEEDS_RESET, one log line) and that
 * VM's memory (a sentinel's pattern) is untouched.
 */
const SYSTEM = `
board: { cpus: 2, memory: 64M }
vms:
  - name: rng
    cpus: [0]
    memory: [{ base: 0x40000000, size: 16M }]
    kernel: "guests:virtio-rng-probe"
    devices: [{ type: virtio-rng }]
  - { name: sentinel, cpus: [1], memory: [{ base: 0x40000000, size: 16M }], kernel: "guests:sentinel" }
`;

/** guests/vm/sentinel.c's pattern(). */
function pattern(address: number): number {
  let x = Math.imul(address, 0x9e3779b1) >>> 0;
  x = (x ^ (x >>> 15)) >>> 0;
  x = Math.imul(x, 0x85ebca77) >>> 0;
  return (x ^ (x >>> 13)) >>> 0;
}

test('virtio in a VM: a bare-metal virtio-rng driver gets its bytes and interrupt; a buffer outside its RAM is a device error', { timeout: 60_000 }, async () => {
  const s = await startSystem(SYSTEM);
  const [rng, sentinel] = s.hypervisor.vms;
  s.runUntil(() => rng!.state === 'stopped' && /round 2 ok/.test(s.consoles[1]!), 20);
  const out = s.consoles[0]!;
  const expected = new Uint8Array(32);
  new SeededEntropySource(0x5eed).fill(expected);
  assert.match(out, /virtio-rng-probe: device=4 queue-max=256\n/, out);
  assert.match(out, new RegExp(`virtio-rng-probe: 32 bytes: ${Buffer.from(expected).toString('hex')} irqs=1\n`), out);
  // used=1: the bad request completed nothing; status 79 = ACKNOWLEDGE|DRIVER|DRIVER_OK|FEATURES_OK|DEVICE_NEEDS_RESET.
  assert.match(out, /buffer at 41100000 \(outside the VM\): used=1 status=79 needs-reset=1\nexit status 0\n/, out);
  assert.deepEqual(s.log.filter((l) => l.includes('outside guest RAM')), [
    'rng: virtio-mmio(virtio-rng): virtio-rng queue 0: descriptor 1 buffer at 0x41100000 (+4096 bytes) is outside guest RAM; device needs reset',
  ]);

  assert.equal(sentinel!.hostAddress(0x40100000), 0x41100000, 'the probe address is the sentinel pattern\'s host address');
  const ram = s.board.bus.ram;
  const view = new DataView(ram.buffer, ram.byteOffset + 0x41100000 - s.board.bus.ramBase, 0x2000);
  for (let a = 0; a < 0x2000; a += 4) assert.equal(view.getUint32(a, true), pattern(0x40100000 + a));
  assert.doesNotMatch(s.consoles[1]!, /changed/);
});
