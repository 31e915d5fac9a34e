import type { Cpu } from '../cpu.js';
import type { Instr } from '../decode-table.js';
import { Mode, bankOf } from '../modes.js';
import { registerList, writeRegister } from './registers.js';
import { callingSource, Effects } from '../semantics-call.js';

/**
 * Load/store multiple (ARM ARM A8.8.57-60, A8.8.197-200, B9.3.5-6 LDM/STM (User registers),
 * B9.3.4 LDM (exception return)), SRS (B9.3.16) and RFE (B9.3.13), written once for A32 and T32.
 * Every word is loaded before any register is written, so an abort leaves the registers as they
 * were (the precise-abort rule of processor.md).
 */

/** Addressing mode of a block transfer, numbered (P << 1) | U as in the encodings. */
export const enum BlockMode {
  DA = 0,
  IA = 1,
  DB = 2,
  IB = 3,
}

/** Scratch for loaded words: instructions never nest, so one buffer serves every LDM. */
const loaded = new Int32Array(16);

/** Offset of the lowest address from the base, for `count` words. */
export function startOffset(mode: BlockMode, count: number): number {
  switch (mode) {
    case BlockMode.IA: return 0;
    case BlockMode.IB: return 4;
    case BlockMode.DA: return 4 - 4 * count;
    case BlockMode.DB: return -4 * count;
  }
}

/** Base writeback amount: +/- 4 * count. */
export function writebackOffset(mode: BlockMode, count: number): number {
  return (mode & 1) !== 0 ? 4 * count : -4 * count;
}

/** LDM/STM (User registers) and LDM (exception return) are UNDEFINED in Hyp mode; QEMU UNDEFs them in User mode. */
function bankedFormUndefined(cpu: Cpu): boolean {
  return cpu.mode === Mode.Usr || cpu.mode === Mode.Hyp;
}

function loadWords(cpu: Cpu, address: number, count: number): void {
  for (let i = 0; i < count; i++) loaded[i] = cpu.mem.load32Aligned(address + 4 * i);
}

/**
 * LDM/LDMIB/LDMDA/LDMDB/POP, as source (semantics-call.ts) with the base register and the list
 * in its shape. The base, when in the list (and so without writeback), gets its loaded value; a
 * loaded PC is written last with LoadWritePC (interworking).
 */
export function loadMultiple(n: number, list: number, mode: BlockMode, wback: boolean): Instr {
  const regs = registerList(list);
  const count = regs.length;
  const start = startOffset(mode, count);
  const loadsPc = (list & 0x8000) !== 0;
  const source = (): string => {
    const lines = [`const lm_base = r[${n}];`];
    regs.forEach((_, i) => lines.push(`const lm_${i} = cpu.mem.load32Aligned((lm_base + ${start + 4 * i}) | 0);`));
    regs.forEach((reg, i) => {
      if (reg !== n && reg !== 15) lines.push(`r[${reg}] = lm_${i};`);
    });
    if (wback) lines.push(`r[${n}] = (lm_base + ${writebackOffset(mode, count)}) | 0;`);
    if (regs.includes(n)) lines.push(`r[${n}] = lm_${regs.indexOf(n)};`);
    if (loadsPc) lines.push(`cpu.loadWritePc(lm_${count - 1});`);
    return lines.join('\n');
  };
  // A PC base (UNPREDICTABLE) writes R15 with writeback: not for a block's locals.
  const effects = n === 15 ? Effects.Any : loadsPc ? Effects.WritesPc : Effects.ReadsMemory;
  return callingSource(`ldm/${n}/${list}/${mode}/${wback}`, source, [], effects);
}

/** LDM (User registers), B9.3.6: loads R0-R14 of User mode; no writeback (QEMU UNDEFs W == 1). */
export function loadMultipleUser(n: number, list: number, mode: BlockMode): Instr {
  const regs = registerList(list);
  const count = regs.length;
  const start = startOffset(mode, count);
  return (cpu) => {
    if (bankedFormUndefined(cpu)) {
      cpu.undefinedInstruction();
      return;
    }
    loadWords(cpu, cpu.r[n]! + start, count);
    for (let i = 0; i < count; i++) cpu.writeRegisterOfMode(regs[i]!, Mode.Usr, loaded[i]!);
  };
}

/**
 * LDM (exception return), B9.3.5: loads the current mode's registers and the PC, writes back the
 * base, then restores CPSR from SPSR (the PC aligned for the restored state).
 */
export function loadMultipleExceptionReturn(n: number, list: number, mode: BlockMode, wback: boolean): Instr {
  const regs = registerList(list);
  const count = regs.length;
  const start = startOffset(mode, count);
  const step = writebackOffset(mode, count);
  const baseSlot = regs.indexOf(n);
  return (cpu) => {
    if (bankedFormUndefined(cpu)) {
      cpu.undefinedInstruction();
      return;
    }
    const base = cpu.r[n]!;
    loadWords(cpu, base + start, count);
    for (let i = 0; i < count - 1; i++) cpu.r[regs[i]!] = loaded[i]!;
    if (wback) cpu.r[n] = base + step;
    if (baseSlot >= 0) cpu.r[n] = loaded[baseSlot]!;
    cpu.exceptionReturn(loaded[count - 1]!, cpu.getSpsr());
  };
}

/**
 * STM/STMIB/STMDA/STMDB/PUSH and STM (User registers). Every register stores its value before the
 * instruction, the base included (QEMU's choice for the UNPREDICTABLE base-not-lowest case); the
 * PC stores PC+8 (A32) or PC+4 (T32). The plain forms are source (semantics-call.ts) with the
 * base register and the list in their shape.
 */
export function storeMultiple(n: number, list: number, mode: BlockMode, wback: boolean, user: boolean): Instr {
  const regs = registerList(list);
  const count = regs.length;
  const start = startOffset(mode, count);
  const step = writebackOffset(mode, count);
  if (user) {
    return (cpu) => {
      if (bankedFormUndefined(cpu)) {
        cpu.undefinedInstruction();
        return;
      }
      const base = cpu.r[n]!;
      const address = base + start;
      for (let i = 0; i < count; i++) {
        const r = regs[i]!;
        cpu.mem.store32Aligned(address + 4 * i, r === 15 ? cpu.r[15]! : cpu.readRegisterOfMode(r, Mode.Usr));
      }
      if (wback) cpu.r[n] = base + step;
    };
  }
  const source = (): string => {
    const lines = [`const sm_base = r[${n}];`];
    regs.forEach((reg, i) => lines.push(`cpu.mem.store32Aligned((sm_base + ${start + 4 * i}) | 0, r[${reg}]);`));
    if (wback) lines.push(`r[${n}] = (sm_base + ${step}) | 0;`);
    return lines.join('\n');
  };
  return callingSource(`stm/${n}/${list}/${mode}/${wback}`, source, [], n === 15 ? Effects.Any : Effects.WritesMemory);
}

/**
 * Whether SRS may name `mode` (B9.3.16): a mode that exists below Hyp. A Hyp target is always
 * UNDEFINED for us as in QEMU (from PL1 it is UNPREDICTABLE; in Hyp mode SRS is UNDEFINED).
 */
export function srsModeValid(mode: number): boolean {
  return mode !== Mode.Hyp && bankOf(mode) >= 0;
}

/**
 * SRS (B9.3.16): stores LR and SPSR of the current mode to the stack of `targetMode`. UNDEFINED in
 * Hyp mode; the UNPREDICTABLE User/System-mode cases and a Monitor target outside Monitor mode
 * UNDEF as in QEMU.
 */
export function storeReturnState(targetMode: number, mode: BlockMode, wback: boolean): Instr {
  const start = startOffset(mode, 2);
  const step = writebackOffset(mode, 2);
  return (cpu) => {
    const current = cpu.mode;
    if (current === Mode.Usr || current === Mode.Sys || current === Mode.Hyp || (targetMode === Mode.Mon && current !== Mode.Mon)) {
      cpu.undefinedInstruction();
      return;
    }
    const base = cpu.readRegisterOfMode(13, targetMode);
    const address = base + start;
    const lr = cpu.r[14]!;
    const spsr = cpu.getSpsr();
    cpu.mem.store32Aligned(address, lr);
    cpu.mem.store32Aligned(address + 4, spsr);
    if (wback) cpu.writeRegisterOfMode(13, targetMode, (base + step) | 0);
  };
}

/**
 * RFE (B9.3.13): loads PC and CPSR from memory and returns. UNDEFINED in Hyp mode; QEMU UNDEFs
 * it in User mode (UNPREDICTABLE).
 */
export function returnFromException(n: number, mode: BlockMode, wback: boolean): Instr {
  const start = startOffset(mode, 2);
  const step = writebackOffset(mode, 2);
  return (cpu) => {
    if (cpu.mode === Mode.Usr || cpu.mode === Mode.Hyp) {
      cpu.undefinedInstruction();
      return;
    }
    const base = cpu.r[n]!;
    const address = base + start;
    const pc = cpu.mem.load32Aligned(address);
    const cpsr = cpu.mem.load32Aligned(address + 4);
    if (wback) writeRegister(cpu, n, (base + step) | 0);
    cpu.exceptionReturn(pc, cpsr);
  };
}
