import type { MmioDevice } from './mmio-device.js';
import { UNCONNECTED, type InterruptLine } from './interrupt-line.js';

/** Register offsets (PrimeCell UART PL011 TRM, DDI 0183, 3.2 "Summary of registers"). */
const enum Reg {
  DR = 0x000,
  RSR = 0x004,
  FR = 0x018,
  ILPR = 0x020,
  IBRD = 0x024,
  FBRD = 0x028,
  LCR_H = 0x02c,
  CR = 0x030,
  IFLS = 0x034,
  IMSC = 0x038,
  RIS = 0x03c,
  MIS = 0x040,
  ICR = 0x044,
  DMACR = 0x048,
}

/** Flag register bits (3.3.3). */
const FR_RXFE = 1 << 4;
const FR_RXFF = 1 << 6;
const FR_TXFE = 1 << 7;
/** Interrupt bits shared by IMSC/RIS/MIS/ICR (3.3.10-3.3.13): receive and transmit. */
const INT_RX = 1 << 4;
const INT_TX = 1 << 5;
const INT_RX_TIMEOUT = 1 << 6;
const LCR_H_FEN = 1 << 4;
const FIFO_DEPTH = 16;

/** PeriphID0-3 and PCellID0-3 at 0xFE0-0xFFC (3.3.14-3.3.15). */
const ID_BYTES = [0x11, 0x10, 0x14, 0x00, 0x0d, 0xf0, 0x05, 0xb1];

/** The stored registers' reset values (PL011 TRM 3.2, table 3-1). */
const RESET_REGISTERS: readonly (readonly [number, number])[] = [
  [Reg.IBRD, 0], [Reg.FBRD, 0], [Reg.LCR_H, 0], [Reg.CR, 0x300], [Reg.IFLS, 0x12], [Reg.ILPR, 0], [Reg.DMACR, 0],
];

/**
 * ARM PrimeCell UART (PL011). Transmitted bytes go to `output` at once (the transmit FIFO never
 * fills, so FR.TXFF stays clear); received bytes queue in a 16-entry FIFO (1 entry with FIFOs disabled) and raise the
 * receive interrupt, as the TRM describes. Baud rate and line control are stored, not modelled.
 */
export class Pl011 implements MmioDevice {
  readonly name = 'pl011';
  private readonly rxFifo: number[] = [];
  private interruptMask = 0;
  private rawInterrupts = INT_TX;
  private readonly registers = new Map<number, number>(RESET_REGISTERS);

  constructor(
    private readonly output: (byte: number) => void,
    private readonly irq: InterruptLine = UNCONNECTED,
  ) {}

  /** Reset (nUARTRST): registers to their reset values, the receive FIFO emptied, the interrupt output low. */
  reset(): void {
    for (const [offset, value] of RESET_REGISTERS) this.registers.set(offset, value);
    this.rxFifo.length = 0;
    this.interruptMask = 0;
    this.rawInterrupts = INT_TX;
    this.updateInterrupt();
  }

  /** Host input: queues bytes the guest will read, as far as the FIFO has room; returns how many were taken. */
  receive(bytes: Uint8Array): number {
    let taken = 0;
    while (taken < bytes.length && this.rxFifo.length < this.fifoDepth()) this.rxFifo.push(bytes[taken++]!);
    if (taken > 0) this.rawInterrupts |= INT_RX;
    this.updateInterrupt();
    return taken;
  }

  /** Whether the guest has room for more input. */
  canReceive(): boolean {
    return this.rxFifo.length < this.fifoDepth();
  }

  /**
   * Whether the guest listens for input: the receive or receive-timeout interrupt is unmasked
   * (IMSC.RXIM/RTIM, 3.3.10), as a driver leaves it while its port is open.
   */
  get listening(): boolean {
    return (this.interruptMask & (INT_RX | INT_RX_TIMEOUT)) !== 0;
  }

  /** Called when the guest has taken the last received byte, so a host can offer more at once. */
  onReceiveFifoEmpty: () => void = () => {};

  read(offset: number, _size: 1 | 2 | 4): number {
    if (offset >= 0xfe0 && offset < 0x1000) return ID_BYTES[(offset - 0xfe0) >>> 2]!;
    switch (offset) {
      case Reg.DR: {
        const byte = this.rxFifo.shift() ?? 0;
        if (this.rxFifo.length === 0) {
          this.rawInterrupts &= ~INT_RX;
          this.onReceiveFifoEmpty();
        }
        this.updateInterrupt();
        return byte;
      }
      case Reg.RSR:
        return 0;
      case Reg.FR:
        return FR_TXFE | (this.rxFifo.length === 0 ? FR_RXFE : 0) | (this.rxFifo.length >= this.fifoDepth() ? FR_RXFF : 0);
      case Reg.IMSC:
        return this.interruptMask;
      case Reg.RIS:
        return this.rawInterrupts;
      case Reg.MIS:
        return this.rawInterrupts & this.interruptMask;
      default:
        return this.registers.get(offset) ?? 0;
    }
  }

  write(offset: number, _size: 1 | 2 | 4, value: number): void {
    switch (offset) {
      case Reg.DR:
        this.output(value & 0xff);
        // Transmission is instantaneous: the transmit interrupt stays raised (FIFO empty).
        this.rawInterrupts |= INT_TX;
        this.updateInterrupt();
        return;
      case Reg.RSR:
        return;
      case Reg.IMSC:
        this.interruptMask = value & 0x7ff;
        this.updateInterrupt();
        return;
      case Reg.ICR:
        this.rawInterrupts &= ~(value & ~INT_TX);
        this.updateInterrupt();
        return;
      case Reg.FR:
      case Reg.RIS:
      case Reg.MIS:
        return; // read-only
      default:
        if (this.registers.has(offset)) this.registers.set(offset, value & 0xffff);
    }
  }

  private fifoDepth(): number {
    return ((this.registers.get(Reg.LCR_H) ?? 0) & LCR_H_FEN) !== 0 ? FIFO_DEPTH : 1;
  }

  private updateInterrupt(): void {
    this.irq.set((this.rawInterrupts & this.interruptMask) !== 0);
  }
}
