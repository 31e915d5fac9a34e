import type { Cpu } from '../cpu.js';
import { Mode } from '../modes.js';
import {
  HCR_TAC, HCR_TGE, HCR_TID0, HCR_TID1, HCR_TID2, HCR_TID3, HCR_TIDCP, HCR_TPC, HCR_TPU, HCR_TSW, HCR_TTLB, HCR_TVM,
} from './hcr.js';
import { ExceptionClass, hsrRegisterTransfer, hsrRegisterTransfer64 } from './syndrome.js';

/**
 * Which Hyp trap controls apply to one coprocessor register access (B1.14 "Traps to the
 * hypervisor", B4.1.65 HCR, B4.1.67 HDCR, B4.1.74 HCPTR, B4.1.75 HSTR), worked out from its
 * encoding when the instruction is decoded: the access is trapped when any of these bits is set
 * in the register it names, outside Hyp (and Monitor) mode. `syndrome` is the HSR it reports.
 *
 * These follow the ARM ARM where QEMU 7.2's v7 cortex-a15 does not trap (checked with a Hyp-mode
 * guest under `virt,virtualization=on`): QEMU leaves HCR.TID1, TID3 (for the CP15 ID registers;
 * it does trap VMRS MVFR0/1), TSW, TPC, TPU, TIDCP, HDCR.TPMCR and HCPTR.TCPAC to ARMv8 cores,
 * and makes a PL1 access to a missing register UNDEFINED even when HSTR traps its CRn.
 */
export interface CoprocessorTrap {
  readonly hcr: number;
  readonly hstr: number;
  readonly hdcr: number;
  readonly hcptr: number;
  readonly syndrome: number;
}

/** Whether `trap` takes this access to Hyp mode now (HCR and the others are zero without EL2). */
export function isTrapped(cpu: Cpu, trap: CoprocessorTrap): boolean {
  const c = cpu.cp15;
  return ((c.hcr & trap.hcr) | (c.hstr & trap.hstr) | (c.hdcr & trap.hdcr) | (c.hcptr & trap.hcptr)) !== 0 &&
    cpu.mode !== Mode.Hyp && cpu.mode !== Mode.Mon;
}

/** HDCR (B4.1.67) trap bits. */
const HDCR_TPMCR = 1 << 5;
const HDCR_TPM = 1 << 6;
const HDCR_TDE = 1 << 8;
const HDCR_TDA = 1 << 9;
const HDCR_TDOSA = 1 << 10;
const HDCR_TDRA = 1 << 11;
/** HCPTR.TTA [20]: trace registers (CP14 opc1 = 1); HCPTR.TCPAC [31]: CPACR accesses from PL1. */
const HCPTR_TTA = 1 << 20;
const HCPTR_TCPAC = 1 << 31;
/** HSTR.TTEE [16]: ThumbEE registers (CP14 opc1 = 6). */
const HSTR_TTEE = 1 << 16;

const key = (crn: number, crm: number, opc2: number): number => (crn << 8) | (crm << 4) | opc2;

/** HCR.TVM: writes to the virtual memory controls (B4.1.65), opc1 = 0. */
const VIRTUAL_MEMORY_CONTROLS = new Set([
  key(1, 0, 0), key(2, 0, 0), key(2, 0, 1), key(2, 0, 2), key(3, 0, 0), key(5, 0, 0), key(5, 0, 1), key(5, 1, 0),
  key(5, 1, 1), key(6, 0, 0), key(6, 0, 2), key(10, 2, 0), key(10, 2, 1), key(10, 3, 0), key(10, 3, 1), key(13, 0, 1),
]);
/** Cache maintenance by set/way (TSW), to the point of coherency (TPC), to the point of unification (TPU). */
const SET_WAY = new Set([key(7, 6, 2), key(7, 10, 2), key(7, 14, 2)]);
const POINT_OF_COHERENCY = new Set([key(7, 6, 1), key(7, 10, 1), key(7, 14, 1)]);
const POINT_OF_UNIFICATION = new Set([key(7, 1, 0), key(7, 5, 0), key(7, 5, 1), key(7, 11, 1)]);

/**
 * HCR.TIDCP: the encodings reserved for IMPLEMENTATION DEFINED TCM, DMA and lockdown functions,
 * any opc1 (B4.1.65, and the CP15 c9, c10, c11 summaries in B3.17).
 */
function isImplementationDefined(crn: number, crm: number): boolean {
  switch (crn) {
    case 9: return crm <= 2 || (crm >= 5 && crm <= 8);
    case 10: return crm === 0 || crm === 1 || crm === 4 || crm === 8;
    case 11: return crm <= 8 || crm === 15;
    default: return false;
  }
}

/** HCR traps of an MCR/MRC to CP15. */
function cp15HcrTraps(opc1: number, crn: number, crm: number, opc2: number, isRead: boolean): number {
  let bits = isImplementationDefined(crn, crm) ? HCR_TIDCP : 0;
  const k = key(crn, crm, opc2);
  if (crn === 0 && isRead) {
    // TID3: ID_PFR0 ... the reserved ID space; TID1: TCMTR, TLBTR, REVIDR, AIDR; TID2: CTR,
    // CCSIDR, CLIDR, CSSELR.
    if (opc1 === 0 && crm >= 1) bits |= HCR_TID3;
    if (opc1 === 0 && crm === 0 && (opc2 === 2 || opc2 === 3 || opc2 === 6)) bits |= HCR_TID1;
    if (opc1 === 1 && crm === 0 && opc2 === 7) bits |= HCR_TID1;
    if ((opc1 === 0 && crm === 0 && opc2 === 1) || (opc1 === 1 && crm === 0 && opc2 <= 1)) bits |= HCR_TID2;
  }
  if (opc1 === 2 && k === key(0, 0, 0)) bits |= HCR_TID2; // CSSELR, read and write
  if (opc1 !== 0) return bits;
  if (k === key(1, 0, 1)) bits |= HCR_TAC; // ACTLR
  if (SET_WAY.has(k)) bits |= HCR_TSW;
  if (POINT_OF_COHERENCY.has(k)) bits |= HCR_TPC;
  if (POINT_OF_UNIFICATION.has(k)) bits |= HCR_TPU;
  if (crn === 8) bits |= HCR_TTLB;
  if (!isRead && VIRTUAL_MEMORY_CONTROLS.has(k)) bits |= HCR_TVM;
  return bits;
}

/** HDCR traps of the Performance Monitors (CP15 c9, CRm 12-14): TPM all, TPMCR also PMCR. */
function cp15HdcrTraps(opc1: number, crn: number, crm: number, opc2: number): number {
  if (opc1 !== 0 || crn !== 9 || crm < 12 || crm > 14) return 0;
  return crm === 12 && opc2 === 0 ? HDCR_TPM | HDCR_TPMCR : HDCR_TPM;
}

/** The traps of an MCR/MRC to CP15 (HSR EC 0x03). HSTR.Tn traps CRn = n. */
export function cp15Trap(opc1: number, crn: number, crm: number, opc2: number, t: number, isRead: boolean): CoprocessorTrap {
  const cpacr = opc1 === 0 && key(crn, crm, opc2) === key(1, 0, 2);
  return {
    hcr: cp15HcrTraps(opc1, crn, crm, opc2, isRead),
    hstr: 1 << crn,
    hdcr: cp15HdcrTraps(opc1, crn, crm, opc2),
    hcptr: cpacr ? HCPTR_TCPAC : 0,
    syndrome: hsrRegisterTransfer(ExceptionClass.Cp15Transfer, opc1, crn, crm, opc2, t, isRead),
  };
}

/** The traps of an MCRR/MRRC to CP15 (HSR EC 0x04): HSTR.Tn traps CRm = n; TVM TTBR0/TTBR1 writes. */
export function cp15Trap64(opc1: number, crm: number, t: number, t2: number, isRead: boolean): CoprocessorTrap {
  const translationTableBase = crm === 2 && opc1 <= 1;
  return {
    hcr: translationTableBase && !isRead ? HCR_TVM : 0,
    hstr: 1 << crm,
    hdcr: 0,
    hcptr: 0,
    syndrome: hsrRegisterTransfer64(ExceptionClass.Cp15Transfer64, opc1, crm, t, t2, isRead),
  };
}

/**
 * The traps of an MCR/MRC to CP14 (HSR EC 0x05): the debug registers (opc1 = 0) by HDCR.TDRA
 * (DBGDRAR, DBGDSAR), TDOSA (the OS lock, OS double lock and power-down registers) and TDA (the
 * rest), each also by TDE and HCR.TGE; trace (opc1 = 1) by HCPTR.TTA; ThumbEE (opc1 = 6) by
 * HSTR.TTEE; JIDR (opc1 = 7) reads by HCR.TID0.
 */
export function cp14Trap(opc1: number, crn: number, crm: number, opc2: number, t: number, isRead: boolean): CoprocessorTrap {
  let hdcr = 0;
  if (opc1 === 0) {
    const k = key(crn, crm, opc2);
    if (k === key(1, 0, 0) || k === key(2, 0, 0)) hdcr = HDCR_TDRA;
    else if (k === key(1, 0, 4) || k === key(1, 1, 4) || k === key(1, 3, 4) || k === key(1, 4, 4)) hdcr = HDCR_TDOSA;
    else hdcr = HDCR_TDA;
    hdcr |= HDCR_TDE;
  }
  return {
    hcr: (opc1 === 0 ? HCR_TGE : 0) | (opc1 === 7 && crn === 0 && isRead ? HCR_TID0 : 0),
    hstr: opc1 === 6 ? HSTR_TTEE : 0,
    hdcr,
    hcptr: opc1 === 1 ? HCPTR_TTA : 0,
    syndrome: hsrRegisterTransfer(ExceptionClass.Cp14Transfer, opc1, crn, crm, opc2, t, isRead),
  };
}

/** The traps of an MRRC/MCRR to CP14 (HSR EC 0x0c): the 64-bit DBGDRAR/DBGDSAR by HDCR.TDRA. */
export function cp14Trap64(opc1: number, crm: number, t: number, t2: number, isRead: boolean): CoprocessorTrap {
  const romOrSelfAddress = opc1 === 0 && (crm === 1 || crm === 2);
  return {
    hcr: romOrSelfAddress ? HCR_TGE : 0,
    hstr: 0,
    hdcr: romOrSelfAddress ? HDCR_TDRA | HDCR_TDE : 0,
    hcptr: 0,
    syndrome: hsrRegisterTransfer64(ExceptionClass.Cp14Transfer64, opc1, crm, t, t2, isRead),
  };
}

/**
 * Whether a CP15 encoding is a Hyp mode register, UNDEFINED at PL1 and PL0 (B4.1: the opc1 = 4
 * encodings, and the 64-bit ones at opc1 = 4 or 6), except the Cortex-A15's CBAR in c15.
 */
export function isHypRegister(opc1: number, crn: number): boolean {
  return opc1 === 4 && crn !== 15;
}

export function isHypRegister64(opc1: number): boolean {
  return opc1 === 4 || opc1 === 6;
}
