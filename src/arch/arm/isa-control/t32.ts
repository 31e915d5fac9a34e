import { pattern, type DecodeContext, type Encoding, type Instr } from '../decode-table.js';
import { callingSemantics } from '../semantics-call.js';
import { branchExchange, conditionalBranch, branchLinkExchangeImmediate, branchRelative, branchWithLink, tableBranch } from './semantics-branch.js';
import {
  exceptionReturn, hypervisorCall, permanentlyUndefined, secureMonitorCall, subtractPcLr,
} from './semantics-exception.js';
import { noOperation, sendEvent, waitForEvent, waitForInterrupt } from './semantics-hint.js';
import {
  changeProcessorState, decodeBankedRegister, mrsBanked, mrsCpsr, mrsSpsr, msrBanked, msrCpsr, msrSpsr,
} from './semantics-status.js';

/**
 * 32-bit T32 encodings of the branch, status register, exception-generating, hint and barrier
 * instructions (ARM ARM A6.3.4 "Branches and miscellaneous control", A6.3.6 for TBB/TBH), matched as
 * (hw1 << 16) | hw2. Fixed "should be" bits are matched as QEMU's t32.decode does.
 */

function enc(name: string, bits: string, build: (w: number, ctx: DecodeContext) => Instr | null): Encoding {
  return { name, ...pattern(bits), build };
}

/** I1 = NOT(J1 XOR S), I2 = NOT(J2 XOR S) (A8.8.18 encoding T4). */
function branchOffsetHigh(w: number): number {
  const s = (w >>> 26) & 1;
  const i1 = ~((w >>> 13) ^ s) & 1;
  const i2 = ~((w >>> 11) ^ s) & 1;
  return (s << 24) | (i1 << 23) | (i2 << 22) | (((w >>> 16) & 0x3ff) << 12);
}

/** SYSm of the banked forms: M:M1 = hw2 bit 4 : M1 field (hw1[3:0] for MRS/MSR's register field). */
const bankedSysm = (w: number, m1: number): number => (w & 0x10) | m1;

export const t32ControlEncodings: readonly Encoding[] = [
  // ---- Branches (A8.8.18 T3/T4, A8.8.25 T1/T2) ----
  // B<c> T3: cond 111x is "Branches and miscellaneous control"; UNDEFINED inside an IT block (QEMU).
  enc('B T3', '1111_0scc_ccii_iiii_10j0_jiii_iiii_iiii', (w, ctx) => {
    const cond = (w >>> 22) & 0xf;
    if (cond >= 0xe || ctx.inItBlock) return null;
    const raw = (((w >>> 26) & 1) << 20) | (((w >>> 11) & 1) << 19) | (((w >>> 13) & 1) << 18) |
      (((w >>> 16) & 0x3f) << 12) | ((w & 0x7ff) << 1);
    const imm32 = (raw << 11) >> 11;
    return conditionalBranch(cond, imm32);
  }),
  enc('B T4', '1111_0sii_iiii_iiii_10j1_jiii_iiii_iiii', (w) => {
    const imm32 = ((branchOffsetHigh(w) | ((w & 0x7ff) << 1)) << 7) >> 7;
    return branchRelative(imm32);
  }),
  enc('BL, BLX (immediate) T1', '1111_0sii_iiii_iiii_11j1_jiii_iiii_iiii', (w) => {
    const imm32 = ((branchOffsetHigh(w) | ((w & 0x7ff) << 1)) << 7) >> 7;
    return branchWithLink(imm32, true);
  }),
  enc('BL, BLX (immediate) T2', '1111_0sii_iiii_iiii_11j0_jiii_iiii_iiih', (w) => {
    if (w & 1) return null; // H = 1: UNDEFINED
    const imm32 = ((branchOffsetHigh(w) | (w & 0x7fe) << 1) << 7) >> 7;
    return callingSemantics(branchLinkExchangeImmediate, imm32, 0);
  }),
  enc('BXJ T1', '1111_0011_1100_mmmm_1000_1111_0000_0000', (w) => {
    const m = (w >>> 16) & 0xf;
    if (m === 13 || m === 15) return null; // UNPREDICTABLE
    return branchExchange(m);
  }),
  enc('TBB, TBH T1', '1110_1000_1101_nnnn_1111_0000_000h_mmmm', (w) => {
    const n = (w >>> 16) & 0xf;
    const m = w & 0xf;
    if (m === 13 || m === 15 || n === 13) return null; // UNPREDICTABLE
    const halfword = (w & 0x10) !== 0;
    return callingSemantics(tableBranch, n, m, halfword);
  }),

  // ---- Status registers (B9.3.8-12, B9.3 CPS) ----
  enc('MRS T1', '1111_0011_111r_1111_1000_dddd_0000_0000', (w) => {
    const d = (w >>> 8) & 0xf;
    if (d === 13 || d === 15) return null; // UNPREDICTABLE
    return w & (1 << 20) ? callingSemantics(mrsSpsr, d) : callingSemantics(mrsCpsr, d);
  }),
  enc('MRS (Banked register) T1', '1111_0011_111r_mmmm_1000_dddd_001m_0000', (w) => {
    const d = (w >>> 8) & 0xf;
    const target = decodeBankedRegister((w >>> 20) & 1, bankedSysm(w, (w >>> 16) & 0xf));
    if (d === 13 || d === 15 || target < 0) return null;
    return callingSemantics(mrsBanked, d, target);
  }),
  enc('MSR (register) T1', '1111_0011_100r_nnnn_1000_mmmm_0000_0000', (w) => {
    const n = (w >>> 16) & 0xf;
    const mask = (w >>> 8) & 0xf;
    if (n === 13 || n === 15) return null; // UNPREDICTABLE
    return w & (1 << 20) ? (cpu) => msrSpsr(cpu, cpu.r[n]!, mask) : (cpu) => msrCpsr(cpu, cpu.r[n]!, mask);
  }),
  enc('MSR (Banked register) T1', '1111_0011_100r_nnnn_1000_mmmm_001m_0000', (w) => {
    const n = (w >>> 16) & 0xf;
    const target = decodeBankedRegister((w >>> 20) & 1, bankedSysm(w, (w >>> 8) & 0xf));
    if (n === 13 || n === 15 || target < 0) return null;
    return callingSemantics(msrBanked, n, target);
  }),
  // imod = 00 with M = 0 is the hint space below, which is more specific.
  enc('CPS T2', '1111_0011_1010_1111_1000_0iiM_aifm_mmmm', (w) => {
    const imod = (w >>> 9) & 3;
    const changeMode = (w & (1 << 8)) !== 0;
    const aif = (w >>> 5) & 7;
    const mode = w & 0x1f;
    return callingSemantics(changeProcessorState, imod, changeMode, aif, mode);
  }),

  // ---- Hints (A6.3.4): unallocated hints execute as NOP, as QEMU ----
  enc('NOP T2', '1111_0011_1010_1111_1000_0000_0000_0000', () => noOperation()),
  enc('YIELD T2', '1111_0011_1010_1111_1000_0000_0000_0001', () => noOperation()),
  enc('WFE T2', '1111_0011_1010_1111_1000_0000_0000_0010', () => waitForEvent),
  enc('WFI T2', '1111_0011_1010_1111_1000_0000_0000_0011', () => waitForInterrupt),
  enc('SEV T2', '1111_0011_1010_1111_1000_0000_0000_0100', () => sendEvent),
  enc('DBG T1', '1111_0011_1010_1111_1000_0000_1111_oooo', () => noOperation()),
  enc('Hint (reserved) T2', '1111_0011_1010_1111_1000_0000_xxxx_xxxx', () => noOperation()),

  // ---- Barriers (DSB, DMB, ISB); CLREX belongs to isa-memory ----
  enc('DSB T1', '1111_0011_1011_1111_1000_1111_0100_oooo', () => noOperation()),
  enc('DMB T1', '1111_0011_1011_1111_1000_1111_0101_oooo', () => noOperation()),
  enc('ISB T1', '1111_0011_1011_1111_1000_1111_0110_oooo', () => noOperation()),

  // ---- Exception generating and exception return (B9.3 ERET, SUBS PC, LR, HVC, SMC; UDF) ----
  enc('ERET T1', '1111_0011_1101_1110_1000_1111_0000_0000', () => exceptionReturn),
  enc('SUBS PC, LR and related instructions T1', '1111_0011_1101_1110_1000_1111_iiii_iiii', (w) => {
    const imm8 = w & 0xff;
    return callingSemantics(subtractPcLr, imm8);
  }),
  enc('HVC T1', '1111_0111_1110_iiii_1000_iiii_iiii_iiii', (w) => {
    const imm16 = ((w >>> 4) & 0xf000) | (w & 0xfff);
    return callingSemantics(hypervisorCall, imm16);
  }),
  enc('SMC T1', '1111_0111_1111_iiii_1000_0000_0000_0000', () => secureMonitorCall),
  enc('UDF T2', '1111_0111_1111_iiii_1010_iiii_iiii_iiii', () => permanentlyUndefined),
];
