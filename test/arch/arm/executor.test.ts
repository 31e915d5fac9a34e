import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Mode } from '../../../src/arch/arm/modes.js';
import { CODE_BASE, makeHarness, type Harness } from '../../support/cpu-harness.js';

test('executor: an UNDEFINED A32 word takes the Undefined Instruction exception at VBAR+4 with LR = PC+4', () => {
  const h = makeHarness();
  h.cpu.cp15.vbar = 0x40000000;
  h.writeWords(CODE_BASE, [0xe7f000f0]); // UDF #0
  h.run(1);
  assert.equal(h.cpu.mode, Mode.Und);
  assert.equal(h.cpu.pc, 0x40000004);
  assert.equal(h.cpu.r[14]! >>> 0, CODE_BASE + 4);
  assert.equal(h.cpu.getSpsr() & 0x1f, Mode.Svc);
  assert.equal(h.cpu.maskI, 1);
});

/**
 * Runs `program` at CODE_BASE for `count` instructions twice: through run() (an interpreted line
 * takes its instructions from the decoded page it looked up at its start) and one instruction at a
 * time through step() (each looks its page up again). Returns both processors.
 */
function lineAndSteps(program: ReadonlyMap<number, readonly number[]>, count: number): [Harness, Harness] {
  const [line, steps] = [makeHarness(), makeHarness()];
  for (const h of [line, steps]) for (const [address, words] of program) h.writeWords(address, words);
  line.run(count);
  for (let i = 0; i < count; i++) steps.executor.step();
  return [line, steps];
}

function assertSameState(line: Harness, steps: Harness): void {
  assert.deepEqual([...line.cpu.r], [...steps.cpu.r]);
  assert.deepEqual([line.cpu.pc, line.cpu.thumb, line.cpu.mode], [steps.cpu.pc, steps.cpu.thumb, steps.cpu.mode]);
}

test('executor: an interpreted ARM line that writes an instruction ahead of it in its page runs the new instruction', () => {
  // Between the store and the written instruction, the sequence the ARM ARM requires before
  // written instructions run (clean to PoU, DSB, I-cache and branch predictor invalidation, DSB,
  // ISB): the new instruction is then the architectural result, not one of two permitted ones.
  const program = new Map([[CODE_BASE, [
    0xe3001002, //       movw r1, #0x0002
    0xe34e13a0, //       movt r1, #0xe3a0      (r1 = mov r0, #2)
    0xe3003034, //       movw r3, #0x0034
    0xe3443001, //       movt r3, #0x4001      (r3 = CODE_BASE + 0x34)
    0xe3a02002, //       mov r2, #2
    0xe3520001, // loop: cmp r2, #1
    0x05831000, //       streq r1, [r3]        (second pass: the line has decoded mov r0, #1 in the first)
    0xee073f3b, //       mcr p15, 0, r3, c7, c11, 1   (DCCMVAU)
    0xf57ff04f, //       dsb
    0xee073f35, //       mcr p15, 0, r3, c7, c5, 1    (ICIMVAU)
    0xee073ff5, //       mcr p15, 0, r3, c7, c5, 7    (BPIMVA)
    0xf57ff04f, //       dsb
    0xf57ff06f, //       isb
    0xe3a00001, //       mov r0, #1            (CODE_BASE + 0x34)
    0xe2522001, //       subs r2, r2, #1
    0x1afffff4, //       bne loop
    0xeafffffe, //       b .
  ]]]);
  const [line, steps] = lineAndSteps(program, 16 + 11);
  assert.equal(line.cpu.r[0], 2);
  assert.equal(line.cpu.pc, CODE_BASE + 0x40);
  assertSameState(line, steps);
});

test('executor: an interpreted ARM line stops at the end of its page and goes on in the next page\'s instructions', () => {
  const program = new Map([
    [CODE_BASE, [
      0xe3a05001, // mov r5, #1    (decoded first: slot 0 of the page)
      0xea0003fb, // b CODE_BASE + 0xff8
    ]],
    [CODE_BASE + 0xff8, [
      0xe3a06002, // mov r6, #2
      0xe3a07003, // mov r7, #3
      0xe3a08004, // mov r8, #4    (CODE_BASE + 0x1000: the next page's slot 0)
      0xeafffffe, // b .
    ]],
  ]);
  const [line, steps] = lineAndSteps(program, 5);
  assert.deepEqual([line.cpu.r[5], line.cpu.r[6], line.cpu.r[7], line.cpu.r[8]], [1, 2, 3, 4]);
  assertSameState(line, steps);
});

test('executor: an exception return to the next address in Thumb state ends an interpreted ARM line there', () => {
  const program = new Map([[CODE_BASE, [
    0xe3a00033, // mov r0, #0x33     (SVC mode, T set)
    0xe16ff000, // msr spsr_fsxc, r0
    0xe28fe000, // add lr, pc, #0    (lr = CODE_BASE + 0x10)
    0xe1b0f00e, // movs pc, lr
    0x22062105, // movs r1, #5; movs r2, #6   (Thumb; as an A32 word, ANDCS r2, r6, #...)
  ]]]);
  const [line, steps] = lineAndSteps(program, 6);
  assert.deepEqual([line.cpu.thumb, line.cpu.r[1], line.cpu.r[2], line.cpu.pc], [1, 5, 6, CODE_BASE + 0x14]);
  assertSameState(line, steps);
});
