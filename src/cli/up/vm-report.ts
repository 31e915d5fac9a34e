import { ExceptionClass } from '../../arch/arm/hyp/syndrome.js';
import type { Vm } from '../../hypervisor/vm.js';

/** Short names of the HSR exception classes a guest traps with (B3.13.6, table B3-27). */
export const CLASS_NAMES: Readonly<Record<number, string>> = {
  [ExceptionClass.Unknown]: 'undefined',
  [ExceptionClass.WfiWfe]: 'wfi/wfe',
  [ExceptionClass.Cp15Transfer]: 'cp15',
  [ExceptionClass.Cp15Transfer64]: 'cp15-64',
  [ExceptionClass.Cp14Transfer]: 'cp14',
  [ExceptionClass.FloatingPointAccess]: 'fp',
  [ExceptionClass.HypervisorCall]: 'hvc',
  [ExceptionClass.SecureMonitorCall]: 'smc',
  [ExceptionClass.PrefetchAbortLower]: 'prefetch-abort',
  [ExceptionClass.DataAbortLower]: 'data-abort',
};

/**
 * One line of a VM's measurements in virtual cycles: the guest `instructions` its vCPUs ran
 * (PartitionHypervisor.guestInstructions), the cycles the hypervisor spent for it, traps by
 * class, physical interrupts, world switches and the VM scheduler's switches to it.
 */
export function formatVmReport(vm: Vm, instructions: number): string {
  const s = vm.statistics;
  const traps = [...s.trapsByClass]
    .map((count, ec) => (count === 0 ? '' : `${CLASS_NAMES[ec] ?? `ec${ec.toString(16)}`}=${count}`))
    .filter((t) => t !== '');
  const share = instructions + s.hypervisorCycles === 0 ? 0 : (100 * s.hypervisorCycles) / (instructions + s.hypervisorCycles);
  return (
    `${vm.name}: ${vm.state}, ${instructions} guest instructions, ${s.hypervisorCycles} hypervisor cycles (${share.toFixed(2)}%), ` +
    `traps ${traps.join(' ') || 'none'}, ${s.interrupts} interrupts, ${s.worldSwitches} world switches, ` +
    (s.vcpuSwitches === 0 ? '' : `${s.vcpuSwitches} vCPU switches, `) +
    `${s.guestFaults.reduce((a, b) => a + b, 0)} guest faults`
  );
}
