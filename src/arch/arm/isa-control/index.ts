import type { Encoding } from '../decode-table.js';

export const a32ControlEncodings: readonly Encoding[] = [];
export const t16ControlEncodings: readonly Encoding[] = [];
export const t32ControlEncodings: readonly Encoding[] = [];
export const coprocessorEncodings: readonly Encoding[] = [];
