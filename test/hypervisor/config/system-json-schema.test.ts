import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { systemJsonSchemaText } from '../../../src/hypervisor/config/index.js';
import { ROOT } from '../../../src/cli/host/repo-paths.js';

test('schema/system.schema.json is what the zod schema generates', () => {
  const committed = readFileSync(join(ROOT, 'schema/system.schema.json'), 'utf8');
  assert.ok(
    committed === systemJsonSchemaText(),
    'schema/system.schema.json is stale: regenerate it with `npx tsc -p . && node scripts/write-system-schema.mjs` and commit it',
  );
});

test('the JSON schema describes the YAML spelling: strict keys, sizes as bytes or "16M", defaults', () => {
  const schema = JSON.parse(systemJsonSchemaText());
  assert.equal(schema.additionalProperties, false);
  assert.deepEqual(schema.required, ['board', 'vms']);
  const vmProperties = schema.properties.vms.items.properties;
  assert.ok('on-failure' in vmProperties && 'tcp-port' in vmProperties.console.properties);
  assert.equal(vmProperties['on-failure'].default, 'stop');
  assert.match('16M', new RegExp(schema.$defs.size.anyOf[1].pattern));
  assert.equal(schema.$defs.spi.maximum, 255);
});
