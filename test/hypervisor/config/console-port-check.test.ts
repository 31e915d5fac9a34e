import assert from 'node:assert/strict';
import { test } from 'node:test';
import { problemsOf, system, vm } from './system-fixtures.js';

test('two consoles on one TCP port', () => {
  const text = system([vm('a', [0], { console: { 'tcp-port': 5550 } }), vm('b', [1], { console: { 'tcp-port': 5550 } })]);
  assert.deepEqual(problemsOf(text), ["vms[1].console.tcp-port: port 5550 is already vms[0]'s console"]);
});
