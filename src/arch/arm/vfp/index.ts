import type { Encoding } from '../decode-table.js';
import { vfpEncodingTable } from './encodings.js';

/** VFP encodings in A32 form, condition field free (also used for T32, see instruction-sets.ts). */
export const vfpEncodings: readonly Encoding[] = vfpEncodingTable;
