import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { VirtBoard } from '../../src/board/virt-board.js';
import { PSCI_FN, PSCI_RET, PsciFirmware, psciCallHandler, SingleCpuPsciPlatform, type PsciPlatform } from '../../src/board/psci.js';
import { fakeZImage } from '../support/device-tree.js';
import { CODE_BASE, makeHarness } from '../support/cpu-harness.js';
import { partitaCli, QEMU } from '../support/emulators.js';
import { runProcess } from '../../src/cli/host/run-process.js';

const HVC_0 = 0xe1400070;
const movw = (rd: number, imm: number): number => 0xe3000000 | ((imm >>> 12) << 16) | (rd << 12) | (imm & 0xfff);
const movt = (rd: number, imm: number): number => 0xe3400000 | ((imm >>> 12) << 16) | (rd << 12) | (imm & 0xfff);
const load = (rd: number, value: number): number[] => [movw(rd, value & 0xffff), movt(rd, value >>> 16)];

function harnessWithPsci(platform: PsciPlatform = new SingleCpuPsciPlatform()) {
  const h = makeHarness();
  h.cpu.firmwareCall = psciCallHandler(new PsciFirmware(platform));
  return h;
}

/** Runs one HVC with r0-r3 = args; returns r0 afterwards. */
function call(args: readonly number[], platform?: PsciPlatform): { r0: number; pc: number; mode: number } {
  const h = harnessWithPsci(platform);
  h.writeWords(CODE_BASE, [...args.flatMap((a, i) => load(i, a)), HVC_0]);
  h.run(2 * args.length + 1);
  return { r0: h.cpu.r[0]! | 0, pc: h.cpu.pc >>> 0, mode: h.cpu.mode };
}

/**
 * Calls and results measured under qemu-system-arm 7.2 -M virt -cpu cortex-a15 (-smp 1), with
 * the same program run there (-d cpu), and checked live by the differential test below.
 */
const QEMU_RESULTS: [string, number[], number][] = [
  ['PSCI_VERSION is 1.1', [PSCI_FN.version], 0x00010001],
  ['MIGRATE_INFO_TYPE: no trusted OS to migrate', [PSCI_FN.migrateInfoType], 2],
  ['PSCI_FEATURES(CPU_ON): implemented', [PSCI_FN.features, PSCI_FN.cpuOn], 0],
  ['PSCI_FEATURES(MIGRATE): not supported', [PSCI_FN.features, PSCI_FN.migrate], -1],
  ['AFFINITY_INFO(cpu 0, level 0): on', [PSCI_FN.affinityInfo, 0, 0], 0],
  ['AFFINITY_INFO(cpu 1, level 0): no such cpu', [PSCI_FN.affinityInfo, 1, 0], -2],
  ['CPU_ON(cpu 1) with one cpu: invalid parameters', [PSCI_FN.cpuOn, 1, 0x40010000, 0], -2],
  ['CPU_ON(cpu 0, itself): already on', [PSCI_FN.cpuOn, 0, 0x40010000, 0], -4],
  ['unknown function 0x12345678: NOT_SUPPORTED', [0x12345678], -1],
  ['SMC64 CPU_ON from AArch32: NOT_SUPPORTED', [0xc4000003, 1, 0, 0], -1],
];

for (const [what, args, expected] of QEMU_RESULTS) {
  test(`psci: ${what} (as QEMU 7.2)`, () => {
    const result = call(args);
    assert.equal(result.r0, expected);
    assert.equal(result.pc, CODE_BASE + 4 * (2 * args.length + 1), 'continues after the HVC, no exception');
    assert.equal(result.mode, 0x13, 'still in SVC mode');
  });
}

test('psci: without firmware, HVC on a processor without EL2 is UNDEFINED (Undefined mode, vector 0x04)', () => {
  const h = makeHarness();
  h.writeWords(CODE_BASE, [HVC_0]);
  h.run(1);
  assert.equal(h.cpu.mode, 0x1b);
  assert.equal(h.cpu.pc >>> 0, 0x4);
});

test('psci: HVC from User mode stays UNDEFINED even with firmware installed (QEMU: unallocated at PL0)', () => {
  const h = harnessWithPsci();
  h.cpu.setMode(0x10);
  h.writeWords(CODE_BASE, [HVC_0]);
  h.run(1);
  assert.equal(h.cpu.mode, 0x1b);
});

test('psci: SYSTEM_OFF stops the machine at once: the run ends and the call never returns', () => {
  const platform = new SingleCpuPsciPlatform();
  const h = harnessWithPsci(platform);
  h.writeWords(CODE_BASE, [...load(0, PSCI_FN.systemOff), HVC_0, 0xe3a00005]);
  h.run(10);
  assert.equal(h.cpu.stopRequested, 1);
  assert.equal(h.cpu.instructionCount, 3, 'nothing runs after the HVC');
  assert.equal(platform.event, 'off');
  assert.equal(platform.poweredOff, true);
  assert.equal(h.cpu.waitingForInterrupt, true);
  assert.equal(h.cpu.r[0]! >>> 0, PSCI_FN.systemOff, 'r0 untouched: the call does not return');
});

test('psci: SYSTEM_RESET and CPU_OFF power the caller off; AFFINITY_INFO then reports it off', () => {
  const reset = new SingleCpuPsciPlatform();
  call([PSCI_FN.systemReset], reset);
  assert.equal(reset.event, 'reset');
  const off = new SingleCpuPsciPlatform();
  call([PSCI_FN.cpuOff], off);
  assert.equal(off.event, 'cpu-off');
  assert.equal(off.poweredOff, true);
  assert.equal(new PsciFirmware(off).handle(makeHarness().cpu, PSCI_FN.affinityInfo, 0, 0, 0), 1);
});

test('psci: CPU_ON reaches an SMP platform with the entry point and context id', () => {
  const calls: number[][] = [];
  const platform: PsciPlatform = {
    processors: () => [{ affinity: 0, powerState: 0 }, { affinity: 1, powerState: 1 }],
    powerOn: (target, entry, context) => (calls.push([target.affinity, entry, context]), PSCI_RET.success),
    powerOff: () => {},
    suspend: () => {},
    systemOff: () => {},
    systemReset: () => {},
  };
  assert.equal(call([PSCI_FN.cpuOn, 1, 0x40020001, 0x1234], platform).r0, 0);
  assert.deepEqual(calls, [[1, 0x40020001, 0x1234]]);
});

/**
 * A zImage that makes one HVC with r0-r3 from its literal pool and exits through semihosting
 * SYS_EXIT_EXTENDED with the low byte of the result as the exit status.
 */
function psciProbe(args: readonly number[]): Uint8Array {
  const [a0 = 0, a1 = 0, a2 = 0, a3 = 0] = args;
  return fakeZImage([
    0xe59f0024, 0xe59f1024, 0xe59f2024, 0xe59f3024, // ldr r0-r3, literals
    HVC_0,
    0xe20000ff, // and r0, r0, #0xff
    0xe58f0020, // str r0, subcode
    0xe3a00020, // mov r0, #0x20 (SYS_EXIT_EXTENDED)
    0xe28f1014, // add r1, pc, #0x14 (parameter block)
    0xef123456, // svc 0x123456
    0xeafffffe, // b .
    a0, a1, a2, a3,
    0x20026, 0, // ADP_Stopped_ApplicationExit, subcode
  ]);
}

test('psci differential: each call gives the same result under qemu-system-arm and partita run (zImage on the HVC conduit)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'partita-psci-'));
  const cases: [string, number[]][] = [...QEMU_RESULTS.map(([what, args]) => [what, args] as [string, number[]]), ['SYSTEM_OFF', [PSCI_FN.systemOff]]];
  for (const [i, [what, args]] of cases.entries()) {
    const image = join(dir, `probe${i}`);
    writeFileSync(image, psciProbe(args));
    const [qemu, ours] = await Promise.all([
      runProcess(QEMU, ['-M', 'virt', '-cpu', 'cortex-a15', '-m', '128', '-nographic', '-semihosting', '-kernel', image], { timeoutMs: 20_000 }),
      runProcess(process.execPath, [partitaCli(), 'run', '--kernel', image, '--semihosting', '-m', '128', '--max-insns', '100000'], { timeoutMs: 20_000 }),
    ]);
    assert.equal(ours.status, qemu.status, `${what}: partita ${ours.status} (${ours.stderr.toString().trim()}), qemu ${qemu.status}`);
    const expected = QEMU_RESULTS.find(([name]) => name === what)?.[2];
    if (expected !== undefined) assert.equal(qemu.status, expected & 0xff, `${what}: QEMU's result`);
    else assert.equal(qemu.status, 0, 'SYSTEM_OFF: QEMU exits with status 0');
    if (expected === undefined) assert.equal(ours.stderr.toString(), '', 'SYSTEM_OFF: a quiet exit, as QEMU');
  }
});

test('psci via partita run: SYSTEM_RESET boots the images again (as QEMU) until --max-insns; CPU_OFF of the only processor ends the run', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'partita-psci-'));
  const cases: [number, number, RegExp][] = [
    [PSCI_FN.systemReset, 124, /^partita: 300 instructions in .*\npartita: peak host memory \d+ MiB \(resident\)\npartita: stopped after 300 instructions \(--max-insns\)\n$/],
    [PSCI_FN.cpuOff, 1, /^partita: every processor powered itself off \(PSCI CPU_OFF\); nothing can power one on\n$/],
  ];
  for (const [fn, status, message] of cases) {
    const image = join(dir, `probe-${fn.toString(16)}`);
    writeFileSync(image, psciProbe([fn]));
    const args = ['run', '--kernel', image, '--semihosting', '-m', '16', '--max-insns', '300', ...(fn === PSCI_FN.systemReset ? ['--stats'] : [])];
    const ours = await runProcess(process.execPath, [partitaCli(), ...args], { timeoutMs: 20_000 });
    assert.equal(ours.status, status);
    assert.match(ours.stderr.toString(), message);
  }
});

test('virt board: PSCI SYSTEM_OFF ends VirtBoard.run with a power stop reason', () => {
  const board = new VirtBoard({ ramBytes: 1 << 20, uartOutput: () => {} });
  [...load(0, PSCI_FN.systemOff), HVC_0, 0xeafffffe].forEach((w, i) => board.bus.write(CODE_BASE + 4 * i, 4, w));
  board.cpu.pc = CODE_BASE;
  assert.deepEqual(board.run(1000), { kind: 'power', event: 'off' });
  assert.equal(board.cpu.instructionCount, 3);
});
