export * from './gic.js';
export { GicDistributor } from './distributor.js';
export { GicCpuInterface } from './cpu-interface.js';
export { GicV2mFrame } from './gicv2m.js';
