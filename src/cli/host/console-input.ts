import type { Readable } from 'node:stream';

/** Ctrl-A, the escape key of QEMU's `-nographic` console multiplexer. */
const ESCAPE = 0x01;

const ESCAPE_HELP =
  '\r\nC-a h    print this help\r\nC-a x    exit the emulator\r\nC-a C-a  send C-a\r\n';

/** More Ctrl-A commands (`partita up`'s VM control): `run` takes the key after Ctrl-A and says whether it was one; `help` lines join C-a h's. */
export interface EscapeCommands {
  run(key: number): boolean;
  readonly help: string;
}

/** stdin: a TTY has setRawMode. */
type InputStream = Readable & { readonly isTTY?: boolean; setRawMode?: (raw: boolean) => unknown };

/** Where console input goes: the UART's receive FIFO. */
export interface ConsoleReceiver {
  /** Takes as many bytes as it has room for; returns how many. */
  receive(bytes: Uint8Array): number;
  /** Whether the guest listens for input now (its driver has the receive interrupt unmasked). */
  readonly listening: boolean;
}

/**
 * The terminal side of the serial console, as QEMU's `-nographic` stdio: bytes from stdin queue
 * here and go to the UART as the guest takes them. On a TTY the terminal is put in raw mode and
 * `Ctrl-A x` quits (`Ctrl-A h` help, `Ctrl-A Ctrl-A` a literal Ctrl-A); piped or file stdin is
 * passed through unchanged. Input is held back until the guest listens, so what a script pipes in
 * is not lost to a UART whose driver has not started.
 */
export class HostConsoleInput {
  private queue: Uint8Array = new Uint8Array(0);
  private escapePending = false;
  private ended = false;
  private wake: (() => void) | undefined;
  /** Set by `Ctrl-A x`: the run should end (QEMU exits with status 0). */
  quitRequested = false;

  private constructor(
    private readonly stream: InputStream,
    private readonly interactive: boolean,
    private readonly echo: (text: string) => void,
    private readonly commands: EscapeCommands | undefined,
  ) {}

  /** Starts reading `stream` (raw mode when it is a TTY); `echo` shows escape-key messages. */
  static attach(stream: InputStream, echo: (text: string) => void, commands?: EscapeCommands): HostConsoleInput {
    const interactive = stream.isTTY === true && typeof stream.setRawMode === 'function';
    const input = new HostConsoleInput(stream, interactive, echo, commands);
    if (interactive) stream.setRawMode!(true);
    stream.on('data', input.onData);
    stream.on('end', input.onEnd);
    stream.on('error', input.onEnd);
    return input;
  }

  /** Whether stdin is a terminal, where Ctrl-A commands are read. */
  get isInteractive(): boolean {
    return this.interactive;
  }

  /** Whether more input may still come (stdin not at end of file). */
  get open(): boolean {
    return !this.ended;
  }

  /** Moves queued bytes into the receiver while the guest listens and has room. */
  deliver(receiver: ConsoleReceiver): void {
    if (this.queue.length === 0 || !receiver.listening) return;
    const taken = receiver.receive(this.queue);
    this.queue = this.queue.subarray(taken);
    if (this.queue.length === 0) this.stream.resume();
  }

  /** Resolves when input arrives, stdin ends or the user quits. */
  whenInput(): Promise<void> {
    if (this.queue.length > 0 || this.ended || this.quitRequested) return Promise.resolve();
    return new Promise((resolve) => {
      this.wake = resolve;
    });
  }

  /** Stops reading and restores the terminal. */
  detach(): void {
    this.stream.off('data', this.onData);
    this.stream.off('end', this.onEnd);
    this.stream.off('error', this.onEnd);
    if (this.interactive) this.stream.setRawMode!(false);
    this.stream.pause();
    this.notify();
  }

  private readonly onData = (chunk: Buffer | string): void => {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    const accepted = this.interactive ? this.filterEscapes(bytes) : bytes;
    this.queue = this.queue.length === 0 ? new Uint8Array(accepted) : Buffer.concat([this.queue, accepted]);
    // Hold the stream while the guest has not taken what is queued (back-pressure for pipes).
    if (this.queue.length > 4096) this.stream.pause();
    this.notify();
  };

  private readonly onEnd = (): void => {
    this.ended = true;
    this.notify();
  };

  private notify(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }

  /** Interprets Ctrl-A sequences typed on a terminal; returns the bytes meant for the guest. */
  private filterEscapes(bytes: Uint8Array): Uint8Array {
    const out: number[] = [];
    for (const byte of bytes) {
      if (!this.escapePending) {
        if (byte === ESCAPE) this.escapePending = true;
        else out.push(byte);
        continue;
      }
      this.escapePending = false;
      if (byte === ESCAPE) out.push(ESCAPE);
      else if (byte === 0x78 /* x */) {
        this.echo('partita: terminated\r\n');
        this.quitRequested = true;
      } else if (byte === 0x68 /* h */ || byte === 0x3f /* ? */) this.echo(ESCAPE_HELP + (this.commands?.help ?? ''));
      else this.commands?.run(byte);
    }
    return Uint8Array.from(out);
  }
}
