import { pattern, type DecodeContext, type Encoding, type Instr } from '../decode-table.js';
import { callingSemantics } from '../semantics-call.js';
import { branchExchange, conditionalBranch, branchLinkExchange, branchRelative, compareAndBranch } from './semantics-branch.js';
import {
  SEMIHOSTING_HLT_T16, SEMIHOSTING_SVC_T16, breakpoint, halt, permanentlyUndefined, supervisorCall,
} from './semantics-exception.js';
import { ifThen, noOperation, sendEvent, waitForEvent, waitForInterrupt } from './semantics-hint.js';
import { changeProcessorState, setEndianness } from './semantics-status.js';

/**
 * 16-bit T32 encodings of the branch, exception-generating, hint, IT, CPS and SETEND
 * instructions (ARM ARM A6.2.5 "Miscellaneous 16-bit instructions", A6.2.6 conditional branch
 * and supervisor call, A6.2.3 special data and branch and exchange).
 */

function enc(name: string, bits: string, build: (hw: number, ctx: DecodeContext) => Instr | null): Encoding {
  return { name, ...pattern(bits), build };
}

export const t16ControlEncodings: readonly Encoding[] = [
  // B<c> T1: the condition is in the encoding; 1110 is UDF and 1111 SVC. Inside an IT block it is
  // UNPREDICTABLE: UNDEFINED, as QEMU's trans_B_cond_thumb.
  enc('B T1', '1101_cccc_iiii_iiii', (hw, ctx) => {
    const cond = (hw >>> 8) & 0xf;
    if (cond >= 0xe || ctx.inItBlock) return null;
    const imm32 = ((hw & 0xff) << 24) >> 23;
    return conditionalBranch(cond, imm32);
  }),
  enc('B T2', '1110_0iii_iiii_iiii', (hw) => {
    const imm32 = ((hw & 0x7ff) << 21) >> 20;
    return branchRelative(imm32);
  }),
  enc('BX T1', '0100_0111_0mmm_m000', (hw) => {
    const m = (hw >>> 3) & 0xf;
    return branchExchange(m);
  }),
  enc('BLX (register) T1', '0100_0111_1mmm_m000', (hw) => {
    // m = 15 is UNPREDICTABLE; QEMU branches to Align(PC) in ARM state, and so do we.
    const m = (hw >>> 3) & 0xf;
    return callingSemantics(branchLinkExchange, m);
  }),
  enc('CBNZ, CBZ T1', '1011_o0i1_iiii_innn', (hw) => {
    const n = hw & 7;
    const nonZero = (hw & 0x800) !== 0;
    const imm32 = (((hw >>> 9) & 1) << 6) | (((hw >>> 3) & 0x1f) << 1);
    return compareAndBranch(n, nonZero, imm32);
  }),

  // IT and hints share 1011 1111: mask 0000 selects a hint (A6.2.5).
  enc('IT T1', '1011_1111_cccc_mmmm', (hw) => {
    if ((hw & 0xf) === 0) return null;
    const firstCondAndMask = hw & 0xff;
    return callingSemantics(ifThen, firstCondAndMask);
  }),
  enc('NOP T1', '1011_1111_0000_0000', () => noOperation()),
  enc('YIELD T1', '1011_1111_0001_0000', () => noOperation()),
  enc('WFE T1', '1011_1111_0010_0000', () => waitForEvent),
  enc('WFI T1', '1011_1111_0011_0000', () => waitForInterrupt),
  enc('SEV T1', '1011_1111_0100_0000', () => sendEvent),
  enc('Hint (reserved) T1', '1011_1111_xxxx_0000', () => noOperation()),

  enc('CPS T1', '1011_0110_011m_0aif', (hw) => {
    const imod = 2 | ((hw >>> 4) & 1);
    const aif = hw & 7;
    return callingSemantics(changeProcessorState, imod, false, aif, 0);
  }),
  enc('SETEND T1', '1011_0110_0101_e000', (hw) => {
    const e = (hw >>> 3) & 1;
    return callingSemantics(setEndianness, e);
  }),

  enc('SVC T1', '1101_1111_iiii_iiii', (hw) => {
    const semihosting = (hw & 0xff) === SEMIHOSTING_SVC_T16;
    return callingSemantics(supervisorCall, hw & 0xff, semihosting);
  }),
  enc('UDF T1', '1101_1110_iiii_iiii', () => permanentlyUndefined),
  enc('BKPT T1', '1011_1110_iiii_iiii', () => breakpoint),
  enc('HLT T1', '1011_1010_10ii_iiii', (hw) => {
    const semihosting = (hw & 0x3f) === SEMIHOSTING_HLT_T16;
    return callingSemantics(halt, semihosting);
  }),
];
