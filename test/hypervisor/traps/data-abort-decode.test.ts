import assert from 'node:assert/strict';
import { test } from 'node:test';
import { a32Syndrome, t16Syndrome, t32Syndrome } from '../../../src/arch/arm/hyp/load-store-syndrome.js';
import type { Pl2Port } from '../../../src/arch/arm/hyp/pl2-port.js';
import { BlockMode } from '../../../src/arch/arm/isa-memory/semantics-multiple.js';
import { Access } from '../../../src/arch/arm/isa-memory/semantics-single.js';
import { Mode } from '../../../src/arch/arm/modes.js';
import { isT32Wide } from '../../../src/arch/arm/thumb-width.js';
import type { MmioDevice } from '../../../src/hw/mmio-device.js';
import { EmulatedDevices } from '../../../src/hypervisor/emulated-devices.js';
import { decodeA32, decodeT16, decodeT32, type MmioInstruction } from '../../../src/hypervisor/traps/mmio-instruction.js';
import { emulateLoadStore } from '../../../src/hypervisor/traps/mmio-load-store.js';
import { CODE_BASE, makeHarness } from '../../support/cpu-harness.js';

/**
 * The hypervisor's decoding of the loads and stores whose data abort has no syndrome
 * (traps/mmio-instruction.ts) and its performing of them (traps/mmio-load-store.ts), checked
 * against the processor itself: each encoding (assembled by arm-none-eabi-as, shown beside it)
 * runs once on the CPU with a recording device on its bus, and once through the hypervisor's path
 * with the same registers, the same device contents and HDFAR at the CPU's first access. Both
 * must make the same device accesses in the same order and leave the same registers, and the
 * hypervisor must return past the instruction. Every case is one the CPU gives no syndrome.
 */

const DEVICE = 0x09000000;
const CPSR_T = 1 << 5;
const CPSR_C = 1 << 29;

/** 4 KiB of bytes that log every access. */
class RecordingDevice implements MmioDevice {
  readonly name = 'recording device';
  readonly bytes = Uint8Array.from({ length: 0x1000 }, (_, i) => (i * 37 + 11) & 0xff);
  readonly log: string[] = [];

  read(offset: number, size: 1 | 2 | 4): number {
    let value = 0;
    for (let i = 0; i < size; i++) value |= this.bytes[offset + i]! << (8 * i);
    this.log.push(`read${size} ${offset.toString(16)}`);
    return value >>> 0;
  }

  write(offset: number, size: 1 | 2 | 4, value: number): void {
    for (let i = 0; i < size; i++) this.bytes[offset + i] = value >>> (8 * i);
    this.log.push(`write${size} ${offset.toString(16)}=${(value >>> 0).toString(16)}`);
  }
}

/** R0-R14 before each case: bases in the device page, small offsets in R1 and R3. */
function initialRegisters(overrides: Readonly<Record<number, number>> = {}): number[] {
  const r = Array.from({ length: 15 }, (_, n) => (0x1111 * n) | 0);
  r[0] = DEVICE + 0x100;
  r[1] = 8;
  r[3] = 4;
  r[9] = DEVICE + 0x200;
  r[13] = DEVICE + 0x300;
  r[14] = 0xeeee0000 | 0;
  for (const [n, v] of Object.entries(overrides)) r[Number(n)] = v | 0;
  return r;
}

interface Case {
  readonly asm: string;
  /** A32 word, or T32 halfwords. */
  readonly code: number | readonly number[];
  readonly registers?: Readonly<Record<number, number>>;
  readonly carry?: boolean;
}

function decode(c: Case): MmioInstruction | undefined {
  if (typeof c.code === 'number') return decodeA32(c.code);
  const [hw1, hw2] = c.code;
  return isT32Wide(hw1!) ? decodeT32((hw1! << 16) | hw2!) : decodeT16(hw1!);
}

function syndrome(c: Case): number {
  if (typeof c.code === 'number') return a32Syndrome(c.code);
  const [hw1, hw2] = c.code;
  return isT32Wide(hw1!) ? t32Syndrome(hw1!, hw2!) : t16Syndrome(hw1!);
}

/** The case on the CPU: its device log, registers and next PC. */
function onCpu(c: Case): { device: RecordingDevice; registers: number[]; pc: number } {
  const thumb = typeof c.code !== 'number';
  const h = makeHarness({ thumb });
  const device = new RecordingDevice();
  h.bus.map(DEVICE, 0x1000, device);
  if (thumb) h.writeHalfwords(CODE_BASE, c.code as readonly number[]);
  else h.writeWords(CODE_BASE, [c.code as number]);
  initialRegisters(c.registers).forEach((v, n) => { h.cpu.r[n] = v; });
  h.cpu.cf = c.carry === true ? 1 : 0;
  h.run(1);
  return { device, registers: Array.from(h.cpu.r.subarray(0, 15), (v) => v | 0), pc: h.cpu.pc };
}

/** The Hyp-mode view of a guest trapped at CODE_BASE with `registers`: what emulateLoadStore uses of a Pl2Port. */
function trappedGuest(registers: number[], thumb: boolean, carry: boolean, hdfar: number, faultIpa = hdfar): Pl2Port & { elr: number } {
  let elr = CODE_BASE;
  let spsr = Mode.Svc | (thumb ? CPSR_T : 0) | (carry ? CPSR_C : 0);
  const port = {
    hsr: 0,
    hdfar,
    faultIpa,
    get elr() { return elr; },
    set elr(v: number) { elr = v >>> 0; },
    get spsr() { return spsr >>> 0; },
    set spsr(v: number) { spsr = v; },
    guestRegister: (n: number) => registers[n]!,
    setGuestRegister: (n: number, v: number) => { registers[n] = v | 0; },
  };
  return port as unknown as Pl2Port & { elr: number };
}

function devicesWith(device: MmioDevice): EmulatedDevices {
  const devices = new EmulatedDevices();
  devices.add(DEVICE, 0x1000, device);
  return devices;
}

const A32_CASES: readonly Case[] = [
  { asm: 'str r1, [r0], #4', code: 0xe4801004 },
  { asm: 'ldr r2, [r0, #-4]!', code: 0xe5302004 },
  { asm: 'str r1, [r0, r3, lsl #2]!', code: 0xe7a01103 },
  { asm: 'ldr r2, [r0], -r3, lsl #2', code: 0xe6102103 },
  // RRX shifts APSR.C in: R3 RRX = 0x80000004, and the address wraps back into the page.
  { asm: 'ldr r2, [r0, r3, rrx]!', code: 0xe7b02063, registers: { 0: DEVICE + 0x80000100, 3: 8 }, carry: true },
  { asm: 'ldr r2, [r0], r3, lsr #1', code: 0xe69020a3 },
  { asm: 'ldrt r2, [r0], #4', code: 0xe4b02004 },
  { asm: 'strbt r1, [r0], #1', code: 0xe4e01001 },
  { asm: 'strb r1, [r0, #8]!', code: 0xe5e01008 },
  { asm: 'ldrb r2, [r0], #1', code: 0xe4d02001 },
  { asm: 'ldrsb r2, [r0, #-1]!', code: 0xe17020d1 },
  { asm: 'ldrsb r2, [r0], r3', code: 0xe09020d3 },
  { asm: 'ldrh r2, [r0], #2', code: 0xe0d020b2 },
  { asm: 'strh r1, [r0, #-2]!', code: 0xe16010b2 },
  { asm: 'ldrsh r2, [r0, -r3]!', code: 0xe13020f3 },
  { asm: 'ldrsht r2, [r0], #2', code: 0xe0f020f2 },
  { asm: 'ldrd r2, r3, [r0], #8', code: 0xe0c020d8 },
  { asm: 'strd r2, r3, [r0, #-8]!', code: 0xe16020f8 },
  { asm: 'ldrd r4, r5, [r0, r1]!', code: 0xe1a040d1 },
  { asm: 'ldrd r4, r5, [r0, #8]', code: 0xe1c040d8 },
  { asm: 'ldm r0!, {r1, r2, r3}', code: 0xe8b0000e },
  { asm: 'ldmdb r0!, {r4-r7}', code: 0xe93000f0 },
  { asm: 'ldmib r0, {r1, r2}', code: 0xe9900006 },
  { asm: 'ldmda r0!, {r1, r2}', code: 0xe8300006 },
  { asm: 'stmia r0!, {r1-r3}', code: 0xe8a0000e },
  { asm: 'stmdb r0, {r1, r2}', code: 0xe9000006 },
  { asm: 'stmib r0!, {r1, lr}', code: 0xe9a04002 },
  { asm: 'stmda r0, {r0, r1}', code: 0xe8000003 },
  { asm: 'ldm r0, {r0, r1}', code: 0xe8900003 },
  // UNPREDICTABLE, a loaded base with writeback (not assembled by gas): the CPU's choice holds.
  { asm: 'ldr r0, [r0], #4', code: 0xe4900004 },
  { asm: 'ldrd r0, r1, [r0], #8', code: 0xe0c000d8 },
];

const T32_CASES: readonly Case[] = [
  { asm: 'ldr.w r2, [r0], #4', code: [0xf850, 0x2b04] },
  { asm: 'ldr.w r2, [r0, #-4]!', code: [0xf850, 0x2d04] },
  { asm: 'str.w r1, [r0, #4]!', code: [0xf840, 0x1f04] },
  { asm: 'str.w r1, [r0], #-4', code: [0xf840, 0x1904] },
  { asm: 'strb.w r1, [r0, #8]!', code: [0xf800, 0x1f08] },
  { asm: 'ldrb.w r2, [r0], #1', code: [0xf810, 0x2b01] },
  { asm: 'ldrsb.w r2, [r0, #-1]!', code: [0xf910, 0x2d01] },
  { asm: 'ldrh.w r2, [r0], #2', code: [0xf830, 0x2b02] },
  { asm: 'strh.w r1, [r0, #-2]!', code: [0xf820, 0x1d02] },
  { asm: 'ldrsh.w r2, [r0, #2]!', code: [0xf930, 0x2f02] },
  { asm: 'ldrsb.w r2, [r0], #-3', code: [0xf910, 0x2903] },
  { asm: 'ldrd r2, r3, [r0], #8', code: [0xe8f0, 0x2302] },
  { asm: 'strd r2, r3, [r0, #-8]!', code: [0xe960, 0x2302] },
  { asm: 'ldrd r4, r5, [r0, #16]', code: [0xe9d0, 0x4504] },
  { asm: 'ldmia.w r0!, {r1, r2, r8}', code: [0xe8b0, 0x0106] },
  { asm: 'ldmdb r0!, {r1-r3}', code: [0xe930, 0x000e] },
  { asm: 'stmia.w r0!, {r1, r9}', code: [0xe8a0, 0x0202] },
  { asm: 'stmdb r0, {r1, r2}', code: [0xe900, 0x0006] },
  { asm: 'ldmia.w r9, {r6, r7}', code: [0xe899, 0x00c0] },
  { asm: 'ldmia r0!, {r1, r2}', code: [0xc806] },
  { asm: 'ldmia r0, {r0, r1}', code: [0xc803] },
  { asm: 'stmia r0!, {r1, r2, r3}', code: [0xc00e] },
  { asm: 'push {r1, r2, lr}', code: [0xb506] },
  { asm: 'pop {r1, r2}', code: [0xbc06] },
];

for (const c of [...A32_CASES, ...T32_CASES]) {
  const set = typeof c.code === 'number' ? 'A32' : 'T32';
  test(`data abort decode (${set}): ${c.asm} performed by the hypervisor as by the CPU`, () => {
    assert.equal(syndrome(c), 0, 'the CPU gives it no syndrome (ISV = 0)');
    const instruction = decode(c);
    assert.ok(instruction !== undefined, 'decoded');
    const cpu = onCpu(c);
    assert.ok(cpu.device.log.length > 0, 'the CPU accessed the device');
    const hdfar = DEVICE + Number.parseInt(cpu.device.log[0]!.split(' ')[1]!.split('=')[0]!, 16);

    const device = new RecordingDevice();
    const registers = initialRegisters(c.registers);
    const port = trappedGuest(registers, set === 'T32', c.carry === true, hdfar);
    assert.equal(emulateLoadStore(port, devicesWith(device), instruction), true);
    assert.deepEqual(device.log, cpu.device.log, 'the same accesses in the same order');
    assert.deepEqual(registers, cpu.registers, 'the same registers after it');
    assert.equal(port.elr, cpu.pc, 'returns past the instruction');
  });
}

test('data abort decode: the fields of a few forms (A8.8.204, A8.8.74, A8.8.59, LDM T1)', () => {
  assert.deepEqual(decodeA32(0xe4801004), {
    kind: 'single', name: 'STR (immediate) A1', length: 4, load: false, access: Access.Word, t: 1, n: 0,
    offset: { m: -1, type: 0, amount: 0, imm: 4 }, ix: { index: false, add: true, wback: true },
  });
  assert.deepEqual(decodeA32(0xe1a040d1), {
    kind: 'dual', name: 'LDRD (register) A1', length: 4, load: true, t: 4, t2: 5, n: 0,
    offset: { m: 1, type: 0, amount: 0, imm: 0 }, ix: { index: true, add: true, wback: true },
  });
  assert.deepEqual(decodeT32((0xe930 << 16) | 0x000e), {
    kind: 'block', name: 'LDMDB T1', length: 4, load: true, n: 0, registers: [1, 2, 3], mode: BlockMode.DB, wback: true,
  });
  assert.deepEqual(decodeT16(0xc803), {
    kind: 'block', name: 'LDM T1', length: 2, load: true, n: 0, registers: [0, 1], mode: BlockMode.IA, wback: false,
  });
});

const NOT_DECODED: readonly Case[] = [
  { asm: 'ldr pc, [r0], #4', code: 0xe490f004 },
  { asm: 'ldr r1, [pc, #4]!', code: 0xe5bf1004 },
  { asm: 'ldr r1, [r0], pc', code: 0xe690100f },
  { asm: 'str pc, [r0], #4', code: 0xe480f004 },
  { asm: 'ldrd r1, r2, [r0], #8 (odd Rt)', code: 0xe0c010d8 },
  { asm: 'ldm r0!, {r1, pc}', code: 0xe8b08002 },
  { asm: 'ldm r0, {r1, r2}^', code: 0xe8d00006 },
  { asm: 'ldrex r1, [r0]', code: 0xe1901f9f },
  { asm: 'swp r1, r2, [r0]', code: 0xe1001092 },
  { asm: 'vldr d0, [r0]', code: 0xed900b00 },
  { asm: 'vldmia r0!, {d0-d1}', code: 0xecb00b04 },
  { asm: 'pld [r0]', code: 0xf5d0f000 },
  { asm: 'add r0, r0, r1', code: 0xe0800001 },
  { asm: 'pop.w {r4, pc}', code: [0xe8bd, 0x8010] },
  { asm: 'ldrex r1, [r0]', code: [0xe850, 0x1f00] },
  { asm: 'ldr.w r1, [r0, #4] (has a syndrome)', code: [0xf8d0, 0x1004] },
  { asm: 'ldr.w r1, [r0, r2] (has a syndrome)', code: [0xf850, 0x1002] },
  { asm: 'ldr r1, [r0, #4] (has a syndrome)', code: [0x6841] },
  { asm: 'ldr.w pc, [r0], #4', code: [0xf850, 0xfb04] },
  { asm: 'srsdb sp!, #19', code: [0xe82d, 0xc013] },
  { asm: 'rfeia r0', code: [0xe990, 0xc000] },
  { asm: 'pop {r1, pc}', code: [0xbd02] },
  { asm: 'vldr d0, [r0]', code: [0xed90, 0x0b00] },
];

test('data abort decode: the PC, exclusives, banked and coprocessor forms are not decoded (NotDescribed)', () => {
  for (const c of NOT_DECODED) assert.equal(decode(c), undefined, c.asm);
});

test('data abort decode: an access outside the faulting page or the device, or none at HDFAR, is not performed', () => {
  const ldm = decodeA32(0xe8b0000e)!; // ldm r0!, {r1, r2, r3}
  const attempt = (base: number, hdfar: number, faultIpa = hdfar): { done: boolean; device: RecordingDevice; registers: number[] } => {
    const device = new RecordingDevice();
    const registers = initialRegisters({ 0: base });
    const done = emulateLoadStore(trappedGuest(registers, false, false, hdfar, faultIpa), devicesWith(device), ldm);
    return { done, device, registers };
  };
  // The first word in RAM before the device, the fault on the second: IPAs from HPFAR's page.
  const second = attempt(DEVICE + 0x10, DEVICE + 0x14);
  assert.equal(second.done, true);
  assert.deepEqual(second.device.log, ['read4 10', 'read4 14', 'read4 18']);
  assert.equal(second.registers[0], DEVICE + 0x1c);
  // Crossing into the next page.
  const crossing = attempt(DEVICE + 0xffc, DEVICE + 0xffc);
  assert.equal(crossing.done, false);
  // HDFAR is not one of the instruction's accesses (it changed since the abort).
  const elsewhere = attempt(DEVICE + 0x10, DEVICE + 0x40);
  assert.equal(elsewhere.done, false);
  // The page's IPA is not the device's.
  const noDevice = attempt(DEVICE + 0x10, DEVICE + 0x10, DEVICE + 0x10000);
  assert.equal(noDevice.done, false);
  for (const a of [crossing, elsewhere, noDevice]) {
    assert.deepEqual(a.device.log, [], 'no access made');
    assert.deepEqual(a.registers, initialRegisters({ 0: a === crossing ? DEVICE + 0xffc : DEVICE + 0x10 }), 'no register written');
  }
});
