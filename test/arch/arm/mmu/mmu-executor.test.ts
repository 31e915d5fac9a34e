import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Mode } from '../../../../src/arch/arm/modes.js';
import { TLB_ENTRIES } from '../../../../src/arch/arm/mmu/tlb.js';
import { makeHarness, type Harness } from '../../../support/cpu-harness.js';

const TTB = 0x40004000;
const L2 = 0x40008000;
const LDR_R0_R1 = 0xe5910000;
const LDRT_R0_R1 = 0xe4b10000;
const MOV_R0_1 = 0xe3a00001;
const MOV_R0_2 = 0xe3a00002;

/** Identity section for RAM (code at 0x40010000), client domain 0, MMU on. */
function mmuHarness(): Harness {
  const h = makeHarness();
  h.writeWords(TTB + 0x400 * 4, [0x40000000 | (3 << 10) | 2]);
  h.cpu.cp15.ttbr0 = TTB;
  h.cpu.cp15.dacr = 1;
  h.cpu.cp15.writeSctlr(h.cpu.cp15.sctlr | 1);
  return h;
}

function cp15Write(h: Harness, crn: number, crm: number, opc2: number, value: number): void {
  h.cpu.cp15.lookup(0, crn, crm, opc2)!.write!(h.cpu.cp15, h.cpu, value);
}

test('mmu: a load from an unmapped section is a data abort with DFSR 0x005 and DFAR the address', () => {
  const h = mmuHarness();
  h.writeWords(0x40010000, [LDR_R0_R1]);
  h.cpu.r[1] = 0x90000004 | 0;
  h.run(1);
  assert.equal(h.cpu.mode, Mode.Abt);
  assert.equal(h.cpu.cp15.dfsr, 0x005);
  assert.equal(h.cpu.cp15.dfar >>> 0, 0x90000004);
});

test('mmu: LDRT at PL1 is checked against PL0 permissions (AP=001 section)', () => {
  const h = mmuHarness();
  h.writeWords(TTB + 0x800 * 4, [0x40000000 | (1 << 10) | 2]);
  h.writeWords(0x40010000, [LDR_R0_R1, LDRT_R0_R1]);
  h.writeWords(0x40000100, [0x12345678]);
  h.cpu.r[1] = 0x80000100 | 0;
  h.run(1);
  assert.equal(h.cpu.r[0], 0x12345678);
  assert.equal(h.cpu.mode, Mode.Svc);
  h.run(1);
  assert.equal(h.cpu.mode, Mode.Abt);
  assert.equal(h.cpu.cp15.dfsr, 0x00d);
});

test('mmu: instruction fetch translates again after TLBIALL (the executor forgets its fetched page)', () => {
  const h = mmuHarness();
  h.writeWords(TTB + 0x800 * 4, [L2 | 1]);
  h.writeWords(L2, [0x40020000 | (3 << 4) | 2]);
  h.writeWords(0x40020000, [MOV_R0_1]);
  h.writeWords(0x40021000, [MOV_R0_2]);
  h.cpu.pc = 0x80000000;
  h.run(1);
  assert.equal(h.cpu.r[0], 1);
  h.writeWords(L2, [0x40021000 | (3 << 4) | 2]);
  cp15Write(h, 8, 7, 0, 0); // TLBIALL
  h.cpu.pc = 0x80000000;
  h.run(1);
  assert.equal(h.cpu.r[0], 2);
});

test('mmu: a fetch in User mode from a PL1-only page is a prefetch abort even right after PL1 ran there', () => {
  const h = mmuHarness();
  h.writeWords(TTB + 0x800 * 4, [0x40000000 | (1 << 10) | 2]);
  h.writeWords(0x40010000, [MOV_R0_1, MOV_R0_2]);
  h.cpu.pc = 0x80010000;
  h.run(1);
  assert.equal(h.cpu.r[0], 1);
  h.cpu.setMode(Mode.Usr);
  h.run(1);
  assert.equal(h.cpu.mode, Mode.Abt);
  assert.equal(h.cpu.cp15.ifsr, 0x00d);
  assert.equal(h.cpu.cp15.ifar >>> 0, 0x80010004);
});

test('mmu: ATS1CPR leaves PA and NS in PAR, or F and the fault status', () => {
  const h = mmuHarness();
  h.writeWords(TTB + 0x800 * 4, [0x40000000 | (3 << 10) | 2]);
  cp15Write(h, 7, 8, 0, 0x80012345);
  assert.equal(h.cpu.cp15.par >>> 0, 0x40012200);
  cp15Write(h, 7, 8, 0, 0x90000000);
  assert.equal(h.cpu.cp15.par, 0x0b); // F, FS = translation fault (section)
});

/** A driver at 0x40010000: `loop: blx r5; subs r6, r6, #1; bne loop; b .` (calls r5 r6 times). */
const CALL_LOOP = [0xe12fff35, 0xe2566001, 0x1afffffc, 0xeafffffe];
const ADD_R0_1 = 0xe2800001;
const ADD_R0_100 = 0xe2800064;
const ADD_R1_1 = 0xe2811001;
const BX_LR = 0xe12fff1e;

test('mmu: a translated block entered again by address runs the new page after its page is remapped and TLBIALL', () => {
  const h = mmuHarness();
  h.writeWords(TTB + 0x800 * 4, [L2 | 1]);
  h.writeWords(L2, [0x40020000 | (3 << 4) | 2]);
  h.writeWords(0x40020000, [ADD_R0_1, ADD_R1_1, BX_LR]);
  h.writeWords(0x40021000, [ADD_R0_100, ADD_R1_1, BX_LR]);
  h.writeWords(0x40010000, CALL_LOOP);
  h.cpu.r[5] = 0x80000000 | 0;
  h.cpu.r[6] = 100;
  h.run(100 * 6);
  assert.equal(h.cpu.pc, 0x4001000c);
  assert.equal(h.cpu.r[0], 100);
  assert.ok(h.executor.cache.page(0x40020000, 0)?.blocks?.[0], 'the subroutine ran as a translated block');
  // The remap as the guest's own store makes it: the decoded code stays cached (writeWords would drop it).
  h.bus.write(L2, 4, 0x40021000 | (3 << 4) | 2);
  cp15Write(h, 8, 7, 0, 0); // TLBIALL
  h.cpu.r[6] = 10;
  h.cpu.pc = 0x40010000;
  h.run(10 * 6);
  assert.equal(h.cpu.r[0], 100 + 10 * 100, 'every call after the remap runs the page mapped now');
  assert.equal(h.cpu.r[1], 110);
});

test('mmu: TLBIMVA of one page of a remapped section retires every page of it, in the RAM page cache too, though the TLB lost the page loaded', () => {
  const h = mmuHarness();
  h.writeWords(TTB + 0x800 * 4, [0x40000000 | (3 << 10) | 2]);
  h.writeWords(0x40010100, [0x1111]);
  h.writeWords(L2 + 0x10 * 4, [0x40030000 | (3 << 4) | 2]);
  h.writeWords(0x40030100, [0x2222]);
  h.writeWords(0x40020000, [LDR_R0_R1, 0xeafffffe]);
  const load = (): number => {
    h.cpu.pc = 0x40020000;
    h.cpu.r[1] = 0x80010100 | 0;
    h.run(1);
    return h.cpu.r[0]!;
  };
  assert.equal(load(), 0x1111);
  h.cpu.mem.mmu.tlb.fill(0x80810000, 0x40010000, 0xff, true, 20); // replaces the loaded page's entry
  h.bus.write(TTB + 0x800 * 4, 4, L2 | 1); // the section becomes a table of pages
  cp15Write(h, 8, 7, 3, 0x80045000); // TLBIMVAA
  assert.equal(load(), 0x2222, 'the load went through the mapping in force now');
});

test('mmu: a translated block in a section remapped and invalidated by MVA elsewhere in it is left for the new code', () => {
  const h = mmuHarness();
  h.writeWords(TTB + 0x800 * 4, [0x40000000 | (3 << 10) | 2]);
  h.writeWords(0x40020100, [ADD_R0_1, ADD_R1_1, BX_LR]);
  h.writeWords(L2 + 0x20 * 4, [0x40050000 | (3 << 4) | 2]);
  h.writeWords(0x40050100, [ADD_R0_100, ADD_R1_1, BX_LR]);
  h.writeWords(0x40010000, CALL_LOOP);
  h.cpu.r[5] = 0x80020100 | 0; // not where the driver's block sits in the jump cache
  h.cpu.r[6] = 100;
  h.run(100 * 6);
  assert.equal(h.cpu.r[0], 100);
  assert.ok(h.executor.cache.page(0x40020000, 0)?.blocks?.[0x80], 'the subroutine ran as a translated block');
  h.bus.write(TTB + 0x800 * 4, 4, L2 | 1); // the section becomes a table of pages
  cp15Write(h, 8, 7, 1, 0x80000000); // TLBIMVA, ASID 0
  h.cpu.r[6] = 10;
  h.cpu.pc = 0x40010000;
  h.run(10 * 6);
  assert.equal(h.cpu.r[0], 100 + 10 * 100, 'every call after the remap runs the page mapped now');
});

test('mmu: a translated block hot at PL1 is not entered by a User mode fetch from its PL1-only page (prefetch abort)', () => {
  const h = mmuHarness();
  h.writeWords(TTB + 0x800 * 4, [0x40000000 | (1 << 10) | 2]); // 0x80000000: PL1 only
  h.writeWords(0x40030000, [ADD_R0_1, ADD_R1_1, BX_LR]);
  h.writeWords(0x40010000, CALL_LOOP);
  h.writeWords(0x40002000 + 0x0c, [0xeafffffe]); // prefetch abort vector: b .
  h.cpu.cp15.vbar = 0x40002000;
  h.cpu.r[5] = 0x80030000 | 0;
  h.cpu.r[6] = 100;
  h.run(100 * 6);
  assert.equal(h.cpu.r[0], 100);
  assert.ok(h.executor.cache.page(0x40030000, 0)?.blocks?.[0], 'the subroutine ran as a translated block');
  h.cpu.setMode(Mode.Usr);
  h.cpu.r[6] = 1;
  h.cpu.pc = 0x40010000;
  h.run(10); // BLX, the fetch at the subroutine, then the vector's loop
  assert.equal(h.cpu.mode, Mode.Abt);
  assert.equal(h.cpu.r[0], 100, 'the subroutine did not run in User mode');
  assert.equal(h.cpu.cp15.ifsr, 0x00d, 'IFSR: permission fault, section');
  assert.equal(h.cpu.cp15.ifar >>> 0, 0x80030000);
});

test('mmu: a 32-bit Thumb instruction that crosses into the next page follows that page\'s mapping and contents', () => {
  const h = mmuHarness();
  h.writeWords(TTB + 0x800 * 4, [L2 | 1]);
  h.writeWords(L2, [0x40020000 | (3 << 4) | 2, 0x40021000 | (3 << 4) | 2]);
  h.writeHalfwords(0x40020ffe, [0xf240]); // movw r0, #n: first halfword, the page's last
  h.writeHalfwords(0x40021000, [0x0001, 0xe7fe]); // n = 1; b .
  h.writeHalfwords(0x40022000, [0x0002, 0xe7fe]); // n = 2 in another physical page
  const movw = (): number => {
    h.cpu.thumb = 1;
    h.cpu.pc = 0x80000ffe;
    h.run(1);
    assert.equal(h.cpu.pc, 0x80001002);
    return h.cpu.r[0]!;
  };
  assert.equal(movw(), 1);
  assert.equal(movw(), 1, 'again, with the same word');
  // From here the page table is written behind the decode cache's back (h.writeWords would empty it).
  const ram = new DataView(h.bus.ram.buffer);
  ram.setUint32(L2 + 4 - 0x40000000, 0x40022000 | (3 << 4) | 2, true);
  cp15Write(h, 8, 7, 0, 0); // TLBIALL
  assert.equal(movw(), 2, 'the second halfword from the page mapped now');
  h.cpu.mem.store16(0x80001000, 0x0003); // a store of the guest's (the page is watched as code)
  assert.equal(movw(), 3, 'the second halfword as it reads now');
});

test('mmu: a 32-bit Thumb instruction that crosses into the next page is decoded again in an IT block, and fetched again in User mode', () => {
  const h = mmuHarness();
  h.writeWords(TTB + 0x800 * 4, [L2 | 1]);
  h.writeWords(L2, [0x40020000 | (3 << 4) | 2, 0x40021000 | (1 << 4) | 2]); // the next page PL1 only
  h.writeHalfwords(0x40020ffc, [0xbf08, 0xf000]); // it eq; beq.w (its first halfword the page's last)
  h.writeHalfwords(0x40021000, [0x8000]); // beq.w +0: in an IT block UNPREDICTABLE (A8.8.18), UNDEFINED as in QEMU
  h.cpu.cp15.vbar = 0x40002000;
  h.writeWords(0x40002000, [0, 0xeafffffe, 0, 0xeafffffe]); // undefined and prefetch abort vectors: b .
  const start = (pc: number, zf: number): void => {
    h.cpu.setMode(Mode.Svc);
    h.cpu.thumb = 1;
    h.cpu.zf = zf;
    h.cpu.pc = pc;
  };
  start(0x80000ffe, 0);
  h.run(1);
  assert.equal(h.cpu.pc, 0x80001002, 'outside the IT block: a branch, not taken');
  start(0x80000ffc, 1);
  h.run(2);
  assert.equal(h.cpu.mode, Mode.Und, 'the same word in the IT block: UNDEFINED');
  start(0x80000ffe, 0);
  h.run(1);
  assert.equal(h.cpu.pc, 0x80001002);
  start(0x80000ffe, 0);
  h.cpu.setMode(Mode.Usr);
  h.run(1);
  assert.equal(h.cpu.mode, Mode.Abt, 'User mode may not fetch from the next page');
  assert.equal(h.cpu.cp15.ifar >>> 0, 0x80001000);
});

test('mmu: a translated block ending in a 32-bit Thumb instruction that crosses the page follows the next page\'s mapping and contents', () => {
  const h = mmuHarness();
  h.writeWords(TTB + 0x800 * 4, [L2 | 1]);
  h.writeWords(L2, [0x40020000 | (3 << 4) | 2, 0x40021000 | (3 << 4) | 2]);
  // loop: adds r1, #1; nop; movw r0, #n (its first halfword the page's last); b loop
  h.writeHalfwords(0x40020ffa, [0x3101, 0xbf00, 0xf240]);
  h.writeHalfwords(0x40021000, [0x0001, 0xe7fa]);
  h.writeHalfwords(0x40022000, [0x0002, 0xe7fa]); // n = 2 in another physical page
  h.cpu.thumb = 1;
  h.cpu.pc = 0x80000ffa;
  h.run(4 * 100);
  assert.equal(h.executor.cache.page(0x40020000, 1)?.blocks?.[0xffa >>> 1]?.length, 3, 'adds, nop, movw: one block');
  assert.equal(h.cpu.r[0], 1);
  assert.equal(h.cpu.r[1], 100);
  // From here the page table is written behind the decode cache's back (h.writeWords would empty it).
  const ram = new DataView(h.bus.ram.buffer);
  ram.setUint32(L2 + 4 - 0x40000000, 0x40022000 | (3 << 4) | 2, true);
  cp15Write(h, 8, 7, 3, 0x80001000); // TLBIMVAA of the next page only
  h.run(4 * 10);
  assert.equal(h.cpu.r[0], 2, 'the second halfword from the page mapped now');
  h.cpu.mem.store16(0x80001000, 0x0003); // a store of the guest's (the page is watched as code)
  h.run(4 * 10);
  assert.equal(h.cpu.r[0], 3, 'the second halfword as it reads now');
  assert.equal(h.cpu.r[1], 120);
});

test('mmu: a DACR write takes effect at the next access with no TLB maintenance, the TLB entry kept (B4.1.43, B3.12.3)', () => {
  const h = mmuHarness();
  // 0x80000000: RAM, domain 1, AP=001 (PL1 read/write, PL0 no access).
  h.writeWords(TTB + 0x800 * 4, [0x40000000 | (1 << 10) | (1 << 5) | 2]);
  h.writeWords(0x40010000, [LDR_R0_R1, LDRT_R0_R1]);
  h.writeWords(0x40000100, [0x12345678]);
  const tlb = h.cpu.mem.mmu.tlb;
  const page = 0x80000100 >>> 12;
  // DACR, the instruction (LDR, or LDRT: a PL0 access), and the DFSR of its data abort (domain
  // 1 at [7:4]; FS 0b01001 section domain fault, 0b01101 section permission fault), 0 for none.
  const steps: readonly [dacr: number, instruction: number, dfsr: number][] = [
    [0b0101, 0, 0], // domains 0 and 1 client: the page enters the TLB
    [0b0001, 0, (1 << 4) | 0x9], // domain 1 no access
    [0b1101, 1, 0], // domain 1 manager: no permission checks, PL0 included
    [0b0101, 1, (1 << 4) | 0xd], // client again: PL0 may not read
  ];
  steps.forEach(([dacr, instruction, dfsr], step) => {
    cp15Write(h, 3, 0, 0, dacr);
    if (step > 0) assert.equal(tlb.virtualPages[page & (TLB_ENTRIES - 1)], page, `DACR ${dacr.toString(2)}: the entry is still in the TLB`);
    h.cpu.setMode(Mode.Svc);
    h.cpu.pc = 0x40010000 + 4 * instruction;
    h.cpu.r[1] = 0x80000100 | 0;
    h.cpu.r[0] = 0;
    h.run(1);
    if (dfsr === 0) {
      assert.equal(h.cpu.mode, Mode.Svc);
      assert.equal(h.cpu.r[0], 0x12345678);
    } else {
      assert.equal(h.cpu.mode, Mode.Abt);
      assert.equal(h.cpu.cp15.dfsr, dfsr);
    }
  });
});

test('mmu: an interpreted line that remaps its own page (page table write, TLBIMVA, DSB, ISB) fetches what follows through the new mapping', () => {
  const h = mmuHarness();
  h.writeWords(TTB + 0x800 * 4, [L2 | 1]);
  const oldPage = 0x40020000 | (3 << 4) | 2;
  h.writeWords(L2, [oldPage]);
  h.writeWords(0x40020000, [
    0xe5812000, // str r2, [r1]                  (the page's own second-level entry)
    0xee083f37, // mcr p15, 0, r3, c8, c7, 1     (TLBIMVA 0x80000000)
    0xf57ff04f, // dsb                           (completes the TLB maintenance, B3.10.1)
    0xf57ff06f, // isb                           (and makes later fetches see it)
    MOV_R0_1, //   the old page's instruction at 0x80000010
  ]);
  h.writeWords(0x40021010, [MOV_R0_2]);
  h.cpu.r[1] = L2;
  h.cpu.r[3] = 0x80000000 | 0;
  // First with the mapping written unchanged, so that the old page holds its instructions decoded.
  for (const [entry, r0] of [[oldPage, 1], [0x40021000 | (3 << 4) | 2, 2]] as const) {
    h.cpu.r[2] = entry;
    h.cpu.pc = 0x80000000 | 0;
    h.run(5);
    assert.equal(h.cpu.r[0], r0);
    assert.equal(h.cpu.pc, 0x80000014 | 0);
  }
});

test('mmu: an interpreted line that changes to User mode (MSR) in a PL1-only page takes a prefetch abort at the next instruction', () => {
  const h = mmuHarness();
  h.writeWords(TTB + 0x800 * 4, [0x40000000 | (1 << 10) | 2]);
  h.writeWords(0x40010000, [
    MOV_R0_1,
    0xe121f004, // msr cpsr_c, r4
    MOV_R0_2, //   in User mode, not run: a User mode fetch from a PL1-only page
  ]);
  // First staying in SVC mode, so that the page holds its instructions decoded.
  h.cpu.r[4] = 0xd3;
  h.cpu.pc = 0x80010000 | 0;
  h.run(3);
  assert.deepEqual([h.cpu.r[0], h.cpu.mode], [2, Mode.Svc]);
  h.cpu.r[4] = 0xd0;
  h.cpu.pc = 0x80010000 | 0;
  h.run(3);
  assert.equal(h.cpu.r[0], 1);
  assert.equal(h.cpu.mode, Mode.Abt);
  assert.equal(h.cpu.cp15.ifsr, 0x00d);
  assert.equal(h.cpu.cp15.ifar >>> 0, 0x80010008);
});
