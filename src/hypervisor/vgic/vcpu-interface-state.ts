import { Gich, GICH_LR_COUNT } from '../../hw/gic/index.js';
import type { GichPort } from './gich-port.js';

/**
 * A vCPU's share of a GIC virtual interface, kept while another vCPU uses the physical CPU:
 * GICH_HCR, GICH_VMCR (the guest's GICV_CTLR/PMR/BPR/ABPR, 5.3.4), GICH_APR and the list
 * registers. The other GICH registers (MISR, EISR, ELRSR) are derived from these.
 */
export interface VcpuInterfaceState {
  hcr: number;
  vmcr: number;
  apr: number;
  readonly lr: Uint32Array;
}

export function emptyVcpuInterfaceState(): VcpuInterfaceState {
  return { hcr: 0, vmcr: 0, apr: 0, lr: new Uint32Array(GICH_LR_COUNT) };
}

export function saveVcpuInterface(gich: GichPort, state: VcpuInterfaceState): void {
  state.hcr = gich.read(Gich.HCR);
  state.vmcr = gich.read(Gich.VMCR);
  state.apr = gich.read(Gich.APR);
  for (let n = 0; n < GICH_LR_COUNT; n++) state.lr[n] = gich.read(Gich.LR0 + 4 * n);
}

/** Writes GICH_HCR last, so the virtual interface is enabled only once the rest is in place. */
export function restoreVcpuInterface(gich: GichPort, state: VcpuInterfaceState): void {
  gich.write(Gich.VMCR, state.vmcr);
  gich.write(Gich.APR, state.apr);
  for (let n = 0; n < GICH_LR_COUNT; n++) gich.write(Gich.LR0 + 4 * n, state.lr[n]!);
  gich.write(Gich.HCR, state.hcr);
}
