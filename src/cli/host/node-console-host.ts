import type { Readable, Writable } from 'node:stream';
import type { ByteSink } from '../../hw/virtio/virtio-console.js';

/** A Node stream (e.g. process.stdout) as a virtio-console output sink. */
export class NodeStreamSink implements ByteSink {
  constructor(private readonly stream: Writable) {}

  write(bytes: Uint8Array): void {
    this.stream.write(Buffer.from(bytes));
  }
}

/** Something that takes host input bytes, as VirtioConsole.receive does; returns how many it took. */
export interface ByteReceiver {
  receive(bytes: Uint8Array): number;
}

/**
 * Feeds a Node stream (e.g. process.stdin) into a console device. Bytes the device cannot hold yet
 * are kept and offered again by `retry()` (call it after guest progress); the stream is paused
 * meanwhile. Returns a function that detaches from the stream.
 */
export function feedFromStream(stream: Readable, device: ByteReceiver): { retry(): void; detach(): void } {
  let backlog: Uint8Array = new Uint8Array(0);
  const retry = (): void => {
    if (backlog.length === 0) return;
    backlog = backlog.subarray(device.receive(backlog));
    if (backlog.length === 0) stream.resume();
  };
  const onData = (chunk: Buffer | string): void => {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    backlog = backlog.length === 0 ? new Uint8Array(bytes) : Buffer.concat([backlog, bytes]);
    retry();
    if (backlog.length > 0) stream.pause();
  };
  stream.on('data', onData);
  return { retry, detach: () => void stream.off('data', onData) };
}
