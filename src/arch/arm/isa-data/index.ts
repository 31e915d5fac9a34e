import type { Encoding } from '../decode-table.js';
import { a32Encodings } from './a32-encodings.js';
import { t16Encodings } from './t16-encodings.js';
import { t32Encodings } from './t32-encodings.js';

/**
 * Data-processing, multiply, divide, saturating, parallel, packing and bit-field instructions
 * (ARM ARM A5.2, A5.4, A6.2, A6.3). Semantics live in semantics-*.ts; the *-encodings.ts tables
 * only extract fields.
 */
export const a32DataEncodings: readonly Encoding[] = a32Encodings;
export const t16DataEncodings: readonly Encoding[] = t16Encodings;
export const t32DataEncodings: readonly Encoding[] = t32Encodings;
