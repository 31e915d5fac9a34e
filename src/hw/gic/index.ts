export * from './gic.js';
export { Gicd, GicDistributor } from './distributor.js';
export { GicCpuInterface } from './cpu-interface.js';
export { GicV2mFrame } from './gicv2m.js';
export * from './virtual-interface.js';
export { Gich, GicHypervisorInterface } from './hypervisor-interface.js';
export { GicVirtualCpuInterface } from './virtual-cpu-interface.js';
