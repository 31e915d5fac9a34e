import assert from 'node:assert/strict';
import { stringify } from 'yaml';
import { parseSystemDescription, SystemDescriptionError, type SystemDescription, type SystemDescriptionContext } from '../../../src/hypervisor/config/index.js';

/** Every file exists; image refs resolve under /images, plain paths under /config. */
export const stubContext: SystemDescriptionContext = {
  resolveImage: (ref) => ({ path: `/images/${ref.replace(':', '/')}` }),
  resolvePath: (path) => `/config/${path}`,
  fileExists: () => true,
  hypervisorReserveBytes: 0,
};

export type Yamlish = Record<string, unknown>;

/** A VM on the given physical CPUs with one 16M region at 0x40000000 and a kernel. */
export const vm = (name: string, cpus: number[], extra: Yamlish = {}): Yamlish => ({
  name,
  cpus,
  memory: [{ base: 0x40000000, size: '16M' }],
  kernel: 'kernel.elf',
  ...extra,
});

/** A 2-CPU 256M board with the given VMs (and other top-level keys). */
export const system = (vms: Yamlish[], extra: Yamlish = {}): string => stringify({ board: { cpus: 2, memory: '256M' }, vms, ...extra });

export function parse(text: string, context: Partial<SystemDescriptionContext> = {}): SystemDescription {
  return parseSystemDescription(text, { ...stubContext, ...context });
}

/** The problem lines parsing reports; fails the test if it parses. */
export function problemsOf(text: string, context: Partial<SystemDescriptionContext> = {}): string[] {
  try {
    parse(text, context);
  } catch (error) {
    if (error instanceof SystemDescriptionError) {
      assert.equal(error.message, error.problems.join('\n'));
      return [...error.problems];
    }
    throw error;
  }
  return assert.fail('expected the system description to be rejected');
}
