// Regenerates schema/system.schema.json from the zod schema (build first: npx tsc -p .).
import { writeFileSync } from 'node:fs';
import { systemJsonSchemaText } from '../dist/src/hypervisor/config/system-json-schema.js';

writeFileSync(new URL('../schema/system.schema.json', import.meta.url), systemJsonSchemaText());
