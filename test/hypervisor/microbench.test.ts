import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildGuests } from '../../src/cli/guests/guest-build.js';
import { TRAP_COSTS } from '../../src/hypervisor/trap-costs.js';
import { runPartita } from '../support/emulators.js';
import { parseMicrobench, runMicrobench, type MicrobenchFigure, type MicrobenchName } from '../support/hypervisor-microbench.js';

/**
 * guests/vm/microbench.c in a VM of two vCPUs: each figure is the same on a second run (virtual
 * time only), and what the VM adds to the same program on the bare board (`partita run --smp 2`,
 * where PSCI is the board's firmware and costs nothing) lies in the range the modelled trap
 * costs give. So the test fails if a trap stops being taken or charged, if an interrupt is not
 * injected (the benchmark never ends), or if the GIC's virtual CPU interface starts to trap.
 * SLACK: the guest instructions a trap may add to its path (none today).
 */
const SLACK = 8;
/** What every trap from the guest costs before its handler: entry and ERET, dispatch, list registers. */
const ENTRY = TRAP_COSTS.roundTrip + TRAP_COSTS.dispatch + TRAP_COSTS.listRegisters;
const MMIO = ENTRY + TRAP_COSTS.mmioEmulation;
const PHYSICAL_IRQ = ENTRY + TRAP_COSTS.physicalInterrupt;
const OVERHEAD: Readonly<Record<MicrobenchName, number>> = {
  hypercall: ENTRY + TRAP_COSTS.hypervisorCall,
  'mmio-uart': MMIO,
  'mmio-gicd': MMIO,
  vtimer: PHYSICAL_IRQ,
  'eoi-ack': 0, // GICV is mapped, not emulated: acknowledging and completing take no trap
  ipi: MMIO + PHYSICAL_IRQ, // the sender's GICD_SGIR trap, the receiver's physical SGI (the kick)
};

test('microbench: hypercall, MMIO, virtual timer, EOI+ACK and IPI cycles are deterministic and cost what the trap model says', { timeout: 120_000 }, async () => {
  const first = await runMicrobench();
  const second = await runMicrobench();
  assert.equal(second.console, first.console, 'a second run gives the same figures');
  const [elf] = await buildGuests({ only: ['microbench'] });
  const bareRun = await runPartita(elf!.path, 60_000, ['--smp', '2']);
  assert.equal(bareRun.status, 0, bareRun.stderr);
  const bare = parseMicrobench(bareRun.stdout);
  for (const name of Object.keys(OVERHEAD) as MicrobenchName[]) {
    const vm: MicrobenchFigure = first.figures[name];
    assert.equal(vm.n, 1000, `${name}: iterations`);
    assert.ok(vm.min <= vm.avg && vm.avg <= vm.max, `${name}: min ${vm.min} avg ${vm.avg} max ${vm.max}`);
    const added = vm.min - bare[name].min;
    assert.ok(added >= OVERHEAD[name] && added <= OVERHEAD[name] + SLACK, `${name}: the VM adds ${added} cycles (${vm.min} - ${bare[name].min}), the model ${OVERHEAD[name]}`);
    assert.ok(vm.max - vm.min <= SLACK, `${name}: ${vm.min}-${vm.max} cycles: only where an interrupt lands in the sampling loop may vary`);
  }
  const ipi = first.figures.ipi;
  assert.ok(ipi.sendAvg! >= MMIO && ipi.recvAvg! >= PHYSICAL_IRQ, `ipi sides: send ${ipi.sendAvg}, receive ${ipi.recvAvg}`);
});
