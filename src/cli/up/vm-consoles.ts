import * as net from 'node:net';
import { feedFromStream } from '../host/node-console-host.js';
import { writeAllSync } from '../node-semihosting-host.js';

/** Where one VM's console output goes, and where its input comes from besides the terminal. */
interface VmConsole {
  readonly name: string;
  /** The current line, until its newline. */
  line: number[];
  readonly sockets: Set<net.Socket>;
  /** Each connected client's input, held back while the UART's receive FIFO is full. */
  readonly feeds: Set<{ retry(): void; detach(): void }>;
  server: net.Server | undefined;
}

/**
 * The VMs' consoles on the terminal and on TCP ports. On the terminal each VM's output is shown
 * line by line with its name in front (`linux | ...`), so several VMs can share it; the VM whose
 * console is `focused` is shown raw instead (as a terminal would show it, prompt and escape
 * sequences included) and gets the terminal's input. A VM with a TCP port also serves its console
 * there: every connected client sees its output as it comes and may type into it.
 */
export class VmConsoles {
  private readonly consoles: VmConsole[];
  private readonly width: number;
  /** The focused VM's output since the last flush. */
  private readonly raw: number[] = [];

  constructor(
    names: readonly string[],
    private readonly focused: number | undefined,
    /** Gives VM `vm`'s UART what it has room for; returns how many bytes it took. */
    private readonly input: (vm: number, bytes: Uint8Array) => number,
  ) {
    this.consoles = names.map((name) => ({ name, line: [], sockets: new Set(), feeds: new Set(), server: undefined }));
    this.width = Math.max(...names.map((n) => n.length));
  }

  /** Listens on `port` (localhost) for VM `vm`'s console; resolves once listening. */
  listen(vm: number, port: number): Promise<void> {
    const console = this.consoles[vm]!;
    return new Promise((resolve, reject) => {
      const server = net.createServer((socket) => {
        console.sockets.add(socket);
        const feed = feedFromStream(socket, { receive: (bytes) => this.input(vm, bytes) });
        console.feeds.add(feed);
        const gone = (): void => {
          console.sockets.delete(socket);
          console.feeds.delete(feed);
          feed.detach();
        };
        socket.on('close', gone);
        socket.on('error', gone);
      });
      server.once('error', (error) => reject(new Error(`${console.name}: cannot listen on TCP port ${port}: ${error.message}`)));
      server.listen(port, '127.0.0.1', () => resolve());
      console.server = server;
    });
  }

  /** VM `vm` took all its UART had received: offer what its clients typed meanwhile. */
  retryInput(vm: number): void {
    for (const feed of this.consoles[vm]!.feeds) feed.retry();
  }

  /** A byte VM `vm` wrote to its UART. */
  output(vm: number, byte: number): void {
    const console = this.consoles[vm]!;
    for (const socket of console.sockets) socket.write(Uint8Array.of(byte));
    if (vm === this.focused) {
      this.raw.push(byte);
      return;
    }
    if (byte === 0x0a) this.flushLine(console);
    else if (byte !== 0x0d) console.line.push(byte);
  }

  /** Writes what the focused VM printed since the last flush (call it between run slices). */
  flush(): void {
    if (this.raw.length === 0) return;
    writeAllSync(1, Uint8Array.from(this.raw));
    this.raw.length = 0;
  }

  close(): void {
    this.flush();
    // Lines still unfinished are shown as they are.
    for (const console of this.consoles) if (console.line.length > 0) this.flushLine(console);
    for (const console of this.consoles) {
      for (const socket of console.sockets) socket.destroy();
      console.server?.close();
    }
  }

  private flushLine(console: VmConsole): void {
    this.flush();
    const prefix = `${console.name.padEnd(this.width)} | `;
    writeAllSync(1, Buffer.concat([Buffer.from(prefix), Buffer.from(console.line), Buffer.from('\n')]));
    console.line = [];
  }
}
