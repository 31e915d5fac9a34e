import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { ImageError } from '../../src/board/elf-image.js';
import { parseFdt } from '../../src/board/fdt/fdt-reader.js';
import { propertyCells } from '../../src/board/fdt/fdt-tree.js';
import { parseZImage, planLinuxBoot } from '../../src/board/linux-boot.js';
import { VirtBoard } from '../../src/board/virt-board.js';
import { prepareLinuxBoot } from '../../src/board/virt-linux.js';
import { QEMU } from '../support/emulators.js';
import { fakeZImage } from '../support/device-tree.js';
import { runProcess } from '../../src/cli/host/run-process.js';

const MiB = 1 << 20;
/** mov r0, #0x18; movw r1, #0x26; movt r1, #2; svc 0x123456: semihosting SYS_EXIT(ApplicationExit). */
const EXIT_AT_ONCE = [0xe3a00018, 0xe3001026, 0xe3401002, 0xef123456];
const INITRD = new Uint8Array(5000).map((_, i) => (i * 7) & 0xff);

interface EntryState {
  readonly r0: number;
  readonly r1: number;
  readonly r2: number;
  readonly cpsr: number;
}

/** The registers QEMU shows on reaching the kernel entry (-d cpu, one instruction per block). */
async function qemuStateAtKernelEntry(ramMiB: number, initrd: Uint8Array | undefined): Promise<EntryState> {
  const dir = mkdtempSync(join(tmpdir(), 'partita-linux-boot-'));
  writeFileSync(join(dir, 'zImage'), fakeZImage(EXIT_AT_ONCE));
  const args = ['-M', 'virt', '-cpu', 'cortex-a15', '-m', String(ramMiB), '-nographic', '-semihosting', '-kernel', join(dir, 'zImage')];
  if (initrd !== undefined) {
    writeFileSync(join(dir, 'initrd'), initrd);
    args.push('-initrd', join(dir, 'initrd'));
  }
  args.push('-singlestep', '-d', 'cpu', '-D', join(dir, 'log'));
  const result = await runProcess(QEMU, args, { timeoutMs: 20_000 });
  assert.equal(result.status, 0, result.stderr.toString());
  const log = readFileSync(join(dir, 'log'), 'utf8');
  const lines = log.split('\n');
  const at = lines.findIndex((line) => line.includes('R15=40010000'));
  assert.ok(at >= 3, 'QEMU reached the kernel entry 0x40010000');
  const block = /R00=([0-9a-f]{8}) R01=([0-9a-f]{8}) R02=([0-9a-f]{8})/.exec(lines[at - 3]!);
  const psr = /PSR=([0-9a-f]{8})/.exec(lines[at + 1]!);
  assert.ok(block && psr, 'register dump format');
  const n = (i: number): number => parseInt(block[i]!, 16);
  return { r0: n(1), r1: n(2), r2: n(3), cpsr: parseInt(psr[1]!, 16) };
}

function partitaStateAtKernelEntry(ramMiB: number, initrd: Uint8Array | undefined): { state: EntryState; board: VirtBoard; dtbAddress: number } {
  const board = new VirtBoard({ ramBytes: ramMiB * MiB, uartOutput: () => {} });
  const boot = prepareLinuxBoot(ramMiB * MiB, { kernel: { name: 'zImage', data: fakeZImage(EXIT_AT_ONCE) }, initrd: initrd && { name: 'initrd', data: initrd } });
  boot.load(board.bus, board.cpu);
  assert.equal(board.cpu.pc, 0x40000000, 'starts at the boot stub at the RAM base, as QEMU');
  board.run(4);
  assert.equal(board.cpu.pc, 0x40010000, 'the stub jumps to the kernel at RAM base + 0x10000');
  const cpu = board.cpu;
  return { state: { r0: cpu.r[0]! >>> 0, r1: cpu.r[1]! >>> 0, r2: cpu.r[2]! >>> 0, cpsr: cpu.getCpsr() >>> 0 }, board, dtbAddress: boot.plan!.dtb.address };
}

for (const [ramMiB, initrd] of [[256, INITRD], [100, INITRD], [1024, INITRD], [256, undefined], [64, undefined]] as const) {
  test(`linux boot: ${ramMiB} MiB${initrd ? ' with a 5000-byte initrd' : ''}: kernel entry registers and mode match qemu-system-arm`, async () => {
    const reference = await qemuStateAtKernelEntry(ramMiB, initrd);
    const ours = partitaStateAtKernelEntry(ramMiB, initrd);
    // QEMU's CPSR at the entry: SVC mode, A/I/F masked (0x1d3), flags from the stub's last compare (none).
    assert.deepEqual({ ...ours.state, cpsr: ours.state.cpsr & 0x1ff }, { ...reference, cpsr: reference.cpsr & 0x1ff });
    assert.equal(ours.state.r1, 0xffffffff);
    assert.equal(ours.dtbAddress, reference.r2);
  });
}

test('linux boot: placement as QEMU measured: initrd at RAM + min(RAM/2, 128M), DTB after it on 4 KiB, /chosen names the initrd', () => {
  const { board } = partitaStateAtKernelEntry(256, INITRD);
  const ram = board.bus.ram;
  assert.deepEqual(ram.subarray(0x08000000, 0x08000000 + INITRD.length), INITRD);
  const dtb = ram.subarray(0x08002000, 0x08002000 + MiB);
  const chosen = parseFdt(dtb).root.find('/chosen')!;
  // qemu-system-arm -m 256 -initrd (5000 bytes) -machine dumpdtb: initrd-start 0x48000000, -end 0x48001388.
  assert.deepEqual(propertyCells(chosen.property('linux,initrd-start')!), [0x48000000]);
  assert.deepEqual(propertyCells(chosen.property('linux,initrd-end')!), [0x48001388]);
  assert.deepEqual(ram.subarray(0x10000, 0x10000 + 16), fakeZImage(EXIT_AT_ONCE).subarray(0, 16));
});

test('linux boot: the plan with Hyp start asks for Hyp mode (virtualization=on boards)', () => {
  const plan = planLinuxBoot({ ramBase: 0x40000000, ramBytes: 256 * MiB, kernel: parseZImage(fakeZImage([])), buildDtb: () => new Uint8Array(64), startInHyp: true });
  assert.equal(plan.startMode, 0x1a);
  assert.deepEqual(plan.registers, { r0: 0, r1: 0xffffffff, r2: 0x48000000 });
});

test('linux boot: a zImage header covering more than the file (Xen\'s, which counts its BSS) is the space the image takes', () => {
  const xenLike = fakeZImage([]).subarray(0, 0x800); // header end 0x1000
  assert.equal(parseZImage(xenLike, 'xen').imageSize, 0x1000);
  assert.equal(parseZImage(fakeZImage([], 0x2000), 'k').imageSize, 0x2000);
  const withDtb = new Uint8Array(0x3000);
  withDtb.set(fakeZImage([], 0x2000));
  assert.equal(parseZImage(withDtb, 'k').imageSize, 0x3000, 'an appended DTB is part of it');
  const plan = planLinuxBoot({ ramBase: 0x40000000, ramBytes: 16 * MiB, kernel: parseZImage(xenLike, 'xen'), buildDtb: () => new Uint8Array(64) });
  assert.equal(plan.kernel.data.length, 0x800, 'the file is loaded');
});

test('linux boot: unusable images give one-line errors', () => {
  const big = fakeZImage([], 3 * MiB);
  const plan = (kernel: Uint8Array, ramBytes: number, initrd?: Uint8Array) => () =>
    planLinuxBoot({ ramBase: 0x40000000, ramBytes, kernel: parseZImage(kernel, 'k'), kernelName: 'k', initrd, initrdName: 'i', buildDtb: () => new Uint8Array(MiB) });
  const cases: [() => unknown, RegExp][] = [
    [() => parseZImage(new Uint8Array(0x100), 'k'), /^k: not an ELF file or an ARM Linux zImage/],
    [() => parseZImage(new Uint8Array(8), 'k'), /^k: too short to be a zImage/],
    [plan(big, 2 * MiB), /^k: image of 3145728 bytes does not fit in 2097152 bytes of RAM/],
    [plan(fakeZImage([]), 16 * MiB, new Uint8Array(9 * MiB)), /^i: 9437184 bytes do not fit at 0x40800000 below the end of RAM \(0x41000000\)/],
    [plan(fakeZImage([]), 16 * MiB, new Uint8Array(7.5 * MiB)), /^not enough space for the device tree/],
    [plan(big, 4 * MiB), /^k: image ends at 0x40310000, past where the device tree goes \(0x40200000\)/],
  ];
  for (const [action, message] of cases) {
    assert.throws(action, (e: unknown) => e instanceof ImageError && message.test(e.message) && !e.message.includes('\n'), message.source);
  }
});
