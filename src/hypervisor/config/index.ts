export { parseSystemDescription } from './parse-system-description.js';
export type * from './system-description.js';
export type { SystemDescriptionContext } from './system-description-context.js';
export { SystemDescriptionError } from './system-description-error.js';
export { systemJsonSchemaText } from './system-json-schema.js';
export { emulatedDeviceSpis, VM_EMULATED_DEVICE_WINDOWS } from './vm-emulated-devices.js';
