import assert from 'node:assert/strict';
import { test } from 'node:test';
import { branchFreeConditional } from '../../../src/arch/arm/branch-free-condition.js';
import { conditionSource } from '../../../src/arch/arm/condition.js';
import { decodeA32 } from '../../../src/arch/arm/instruction-sets.js';
import { describeDecoding, Effects } from '../../../src/arch/arm/semantics-call.js';

interface Flags { nf: number; zf: number; cf: number; vf: number }
type Run = (cpu: Flags & { r: Int32Array }, r: Int32Array, helpers: readonly Function[]) => void;

/** The statements of a decoded A32 word's semantics (its condition left out), and the helpers they name. */
function statementsOf(word: number): { statements: string; helpers: Function[] } {
  const call = describeDecoding(() => decodeA32((word & 0x0fffffff) | 0xe0000000, { inItBlock: false, lastInItBlock: false }));
  assert.ok(call?.inline !== undefined && call.effects === Effects.RegistersOnly, `${word.toString(16)}: register-only source semantics`);
  const helpers: Function[] = [];
  const helper = (fn: Function): string => `helpers[${helpers.includes(fn) ? helpers.indexOf(fn) : helpers.push(fn) - 1}]`;
  return { statements: `{\n${call.inline(helper)}\n}`, helpers };
}

function compile(source: string): Run {
  return new Function('cpu', 'r', 'helpers', `"use strict"; ${source}`) as Run;
}

test('branch-free conditional: register-only instructions leave what the branching form leaves, under every condition and random flags', () => {
  const words = [
    0x33a0c001, // movcc ip, #1
    0x23a0c000, // movcs ip, #0
    0x10921003, // addnes r1, r2, r3
    0xc0b45005, // adcgts r5, r4, r5
    0xb0826398, // umulllt r6, r2, r8, r3
    0x81a00312, // movhi r0, r2, lsl r3
  ];
  let seed = 7;
  const random = (): number => (seed = (Math.imul(seed, 1103515245) + 12345) | 0);
  for (const word of words) {
    const { statements, helpers } = statementsOf(word);
    for (let cond = 0; cond < 14; cond++) {
      const branchFree = branchFreeConditional(conditionSource(cond), statements);
      assert.ok(branchFree !== undefined && !branchFree.includes('if ('), `${word.toString(16)}: no branch`);
      const branching = compile(`if (${conditionSource(cond)}) ${statements}`);
      const masked = compile(branchFree);
      for (let k = 0; k < 64; k++) {
        const r = Int32Array.from({ length: 16 }, random);
        r[3] = r[3]! & 0x3f; // a register shift amount, 0-63
        const flags = { nf: random() & 1, zf: random() & 1, cf: random() & 1, vf: random() & 1 };
        const a = { ...flags, r: r.slice() };
        const b = { ...flags, r: r.slice() };
        branching(a, a.r, helpers);
        masked(b, b.r, helpers);
        assert.deepEqual(b, a, `${word.toString(16)} under condition ${cond}`);
      }
    }
  }
});

test('branch-free conditional: statements that write a register inside a statement of their own keep the branch', () => {
  assert.equal(branchFreeConditional(conditionSource(0), '{\nconst a = r[1];\nif (a !== 0) { r[2] = a; }\n}'), undefined);
  assert.equal(branchFreeConditional(conditionSource(0), '{\nfor (let i = 0; i < 2; i++) r[i] = 0;\n}'), undefined);
});
