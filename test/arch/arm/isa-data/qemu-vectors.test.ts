import assert from 'node:assert/strict';
import { test } from 'node:test';
import { OUTSIDE_IT } from '../../../../src/arch/arm/decode-table.js';
import { a32ConditionalTable, t16Table, t32Table } from '../../../../src/arch/arm/instruction-sets.js';
import { Mode } from '../../../../src/arch/arm/modes.js';
import { makeHarness } from '../../../support/cpu-harness.js';
import { QEMU_VECTORS } from './qemu-vectors.js';

/**
 * Runs the vectors recorded from qemu-arm -cpu cortex-a15 by tools/qemu-vectors.mjs: random words of
 * every isa-data encoding (and of the whole data-processing regions, including words QEMU takes as
 * UNDEFINED) with random registers and flags, in User mode, at the address QEMU ran them at.
 */

interface Vector {
  readonly isa: 'a' | 't' | 'i';
  readonly address: number;
  readonly word: number;
  readonly thumbWide: boolean;
  readonly regs: number[];
  readonly apsr: number;
  /** Expected r0-r14 and APSR, or null for UNDEFINED. */
  readonly expected: { regs: number[]; apsr: number } | null;
  readonly text: string;
}

function parse(line: string): Vector {
  const [before, after] = line.split(' > ') as [string, string];
  const fields = before.split(' ');
  const isa = fields[0] as Vector['isa'];
  const values = fields.slice(3).map((v) => parseInt(v, 16));
  const regs = values.slice(0, 15);
  const apsr = values[15]!;
  let expected: Vector['expected'] = null;
  if (after !== 'undef') {
    const out = { regs: [...regs], apsr: 0 };
    for (const item of after.split(' ')) {
      const [name, value] = item.split('=') as [string, string];
      if (name === 'apsr') out.apsr = parseInt(value, 16);
      else out.regs[Number(name.slice(1))] = parseInt(value, 16);
    }
    expected = out;
  }
  return { isa, address: parseInt(fields[1]!, 16), word: parseInt(fields[2]!, 16), thumbWide: fields[2]!.length === 8, regs, apsr, expected, text: line };
}

function encodingName(v: Vector): string {
  if (v.isa === 'a') return a32ConditionalTable.encodingName(v.word, OUTSIDE_IT) ?? 'UNDEFINED';
  if (v.thumbWide) return t32Table.encodingName(v.word, OUTSIDE_IT) ?? 'UNDEFINED';
  return t16Table.encodingName(v.word, { inItBlock: v.isa === 'i', lastInItBlock: v.isa === 'i' }) ?? 'UNDEFINED';
}

/** Runs one vector; returns a description of the difference, or null when Partita matches QEMU. */
function check(v: Vector): string | null {
  const h = makeHarness({ thumb: v.isa !== 'a' });
  const cpu = h.cpu;
  cpu.cp15.vbar = 0x40000000;
  cpu.setMode(Mode.Usr);
  cpu.pc = v.address;
  if (v.isa === 'a') h.writeWords(v.address, [v.word]);
  else if (v.thumbWide) h.writeHalfwords(v.address, [v.word >>> 16, v.word & 0xffff]);
  else h.writeHalfwords(v.address, [v.word]);
  v.regs.forEach((value, i) => { cpu.r[i] = value; });
  cpu.nf = v.apsr >>> 31;
  cpu.zf = (v.apsr >>> 30) & 1;
  cpu.cf = (v.apsr >>> 29) & 1;
  cpu.vf = (v.apsr >>> 28) & 1;
  cpu.qf = (v.apsr >>> 27) & 1;
  cpu.ge = (v.apsr >>> 16) & 0xf;
  if (v.isa === 'i') cpu.itState = 0xe8; // IT AL: one instruction inside an IT block
  h.run(1);
  const undefined = cpu.mode === Mode.Und;
  if (v.expected === null) return undefined ? null : `${encodingName(v)}: QEMU UNDEFINED, Partita executes`;
  if (undefined) return 'QEMU executes, Partita UNDEFINED';
  const size = v.isa === 'a' || v.thumbWide ? 4 : 2;
  if (cpu.pc !== v.address + size) return `${encodingName(v)}: Partita branched to ${(cpu.pc >>> 0).toString(16)}`;
  const apsr = ((cpu.nf << 31) | (cpu.zf << 30) | (cpu.cf << 29) | (cpu.vf << 28) | (cpu.qf << 27) | (cpu.ge << 16)) >>> 0;
  const diffs: string[] = [];
  for (let i = 0; i < 15; i++) {
    if (cpu.r[i]! >>> 0 !== v.expected.regs[i]) diffs.push(`r${i}=${(cpu.r[i]! >>> 0).toString(16)} (QEMU ${v.expected.regs[i]!.toString(16)})`);
  }
  if (apsr !== v.expected.apsr) diffs.push(`apsr=${apsr.toString(16)} (QEMU ${v.expected.apsr.toString(16)})`);
  return diffs.length === 0 ? null : `${encodingName(v)}: ${diffs.join(', ')}`;
}

const vectors = QEMU_VECTORS.map(parse);

for (const [isa, title] of [['a', 'A32'], ['t', 'T32'], ['i', 'T16 inside an IT block']] as const) {
  test(`qemu vectors: ${title} data-processing results, flags and UNDEFINED match qemu-arm -cpu cortex-a15`, () => {
    const selected = vectors.filter((v) => v.isa === isa);
    assert.ok(selected.length > 0);
    const failures: string[] = [];
    for (const v of selected) {
      const problem = check(v);
      if (problem !== null) failures.push(`${problem}\n    ${v.text}`);
    }
    assert.deepEqual(failures, []);
  });
}
