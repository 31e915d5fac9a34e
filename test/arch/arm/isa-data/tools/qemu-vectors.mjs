// Differential test-vector generator for the isa-data instructions, with QEMU as the oracle.
//
//   npx tsc -p . && node test/arch/arm/isa-data/tools/qemu-vectors.mjs [casesPerEncoding] [seed] [--space] [--write]
//
// For every encoding of isa-data/ it draws random instruction words (free bits random) and random
// register/flag values, runs each instruction once under `qemu-arm -cpu cortex-a15` (user mode, so
// the processor is in User mode) and once under Partita at the same address, and compares r0-r14,
// NZCVQ and GE, and whether the word is UNDEFINED (SIGILL under QEMU). --space adds random words
// from the whole data-processing regions of the encoding maps, to find encodings we miss. With
// --write it stores the QEMU results as test/arch/arm/isa-data/qemu-vectors.ts for
// qemu-vectors.test.ts.
// Needs arm-none-eabi-as/ld and qemu-arm.

import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '../../../../..');
const { a32DataEncodings, t16DataEncodings, t32DataEncodings } = await import(join(root, 'dist/src/arch/arm/isa-data/index.js'));
const { decodeA32, decodeT16, decodeT32, isT32Wide } = await import(join(root, 'dist/src/arch/arm/instruction-sets.js'));
const { makeHarness } = await import(join(root, 'dist/test/support/cpu-harness.js'));

const args = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const perEncoding = Number(args[0] ?? 4);
let seed = Number(args[1] ?? 1) >>> 0 || 1;
const write = process.argv.includes('--write');

function rand() {
  // xorshift32
  seed ^= seed << 13; seed >>>= 0;
  seed ^= seed >>> 17;
  seed ^= seed << 5; seed >>>= 0;
  return seed;
}
const INTERESTING = [0, 1, 2, 0xffffffff, 0x7fffffff, 0x80000000, 0x80000001, 0xffff, 0x8000, 0x7fff, 0x10000, 0xff, 0x80, 0x7f, 0xffff8000, 0x00010001, 0x7fff7fff, 0x80008000, 0xff80ff80, 0x7f7f7f7f, 0x80808080];
function randomValue() {
  const r = rand() % 8;
  if (r < 3) return INTERESTING[rand() % INTERESTING.length];
  if (r < 4) return rand() % 40;
  return rand();
}

const CTX = { inItBlock: false, lastInItBlock: false };
const CTX_IT = { inItBlock: true, lastInItBlock: true };

/** A case: isa 'a' (A32), 't' (T32) or 'i' (T16 inside IT AL); halfwords for T32. */
function makeCase(isa, word) {
  const regs = Array.from({ length: 15 }, randomValue);
  const apsr = ((rand() & 0x1f) << 27) | ((rand() & 0xf) << 16);
  return { isa, word: word >>> 0, regs, apsr: apsr >>> 0 };
}

function decodes(c) {
  if (c.isa === 'a') return decodeA32(c.word, CTX);
  if (c.word > 0xffff) return decodeT32(c.word, CTX);
  return decodeT16(c.word, c.isa === 'i' ? CTX_IT : CTX);
}

function size(c) { return c.isa === 'a' ? 4 : c.word > 0xffff ? 4 : 2; }

/** Runs a case under Partita at `address`: registers, APSR, and whether it fell through / was UNDEFINED. */
function runPartita(c, address) {
  const h = makeHarness({ thumb: c.isa !== 'a' });
  const cpu = h.cpu;
  cpu.cp15.vbar = 0x40000000;
  cpu.setMode(0x10);
  cpu.pc = address;
  if (c.isa === 'a') h.writeWords(address, [c.word]);
  else if (c.word > 0xffff) h.writeHalfwords(address, [c.word >>> 16, c.word & 0xffff]);
  else h.writeHalfwords(address, [c.word]);
  c.regs.forEach((v, i) => { cpu.r[i] = v | 0; });
  cpu.nf = c.apsr >>> 31; cpu.zf = (c.apsr >>> 30) & 1; cpu.cf = (c.apsr >>> 29) & 1; cpu.vf = (c.apsr >>> 28) & 1;
  cpu.qf = (c.apsr >>> 27) & 1; cpu.ge = (c.apsr >>> 16) & 0xf;
  if (c.isa === 'i') cpu.itState = 0xe8; // IT AL, one instruction
  h.run(1);
  const undefined_ = cpu.mode === 0x1b;
  const fellThrough = cpu.pc === address + size(c);
  const regs = Array.from(cpu.r.subarray(0, 15), (v) => v >>> 0);
  const apsr = ((cpu.nf << 31) | (cpu.zf << 30) | (cpu.cf << 29) | (cpu.vf << 28) | (cpu.qf << 27) | (cpu.ge << 16)) >>> 0;
  return { regs, apsr, undefined: undefined_, fellThrough };
}

const hex = (v) => '0x' + (v >>> 0).toString(16);

function asmFor(cases) {
  const out = [
    '.syntax unified', '.text', '.arm', '.global _start', '_start:',
    '  movw r0, #:lower16:altstack_desc', '  movt r0, #:upper16:altstack_desc', '  mov r1, #0', '  mov r7, #186', '  svc 0',
    '  mov r0, #4', '  movw r1, #:lower16:sigact', '  movt r1, #:upper16:sigact', '  mov r2, #0', '  mov r3, #8', '  mov r7, #174', '  svc 0',
  ];
  cases.forEach((c, i) => {
    // SETEND LE around the instruction: a word QEMU takes as MSR/SETEND may switch CPSR.E.
    out.push(`case_${i}:`, '  setend le', `  ldr r0, flags_${i}`, '  msr APSR_nzcvqg, r0');
    const loads = [];
    for (let r = 0; r < 15; r++) loads.push(`  ldr${c.isa === 'a' ? '' : '.w'} ${r === 13 ? 'sp' : r === 14 ? 'lr' : 'r' + r}, init_${i}+${4 * r}`);
    if (c.isa === 'a') {
      out.push(...loads, `insn_${i}:`, `  .inst ${hex(c.word)}`);
    } else {
      out.push(`  blx thumb_${i}`, '.thumb', '.align 2', `thumb_${i}:`, ...loads);
      if (c.isa === 'i') out.push('  .inst.n 0xbfe8'); // IT AL
      out.push(`insn_${i}:`, c.word > 0xffff ? `  .inst.w ${hex(c.word)}` : `  .inst.n ${hex(c.word)}`, '.align 2', '  bx pc', '  nop', '.arm');
    }
    out.push('  setend le');
    for (let r = 0; r < 15; r++) out.push(`  str ${r === 13 ? 'sp' : r === 14 ? 'lr' : 'r' + r}, save_${i}+${4 * r}`);
    out.push('  mrs r0, APSR', `  str r0, save_${i}+60`,
      '  movw r1, #:lower16:undef_flag', '  movt r1, #:upper16:undef_flag', '  ldr r0, [r1]', `  str r0, save_${i}+64`, '  mov r0, #0', '  str r0, [r1]',
      `  b next_${i}`, `init_${i}: .word ${c.regs.map(hex).join(', ')}`, `flags_${i}: .word ${hex(c.apsr)}`, `save_${i}: .space 68`, `next_${i}:`);
  });
  cases.forEach((_, i) => {
    out.push('  mov r0, #1', `  movw r1, #:lower16:save_${i}`, `  movt r1, #:upper16:save_${i}`, '  mov r2, #68', '  mov r7, #4', '  svc 0');
  });
  out.push('  mov r0, #0', '  mov r7, #1', '  svc 0',
    // SIGILL: skip the instruction (2 or 4 bytes by state and first halfword), clear ITSTATE, flag it.
    'sigill:', '  ldr r3, [r2, #92]', '  ldr r12, [r2, #96]', '  tst r12, #0x20', '  addeq r3, r3, #4', '  beq 1f',
    '  ldrh r1, [r3]', '  and r1, r1, #0xf800', '  cmp r1, #0xe800', '  addhs r3, r3, #4', '  addlo r3, r3, #2',
    '1:', '  str r3, [r2, #92]', '  bic r12, r12, #0x06000000', '  bic r12, r12, #0xfc00', '  str r12, [r2, #96]',
    '  movw r1, #:lower16:undef_flag', '  movt r1, #:upper16:undef_flag', '  mov r3, #1', '  str r3, [r1]', '  bx lr',
    'restorer:', '  mov r7, #173', '  svc 0',
    '.align 2', 'undef_flag: .word 0',
    'sigact: .word sigill, 0x4c000004, restorer, 0, 0',
    'altstack_desc: .word altstack, 0, 65536',
    '.align 4', 'altstack: .space 65536');
  return out.join('\n') + '\n';
}

/** Runs cases under qemu-arm; returns per case { regs, apsr, undefined } or null if the run failed. */
function runQemu(cases, dir) {
  writeFileSync(join(dir, 'v.s'), asmFor(cases));
  writeFileSync(join(dir, 'v.ld'), 'ENTRY(_start)\nPHDRS { all PT_LOAD FLAGS(7); }\nSECTIONS { . = 0x40010000; .text : { *(.text) } :all }\n');
  execFileSync('arm-none-eabi-as', ['-mcpu=cortex-a15', '-o', join(dir, 'v.o'), join(dir, 'v.s')]);
  execFileSync('arm-none-eabi-ld', ['-T', join(dir, 'v.ld'), '-o', join(dir, 'v.elf'), join(dir, 'v.o')]);
  const syms = new Map();
  for (const line of execFileSync('arm-none-eabi-nm', [join(dir, 'v.elf')]).toString().split('\n')) {
    const m = /^([0-9a-f]+) \S (insn_\d+)$/.exec(line);
    if (m) syms.set(m[2], parseInt(m[1], 16));
  }
  cases.forEach((c, i) => { c.address = syms.get(`insn_${i}`); });
  const r = spawnSync('qemu-arm', ['-cpu', 'cortex-a15', join(dir, 'v.elf')], { maxBuffer: 1 << 26, timeout: 60000 });
  if (r.status !== 0 || r.stdout.length !== cases.length * 68) return null;
  return cases.map((_, i) => {
    const w = (k) => r.stdout.readUInt32LE(i * 68 + 4 * k);
    return { regs: Array.from({ length: 15 }, (_, k) => w(k)), apsr: (w(15) & 0xf80f0000) >>> 0, undefined: w(16) !== 0 };
  });
}

/** Runs in batches, splitting a failing batch to find the cases QEMU cannot run (reported). */
function runAll(cases, dir, failures) {
  if (cases.length === 0) return;
  const results = runQemu(cases, dir);
  if (results !== null) {
    cases.forEach((c, i) => { c.qemu = results[i]; });
    return;
  }
  if (cases.length === 1) {
    failures.push(cases[0]);
    return;
  }
  const half = cases.length >> 1;
  runAll(cases.slice(0, half), dir, failures);
  runAll(cases.slice(half), dir, failures);
}

// ---- Generate ----------------------------------------------------------------------------------

const cases = [];
function generate(list, isa) {
  for (const e of list) {
    let made = 0;
    for (let attempt = 0; made < perEncoding && attempt < perEncoding * 20; attempt++) {
      let word = ((rand() & ~e.mask) | e.value) >>> 0;
      let kind = isa;
      if (isa === 'a') {
        const cond = rand() % 4 === 0 ? rand() % 15 : 14;
        if (((e.mask >>> 28) & 0xf) === 0) word = ((word & 0x0fffffff) | (cond << 28)) >>> 0;
      } else if (isa === 't16') {
        word &= 0xffff;
        kind = rand() % 4 === 0 ? 'i' : 't';
      } else {
        kind = 't';
      }
      const c = makeCase(kind, word);
      if (!decodes(c)) continue;
      // Instructions that write the PC are left out (QEMU would run off); try a few addresses.
      if (![0x40010000, 0x40055554, 0x400aaaa8].every((a) => runPartita(c, a).fellThrough)) continue;
      cases.push(c);
      made++;
    }
  }
}
/** Whole data-processing regions of the encoding maps (A5.2, A5.4, A6.2, A6.3) for --space. */
const SPACES = [
  ['a', 0x0e000000, 0x02000000], ['a', 0x0e000010, 0x00000000], ['a', 0x0e000090, 0x00000010],
  ['a', 0x0f0000f0, 0x00000090], ['a', 0x0e000010, 0x06000010],
  ['t32', 0xfa008000, 0xf0000000], ['t32', 0xfa008000, 0xf2000000], ['t32', 0xfe000000, 0xea000000],
  ['t32', 0xff000000, 0xfa000000], ['t32', 0xff000000, 0xfb000000],
  ['t16', 0xc000, 0x0000], ['t16', 0xfc00, 0x4000], ['t16', 0xfc00, 0x4400], ['t16', 0xf000, 0xa000],
  ['t16', 0xff00, 0xb000], ['t16', 0xff00, 0xb200], ['t16', 0xff00, 0xba00],
];
generate(a32DataEncodings, 'a');
generate(t16DataEncodings, 't16');
generate(t32DataEncodings, 't32');
if (process.argv.includes('--space')) {
  for (const [isa, mask, value] of SPACES) {
    generate(Array.from({ length: 8 }, () => ({ mask, value })), isa);
    for (let k = 0; k < 8 * perEncoding; k++) {
      let word = ((rand() & ~mask) | value) >>> 0;
      if (isa === 'a') word = ((word & 0x0fffffff) | 0xe0000000) >>> 0;
      if (isa === 't16') word &= 0xffff;
      const c = makeCase(isa === 'a' ? 'a' : 't', word);
      if (!decodes(c)) cases.push(c);
    }
  }
}
// Also words from the same bit patterns that Partita takes as UNDEFINED, to compare UNDEF-ness.
for (const [list, isa] of [[a32DataEncodings, 'a'], [t32DataEncodings, 't']]) {
  for (const e of list) {
    for (let k = 0; k < 6; k++) {
      let word = ((rand() & ~e.mask) | e.value) >>> 0;
      if (isa === 'a' && ((e.mask >>> 28) & 0xf) === 0) word = ((word & 0x0fffffff) | 0xe0000000) >>> 0;
      const c = makeCase(isa, word);
      if (!decodes(c)) { cases.push(c); break; }
    }
  }
}

const dir = mkdtempSync(join(tmpdir(), 'qemu-vectors-'));
const failures = [];
for (let i = 0; i < cases.length; i += 400) runAll(cases.slice(i, i + 400), dir, failures);

let mismatches = 0;
const lines = [];
for (const c of cases) {
  if (!c.qemu) continue;
  const p = runPartita(c, c.address);
  const same = p.undefined === c.qemu.undefined &&
    (p.undefined || (p.apsr === c.qemu.apsr && p.regs.every((v, k) => v === c.qemu.regs[k])));
  const text = c.word > 0xffff || c.isa === 'a' ? c.word.toString(16).padStart(8, '0') : c.word.toString(16).padStart(4, '0');
  if (!same) {
    mismatches++;
    if (mismatches <= 40) {
      console.log(`MISMATCH ${c.isa} ${text} at ${c.address.toString(16)}`);
      console.log(`  in    ${c.regs.map((v) => v.toString(16)).join(' ')} apsr ${c.apsr.toString(16)}`);
      console.log(`  qemu  ${c.qemu.undefined ? 'UNDEF' : c.qemu.regs.map((v) => v.toString(16)).join(' ') + ' apsr ' + c.qemu.apsr.toString(16)}`);
      console.log(`  ours  ${p.undefined ? 'UNDEF' : p.regs.map((v) => v.toString(16)).join(' ') + ' apsr ' + p.apsr.toString(16)}`);
    }
  }
  // Only words of isa-data's own bit patterns are stored (executed ones: decoded by isa-data).
  const own = c.isa === 'a' ? a32DataEncodings : c.word > 0xffff ? t32DataEncodings : t16DataEncodings;
  const ctx = c.isa === 'i' ? CTX_IT : CTX;
  const matching = own.filter((e) => ((c.word & e.mask) ^ e.value) === 0);
  if (c.qemu.undefined ? matching.length === 0 : !matching.some((e) => e.build(c.word, ctx) !== null)) continue;
  const out = c.qemu.undefined ? 'undef'
    : [...c.qemu.regs.flatMap((v, k) => (v === c.regs[k] >>> 0 ? [] : [`r${k}=${v.toString(16)}`])), `apsr=${c.qemu.apsr.toString(16)}`].join(' ');
  lines.push(`'${c.isa} ${c.address.toString(16)} ${text} ${[...c.regs, c.apsr].map((v) => v.toString(16)).join(' ')} > ${out}'`);
}
for (const c of failures) console.log(`QEMU could not run: ${c.isa} ${c.word.toString(16)} (Partita ${runPartita(c, 0x40010000).undefined ? 'UNDEF' : 'executes'})`);
console.log(`${cases.length} cases, ${mismatches} mismatches, ${failures.length} QEMU failures`);

if (write) {
  const file = join(root, 'test/arch/arm/isa-data/qemu-vectors.ts');
  writeFileSync(file, [
    '// Generated by tools/qemu-vectors.mjs from qemu-arm -cpu cortex-a15 (QEMU 7.2): do not edit.',
    '// Each line: isa (a = A32, t = T32, i = T16 inside IT AL), address, instruction, r0-r14 and APSR',
    '// before, ">", then the registers that changed and APSR (NZCVQ, GE) after, or "undef".',
    'export const QEMU_VECTORS: readonly string[] = [',
    ...lines.map((l) => `  ${l},`),
    '];',
    '',
  ].join('\n'));
  console.log(`wrote ${file}`);
}
