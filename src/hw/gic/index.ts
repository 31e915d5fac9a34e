export * from './gic.js';
export { GicDistributor } from './distributor.js';
export { GicCpuInterface } from './cpu-interface.js';
