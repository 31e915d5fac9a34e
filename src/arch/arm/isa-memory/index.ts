import type { Encoding } from '../decode-table.js';

export const a32MemoryEncodings: readonly Encoding[] = [];
export const t16MemoryEncodings: readonly Encoding[] = [];
export const t32MemoryEncodings: readonly Encoding[] = [];
