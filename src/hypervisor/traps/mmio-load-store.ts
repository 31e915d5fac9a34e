import { shift } from '../../arch/arm/alu.js';
import type { Pl2Port } from '../../arch/arm/hyp/pl2-port.js';
import { startOffset, writebackOffset } from '../../arch/arm/isa-memory/semantics-multiple.js';
import { Access, type Indexing, type Offset } from '../../arch/arm/isa-memory/semantics-single.js';
import type { EmulatedDevices } from '../emulated-devices.js';
import { skipTrappedInstruction } from '../guest-exceptions.js';
import { readDevice, writeDevice } from './device-access.js';
import type { MmioInstruction } from './mmio-instruction.js';

const PAGE_MASK = 0xfff;
/** APSR.C in SPSR_hyp, the carry-in of an RRX offset (A8.4.3). */
const CPSR_C_SHIFT = 29;
/** Bytes of each Access. */
const ACCESS_SIZE: readonly (1 | 2 | 4)[] = [4, 1, 2, 1, 2];

/**
 * Performs a decoded load or store (mmio-instruction.ts) against the VM's emulated devices, as
 * the instruction's pseudocode does (A8.8): addresses from the guest's registers before it, every
 * access, then the base writeback and the loaded registers, then the return past it. Each access
 * must fall in the page of the one that faulted (HDFAR; its IPA from HPFAR) and in a device, and
 * one of them must be the faulting one: otherwise nothing is done and it returns false. Where the
 * base is also a loaded register (UNPREDICTABLE) the registers are written in the CPU's order
 * (isa-memory/semantics-*.ts): a single load or LDM writes the base first, LDRD last.
 */
export function emulateLoadStore(port: Pl2Port, devices: EmulatedDevices, instruction: MmioInstruction): boolean {
  const base = port.guestRegister(instruction.n) >>> 0;
  let address: number;
  let writeback: number | undefined;
  let registers: readonly number[];
  let size: 1 | 2 | 4 = 4;
  let signed = false;
  if (instruction.kind === 'block') {
    registers = instruction.registers;
    address = (base + startOffset(instruction.mode, registers.length)) >>> 0;
    if (instruction.wback) writeback = (base + writebackOffset(instruction.mode, registers.length)) >>> 0;
  } else {
    const [offsetAddress, wback] = offsetAddressing(port, base, instruction.offset, instruction.ix);
    address = instruction.ix.index ? offsetAddress : base;
    if (wback) writeback = offsetAddress;
    if (instruction.kind === 'single') {
      registers = [instruction.t];
      size = ACCESS_SIZE[instruction.access]!;
      signed = instruction.access === Access.SignedByte || instruction.access === Access.SignedHalf;
    } else {
      registers = [instruction.t, instruction.t2];
    }
  }

  const hdfar = port.hdfar >>> 0;
  const pageIpa = port.faultIpa - (hdfar & PAGE_MASK);
  const windows = [];
  let faultingAccess = false;
  for (let i = 0; i < registers.length; i++) {
    const va = (address + size * i) >>> 0;
    if ((va & ~PAGE_MASK) !== (hdfar & ~PAGE_MASK)) return false;
    const ipa = pageIpa + (va & PAGE_MASK);
    const window = devices.find(ipa, size);
    if (window === undefined) return false;
    windows.push({ device: window.device, offset: ipa - window.base });
    if (va === hdfar) faultingAccess = true;
  }
  if (!faultingAccess) return false;

  if (!instruction.load) {
    windows.forEach((w, i) => writeDevice(w.device, w.offset, size, port.guestRegister(registers[i]!)));
    if (writeback !== undefined) port.setGuestRegister(instruction.n, writeback);
  } else {
    const values = windows.map((w) => readDevice(w.device, w.offset, size, signed));
    const baseLast = instruction.kind === 'dual';
    if (writeback !== undefined && !baseLast) port.setGuestRegister(instruction.n, writeback);
    registers.forEach((r, i) => port.setGuestRegister(r, values[i]!));
    if (writeback !== undefined && baseLast) port.setGuestRegister(instruction.n, writeback);
  }
  skipTrappedInstruction(port, instruction.length);
  return true;
}

/** offset_addr = R[n] +/- offset (an immediate, or Shift(R[m], type, amount, APSR.C)), and whether it is written back. */
function offsetAddressing(port: Pl2Port, base: number, offset: Offset, ix: Indexing): [offsetAddress: number, wback: boolean] {
  const carry = (port.spsr >>> CPSR_C_SHIFT) & 1;
  const o = offset.m < 0 ? offset.imm : shift(port.guestRegister(offset.m), offset.type, offset.amount, carry);
  return [((ix.add ? base + o : base - o) >>> 0), ix.wback];
}
