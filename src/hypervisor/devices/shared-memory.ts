import type { InterruptLine } from '../../hw/interrupt-line.js';
import type { MmioDevice } from '../../hw/mmio-device.js';
import type { SharedMemoryDescription } from '../config/system-description.js';

/** "PSHM", little-endian: what DoorbellRegister.Magic reads. */
export const DOORBELL_MAGIC = 0x4d485350;

/**
 * The registers of a peer's doorbell page (32-bit accesses; others read 0 and are ignored).
 * Documented for guests in docs/system-description.md.
 */
export const enum DoorbellRegister {
  /** RO: DOORBELL_MAGIC. */
  Magic = 0x00,
  /** RO: this VM's index among the region's peers (its order in `peers`). */
  Peer = 0x04,
  /** RO: how many peers the region has. */
  PeerCount = 0x08,
  /** RO: the SPI this VM receives when another peer rings it. */
  Spi = 0x0c,
  /** RO: the region's size in bytes. */
  Size = 0x10,
  /** WO: bit p set rings peer p (the writer's own bit is ignored). */
  Ring = 0x20,
  /** RO: bit p set: peer p rang this VM and it has not acknowledged that yet. */
  Pending = 0x24,
  /** WO, write-one-to-clear: acknowledges Pending bits; the SPI is high while Pending is not 0. */
  Acknowledge = 0x28,
}

/**
 * An inter-VM shared memory region's doorbells: each peer has a register page (trapped like an
 * emulated device) whose Ring register sets the writer's bit in the Pending register of the
 * peers it names; each peer's doorbell SPI on its own virtual GIC is a level interrupt, high
 * while its Pending register is non-zero, until it acknowledges. A ring is seen at once by the
 * receiving VM's vGIC, which kicks its vCPU wherever it runs.
 */
export class SharedMemoryDoorbells {
  private readonly pending: Uint32Array;
  /** One register page per peer, in peer order. */
  readonly pages: readonly MmioDevice[];

  constructor(readonly description: SharedMemoryDescription, private readonly lines: readonly InterruptLine[]) {
    this.pending = new Uint32Array(description.peers.length);
    this.pages = description.peers.map((_, peer) => this.page(peer));
  }

  /** Nothing pending for `peer` (its VM is booting again). */
  resetPeer(peer: number): void {
    this.pending[peer] = 0;
    this.lines[peer]!.set(false);
  }

  private page(peer: number): MmioDevice {
    const description = this.description;
    return {
      name: `doorbell(${description.name})`,
      read: (offset, size) => {
        if (size !== 4) return 0;
        switch (offset) {
          case DoorbellRegister.Magic: return DOORBELL_MAGIC;
          case DoorbellRegister.Peer: return peer;
          case DoorbellRegister.PeerCount: return description.peers.length;
          case DoorbellRegister.Spi: return description.peers[peer]!.doorbellSpi;
          case DoorbellRegister.Size: return description.size >>> 0;
          case DoorbellRegister.Pending: return this.pending[peer]!;
          default: return 0;
        }
      },
      write: (offset, size, value) => {
        if (size !== 4) return;
        if (offset === DoorbellRegister.Ring) this.ring(peer, value);
        if (offset === DoorbellRegister.Acknowledge) {
          this.pending[peer]! &= ~value;
          if (this.pending[peer] === 0) this.lines[peer]!.set(false);
        }
      },
    };
  }

  private ring(from: number, targets: number): void {
    for (let to = 0; to < this.pending.length; to++) {
      if (to === from || ((targets >>> to) & 1) === 0) continue;
      this.pending[to]! |= 1 << from;
      this.lines[to]!.set(true);
    }
  }
}
