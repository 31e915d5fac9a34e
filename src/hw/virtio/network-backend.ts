/** What a network backend delivers frames to (a virtio-net device). */
export interface FrameReceiver {
  /** An Ethernet frame (no FCS) arriving from the network. */
  receiveFrame(frame: Uint8Array): void;
}

/**
 * The network side of a virtio-net device: frames the guest transmits go to `send`; frames from
 * the network go to the attached receiver. Frames are handed over synchronously.
 */
export interface NetworkBackend {
  attach(receiver: FrameReceiver): void;
  send(frame: Uint8Array): void;
}

/** Sends every frame straight back to the device that sent it. */
export class LoopbackNetwork implements NetworkBackend {
  private receiver: FrameReceiver | undefined;

  attach(receiver: FrameReceiver): void {
    this.receiver = receiver;
  }

  send(frame: Uint8Array): void {
    this.receiver?.receiveFrame(frame.slice());
  }
}

const BROADCAST_BIT = 1; // I/G bit of the first destination-address octet

/**
 * An in-process learning Ethernet switch: each `createPort()` is a backend for one device. A frame
 * goes to the port that last sent from its destination MAC, or to every other port when the
 * destination is unknown, broadcast or multicast. No host networking.
 */
export class NetworkSwitch {
  private readonly ports: SwitchPort[] = [];
  private readonly table = new Map<string, SwitchPort>();

  createPort(): NetworkBackend {
    const port = new SwitchPort(this);
    this.ports.push(port);
    return port;
  }

  /** @internal */
  forward(from: SwitchPort, frame: Uint8Array): void {
    if (frame.length < 14) return; // runt: no Ethernet header
    const destination = macKey(frame, 0);
    this.table.set(macKey(frame, 6), from);
    const known = (frame[0]! & BROADCAST_BIT) === 0 ? this.table.get(destination) : undefined;
    if (known !== undefined) {
      if (known !== from) known.deliver(frame.slice());
      return;
    }
    for (const port of this.ports) if (port !== from) port.deliver(frame.slice());
  }
}

class SwitchPort implements NetworkBackend {
  private receiver: FrameReceiver | undefined;

  constructor(private readonly network: NetworkSwitch) {}

  attach(receiver: FrameReceiver): void {
    this.receiver = receiver;
  }

  send(frame: Uint8Array): void {
    this.network.forward(this, frame);
  }

  deliver(frame: Uint8Array): void {
    this.receiver?.receiveFrame(frame);
  }
}

function macKey(frame: Uint8Array, offset: number): string {
  let key = '';
  for (let i = 0; i < 6; i++) key += frame[offset + i]!.toString(16).padStart(2, '0');
  return key;
}
