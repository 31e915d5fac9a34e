import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TRAP_COSTS } from '../../src/hypervisor/trap-costs.js';
import { MICROBENCH_NAMES, runMicrobench, type MicrobenchFigure } from '../support/hypervisor-microbench.js';

/**
 * guests/vm/microbench.c in a VM of two vCPUs: each figure is the same on a second run (virtual
 * time only) and lies in the range the modelled trap costs give, so the test fails if a trap
 * stops being taken or charged, if an interrupt is not injected (the benchmark never ends), or
 * if the GIC's virtual CPU interface starts to trap. The guest's own instructions add a few
 * cycles to each: up to GUEST_SLACK.
 */
const GUEST_SLACK = 16;
/** What every trap from the guest costs before its handler: entry and ERET, dispatch, list registers. */
const ENTRY = TRAP_COSTS.roundTrip + TRAP_COSTS.dispatch + TRAP_COSTS.listRegisters;
const HYPERCALL = ENTRY + TRAP_COSTS.hypervisorCall;
const MMIO = ENTRY + TRAP_COSTS.mmioEmulation;
const PHYSICAL_IRQ = ENTRY + TRAP_COSTS.physicalInterrupt;

function assertWithin(name: string, f: MicrobenchFigure | undefined, low: number, high: number): void {
  assert.ok(f !== undefined, `${name}: no figure`);
  assert.equal(f.n, 1000, `${name}: iterations`);
  assert.ok(f.min <= f.avg && f.avg <= f.max, `${name}: min ${f.min} avg ${f.avg} max ${f.max}`);
  assert.ok(f.min >= low && f.max <= high, `${name}: ${f.min}-${f.max} cycles, expected within ${low}-${high}`);
}

test('microbench: hypercall, MMIO, virtual timer, EOI+ACK and IPI cycles are deterministic and as the trap costs model them', { timeout: 120_000 }, async () => {
  const first = await runMicrobench();
  const second = await runMicrobench();
  assert.equal(second.console, first.console, 'a second run gives the same figures');
  const f = first.figures;
  assert.deepEqual(Object.keys(f).sort(), [...MICROBENCH_NAMES].sort());
  assertWithin('hypercall', f.hypercall, HYPERCALL, HYPERCALL + GUEST_SLACK);
  assertWithin('mmio-uart', f['mmio-uart'], MMIO, MMIO + GUEST_SLACK);
  assertWithin('mmio-gicd', f['mmio-gicd'], MMIO, MMIO + GUEST_SLACK);
  assertWithin('vtimer', f.vtimer, PHYSICAL_IRQ, PHYSICAL_IRQ + GUEST_SLACK);
  // GICV is mapped, not emulated: acknowledging and completing cost no trap.
  assertWithin('eoi-ack', f['eoi-ack'], 2, TRAP_COSTS.roundTrip - 1);
  assertWithin('ipi', f.ipi, MMIO + PHYSICAL_IRQ, MMIO + PHYSICAL_IRQ + 2 * GUEST_SLACK);
  assert.ok(f.ipi.sendAvg! >= MMIO && f.ipi.recvAvg! >= PHYSICAL_IRQ, `ipi sides: send ${f.ipi.sendAvg}, receive ${f.ipi.recvAvg}`);
});
