/**
 * HSR, the Hyp Syndrome Register (ARM ARM B3.13.6, B4.1.69): EC[31:26], IL[25], ISS[24:0] for each
 * class of exception taken to Hyp mode. Values are as QEMU 7.2 builds them (target/arm/syndrome.h)
 * for a v7 processor: conditional traps report CV=1 with COND=0xE (B3.13.6 permits this for a
 * trap taken only when the condition passes), and IL is clear where ISS has no instruction length
 * (unknown reason, prefetch aborts, data aborts without ISV), as the v7 IL bit is UNK/SBZP there.
 */

/** HSR.EC values (B3.13.6, table B3-27). */
export const enum ExceptionClass {
  Unknown = 0x00,
  WfiWfe = 0x01,
  Cp15Transfer = 0x03,
  Cp15Transfer64 = 0x04,
  Cp14Transfer = 0x05,
  Cp14LoadStore = 0x06,
  FloatingPointAccess = 0x07,
  FloatingPointId = 0x08,
  Cp14Transfer64 = 0x0c,
  SupervisorCall = 0x11,
  HypervisorCall = 0x12,
  SecureMonitorCall = 0x13,
  PrefetchAbortLower = 0x20,
  PrefetchAbortHyp = 0x21,
  DataAbortLower = 0x24,
  DataAbortHyp = 0x25,
}

/** HSR.IL: the trapped instruction is 32 bits long. */
export const HSR_IL = 1 << 25;
/** ISS.CV = 1 with COND = 0b1110: the condition field is valid and says "always". */
const CONDITION_ALWAYS = (1 << 24) | (0xe << 20);
/** Data abort ISS.ISV [24]: the SAS/SSE/SRT fields are valid (B3.13.6 "ISS encoding for a Data Abort"). */
export const ISS_ISV = 1 << 24;
/** The other fields ISV validates: SAS [23:22] (0 byte, 1 halfword, 2 word), SSE [21], SRT [19:16]; and WnR [6]. */
export const ISS_SAS_SHIFT = 22;
export const ISS_SSE = 1 << 21;
export const ISS_SRT_SHIFT = 16;
export const ISS_WNR = 1 << 6;

const ec = (value: ExceptionClass): number => value << 26;
const lengthBit = (is16Bit: boolean): number => (is16Bit ? 0 : HSR_IL);

/** EC 0x00: an UNDEFINED instruction taken to Hyp mode, or a trap with no syndrome of its own. */
export const HSR_UNKNOWN = 0;

/** EC 0x01: WFI (TI = 0) or WFE (TI = 1) trapped by HCR.TWI / HCR.TWE. */
export function hsrWaitFor(isWfe: boolean, is16Bit: boolean): number {
  return ec(ExceptionClass.WfiWfe) | lengthBit(is16Bit) | CONDITION_ALWAYS | (isWfe ? 1 : 0);
}

/**
 * EC 0x03 / 0x05 / 0x08: MCR or MRC (Direction = 1 for a read) to CP15 or CP14, or VMRS of an ID
 * register (which reports opc1 = 7, CRn = the VFP register number): Opc2[19:17], Opc1[16:14],
 * CRn[13:10], Rt[8:5], CRm[4:1].
 */
export function hsrRegisterTransfer(
  cls: ExceptionClass, opc1: number, crn: number, crm: number, opc2: number, t: number, isRead: boolean,
): number {
  return ec(cls) | HSR_IL | CONDITION_ALWAYS | (opc2 << 17) | (opc1 << 14) | (crn << 10) | (t << 5) | (crm << 1) | (isRead ? 1 : 0);
}

/** EC 0x04 / 0x0c: MCRR or MRRC to CP15 or CP14: Opc1[19:16], Rt2[13:10], Rt[8:5], CRm[4:1]. */
export function hsrRegisterTransfer64(cls: ExceptionClass, opc1: number, crm: number, t: number, t2: number, isRead: boolean): number {
  return ec(cls) | HSR_IL | CONDITION_ALWAYS | (opc1 << 16) | (t2 << 10) | (t << 5) | (crm << 1) | (isRead ? 1 : 0);
}

/** EC 0x07: a floating-point or Advanced SIMD instruction trapped by HCPTR; coproc = 0xA (B4.1.74). */
export const HSR_FLOATING_POINT_ACCESS = ec(ExceptionClass.FloatingPointAccess) | HSR_IL | CONDITION_ALWAYS | 0xa;

/** EC 0x11 / 0x12: SVC taken to Hyp mode, or HVC, with the instruction's immediate[15:0]. */
export function hsrCall(cls: ExceptionClass.SupervisorCall | ExceptionClass.HypervisorCall, imm16: number, is16Bit: boolean): number {
  return ec(cls) | lengthBit(is16Bit) | (imm16 & 0xffff);
}

/** EC 0x13: SMC trapped by HCR.TSC (QEMU reports an ISS of zero). */
export const HSR_SECURE_MONITOR_CALL = ec(ExceptionClass.SecureMonitorCall) | HSR_IL;

/**
 * EC 0x20 / 0x21: a prefetch abort from a lower mode or from Hyp mode: S1PTW[7] (a stage 2 fault
 * on a stage 1 table walk), IFSC[5:0] in the long-descriptor format.
 */
export function hsrPrefetchAbort(fromHyp: boolean, s1ptw: boolean, status: number): number {
  return ec(fromHyp ? ExceptionClass.PrefetchAbortHyp : ExceptionClass.PrefetchAbortLower) | (s1ptw ? 1 << 7 : 0) | status;
}

/**
 * EC 0x24 / 0x25: a data abort: `instruction` is the ISV/SAS/SSE/SRT/IL part from the faulting
 * instruction (load-store-syndrome.ts) or 0, then S1PTW[7], WnR[6], DFSC[5:0] (long-descriptor).
 */
export function hsrDataAbort(fromHyp: boolean, instruction: number, s1ptw: boolean, isWrite: boolean, status: number): number {
  return ec(fromHyp ? ExceptionClass.DataAbortHyp : ExceptionClass.DataAbortLower) | instruction |
    (s1ptw ? 1 << 7 : 0) | (isWrite ? 1 << 6 : 0) | status;
}
