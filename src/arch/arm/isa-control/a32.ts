import { pattern, type Encoding, type Instr } from '../decode-table.js';
import { callingSemantics } from '../semantics-call.js';
import { branchExchange, branchLinkExchange, branchLinkExchangeImmediate, branchRelative, branchWithLink } from './semantics-branch.js';
import {
  SEMIHOSTING_HLT_A32, SEMIHOSTING_SVC_A32, breakpoint, exceptionReturn, halt, hypervisorCall,
  permanentlyUndefined, secureMonitorCall, supervisorCall,
} from './semantics-exception.js';
import { noOperation, sendEvent, waitForEvent, waitForInterrupt } from './semantics-hint.js';
import {
  changeProcessorState, decodeBankedRegister, mrsBanked, mrsCpsr, mrsSpsr, msrBanked, msrCpsr, msrSpsr,
  setEndianness,
} from './semantics-status.js';

/**
 * A32 encodings of the branch, status register, exception-generating, hint and barrier
 * instructions (ARM ARM A5.2.12 "Miscellaneous instructions", A5.2.11 hints, A5.5 branches,
 * A5.7 unconditional). Bits [31:28] are the condition, applied by instruction-sets.ts, except in
 * the unconditional space (1111). Fixed "should be" bits are matched as QEMU's a32.decode does.
 */

function enc(name: string, bits: string, build: (word: number) => Instr | null): Encoding {
  return { name, ...pattern(bits), build };
}

/** The byte mask <fields> of MSR: bits [19:16] = f s x c. */
const msrMask = (w: number): number => (w >>> 16) & 0xf;
/** SYSm of the banked forms: M:M1 = bit 8 : bits [19:16]. */
const bankedSysm = (w: number): number => ((w >>> 4) & 0x10) | ((w >>> 16) & 0xf);

export const a32ControlEncodings: readonly Encoding[] = [
  // ---- Branches (A5.5, A8.8.18, A8.8.25-28) ----
  enc('B A1', 'cccc_1010_iiii_iiii_iiii_iiii_iiii_iiii', (w) => {
    const imm32 = (w << 8) >> 6;
    return branchRelative(imm32);
  }),
  enc('BL, BLX (immediate) A1', 'cccc_1011_iiii_iiii_iiii_iiii_iiii_iiii', (w) => {
    const imm32 = (w << 8) >> 6;
    return branchWithLink(imm32, false);
  }),
  enc('BL, BLX (immediate) A2', '1111_101h_iiii_iiii_iiii_iiii_iiii_iiii', (w) => {
    const imm32 = ((w << 8) >> 6) | ((w >>> 23) & 2);
    return callingSemantics(branchLinkExchangeImmediate, imm32, 1);
  }),
  enc('BX A1', 'cccc_0001_0010_1111_1111_1111_0001_mmmm', (w) => {
    const m = w & 0xf;
    return branchExchange(m);
  }),
  // No Jazelle: BXJ behaves as BX (A8.8.28, QEMU trans_BXJ).
  enc('BXJ A1', 'cccc_0001_0010_1111_1111_1111_0010_mmmm', (w) => {
    const m = w & 0xf;
    return branchExchange(m);
  }),
  enc('BLX (register) A1', 'cccc_0001_0010_1111_1111_1111_0011_mmmm', (w) => {
    const m = w & 0xf;
    if (m === 15) return null; // UNPREDICTABLE
    return callingSemantics(branchLinkExchange, m);
  }),

  // ---- Status registers (B9.3.8-12) ----
  enc('MRS A1', 'cccc_0001_0r00_1111_dddd_0000_0000_0000', (w) => {
    const d = (w >>> 12) & 0xf;
    if (d === 15) return null; // UNPREDICTABLE
    return w & (1 << 22) ? callingSemantics(mrsSpsr, d) : callingSemantics(mrsCpsr, d);
  }),
  enc('MRS (Banked register) A1', 'cccc_0001_0r00_mmmm_dddd_001m_0000_0000', (w) => {
    const d = (w >>> 12) & 0xf;
    const target = decodeBankedRegister((w >>> 22) & 1, bankedSysm(w));
    if (d === 15 || target < 0) return null;
    return callingSemantics(mrsBanked, d, target);
  }),
  enc('MSR (register) A1', 'cccc_0001_0r10_mmmm_1111_0000_0000_nnnn', (w) => {
    const n = w & 0xf;
    const mask = msrMask(w);
    if (n === 15) return null; // UNPREDICTABLE
    return w & (1 << 22) ? (cpu) => msrSpsr(cpu, cpu.r[n]!, mask) : (cpu) => msrCpsr(cpu, cpu.r[n]!, mask);
  }),
  enc('MSR (Banked register) A1', 'cccc_0001_0r10_mmmm_1111_001m_0000_nnnn', (w) => {
    const n = w & 0xf;
    const target = decodeBankedRegister((w >>> 22) & 1, bankedSysm(w));
    if (n === 15 || target < 0) return null;
    return callingSemantics(msrBanked, n, target);
  }),
  // MSR (immediate) with R = 0 and mask = 0 is the hint space, which is more specific.
  enc('MSR (immediate) A1', 'cccc_0011_0r10_mmmm_1111_rrrr_iiii_iiii', (w) => {
    const rot = ((w >>> 8) & 0xf) * 2;
    const imm32 = ((w & 0xff) >>> rot) | ((w & 0xff) << (32 - rot));
    const mask = msrMask(w);
    return w & (1 << 22) ? callingSemantics(msrSpsr, imm32, mask) : callingSemantics(msrCpsr, imm32, mask);
  }),
  enc('CPS A1', '1111_0001_0000_iiM0_0000_000a_if0m_mmmm', (w) => {
    const imod = (w >>> 18) & 3;
    const changeMode = (w & (1 << 17)) !== 0;
    const aif = (w >>> 6) & 7;
    const mode = w & 0x1f;
    return callingSemantics(changeProcessorState, imod, changeMode, aif, mode);
  }),
  enc('SETEND A1', '1111_0001_0000_0001_0000_00e0_0000_0000', (w) => {
    const e = (w >>> 9) & 1;
    return callingSemantics(setEndianness, e);
  }),

  // ---- Exception generating (SVC, BKPT, HLT, HVC, SMC, ERET, UDF) ----
  enc('SVC A1', 'cccc_1111_iiii_iiii_iiii_iiii_iiii_iiii', (w) => {
    const semihosting = (w & 0xffffff) === SEMIHOSTING_SVC_A32;
    return callingSemantics(supervisorCall, w & 0xffff, semihosting);
  }),
  enc('BKPT A1', 'cccc_0001_0010_iiii_iiii_iiii_0111_iiii', () => breakpoint),
  enc('HLT A1', 'cccc_0001_0000_iiii_iiii_iiii_0111_iiii', (w) => {
    const semihosting = (((w >>> 4) & 0xfff0) | (w & 0xf)) === SEMIHOSTING_HLT_A32;
    return callingSemantics(halt, semihosting);
  }),
  enc('HVC A1', 'cccc_0001_0100_iiii_iiii_iiii_0111_iiii', (w) => {
    const imm16 = ((w >>> 4) & 0xfff0) | (w & 0xf);
    return callingSemantics(hypervisorCall, imm16);
  }),
  enc('SMC A1', 'cccc_0001_0110_0000_0000_0000_0111_iiii', () => secureMonitorCall),
  enc('ERET A1', 'cccc_0001_0110_0000_0000_0000_0110_1110', () => exceptionReturn),
  enc('UDF A1', '1110_0111_1111_iiii_iiii_iiii_1111_iiii', () => permanentlyUndefined),

  // ---- Hints (A5.2.11): unallocated hints execute as NOP, as QEMU (bits [11:8] ignored) ----
  enc('NOP A1', 'cccc_0011_0010_0000_1111_xxxx_0000_0000', () => noOperation()),
  enc('YIELD A1', 'cccc_0011_0010_0000_1111_xxxx_0000_0001', () => noOperation()),
  enc('WFE A1', 'cccc_0011_0010_0000_1111_xxxx_0000_0010', () => waitForEvent),
  enc('WFI A1', 'cccc_0011_0010_0000_1111_xxxx_0000_0011', () => waitForInterrupt),
  enc('SEV A1', 'cccc_0011_0010_0000_1111_xxxx_0000_0100', () => sendEvent),
  enc('DBG A1', 'cccc_0011_0010_0000_1111_xxxx_1111_oooo', () => noOperation()),
  enc('Hint (reserved) A1', 'cccc_0011_0010_0000_1111_xxxx_xxxx_xxxx', () => noOperation()),

  // ---- Barriers (DSB, DMB, ISB); CLREX belongs to isa-memory ----
  enc('DSB A1', '1111_0101_0111_1111_1111_0000_0100_oooo', () => noOperation()),
  enc('DMB A1', '1111_0101_0111_1111_1111_0000_0101_oooo', () => noOperation()),
  enc('ISB A1', '1111_0101_0111_1111_1111_0000_0110_oooo', () => noOperation()),
];
