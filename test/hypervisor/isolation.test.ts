import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import { HYPERVISOR_RESERVE_BYTES } from '../../src/hypervisor/host-placement.js';
import { startSystem } from '../support/hypervisor-system.js';

/**
 * Isolation (issue 6): a hostile VM (guests/vm/hostile.c: writes over its whole IPA space, touches
 * every MMIO address of the virt map, floods SGIs, makes random HVC/SMC calls, executes random
 * instruction words) beside a sentinel VM (guests/vm/sentinel.c: fills 14 MiB of its RAM with an
 * address-dependent pattern and checks it round after round) and the real-time VM. The sentinel's
 * range must hold the pattern in host memory, the sentinel and rt-control must run on unharmed,
 * the hypervisor's own memory (stage 2 tables, boot stub) must not change, and nothing throws.
 */
const SYSTEM = `
board: { cpus: 3, memory: 64M }
vms:
  - { name: hostile, cpus: [0], memory: [{ base: 0x40000000, size: 16M }], kernel: "guests:hostile", on-failure: report }
  - { name: sentinel, cpus: [1], memory: [{ base: 0x40000000, size: 16M }], kernel: "guests:sentinel" }
  - { name: rt, cpus: [2], memory: [{ base: 0x40000000, size: 16M }], kernel: "guests:rt-control-uart" }
`;
const SENTINEL_BASE = 0x40100000;
const SENTINEL_END = 0x40f00000;

/** guests/vm/sentinel.c's pattern(). */
function pattern(address: number): number {
  let x = Math.imul(address, 0x9e3779b1) >>> 0;
  x = (x ^ (x >>> 15)) >>> 0;
  x = Math.imul(x, 0x85ebca77) >>> 0;
  return (x ^ (x >>> 13)) >>> 0;
}

test('isolation: a hostile VM changes nothing of another VM or of the hypervisor', { timeout: 600_000 }, async () => {
  const s = await startSystem(SYSTEM);
  const ram = s.board.bus.ram;
  const ramBase = s.board.bus.ramBase;
  const reserveBase = ramBase + s.system.board.memoryBytes - HYPERVISOR_RESERVE_BYTES;
  const hashOf = (base: number, size: number): string => createHash('sha256').update(ram.subarray(base - ramBase, base - ramBase + size)).digest('hex');
  const hypervisorMemory = hashOf(reserveBase, HYPERVISOR_RESERVE_BYTES);
  const [hostile, sentinel, rt] = s.hypervisor.vms;

  s.runUntil(() => s.consoles[0]!.includes('hostile: done') && /round 2 ok/.test(s.consoles[1]!) && /periods=2000 /.test(s.consoles[2]!), 30);

  const hostileOut = s.consoles[0]!;
  for (const phase of ['ipa-writes', 'mmio', 'sgi', 'calls', 'insns']) assert.match(hostileOut, new RegExp(`hostile: ${phase} done`), hostileOut);
  assert.match(hostileOut, /hostile: done\nexit status 0/);
  assert.equal(hostile!.state, 'stopped', 'the hostile VM ends with SYSTEM_OFF');
  assert.ok(hostile!.statistics.guestFaults.reduce((a, b) => a + b) > 1_000_000, 'its accesses outside its memory were answered with aborts');

  assert.doesNotMatch(s.consoles[1]!, /changed/);
  assert.match(s.consoles[1]!, /sentinel: round 2 ok/);
  const host = sentinel!.hostAddress(SENTINEL_BASE);
  const view = new DataView(ram.buffer, ram.byteOffset + host - ramBase, SENTINEL_END - SENTINEL_BASE);
  for (let a = SENTINEL_BASE; a < SENTINEL_END; a += 4) {
    if (view.getUint32(a - SENTINEL_BASE, true) !== pattern(a)) assert.fail(`sentinel word at 0x${a.toString(16)} changed`);
  }

  const reports = s.consoles[2]!.match(/misses=\d+/g) ?? [];
  assert.ok(reports.length >= 1, s.consoles[2]);
  assert.deepEqual([...new Set(reports)], ['misses=0']);
  assert.equal(rt!.state, 'running');
  assert.equal(hashOf(reserveBase, HYPERVISOR_RESERVE_BYTES), hypervisorMemory, "the hypervisor's own memory is unchanged");
});
