import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { Mode } from '../../../../src/arch/arm/modes.js';
import { CODE_BASE, makeHarness } from '../../../support/cpu-harness.js';
import { PROBES } from './fixtures/system-probes.js';

/**
 * Enable checks and system registers against QEMU 7.2 (fixtures/vfp-qemu-system.txt, made by
 * generate-qemu-fixture.ts from fixtures/system-probes.ts): UNDEFINED or not, R0, APSR.NZCV,
 * FPEXC and FPSCR after each probe at PL1, on a processor with Advanced SIMD as QEMU's (MVFR1
 * advertises it, FPSCR.QC is writable).
 */

const FIXTURE = fileURLToPath(new URL('../../../../../test/arch/arm/vfp/fixtures/vfp-qemu-system.txt', import.meta.url));
const hex = (x: number): string => (x >>> 0).toString(16).padStart(8, '0');

test('VFP enable checks, Len/Stride UNDEFINED cases and system registers match QEMU', () => {
  const lines = readFileSync(FIXTURE, 'utf8').split('\n').filter((l) => l !== '' && !l.startsWith('#'));
  assert.equal(lines.length, PROBES.length, 'fixture is stale: rerun generate-qemu-fixture --generate');
  const h = makeHarness({ features: { hasEl2: false, hasEl3: false, hasNeon: true } });
  const { cpu } = h;
  cpu.cp15.vbar = 0x40000000;
  const failures: string[] = [];
  PROBES.forEach((probe, i) => {
    const [word, undef, r0, apsr, fpexc, fpscr] = lines[i]!.trim().split(/\s+/).slice(0, 6).map((x) => parseInt(x, 16) | 0);
    h.writeWords(CODE_BASE, [word!]);
    cpu.setMode(Mode.Svc);
    cpu.vfp.words.set([0x3f800000, 0x40000000, 0x40400000, 0x40800000]);
    cpu.vfp.fpscr = probe.fpscr;
    cpu.vfp.fpexc = probe.fpexc;
    cpu.r[0] = 0;
    cpu.r[1] = probe.r1;
    cpu.setFlagsNZCV(0);
    cpu.pc = CODE_BASE;
    h.run(1);
    const actual = [cpu.pc === 0x40000004 ? 1 : 0, cpu.r[0]!, cpu.getCpsr() >>> 28, cpu.vfp.fpexc, cpu.vfp.fpscr];
    const expected = [undef!, r0!, apsr! >>> 28, fpexc!, fpscr!];
    if (actual.some((x, k) => x !== expected[k])) {
      failures.push(`${probe.asm} (fpscr ${hex(probe.fpscr)} fpexc ${hex(probe.fpexc)}): expected ${expected.map(hex).join(' ')}, got ${actual.map(hex).join(' ')}`);
    }
  });
  assert.deepEqual(failures, []);
});
