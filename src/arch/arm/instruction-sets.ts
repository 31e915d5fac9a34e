import { conditionPassed } from './condition.js';
import { DecodeTable, OUTSIDE_IT, type DecodeContext, type Encoding, type Instr } from './decode-table.js';
import { a32DataEncodings, t16DataEncodings, t32DataEncodings } from './isa-data/index.js';
import { a32MemoryEncodings, t16MemoryEncodings, t32MemoryEncodings } from './isa-memory/index.js';
import { a32ControlEncodings, t16ControlEncodings, t32ControlEncodings, coprocessorEncodings } from './isa-control/index.js';
import { simdA32Encodings, simdCoprocessorEncodings, simdT32Encodings } from './simd/index.js';
import { vfpEncodings } from './vfp/index.js';
import { conditionalCall } from './semantics-call.js';

/**
 * The three instruction encodings of ARMv7-A — A32, 16-bit T32 and 32-bit T32 — assembled from
 * the areas that define them. Coprocessor-space encodings (VFP, MCR/MRC...) are written once in
 * A32 form with the condition field free; in T32 the same bits follow a 1110 prefix (A6.3.18).
 */

/** A32 encodings whose condition field is fixed to 0b1111 form the unconditional space (A5.7). */
function isUnconditional(e: Encoding): boolean {
  return ((e.mask >>> 28) & 0xf) === 0xf && ((e.value >>> 28) & 0xf) === 0xf;
}

/** Coprocessor-space encodings: conditional in A32, behind the 1110 prefix in T32. */
const coprocessorSpace: readonly Encoding[] = [...coprocessorEncodings, ...vfpEncodings, ...simdCoprocessorEncodings];

const a32All: readonly Encoding[] = [...a32DataEncodings, ...a32MemoryEncodings, ...a32ControlEncodings, ...coprocessorSpace, ...simdA32Encodings];

/** Coprocessor-space encodings as T32: the A32 condition nibble becomes the fixed 1110 prefix. */
function asT32(e: Encoding): Encoding {
  return { name: e.name, mask: e.mask | 0xf0000000, value: (e.value & 0x0fffffff) | 0xe0000000, build: e.build };
}

export const a32ConditionalTable = new DecodeTable('A32', a32All.filter((e) => !isUnconditional(e)), 20, 8);
export const a32UnconditionalTable = new DecodeTable('A32 unconditional', a32All.filter(isUnconditional), 20, 8);
export const t16Table = new DecodeTable('T16', [...t16DataEncodings, ...t16MemoryEncodings, ...t16ControlEncodings], 10, 6);
export const t32Table = new DecodeTable(
  'T32',
  [...t32DataEncodings, ...t32MemoryEncodings, ...t32ControlEncodings, ...coprocessorSpace.map(asT32), ...simdT32Encodings],
  20,
  7,
);

/** Runs `instr` only when its condition passes (A8.3). */
function conditional(cond: number, instr: Instr): Instr {
  return conditionalCall(cond, instr, (cpu) => {
    if (conditionPassed(cpu, cond)) instr(cpu);
  });
}

/** Takes the Undefined Instruction exception. */
export const undefinedInstruction: Instr = (cpu) => cpu.undefinedInstruction();

/**
 * Decodes an A32 word. An UNDEFINED word with a condition that fails does nothing, as in QEMU
 * (the ARM ARM leaves it UNPREDICTABLE, A8.3 "Conditional execution").
 */
export function decodeA32(word: number, ctx: DecodeContext): Instr {
  const cond = (word >>> 28) & 0xf;
  if (cond === 0xf) return a32UnconditionalTable.decode(word, ctx) ?? undefinedInstruction;
  const instr = a32ConditionalTable.decode(word, ctx) ?? undefinedInstruction;
  return cond === 0xe ? instr : conditional(cond, instr);
}


export function decodeT16(hw: number, ctx: DecodeContext): Instr | null {
  return t16Table.decode(hw, ctx);
}

export function decodeT32(word: number, ctx: DecodeContext): Instr | null {
  return t32Table.decode(word, ctx);
}

/**
 * Encodings after which a translated block ends: branches and other PC writers whose target is
 * elsewhere (B, BL, BLX, CBZ, TBB...), and instructions
 * that change processor or system state a following instruction may depend on (exception
 * generation and return, CPS/MSR/SETEND, coprocessor and VFP system register transfers,
 * barriers, WFI/WFE/SEV). Other PC writers (BX, LDM with the PC, MOV pc...) leave a block when
 * they branch, and the translator ends a block after one that always does (alwaysWritesPc).
 */
const BLOCK_ENDING = /^(B|BL|BLX|CBNZ|TBB|SVC|HVC|SMC|BKPT|UDF|HLT|ERET|RFE|SRS|CPS|SETEND|MSR|MRS|WFI|WFE|SEV|YIELD|ISB|DSB|MCR|MRC|MCRR|MRRC|CDP|LDC|VMSR|VMRS)\b/;

/** Whether a translated block must end after this A32 word (see BLOCK_ENDING); UNDEFINED words end it too. */
export function endsBlockA32(word: number): boolean {
  const table = ((word >>> 28) & 0xf) === 0xf ? a32UnconditionalTable : a32ConditionalTable;
  const name = table.encodingName(word, OUTSIDE_IT);
  return name === null || BLOCK_ENDING.test(name);
}

/** Whether a translated block must end after this Thumb instruction (`word` is (hw1 << 16) | hw2 for 32-bit ones). */
export function endsBlockThumb(word: number, wide: boolean): boolean {
  const name = wide ? t32Table.encodingName(word, OUTSIDE_IT) : t16Table.encodingName(word, OUTSIDE_IT);
  return name === null || BLOCK_ENDING.test(name);
}
