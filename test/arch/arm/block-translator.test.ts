import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Mode } from '../../../src/arch/arm/modes.js';
import { MISSED_ACCESS } from '../../../src/arch/arm/block-translator.js';
import { keptSourceShapes, MAX_SOURCE_SHAPES } from '../../../src/arch/arm/semantics-call.js';
import { CODE_BASE, makeHarness, RAM_BASE } from '../../support/cpu-harness.js';

/** DecodeState.Arm (a const enum in decode-cache.ts). */
const ARM_STATE = 0;
const VECTORS = CODE_BASE + 0x2000;
const DATA = CODE_BASE + 0x8000;

function blockAt(h: ReturnType<typeof makeHarness>, address: number) {
  return h.executor.cache.page(address, ARM_STATE)?.blocks?.[(address & 0xfff) >>> 1];
}

/** The word in RAM at physical `address`. */
function ramWord(h: ReturnType<typeof makeHarness>, address: number): number {
  return new DataView(h.bus.ram.buffer).getUint32(address - RAM_BASE, true);
}

test('translated blocks: a hot loop runs as a block and ends in the state the interpreter gives', () => {
  const h = makeHarness();
  h.writeWords(CODE_BASE, [
    0xe2811001, // loop: add r1, r1, #1
    0xe0822001, //       add r2, r2, r1
    0xe3510e3e, //       cmp r1, #992
    0x1afffffb, //       bne loop
    0xeafffffe, //       b .
  ]);
  h.run(4 * 992 + 10);
  assert.equal(h.cpu.r[1], 992);
  assert.equal(h.cpu.r[2], (992 * 993) / 2);
  assert.equal(h.cpu.pc, CODE_BASE + 16);
  assert.equal(h.cpu.instructionCount, 4 * 992 + 10);
  assert.equal(blockAt(h, CODE_BASE)?.length, 4, 'the loop body is one translated block');
  assert.doesNotMatch(blockAt(h, CODE_BASE)!.run.toString(), /nextPc/, 'the back edge goes on or leaves in its own ways, with no next PC');
});

test('translated blocks: a store into the running block changes the very next instruction (self-modifying code)', () => {
  const h = makeHarness();
  h.writeWords(CODE_BASE, [
    0xe2811001, // loop:   add r1, r1, #1
    0xe3510064, //         cmp r1, #100
    0x05843000, //         streq r3, [r4]      (patches `target` in iteration 100)
    0xe2822001, // target: add r2, r2, #1      (becomes add r2, r2, #100)
    0xe35100c8, //         cmp r1, #200
    0x1afffff9, //         bne loop
    0xeafffffe, //         b .
  ]);
  h.cpu.r[3] = 0xe2822064; // add r2, r2, #100
  h.cpu.r[4] = CODE_BASE + 12;
  h.run(6 * 200 + 1);
  // Iterations 1-99 add 1; from the patching iteration 100 to 200 each adds 100.
  assert.equal(h.cpu.r[2], 99 + 101 * 100);
  assert.equal(h.cpu.pc, CODE_BASE + 24);
});

test('translated blocks: a data abort in the middle of a block is precise (registers, LR, DFAR, DFSR, count)', () => {
  const h = makeHarness();
  h.writeWords(VECTORS + 0x10, [0xeafffffe]); // data abort vector: b .
  h.writeWords(CODE_BASE, [
    0xe2811001, // loop: add r1, r1, #1
    0xe5905000, //       ldr r5, [r0]        (unaligned in iteration 101: alignment fault)
    0xe2866001, //       add r6, r6, #1      (must not run in the faulting iteration)
    0xe3510064, //       cmp r1, #100
    0x02800001, //       addeq r0, r0, #1
    0xeafffff9, //       b loop
  ]);
  h.cpu.cp15.vbar = VECTORS;
  h.cpu.cp15.writeSctlr(h.cpu.cp15.sctlr | 2); // SCTLR.A: alignment checking
  h.cpu.r[0] = DATA;
  h.run(6 * 100 + 2);
  assert.ok(blockAt(h, CODE_BASE) !== undefined && blockAt(h, CODE_BASE) !== null, 'the loop ran as a translated block');
  assert.equal(h.cpu.mode, Mode.Abt);
  assert.equal(h.cpu.pc, VECTORS + 0x10);
  assert.equal(h.cpu.r[1], 101);
  assert.equal(h.cpu.r[6], 100);
  assert.equal(h.cpu.r[14]! >>> 0, CODE_BASE + 4 + 8, 'LR_abt: the faulting LDR + 8 (B1.9.8)');
  assert.equal(h.cpu.cp15.dfar >>> 0, DATA + 1);
  assert.equal(h.cpu.cp15.dfsr & 0x40f, 0x001, 'DFSR.FS: alignment fault');
  assert.equal(h.cpu.instructionCount, 6 * 100 + 2);
});

test('translated blocks: loads and stores in a block follow SETEND (big-endian data skips the RAM fast path)', () => {
  const h = makeHarness();
  h.writeWords(CODE_BASE, [
    0xe5903000, // loop: ldr r3, [r0]      (little-endian: fills the RAM page cache)
    0xf1010200, //       setend be
    0xe5902000, //       ldr r2, [r0]      (big-endian: the same page, byte-reversed)
    0xe5812000, //       str r2, [r1]      (big-endian store: the original bytes again)
    0xe1d140b0, //       ldrh r4, [r1]
    0xf1010000, //       setend le
    0xe2855001, //       add r5, r5, #1
    0xe3550064, //       cmp r5, #100
    0x1afffff6, //       bne loop
    0xeafffffe, //       b .
  ]);
  h.writeWords(DATA, [0x11223344]);
  h.cpu.r[0] = DATA;
  h.cpu.r[1] = DATA + 0x100;
  h.run(9 * 100 + 1);
  // SETEND ends a block: the big-endian accesses run in a block of their own, entered with CPSR.E set.
  assert.equal(blockAt(h, CODE_BASE + 8)?.length, 4, 'ldr, str, ldrh, setend: a translated block');
  assert.equal(h.cpu.r[5], 100);
  assert.equal(h.cpu.r[3]! >>> 0, 0x11223344);
  assert.equal(h.cpu.r[2]! >>> 0, 0x44332211);
  assert.equal(h.cpu.r[4], 0x4433, 'a big-endian halfword of the bytes 44 33');
  assert.deepEqual([...h.bus.ram.subarray(DATA + 0x100 - RAM_BASE, DATA + 0x104 - RAM_BASE)], [0x44, 0x33, 0x22, 0x11]);
});

test('translated blocks: a device access from a block sees the exact instruction count', () => {
  const h = makeHarness();
  const DEVICE = 0x09000000;
  const seen: number[] = [];
  h.bus.map(DEVICE, 0x1000, {
    name: 'count probe',
    read: () => {
      seen.push(h.cpu.instructionCount);
      return 0;
    },
    write: () => undefined,
  });
  h.writeWords(CODE_BASE, [
    0xe2811001, // loop: add r1, r1, #1
    0xe5902000, //       ldr r2, [r0]      (RAM: the fast path)
    0xe5943000, //       ldr r3, [r4]      (the device)
    0xe3510e3e, //       cmp r1, #992
    0x1afffffa, //       bne loop
    0xeafffffe, //       b .
  ]);
  h.cpu.r[0] = DATA;
  h.cpu.r[4] = DEVICE;
  h.run(5 * 992 + 1);
  assert.equal(blockAt(h, CODE_BASE)?.length, 5, 'the loop ran as one translated block');
  assert.equal(seen.length, 992);
  seen.forEach((count, i) => assert.equal(count, 5 * i + 2, `pass ${i}: the device read before the LDR that reads it is counted`));
});

test('translated blocks: a load that misses the RAM fast path leaves the block before its instruction, in the interpreter\'s state', () => {
  const h = makeHarness();
  h.writeWords(CODE_BASE, [
    0xe2811001, // loop: add r1, r1, #1
    0xe5902000, //       ldr r2, [r0]
    0xe2833001, //       add r3, r3, #1
    0xe2544001, //       subs r4, r4, #1
    0x1afffffa, //       bne loop
    0xeafffffe, //       b .
  ]);
  h.writeWords(DATA + 0x1000, [0x12345678]);
  h.cpu.r[0] = DATA;
  h.cpu.r[4] = 100;
  h.run(5 * 100);
  const block = blockAt(h, CODE_BASE);
  assert.equal(block?.length, 5, 'the loop ran as one translated block');
  // A page the processor has not read yet: not in its page cache.
  h.cpu.r[0] = DATA + 0x1000;
  h.cpu.r[4] = 2;
  h.cpu.pc = CODE_BASE;
  const count = h.cpu.instructionCount;
  assert.equal(block!.run(h.cpu), MISSED_ACCESS);
  assert.equal(h.cpu.pc, CODE_BASE + 4, 'at the LDR');
  assert.equal(h.cpu.instructionCount, count + 1, 'the ADD before it counted, the LDR not');
  assert.equal(h.cpu.r[1], 101, 'the ADD before it written back');
  assert.equal(h.cpu.r[2], 0, 'the LDR not run');
  assert.equal(h.cpu.r[3], 100);
  h.run(2 * 5 - 1);
  assert.equal(h.cpu.r[2], 0x12345678);
  assert.equal(h.cpu.r[1], 102);
  assert.equal(h.cpu.r[3], 102);
  assert.equal(h.cpu.pc, CODE_BASE + 20);
  assert.equal(h.cpu.instructionCount, count + 2 * 5);
});

test('translated blocks: a store multiple whose second word misses the RAM fast path runs again from its start, as the interpreter runs it', () => {
  const run = (translate: boolean) => {
    const h = makeHarness();
    h.executor.hotThreshold = translate ? 32 : 65535;
    h.writeWords(CODE_BASE, [
      0xe8a40006, // loop: stmia r4!, {r1, r2}   (its words straddle a page end once)
      0xe9140060, //       ldmdb r4, {r5, r6}
      0xe2811001, //       add r1, r1, #1
      0xe2822003, //       add r2, r2, #3
      0xe2533001, //       subs r3, r3, #1
      0x1afffff9, //       bne loop
      0xeafffffe, //       b .
    ]);
    h.cpu.r[2] = 7;
    h.cpu.r[3] = 100;
    h.cpu.r[4] = DATA + 0x1000 - 4 - 8 * 60;
    h.run(6 * 100 + 1);
    const memory = Array.from(new Int32Array(h.bus.ram.buffer, DATA - RAM_BASE, 0x800));
    return { h, state: { registers: Array.from(h.cpu.r), memory, count: h.cpu.instructionCount, pc: h.cpu.pc } };
  };
  const translated = run(true);
  assert.equal(blockAt(translated.h, CODE_BASE)?.length, 6, 'the loop ran as one translated block');
  assert.deepEqual(translated.state, run(false).state);
  assert.equal(translated.h.cpu.r[5], 99 + 60 * 0, 'LDMDB read back the last pair');
});

test('translated blocks: the ways out of a block that are seldom taken only assign locals (the engine has no types recorded there)', () => {
  const h = makeHarness();
  h.writeWords(CODE_BASE, [
    0xe2811001, // loop: add r1, r1, #1
    0xe5902000, //       ldr r2, [r0]
    0xe5802004, //       str r2, [r0, #4]
    0xe3510064, //       cmp r1, #100
    0x0a000001, //       beq out         (a side exit)
    0xe8a40006, //       stmia r4!, {r1, r2}
    0xeafffff8, //       b loop
    0xeafffffe, // out:  b .
  ]);
  h.cpu.r[0] = DATA;
  h.cpu.r[4] = DATA + 0x100;
  h.run(7 * 60);
  const source = blockAt(h, CODE_BASE)!.run.toString();
  const ways = [...source.matchAll(/\{ ([^{}]*?)break exit; \}/g)].map((m) => m[1]!);
  assert.ok(ways.length >= 4, `the misses and the side exit: ${ways.length}`);
  for (const way of ways) {
    for (const statement of way.split(';').map((t) => t.trim()).filter((t) => t !== '')) {
      assert.match(statement, /^(exitPc|exitOffset|exitCount|exitIt|missed) = (base|nextPc|-?\d+|true)$/, `in { ${way}}`);
    }
  }
  // The BEQ: its taken way the side exit itself, to the block's address plus a constant, and no next PC compared.
  assert.match(source, /if \(\(zf !== 0\)\) \{\s*\{\s*\{ exitCount = 5; exitPc = base; exitOffset = 28; break exit; \}\s*\}\s*\}/);
  assert.doesNotMatch(source, /nextPc !==/);
});

test('translated blocks: only a store that calls DataAccess in the block is followed by a check for code written', () => {
  const h = makeHarness();
  h.writeWords(CODE_BASE, [
    0xe2811001, // loop: add r1, r1, #1
    0xe5801004, //       str r1, [r0, #4]    (RAM fast path: code written is a miss, run outside the block)
    0xe2822001, //       add r2, r2, #1
    0xe4a42004, //       strt r2, [r4], #4   (unprivileged: calls DataAccess, which may write code)
    0xe2833001, //       add r3, r3, #1
    0xe3510064, //       cmp r1, #100
    0x1afffff8, //       bne loop
    0xeafffffe, //       b .
  ]);
  h.cpu.r[0] = DATA;
  h.cpu.r[4] = DATA + 0x100;
  h.run(7 * 100 + 1);
  assert.equal(h.cpu.r[3], 100);
  assert.equal(h.cpu.r[4], DATA + 0x100 + 4 * 100);
  assert.equal(ramWord(h, DATA + 0x100 + 4 * 99), 100);
  const source = blockAt(h, CODE_BASE)!.run.toString();
  const [beforeStrt, afterStrt] = source.split('store32Unprivileged(');
  assert.doesNotMatch(beforeStrt!, /cpu\.blockBreak/, 'no check after the STR');
  assert.equal(afterStrt!.match(/if \(cpu\.blockBreak !== 0\)/g)?.length, 1, 'one check, after the STRT');
});

test('translated blocks: an LDM or STM whose words cross into a page mapped elsewhere reaches both pages', () => {
  const h = makeHarness();
  const ttb = RAM_BASE + 0x4000;
  const l2 = RAM_BASE + 0x8000;
  const first = RAM_BASE + 0x20000;
  const second = RAM_BASE + 0x30000;
  h.writeWords(ttb + 0x400 * 4, [RAM_BASE | (3 << 10) | 2]); // identity section: code, data, tables
  h.writeWords(ttb + 0x800 * 4, [l2 | 1]); // 0x80000000: small pages, the second not after the first
  h.writeWords(l2, [first | (3 << 4) | 2, second | (3 << 4) | 2]);
  h.cpu.cp15.ttbr0 = ttb;
  h.cpu.cp15.dacr = 1;
  h.cpu.cp15.writeSctlr(h.cpu.cp15.sctlr | 1);
  h.writeWords(CODE_BASE, [
    0xe8840007, // loop: stmia r4, {r0, r1, r2}   (0x80000ff8: two words in one page, one in the next)
    0xe8950380, //       ldmia r5, {r7, r8, r9}
    0xe2800001, //       add r0, r0, #1
    0xe2811002, //       add r1, r1, #2
    0xe2533001, //       subs r3, r3, #1
    0x1afffff9, //       bne loop
    0xeafffffe, //       b .
  ]);
  h.cpu.r[2] = 0x1234;
  h.cpu.r[3] = 100;
  h.cpu.r[4] = h.cpu.r[5] = 0x80000ff8 | 0;
  h.run(6 * 100 + 1);
  assert.ok(blockAt(h, CODE_BASE) !== undefined, 'the loop ran as a translated block');
  assert.deepEqual([ramWord(h, first + 0xff8), ramWord(h, first + 0xffc), ramWord(h, second)], [99, 198, 0x1234]);
  assert.equal(ramWord(h, first + 0x1000), 0, 'nothing past the first page in RAM');
  assert.deepEqual([h.cpu.r[7], h.cpu.r[8], h.cpu.r[9]], [99, 198, 0x1234]);
});

/** A loop of two blocks: the first ends in a conditional branch out and falls through to the second, which branches back. */
function twoBlockLoop(h: ReturnType<typeof makeHarness>): void {
  h.writeWords(CODE_BASE, [
    0xe2811001, // top:    add r1, r1, #1
    0xe3510e3e, //         cmp r1, #992
    0xba000000, //         blt bottom  (a side exit while r1 < 992)
    0xea000002, //         b out       (followed: the top block goes on at out)
    0xe2822001, // bottom: add r2, r2, #1
    0xe0833001, //         add r3, r3, r1
    0xeafffff8, //         b top       (backward: ends the bottom block)
    0xeafffffe, // out:    b .
  ]);
}

test('translated blocks: the BL a return lands on is a block of its own, and a block ends at POP {..., pc}', () => {
  const h = makeHarness();
  h.writeWords(CODE_BASE, [
    0xe3a00000, //       mov r0, #0
    0xeb000005, // loop: bl func
    0xeb000004, //       bl func         (the first call returns here)
    0xe2800001, //       add r0, r0, #1
    0xe3500ffa, //       cmp r0, #1000
    0xbafffffa, //       blt loop
    0xeafffffe, //       b .
    0xe320f000, //       nop
    0xe92d4010, // func: push {r4, lr}
    0xe2811001, //       add r1, r1, #1
    0xe8bd8010, //       pop {r4, pc}
    0xe2822001, //       add r2, r2, #1  (never runs)
  ]);
  h.executor.hotThreshold = 50;
  h.cpu.r[13] = DATA + 0x100;
  h.run(1 + 11 * 1000 + 10);
  assert.equal(blockAt(h, CODE_BASE + 8)?.length, 1, 'bl func alone: a one-instruction block');
  assert.equal(blockAt(h, CODE_BASE + 32)?.length, 3, 'push, add, pop {r4, pc}: the block ends where the PC is always written');
  assert.equal(h.cpu.r[0], 1000);
  assert.equal(h.cpu.r[1], 2000);
  assert.equal(h.cpu.r[2], 0);
  assert.equal(h.cpu.r[13], DATA + 0x100);
  assert.equal(h.cpu.pc, CODE_BASE + 24);
  assert.equal(h.cpu.instructionCount, 1 + 11 * 1000 + 10);
});

test('translated blocks: a conditional return in a block leaves only when its condition passes', () => {
  const h = makeHarness();
  h.writeWords(CODE_BASE, [
    0xeb000004, // loop: bl func
    0xe2800001, //       add r0, r0, #1
    0xe3500ffa, //       cmp r0, #1000
    0xbafffffb, //       blt loop
    0xeafffffe, //       b .
    0xe320f000, //       nop
    0xe92d4010, // func: push {r4, lr}
    0xe2511001, //       subs r1, r1, #1
    0x18bd8010, //       popne {r4, pc}  (returns unless r1 reached 0)
    0xe2822001, //       add r2, r2, #1
    0x112fff1e, //       bxne lr         (never taken: Z is set here)
    0xe8bd8010, //       pop {r4, pc}
  ]);
  h.executor.hotThreshold = 50;
  h.cpu.r[1] = 500;
  h.cpu.r[13] = DATA + 0x100;
  h.run(4 * 1000 + 3 * 1000 + 3 + 10);
  assert.equal(blockAt(h, CODE_BASE + 24)?.length, 6, 'push, subs, popne, add, bxne, pop: one block past its conditional PC writes');
  assert.equal(h.cpu.r[0], 1000);
  assert.equal(h.cpu.r[1], -500);
  assert.equal(h.cpu.r[2], 1, 'the fall-through ran once, when r1 reached 0');
  assert.equal(h.cpu.r[13], DATA + 0x100);
  assert.equal(h.cpu.pc, CODE_BASE + 16);
  assert.equal(h.cpu.instructionCount, 4 * 1000 + 3 * 1000 + 3 + 10);
});

test('translated blocks: a POP {..., pc} that aborts in a block leaves the registers and SP as they were', () => {
  const h = makeHarness();
  h.writeWords(VECTORS + 0x10, [0xeafffffe]); // data abort vector: b .
  h.writeWords(CODE_BASE, [
    0xe2811001, // top: add r1, r1, #1
    0xe8bd8010, //      pop {r4, pc}
    0xe28dd002, //      add sp, sp, #2   (the last return lands here)
    0xeafffffb, //      b top            (pop from an unaligned SP: alignment fault)
  ]);
  h.writeWords(DATA, [11, CODE_BASE, 22, CODE_BASE, 33, CODE_BASE, 44, CODE_BASE + 8]);
  h.executor.hotThreshold = 1;
  h.cpu.cp15.vbar = VECTORS;
  h.cpu.r[13] = DATA;
  h.run(4 * 2 + 2 + 2);
  assert.equal(blockAt(h, CODE_BASE)?.length, 2, 'add, pop: a translated block');
  assert.equal(h.cpu.mode, Mode.Abt);
  assert.equal(h.cpu.pc, VECTORS + 0x10);
  assert.equal(h.cpu.r[1], 5, 'the add before the POP ran');
  assert.equal(h.cpu.readRegisterOfMode(4, Mode.Svc), 44, 'R4 as the last complete POP left it');
  assert.equal(h.cpu.readRegisterOfMode(13, Mode.Svc) >>> 0, DATA + 34, 'SP_svc not written back');
  assert.equal(h.cpu.r[14]! >>> 0, CODE_BASE + 4 + 8, 'LR_abt: the faulting POP + 8');
  assert.equal(h.cpu.cp15.dfar >>> 0, DATA + 34);
  assert.equal(h.cpu.cp15.dfsr & 0x40f, 0x001, 'DFSR.FS: alignment fault');
  assert.equal(h.cpu.instructionCount, 4 * 2 + 2 + 2);
});

test('translated blocks: a block that ends in a barrier keeps the registers the barrier wrote', () => {
  const h = makeHarness();
  h.writeWords(CODE_BASE, [
    0xe2811001, // loop: add r1, r1, #1
    0xe2822001, //       add r2, r2, #1
    0xe10f2000, //       mrs r2, cpsr     (a barrier that ends the block, over the add's r2)
    0xe3510064, //       cmp r1, #100
    0x1afffffa, //       bne loop
    0xeafffffe, //       b .
  ]);
  h.run(5 * 100 + 10);
  assert.equal(blockAt(h, CODE_BASE)?.length, 3, 'add, add, mrs: a translated block');
  assert.equal(h.cpu.r[1], 100);
  assert.equal(h.cpu.r[2]! & 0x1f, Mode.Svc, 'R2 is the CPSR that MRS read, not the add before it');
  assert.equal(h.cpu.pc, CODE_BASE + 20);
});

test('translated blocks: a block chains to the translated block of its successor in the same page', () => {
  const h = makeHarness();
  twoBlockLoop(h);
  h.run(6 * 991 + 4 + 10);
  assert.equal(h.cpu.r[1], 992);
  assert.equal(h.cpu.r[2], 991);
  assert.equal(h.cpu.r[3], (991 * 992) / 2);
  assert.equal(h.cpu.pc, CODE_BASE + 28);
  assert.equal(h.cpu.instructionCount, 6 * 991 + 4 + 10);
  const top = blockAt(h, CODE_BASE);
  const bottom = blockAt(h, CODE_BASE + 16);
  assert.ok(top && bottom, 'both halves of the loop are translated');
  // Run the first half once more by hand: leaving at its side exit, it hands over the second half's block.
  h.cpu.r[1] = 0;
  h.cpu.pc = CODE_BASE;
  h.cpu.runUntil = h.cpu.instructionCount + 100;
  assert.equal(top.run(h.cpu), bottom);
  assert.equal(h.cpu.pc, CODE_BASE + 16);
  // With an interrupt input asserted, it returns to the executor instead.
  h.cpu.pc = CODE_BASE;
  h.cpu.setIrq(true);
  assert.equal(top.run(h.cpu), undefined);
  assert.equal(h.cpu.pc, CODE_BASE + 16);
});

test('translated blocks: a return to an address in the same page chains to the block there', () => {
  const h = makeHarness();
  h.writeWords(CODE_BASE, [
    0xeb000003, // loop: bl func
    0xe2800001, //       add r0, r0, #1
    0xe3500ffa, //       cmp r0, #1000
    0xbafffffb, //       blt loop
    0xeafffffe, //       b .
    0xe2811001, // func: add r1, r1, #1
    0xe12fff1e, //       bx lr
  ]);
  h.run(6 * 1000 + 10);
  assert.deepEqual([h.cpu.r[0], h.cpu.r[1], h.cpu.pc], [1000, 1000, CODE_BASE + 16]);
  const func = blockAt(h, CODE_BASE + 20);
  const after = blockAt(h, CODE_BASE + 4);
  assert.ok(func && after, 'the function and the code after the call are translated');
  h.cpu.pc = CODE_BASE + 20;
  h.cpu.r[14] = CODE_BASE + 4;
  h.cpu.runUntil = h.cpu.instructionCount + 100;
  assert.equal(func.run(h.cpu), after, 'BX LR hands over the block it returns to');
  assert.equal(h.cpu.pc, CODE_BASE + 4);
});

test('translated blocks: a block goes on at the target of an unconditional forward branch in its page', () => {
  const h = makeHarness();
  h.writeWords(CODE_BASE, [
    0xe2811001, // top:  add r1, r1, #1
    0xea000000, //       b over
    0xe2822001, //       add r2, r2, #1  (never runs)
    0xe2833001, // over: add r3, r3, #1
    0xe3510ffa, //       cmp r1, #1000
    0xbafffff9, //       blt top
    0xeafffffe, //       b .
  ]);
  h.run(5 * 1000 + 10);
  assert.equal(blockAt(h, CODE_BASE)?.length, 5, 'add, b, add, cmp, blt: one block that loops');
  assert.equal(h.cpu.r[1], 1000);
  assert.equal(h.cpu.r[2], 0);
  assert.equal(h.cpu.r[3], 1000);
  assert.equal(h.cpu.pc, CODE_BASE + 24);
  assert.equal(h.cpu.instructionCount, 5 * 1000 + 10);
});

test('translated blocks: a block runs past a conditional branch and leaves at it when taken (side exit)', () => {
  const h = makeHarness();
  h.writeWords(CODE_BASE, [
    0xe2811001, // top:  add r1, r1, #1
    0xe3510e3e, //       cmp r1, #992
    0xaa000002, //       bge out
    0xe2822001, //       add r2, r2, #1
    0xe0833001, //       add r3, r3, r1
    0xeafffff9, //       b top
    0xe1a04001, // out:  mov r4, r1
    0xeafffffe, //       b .
  ]);
  h.run(6 * 991 + 3 + 10);
  assert.equal(blockAt(h, CODE_BASE)?.length, 6, 'the whole loop is one block');
  assert.equal(h.cpu.r[1], 992);
  assert.equal(h.cpu.r[2], 991);
  assert.equal(h.cpu.r[3], (991 * 992) / 2);
  assert.equal(h.cpu.r[4], 992);
  assert.equal(h.cpu.pc, CODE_BASE + 28);
  assert.equal(h.cpu.instructionCount, 6 * 991 + 3 + 10);
});

test('translated blocks: a conditional branch to a later instruction of the block skips to it inside the block', () => {
  const h = makeHarness();
  h.writeWords(CODE_BASE, [
    0xe2811001, // top:  add r1, r1, #1
    0xe3110001, //       tst r1, #1
    0x0a000001, //       beq even
    0xe2822001, //       add r2, r2, #1
    0xe6824fb2, //       sel r4, r2, r2  (a barrier, skipped when r1 is even)
    0xe6815fb1, // even: sel r5, r1, r1  (a barrier that reads r1)
    0xe3510ffa, //       cmp r1, #1000
    0xbafffff7, //       blt top
    0xeafffffe, //       b .
  ]);
  h.run(8 * 100 + 6 * 100); // r1 = 200
  const block = blockAt(h, CODE_BASE)!;
  assert.equal(block.length, 8, 'the loop is one block');
  let entries = 0;
  const run = block.run;
  (block as { run: typeof run }).run = (cpu) => {
    entries++;
    return run(cpu);
  };
  h.run(8 * 400 + 6 * 400 + 10);
  assert.ok(entries <= 2, `the block ran its passes in place, taken skip or not (entered ${entries} times)`);
  assert.equal(h.cpu.r[1], 1000);
  assert.equal(h.cpu.r[2], 500);
  assert.equal(h.cpu.r[4], 500);
  assert.equal(h.cpu.r[5], 1000, 'the barrier after the skip read r1 as the skipping pass left it');
  assert.equal(h.cpu.pc, CODE_BASE + 32);
  assert.equal(h.cpu.instructionCount, 8 * 500 + 6 * 500 + 10);
});

test('translated blocks: an IRQ asserted while chained blocks loop is taken within a block', () => {
  const h = makeHarness();
  h.writeWords(VECTORS + 0x18, [0xeafffffe]); // IRQ vector: b .
  h.cpu.cp15.vbar = VECTORS;
  twoBlockLoop(h);
  h.cpu.maskI = 0;
  h.run(3000); // the loop is hot and chained by now
  assert.equal(h.cpu.mode, Mode.Svc);
  const iterations = h.cpu.r[1]!;
  h.cpu.setIrq(true);
  h.run(1000);
  assert.equal(h.cpu.mode, Mode.Irq);
  assert.ok(h.cpu.r[1]! - iterations <= 1, 'taken at the end of the running block, not after more chained ones');
  assert.equal(h.cpu.pc, VECTORS + 0x18);
});

/** DecodeState.Thumb. */
const THUMB_STATE = 1;

test('translated blocks: IT blocks run inside a Thumb block, decoded in IT state (16-bit ADD sets no flags there)', () => {
  const h = makeHarness({ thumb: true });
  h.writeHalfwords(CODE_BASE, [
    0x3101, // loop: adds r1, #1
    0x2964, //       cmp r1, #100
    0xbf0c, //       ite eq
    0x320a, //       addeq r2, #10
    0x3301, //       addne r3, #1      (in an IT block: no flags, so Z still comes from the cmp)
    0xbf08, //       it eq
    0x3401, //       addeq r4, #1
    0x29c8, //       cmp r1, #200
    0xd1f6, //       bne loop
    0xe7fe, //       b .
  ]);
  h.run(9 * 200 + 5);
  assert.ok(h.executor.cache.page(CODE_BASE, THUMB_STATE)?.blocks?.[0], 'the loop ran as a translated block');
  assert.deepEqual([h.cpu.r[1], h.cpu.r[2], h.cpu.r[3], h.cpu.r[4]], [200, 10, 199, 1]);
  assert.equal(h.cpu.itState, 0);
  assert.equal(h.cpu.pc, CODE_BASE + 0x12);
  assert.equal(h.cpu.instructionCount, 9 * 200 + 5);
});

test('translated blocks: a block left inside an IT block (a store wrote code) leaves ITSTATE for the rest of it', () => {
  const h = makeHarness({ thumb: true });
  h.writeHalfwords(CODE_BASE, [
    0x3101, // loop:   adds r1, #1
    0x2964, //         cmp r1, #100
    0xbf04, //         itt eq
    0x6023, //         streq r3, [r4]    (patches `target` in iteration 100: the block is left)
    0x3201, //         addeq r2, #1      (in the IT block: no flags; outside it, ADDS would clear Z)
    0xd001, //         beq out
    0x3501, // target: adds r5, #1       (becomes adds r5, #2)
    0xe7f7, //         b loop
    0xe7fe, // out:    b .
  ]);
  h.executor.hotThreshold = 10;
  h.cpu.r[3] = (0xe7f7 << 16) | 0x3502;
  h.cpu.r[4] = CODE_BASE + 12;
  h.run(99 * 8 + 6 + 5);
  assert.deepEqual([h.cpu.r[1], h.cpu.r[2], h.cpu.r[5]], [100, 1, 99]);
  assert.equal(h.cpu.pc, CODE_BASE + 16, 'Z from the cmp took beq out');
  assert.equal(h.cpu.itState, 0);
  assert.equal(h.cpu.instructionCount, 99 * 8 + 6 + 5);
});

test('translated blocks: a data abort inside a translated IT block saves its ITSTATE in SPSR_abt', () => {
  const h = makeHarness({ thumb: true });
  h.writeWords(VECTORS + 0x10, [0xeafffffe]); // data abort vector (ARM): b .
  h.writeHalfwords(CODE_BASE, [
    0x3101, // loop: adds r1, #1
    0x2932, //       cmp r1, #50
    0xbf04, //       itt eq
    0x6806, //       ldreq r6, [r0]    (r0 unaligned: alignment fault in iteration 50)
    0x3201, //       addeq r2, #1
    0x2964, //       cmp r1, #100
    0xd1f8, //       bne loop
    0xe7fe, //       b .
  ]);
  h.cpu.cp15.vbar = VECTORS;
  h.cpu.cp15.writeSctlr(h.cpu.cp15.sctlr | 2); // SCTLR.A
  h.cpu.r[0] = DATA + 1;
  // A budget past the abort (the vector's B . runs on): the last pass runs as the block too.
  h.run(49 * 7 + 4 + 10);
  assert.ok(h.executor.cache.page(CODE_BASE, THUMB_STATE)?.blocks?.[0], 'the loop ran as a translated block');
  assert.equal(h.cpu.mode, Mode.Abt);
  assert.equal(h.cpu.pc, VECTORS + 0x10);
  assert.equal(h.cpu.r[1], 50);
  assert.equal(h.cpu.r[14]! >>> 0, CODE_BASE + 6 + 8, 'LR_abt: the faulting LDR + 8');
  const spsr = h.cpu.getSpsr();
  assert.equal(((spsr >>> 25) & 3) | (((spsr >>> 10) & 0x3f) << 2), 0x04, 'SPSR.IT: ITT EQ at its first instruction');
  assert.equal((spsr >>> 5) & 1, 1, 'SPSR.T');
  assert.equal(h.cpu.itState, 0);
});

test('translated blocks: an access of an IT block that goes the full way (unaligned) leaves ITSTATE 0 for the rest of the block', () => {
  const h = makeHarness({ thumb: true });
  h.writeHalfwords(CODE_BASE, [
    0x3101, // loop: adds r1, #1
    0x2800, //       cmp r0, #0
    0xbf18, //       it ne
    0x6806, //       ldrne r6, [r0]    (r0 unaligned, SCTLR.A clear: DataAccess, no fault)
    0x3201, //       adds r2, #1
    0x2964, //       cmp r1, #100
    0xd1f8, //       bne loop
    0xe7fe, //       b .
  ]);
  h.writeWords(DATA, [0x44332211, 0x88776655]);
  h.cpu.r[0] = DATA + 1;
  h.run(100 * 7 + 10);
  assert.ok(h.executor.cache.page(CODE_BASE, THUMB_STATE)?.blocks?.[0], 'the loop ran as a translated block');
  assert.equal(h.cpu.r[6]! >>> 0, 0x55443322);
  assert.equal(h.cpu.r[2], 100);
  assert.equal(h.cpu.itState, 0);
  assert.equal(h.cpu.pc, CODE_BASE + 14, 'at the B . after the loop, run outside any IT block');
});

/**
 * At `sub`, a subroutine `add r2, r2, #1; bx lr`, which the code calls with BLX r5 and rewrites
 * with STR r6, [r7]: to `add r2, r2, #100`.
 */
function callsSubroutineToRewrite(h: ReturnType<typeof makeHarness>, sub: number): void {
  h.writeWords(sub, [
    0xe2822001, // sub: add r2, r2, #1     (becomes add r2, r2, #100)
    0xe12fff1e, //      bx lr
  ]);
  h.cpu.r[5] = sub;
  h.cpu.r[6] = 0xe2822064; // add r2, r2, #100
  h.cpu.r[7] = sub;
}

test('translated blocks: a subroutine rewritten from another page runs its new code from the next call on', () => {
  const h = makeHarness();
  const sub = CODE_BASE + 0x1000;
  h.writeWords(CODE_BASE, [
    0xe3a04000, //       mov r4, #0
    0xe12fff35, // loop: blx r5
    0xe2844001, //       add r4, r4, #1
    0xe3540064, //       cmp r4, #100
    0x05876000, //       streq r6, [r7]    (after call 100: rewrites sub's first instruction)
    0xe35400c8, //       cmp r4, #200
    0x1afffff9, //       bne loop
    0xeafffffe, //       b .
  ]);
  callsSubroutineToRewrite(h, sub);
  h.run(1 + 8 * 200 + 1);
  assert.ok(blockAt(h, sub) !== undefined, 'the subroutine was translated again after the write');
  assert.equal(h.cpu.r[2], 100 + 100 * 100);
  assert.equal(h.cpu.pc, CODE_BASE + 0x1c);
});

test('translated blocks: a store reaching a page that then comes to hold code goes the full way, so the code written is seen', () => {
  const h = makeHarness();
  const sub = CODE_BASE + 0x1000;
  h.writeWords(CODE_BASE, [
    0xe3a04000, //       mov r4, #0
    0xe5898000, // loop: str r8, [r9]      (data in sub's page: its store entry is there before the page holds code)
    0xe2844001, //       add r4, r4, #1
    0xe3540064, //       cmp r4, #100
    0x012fff35, //       blxeq r5          (call 100: sub's page comes to hold code)
    0xe3540065, //       cmp r4, #101
    0x05876000, //       streq r6, [r7]    (then rewrites sub's first instruction)
    0xe3540066, //       cmp r4, #102
    0x012fff35, //       blxeq r5          (and calls it again)
    0xe35400c8, //       cmp r4, #200
    0x1afffff5, //       bne loop
    0xeafffffe, //       b .
  ]);
  callsSubroutineToRewrite(h, sub);
  h.cpu.r[9] = sub + 0x100;
  h.run(1 + 10 * 200 + 2 * 2 + 1);
  assert.ok(blockAt(h, CODE_BASE + 4) !== undefined, 'the stores ran in translated blocks');
  assert.equal(h.cpu.r[2], 1 + 100);
  assert.equal(h.cpu.pc, CODE_BASE + 0x2c);
});

test('translated blocks: a block is not entered at its address inside an IT block (as after an exception return there)', () => {
  const h = makeHarness({ thumb: true });
  h.writeHalfwords(CODE_BASE, [
    0x3201, // loop: adds r2, #1
    0x3301, //       adds r3, #1
    0x3c01, //       subs r4, #1
    0xd1fb, //       bne loop
    0xe7fe, //       b .
  ]);
  h.cpu.r[4] = 100;
  h.run(4 * 100);
  assert.ok(h.executor.cache.page(CODE_BASE, THUMB_STATE)?.blocks?.[0], 'the loop ran as a translated block');
  assert.equal(h.cpu.r[2], 100);
  // Back at the loop in the last instruction of IT EQ (ITSTATE 0x08) with Z clear: ADD is skipped.
  h.cpu.pc = CODE_BASE;
  h.cpu.itState = 0x08;
  h.cpu.zf = 0;
  h.run(4);
  assert.equal(h.cpu.r[2], 100, 'the first ADD failed its IT condition');
  assert.equal(h.cpu.r[3], 101);
  assert.equal(h.cpu.itState, 0);
});

test('translated blocks: the interpreter counts heat where control arrives, not at every instruction of a cold path', () => {
  const h = makeHarness();
  h.executor.hotThreshold = 100;
  h.writeWords(CODE_BASE, [
    0xe2811001, // loop: add r1, r1, #1
    0xe2822001, //       add r2, r2, #1
    0xe351000a, //       cmp r1, #10
    0x1afffffb, //       bne loop
    0xeafffffe, //       b .
  ]);
  h.run(4 * 10);
  assert.equal(h.cpu.r[1], 10);
  const heat = h.executor.cache.page(CODE_BASE, ARM_STATE)!.heat;
  assert.equal(heat[0], 10, 'each pass arrives at the loop start');
  assert.deepEqual([heat[2], heat[4], heat[6]], [0, 0, 0], 'the rest of the path is reached by going on from it');
  assert.equal(blockAt(h, CODE_BASE), undefined, 'still cold');
});

test('translated blocks: decoding many distinct LDM register lists keeps a bounded number of compiled shapes, and each still runs', () => {
  const h = makeHarness();
  h.executor.hotThreshold = 65535;
  // ldmia r0, {list} for 5000 lists of R1-R13 (each list its own source shape), then b . (writeWords drops the decoded code)
  for (let list = 1; list <= 5000; list++) {
    const regs = (list << 1) & 0x3ffe;
    h.writeWords(CODE_BASE, [(0xe8900000 | regs) >>> 0, 0xeafffffe]);
    h.cpu.pc = CODE_BASE;
    h.cpu.r[0] = CODE_BASE + 0x1000;
    h.run(1);
    assert.ok(keptSourceShapes() <= MAX_SOURCE_SHAPES);
  }
  // The last list loaded the words at R0 into its registers.
  h.writeWords(CODE_BASE + 0x1000, [11, 22, 33]);
  h.writeWords(CODE_BASE, [0xe890000e, 0xeafffffe]); // ldmia r0, {r1, r2, r3}
  h.executor.cache.invalidate(CODE_BASE >>> 12);
  h.cpu.pc = CODE_BASE;
  h.run(1);
  assert.deepEqual([h.cpu.r[1], h.cpu.r[2], h.cpu.r[3]], [11, 22, 33]);
});
