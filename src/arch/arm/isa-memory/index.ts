import type { Encoding } from '../decode-table.js';
import { a32Encodings } from './a32.js';
import { t16Encodings } from './t16.js';
import { t32Encodings } from './t32.js';

/**
 * Loads and stores of every kind (ARM ARM A8.8, B9.3): single, dual, multiple, exclusive,
 * unprivileged, SWP, SRS/RFE and preload hints. Semantics live in semantics-*.ts, written once;
 * a32.ts, t16.ts and t32.ts only extract fields.
 */
export const a32MemoryEncodings: readonly Encoding[] = a32Encodings;
export const t16MemoryEncodings: readonly Encoding[] = t16Encodings;
export const t32MemoryEncodings: readonly Encoding[] = t32Encodings;
