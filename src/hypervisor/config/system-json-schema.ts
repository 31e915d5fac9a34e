import * as z from 'zod';
import { schemaDocs, systemSchema } from './system-schema.js';

/** The JSON schema of system.yaml, as committed in schema/system.schema.json (for editors and other tools). */
export function systemJsonSchemaText(): string {
  return `${JSON.stringify(z.toJSONSchema(systemSchema, { io: 'input', metadata: schemaDocs }), null, 2)}\n`;
}
