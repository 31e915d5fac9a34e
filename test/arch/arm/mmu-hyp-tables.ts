import assert from 'node:assert/strict';
import { GuestAbort } from '../../../src/arch/arm/guest-abort.js';
import { makeHarness, RAM_BASE, type Harness } from '../../support/cpu-harness.js';

/**
 * Helpers for the Hyp and stage 2 MMU tests: a processor with the Virtualization Extensions,
 * long-descriptor table entries written into its RAM, and the CP15 operations reached through
 * their register definitions (as MCR/MCRR would).
 */
export function makeHypHarness(): Harness {
  return makeHarness({ features: { hasEl2: true, hasEl3: false, hasNeon: false } });
}

export const AF = 1 << 10;

/** A stage 1 block (level 1-2) or page (level 3) descriptor's low word: output address, AttrIndx, AP[2:1], SH, AF. */
export function s1Leaf(pa: number, options: { page?: boolean; ap?: number; attrIndx?: number; sh?: number; af?: boolean } = {}): number {
  return (pa | ((options.attrIndx ?? 0) << 2) | ((options.ap ?? 1) << 6) | ((options.sh ?? 0) << 8)
    | (options.af === false ? 0 : AF) | (options.page ? 3 : 1)) >>> 0;
}

/** A stage 2 block or page descriptor's low word: output address, MemAttr, S2AP, SH, AF. */
export function s2Leaf(pa: number, options: { page?: boolean; s2ap?: number; memAttr?: number; sh?: number; af?: boolean } = {}): number {
  return (pa | ((options.memAttr ?? 0xf) << 2) | ((options.s2ap ?? 3) << 6) | ((options.sh ?? 0) << 8)
    | (options.af === false ? 0 : AF) | (options.page ? 3 : 1)) >>> 0;
}

/** A table descriptor to the next level. */
export function tableDescriptor(address: number): number {
  return (address | 3) >>> 0;
}

/** XN (bit 54) in a descriptor's high word. */
export const XN_HIGH = 1 << 22;

export function write64(h: Harness, address: number, low: number, high = 0): void {
  h.writeWords(address, [low, high]);
}

export function readWord(h: Harness, address: number): number {
  return new DataView(h.bus.ram.buffer).getUint32(address - RAM_BASE, true);
}

export function cp15Write(h: Harness, opc1: number, crn: number, crm: number, opc2: number, value: number): void {
  const reg = h.cpu.cp15.lookup(opc1, crn, crm, opc2);
  assert.ok(reg?.write, `CP15 ${opc1},c${crn},c${crm},${opc2} is writable`);
  reg.write(h.cpu.cp15, h.cpu, value);
}

export function cp15Write64(h: Harness, opc1: number, crm: number, low: number, high: number): void {
  const reg = h.cpu.cp15.lookup64(opc1, crm);
  assert.ok(reg?.write, `CP15 64-bit ${opc1},c${crm} is writable`);
  reg.write(h.cpu.cp15, h.cpu, low, high);
}

export function writeHttbr(h: Harness, base: number): void {
  cp15Write64(h, 4, 2, base, 0);
}

export function writeHtcr(h: Harness, value: number): void {
  cp15Write(h, 4, 2, 0, 2, value);
}

export function writeVttbr(h: Harness, base: number, vmid: number): void {
  cp15Write64(h, 6, 2, base, vmid << 16);
}

export function writeVtcr(h: Harness, value: number): void {
  cp15Write(h, 4, 2, 1, 2, value);
}

/** HCR and HSCTLR are the Hyp core's registers; their writes call translationControlChanged (the contract). */
export function setHcr(h: Harness, value: number): void {
  h.cpu.cp15.hcr = value;
  h.cpu.cp15.translationControlChanged();
}

export function setHsctlr(h: Harness, value: number): void {
  h.cpu.cp15.hsctlr = value;
  h.cpu.cp15.translationControlChanged();
}

/** The GuestAbort `action` throws. */
export function abortOf(action: () => unknown): GuestAbort {
  try {
    action();
  } catch (e) {
    if (e instanceof GuestAbort) return e;
    throw e;
  }
  assert.fail('expected a GuestAbort');
}

/** PAR as a 64-bit value split: [low, high]. */
export function par(h: Harness): [number, number] {
  return [h.cpu.cp15.par >>> 0, h.cpu.cp15.parHigh >>> 0];
}
