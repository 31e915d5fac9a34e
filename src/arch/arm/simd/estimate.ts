import type { Instr } from '../decode-table.js';
import {
  DEFAULT_NAN32, FLAG_DZC, FLAG_IOC, FLAG_UFC, flushInput32, fp, isNaN32, processNaN32,
} from '../vfp/softfloat-env.js';
import { simdEnabled } from './enable.js';
import { beginStandard } from './float.js';

/**
 * VRECPE and VRSQRTE (ARM ARM A8, RecipEstimate / RecipSqrtEstimate; QEMU's recip_estimate and
 * do_recip_sqrt_estimate): 8-bit estimates from the 9 leading bits of the operand, tabulated once.
 * The floating-point forms run under the standard FPSCR value, so denormal inputs are flushed.
 */

/** RECIP[i - 256] for i in [256, 512): the reciprocal estimate of i / 512, in [256, 512). */
const RECIP = new Uint16Array(256);
/** RSQRT[i - 128] for i in [128, 512): the reciprocal square-root estimate. */
const RSQRT = new Uint16Array(384);

for (let i = 256; i < 512; i++) {
  const b = Math.floor((1 << 19) / (2 * i + 1));
  RECIP[i - 256] = (b + 1) >> 1;
}
for (let i = 128; i < 512; i++) {
  const a = i < 256 ? i * 2 + 1 : ((i >> 1) << 1) * 2 + 2;
  let b = 512;
  while (a * (b + 1) * (b + 1) < 1 << 28) b++;
  RSQRT[i - 128] = (b + 1) >> 1;
}

const SIGN = 0x80000000 | 0;

function reciprocalEstimate(input: number): number {
  const a = flushInput32(input);
  if (isNaN32(a)) return processNaN32(a); // the default NaN (standard FPSCR: DN)
  const sign = a & SIGN;
  const magnitude = a & 0x7fffffff;
  if (magnitude === 0x7f800000) return sign;
  if (magnitude === 0) {
    fp.flags |= FLAG_DZC;
    return sign | 0x7f800000;
  }
  const exponent = magnitude >>> 23;
  if (exponent >= 253) {
    fp.flags |= FLAG_UFC;
    return sign;
  }
  const estimate = RECIP[((magnitude >>> 15) & 0xff)]!;
  return sign | ((253 - exponent) << 23) | ((estimate & 0xff) << 15);
}

function reciprocalSqrtEstimate(input: number): number {
  const a = flushInput32(input);
  if (isNaN32(a)) return processNaN32(a); // the default NaN (standard FPSCR: DN)
  const magnitude = a & 0x7fffffff;
  if (magnitude === 0) {
    fp.flags |= FLAG_DZC;
    return (a & SIGN) | 0x7f800000;
  }
  if ((a & SIGN) !== 0) {
    fp.flags |= FLAG_IOC;
    return DEFAULT_NAN32;
  }
  if (magnitude === 0x7f800000) return 0;
  const exponent = magnitude >>> 23;
  // An odd exponent takes '01':fraction<22:16>, an even one '1':fraction<22:15>.
  const scaled = (exponent & 1) !== 0 ? 128 | ((magnitude >>> 16) & 0x7f) : 256 | ((magnitude >>> 15) & 0xff);
  const estimate = RSQRT[scaled - 128]!;
  return (((380 - exponent) >> 1) << 23) | ((estimate & 0xff) << 15);
}

function unsignedReciprocalEstimate(a: number): number {
  if ((a & SIGN) === 0) return -1;
  return RECIP[((a >>> 23) & 0x1ff) - 256]! << 23;
}

function unsignedReciprocalSqrtEstimate(a: number): number {
  if ((a & 0xc0000000) === 0) return -1;
  return RSQRT[((a >>> 23) & 0x1ff) - 128]! << 23;
}

/** VRECPE/VRSQRTE .F32 (`float`) or .U32 over `regs` D registers. */
export function estimate(sqrt: boolean, float: boolean, d: number, m: number, regs: number): Instr {
  const f = float ? (sqrt ? reciprocalSqrtEstimate : reciprocalEstimate) : sqrt ? unsignedReciprocalSqrtEstimate : unsignedReciprocalEstimate;
  return (cpu) => {
    if (!simdEnabled(cpu)) return cpu.undefinedInstruction();
    const v = cpu.vfp;
    beginStandard(v);
    for (let i = 0; i < 2 * regs; i++) v.words[2 * d + i] = f(v.words[2 * m + i]!);
    v.fpscr |= fp.flags;
  };
}
