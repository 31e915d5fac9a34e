export type { GichPort } from './gich-port.js';
export type { VcpuInterfaceState } from './vcpu-interface-state.js';
export { VirtualGic, type VirtualGicHooks } from './virtual-gic.js';
