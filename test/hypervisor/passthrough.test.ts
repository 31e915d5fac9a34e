import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startSystem } from '../support/hypervisor-system.js';

/**
 * Passthrough (issue 6): the board's PL031 RTC and its SPI 2 given to one VM. guests/vm/pl031-probe.c
 * programs three match interrupts and waits for each in WFI; each is a physical interrupt the
 * hypervisor takes and forwards (GICH_LR.HW), and the guest's end of interrupt deactivates the
 * physical one, so the next can come. Another VM, given no passthrough, has nothing at the RTC's
 * address (a data abort).
 */
const SYSTEM = `
board: { cpus: 2, memory: 48M }
vms:
  - name: rtc
    cpus: [0]
    memory: [{ base: 0x40000000, size: 16M }]
    kernel: "guests:pl031-probe"
    devices: [{ type: passthrough, base: 0x09010000, size: 0x1000, interrupts: [2] }]
  - { name: other, cpus: [1], memory: [{ base: 0x40000000, size: 16M }], kernel: "guests:pl031-probe", on-failure: report }
`;

test('passthrough: a VM drives the board PL031 at its own address and takes its forwarded interrupts; another VM cannot reach it', { timeout: 60_000 }, async () => {
  const s = await startSystem(SYSTEM);
  const [rtc, other] = s.hypervisor.vms;
  s.runUntil(() => rtc!.state === 'stopped' && other!.state === 'stopped', 10);
  assert.match(s.consoles[0]!, /pl031-probe: id=00141031 matches=3 seconds=3 irqs=3 ok\nexit status 0\n/, s.consoles[0]);
  assert.equal(rtc!.statistics.interrupts, 3, 'three physical interrupts reached the hypervisor, one per match');
  assert.ok(s.board.elapsedNanoseconds() >= 3e9, 'the matches came a second apart in virtual time');
  assert.match(s.consoles[1]!, /vm: unexpected data abort: .*dfar=09010fe0.*\nexit status 1\n/, s.consoles[1]);
  assert.equal(other!.statistics.interrupts, 0);
});
