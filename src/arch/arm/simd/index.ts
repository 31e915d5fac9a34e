import type { Encoding } from '../decode-table.js';
import { simdFloatEncodings } from './encodings-float.js';
import { simdDifferentLengthEncodings } from './encodings-long.js';
import { simdMemoryEncodings } from './encodings-memory.js';
import { simdMiscEncodings, simdPermuteEncodings } from './encodings-misc.js';
import { simdSameLengthEncodings } from './encodings-same.js';
import { simdShiftEncodings } from './encodings-shift.js';
import { simdCoprocessorEncodings, simdTransferEncodings } from './encodings-transfer.js';
import { asT32Simd } from './t32.js';

/**
 * Advanced SIMD (NEON) encodings. `simdA32Encodings` are in the A32 unconditional space;
 * `simdT32Encodings` are the same entries with T32's top byte (t32.ts); the coprocessor-space
 * transfers take a condition in A32 and follow the 1110 prefix in T32, as the VFP encodings do.
 */

export const simdA32Encodings: readonly Encoding[] = [
  ...simdMemoryEncodings,
  ...simdTransferEncodings,
  ...simdSameLengthEncodings,
  ...simdDifferentLengthEncodings,
  ...simdShiftEncodings,
  ...simdMiscEncodings,
  ...simdPermuteEncodings,
  ...simdFloatEncodings,
];

export const simdT32Encodings: readonly Encoding[] = simdA32Encodings.map(asT32Simd);

export { simdCoprocessorEncodings };
