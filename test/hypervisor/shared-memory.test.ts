import assert from 'node:assert/strict';
import { test } from 'node:test';
import { placeInHostMemory } from '../../src/hypervisor/host-placement.js';
import { startSystem } from '../support/hypervisor-system.js';

/**
 * Inter-VM shared memory with doorbells (issue 6): two VMs running guests/vm/shm-peer.c exchange
 * 200 messages through a shared region, each announced by ringing the other's doorbell (an SPI
 * on the receiver's vGIC); a third VM, not a peer, finds neither the region nor the doorbell
 * page (data aborts), and the region's host memory holds what the peers wrote.
 */
const SYSTEM = `
board: { cpus: 3, memory: 64M }
vms:
  - { name: ping, cpus: [0], memory: [{ base: 0x40000000, size: 16M }], kernel: "guests:shm-peer" }
  - { name: pong, cpus: [1], memory: [{ base: 0x40000000, size: 16M }], kernel: "guests:shm-peer" }
  - { name: outsider, cpus: [2], memory: [{ base: 0x40000000, size: 16M }], kernel: "guests:shm-peer", on-failure: report }
shared-memory:
  - name: channel
    size: 64K
    peers:
      - { vm: ping, base: 0x50000000, doorbell: 40 }
      - { vm: pong, base: 0x50000000, doorbell: 41 }
`;

test('shared memory: two VMs exchange messages with doorbell interrupts; a third VM sees neither', { timeout: 120_000 }, async () => {
  const s = await startSystem(SYSTEM);
  s.runUntil(() => s.hypervisor.vms.every((vm) => vm.state === 'stopped'), 10);
  const [ping, pong, outsider] = s.consoles;
  assert.match(ping!, /shm-peer: peer=0 peers=2 spi=40 size=65536\n/, ping);
  assert.match(pong!, /shm-peer: peer=1 peers=2 spi=41 size=65536\n/, pong);
  assert.match(ping!, /shm-peer: peer=0 rounds=200 irqs=200 ok\nexit status 0/, ping);
  assert.match(pong!, /shm-peer: peer=1 rounds=200 irqs=200 ok\nexit status 0/, pong);
  assert.match(outsider!, /shm-peer: no doorbell \(data abort\), no region \(data abort\)\nexit status 0/, outsider);
  // Its probe for a doorbell page, then the two checks of outsider().
  assert.equal(s.hypervisor.vms[2]!.statistics.guestFaults.reduce((a, b) => a + b), 3, 'the outsider faulted on its three probes only');

  // The last message (round 200) and its reply in host RAM, where the peers' stage 2 put the region.
  const host = placeInHostMemory(s.system, s.board.bus.ramBase).sharedHostBases[0]!;
  const ram = s.board.bus.ram;
  const view = new DataView(ram.buffer, ram.byteOffset + host - s.board.bus.ramBase, 0x10000);
  let sum = 0;
  for (let i = 0; i < 64; i++) {
    const word = (Math.imul(200, 0x9e3779b1) + Math.imul(i, 0x85ebca77)) >>> 0;
    assert.equal(view.getUint32(0x100 + 4 * i, true), word);
    sum = (sum + word) >>> 0;
  }
  assert.equal(view.getUint32(0, true), 200);
  assert.equal(view.getUint32(4, true), sum);
});
