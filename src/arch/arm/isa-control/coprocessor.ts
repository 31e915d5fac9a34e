import { pattern, type Encoding, type Instr } from '../decode-table.js';
import { cp14Access, cp14Access64, cp15Access, cp15Access64, undefinedCoprocessorAccess } from './semantics-coprocessor.js';

/**
 * Generic coprocessor instructions (ARM ARM A5.6 / A6.3.18), written once in A32 form with the
 * condition free; instruction-sets.ts reuses them in T32 behind the 1110 prefix. MCR2/MRC2 and
 * the other 1111-prefixed forms are not listed, so they are UNDEFINED (ARMv7 has no such
 * coprocessor). Coprocessors 10 and 11 are the VFP's: every builder returns null for them so the
 * VFP area's entries decide.
 */

function enc(name: string, bits: string, build: (word: number) => Instr | null): Encoding {
  return { name, ...pattern(bits), build };
}

const coprocessorOf = (w: number): number => (w >>> 8) & 0xf;
const isVfp = (cp: number): boolean => cp === 10 || cp === 11;
const undefinedAccess: Instr = undefinedCoprocessorAccess;

/** MCR / MRC: CP15 and CP14 registers by {opc1, CRn, CRm, opc2}; any other coprocessor is UNDEFINED. */
function registerTransfer(w: number, isRead: boolean): Instr | null {
  const cp = coprocessorOf(w);
  if (isVfp(cp)) return null;
  const opc1 = (w >>> 21) & 7;
  const crn = (w >>> 16) & 0xf;
  const t = (w >>> 12) & 0xf;
  const opc2 = (w >>> 5) & 7;
  const crm = w & 0xf;
  if (cp === 15) return cp15Access(opc1, crn, crm, opc2, t, isRead);
  if (cp === 14) return cp14Access(opc1, crn, crm, opc2, t, isRead);
  return undefinedAccess;
}

/**
 * MCRR / MRRC A1 (A8.8.106, A8.8.112): CP15's 64-bit registers, and CP14's encodings (for Hyp
 * traps); VFP's own forms (cp10/cp11) are left to the VFP encodings; anything else is UNDEFINED.
 * Rt or Rt2 = PC, or Rt = Rt2 for MRRC, is UNPREDICTABLE: UNDEFINED here.
 */
function registerTransfer64(w: number, isRead: boolean): Instr | null {
  const cp = coprocessorOf(w);
  if (isVfp(cp)) return null;
  const t = (w >>> 12) & 0xf;
  const t2 = (w >>> 16) & 0xf;
  if ((cp !== 15 && cp !== 14) || t === 15 || t2 === 15 || (isRead && t === t2)) return undefinedAccess;
  const access = cp === 15 ? cp15Access64 : cp14Access64;
  return access((w >>> 4) & 0xf, w & 0xf, t, t2, isRead);
}

/** Everything but VFP is UNDEFINED: no CDP/LDC/STC coprocessor. */
function undefinedUnlessVfp(w: number): Instr | null {
  return isVfp(coprocessorOf(w)) ? null : undefinedAccess;
}

export const coprocessorEncodings: readonly Encoding[] = [
  enc('MCR A1', 'cccc_1110_ooo0_nnnn_tttt_pppp_ooo1_mmmm', (w) => registerTransfer(w, false)),
  enc('MRC A1', 'cccc_1110_ooo1_nnnn_tttt_pppp_ooo1_mmmm', (w) => registerTransfer(w, true)),
  enc('MCRR A1', 'cccc_1100_0100_tttt_tttt_pppp_oooo_mmmm', (w) => registerTransfer64(w, false)),
  enc('MRRC A1', 'cccc_1100_0101_tttt_tttt_pppp_oooo_mmmm', (w) => registerTransfer64(w, true)),
  enc('CDP A1', 'cccc_1110_oooo_nnnn_dddd_pppp_ooo0_mmmm', undefinedUnlessVfp),
  enc('LDC, STC A1', 'cccc_110x_xxxx_nnnn_dddd_pppp_iiii_iiii', undefinedUnlessVfp),
];
