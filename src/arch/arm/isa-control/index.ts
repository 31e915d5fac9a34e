/**
 * Branch, status register, exception-generating, hint, barrier, IT and generic coprocessor
 * instructions. Semantics live in the semantics-*.ts modules and are shared by the A32, T16
 * and T32 tables, which only extract fields.
 */
export { a32ControlEncodings } from './a32.js';
export { t16ControlEncodings } from './t16.js';
export { t32ControlEncodings } from './t32.js';
export { coprocessorEncodings } from './coprocessor.js';
