import type { Encoding } from '../decode-table.js';

export const a32DataEncodings: readonly Encoding[] = [];
export const t16DataEncodings: readonly Encoding[] = [];
export const t32DataEncodings: readonly Encoding[] = [];
