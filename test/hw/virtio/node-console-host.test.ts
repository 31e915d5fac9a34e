import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PassThrough } from 'node:stream';
import { VirtioConsole } from '../../../src/hw/virtio/virtio-console.js';
import { NodeStreamSink, feedFromStream } from '../../../src/cli/host/node-console-host.js';
import { TestDriver } from './virtio-test-driver.js';

test('node console host: stdin-like stream bytes reach the guest; guest output reaches a stdout-like stream', async () => {
  const output = new PassThrough();
  const written: Buffer[] = [];
  output.on('data', (chunk: Buffer) => written.push(chunk));
  const device = new VirtioConsole(new NodeStreamSink(output));
  const d = new TestDriver(device);
  d.init(2);
  const input = new PassThrough();
  const feed = feedFromStream(input, device);
  const rx = d.post(0, [{ in: 32 }]);
  input.write('ls\n');
  await new Promise((resolve) => setImmediate(resolve));
  assert.deepEqual(d.takeUsed(0), [{ id: rx.head, len: 3 }]);
  assert.equal(new TextDecoder().decode(d.bytes(rx.addresses[0]!, 3)), 'ls\n');
  d.post(1, [{ out: new TextEncoder().encode('bin etc\n') }]);
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(Buffer.concat(written).toString(), 'bin etc\n');
  feed.detach();
});
