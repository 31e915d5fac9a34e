import type { MmioDevice } from './mmio-device.js';
import { UNCONNECTED, type InterruptLine } from './interrupt-line.js';
import { UnknownAccessLog } from './unknown-access-log.js';

/** The eight GPIO lines of a PL061. */
export const PL061_LINES = 8;

/** The PL061's guest-visible state by name (versioned), for snapshots. */
export interface Pl061Snapshot {
  readonly version: 1;
  /** GPIODATA: driven values of output lines, sampled levels of input lines. */
  readonly data: number;
  /** Input levels last seen by the edge detector. */
  readonly previousInputs: number;
  readonly direction: number;
  readonly interruptSense: number;
  readonly bothEdges: number;
  readonly interruptEvent: number;
  readonly interruptMask: number;
  readonly rawInterrupts: number;
  readonly alternateFunction: number;
}

type Pl061Field = Exclude<keyof Pl061Snapshot, 'version' | 'data' | 'previousInputs'>;

/**
 * The register map (PrimeCell GPIO PL061 TRM, DDI 0190B, 3.2 "Summary of PrimeGPIO registers"):
 * each 8-bit register, its access kind and the state it reads or writes. GPIODATA (0x000-0x3FC,
 * address-masked), GPIOIC and the identification registers are handled apart.
 */
const REGISTERS: readonly { readonly offset: number; readonly name: string; readonly access: 'rw' | 'ro'; readonly field: Pl061Field }[] = [
  { offset: 0x400, name: 'GPIODIR', access: 'rw', field: 'direction' },
  { offset: 0x404, name: 'GPIOIS', access: 'rw', field: 'interruptSense' },
  { offset: 0x408, name: 'GPIOIBE', access: 'rw', field: 'bothEdges' },
  { offset: 0x40c, name: 'GPIOIEV', access: 'rw', field: 'interruptEvent' },
  { offset: 0x410, name: 'GPIOIE', access: 'rw', field: 'interruptMask' },
  { offset: 0x414, name: 'GPIORIS', access: 'ro', field: 'rawInterrupts' },
  { offset: 0x420, name: 'GPIOAFSEL', access: 'rw', field: 'alternateFunction' },
];
const GPIOMIS = 0x418;
const GPIOIC = 0x41c;
/** GPIODATA is 256 words: address bits [9:2] mask which lines an access reads or writes (TRM 3.3.1). */
const DATA_END = 0x400;

/** GPIOPeriphID0-3 and GPIOPCellID0-3 at 0xFE0-0xFFC (TRM 3.3.11-3.3.12), as QEMU's pl061 (revision 0: PeriphID2 0x04). */
const ID_BYTES = [0x61, 0x10, 0x04, 0x00, 0x0d, 0xf0, 0x05, 0xb1];

/**
 * ARM PrimeCell GPIO (PL061): eight lines, each an input or an output (GPIODIR), with per-line
 * interrupt detection — level or edge (GPIOIS), both edges (GPIOIBE), high/rising or low/falling
 * (GPIOIEV) — latched in GPIORIS, masked by GPIOIE into the one interrupt output, cleared by
 * writing GPIOIC. Outside devices drive input lines through `setInput` (a line configured as an
 * output ignores them). As QEMU's pl061 (hw/gpio/pl061.c), an active level interrupt is latched
 * too, so it stays in GPIORIS until GPIOIC clears it, and is latched again while the level stays.
 */
export class Pl061 implements MmioDevice {
  readonly name = 'pl061';
  private data = 0;
  private previousInputs = 0;
  private readonly state: Record<Pl061Field, number> = {
    direction: 0, interruptSense: 0, bothEdges: 0, interruptEvent: 0, interruptMask: 0, rawInterrupts: 0, alternateFunction: 0,
  };
  private readonly unknown: UnknownAccessLog;

  constructor(
    private readonly irq: InterruptLine = UNCONNECTED,
    log: (message: string) => void = () => {},
  ) {
    this.unknown = new UnknownAccessLog('pl061', log);
  }

  /** Drives input line `line` (0-7) to `level`, as an outside device wired to the pin. */
  setInput(line: number, level: boolean): void {
    const mask = 1 << line;
    if ((this.state.direction & mask) !== 0) return;
    this.data = level ? this.data | mask : this.data & ~mask;
    this.update();
  }

  /** The level of line `line` as the pin shows it (outputs: the value driven; inputs: the level seen). */
  lineLevel(line: number): boolean {
    return ((this.data >>> line) & 1) !== 0;
  }

  read(offset: number, _size: 1 | 2 | 4): number {
    if (offset < DATA_END) return this.data & ((offset >>> 2) & 0xff);
    if (offset >= 0xfe0 && offset < 0x1000) return ID_BYTES[(offset - 0xfe0) >>> 2]!;
    if (offset === GPIOMIS) return this.state.rawInterrupts & this.state.interruptMask;
    const register = REGISTERS.find((r) => r.offset === offset);
    if (register !== undefined) return this.state[register.field];
    this.unknown.report('read', offset, _size);
    return 0;
  }

  write(offset: number, size: 1 | 2 | 4, value: number): void {
    const byte = value & 0xff;
    if (offset < DATA_END) {
      // Only lines that are outputs and selected by the address take the written value.
      const mask = (offset >>> 2) & this.state.direction;
      this.data = (this.data & ~mask) | (byte & mask);
      this.update();
      return;
    }
    if (offset === GPIOIC) {
      this.state.rawInterrupts &= ~byte;
      this.update();
      return;
    }
    const register = REGISTERS.find((r) => r.offset === offset);
    if (register === undefined || register.access === 'ro') {
      this.unknown.report('write', offset, size);
      return;
    }
    this.state[register.field] = byte;
    this.update();
  }

  snapshot(): Pl061Snapshot {
    return { version: 1, data: this.data, previousInputs: this.previousInputs, ...this.state };
  }

  restore(snapshot: Pl061Snapshot): void {
    if (snapshot.version !== 1) throw new RangeError(`pl061 snapshot version ${String(snapshot.version)} is not 1`);
    this.data = snapshot.data;
    this.previousInputs = snapshot.previousInputs;
    for (const key of Object.keys(this.state) as Pl061Field[]) this.state[key] = snapshot[key] & 0xff;
    this.irq.set((this.state.rawInterrupts & this.state.interruptMask) !== 0);
  }

  /** Edge and level detection on the input lines, then the interrupt output (QEMU pl061_update). */
  private update(): void {
    const s = this.state;
    const inputs = ~s.direction & 0xff;
    const changed = (this.previousInputs ^ this.data) & inputs;
    if (changed !== 0) {
      this.previousInputs = (this.previousInputs & ~changed) | (this.data & changed);
      const edges = changed & ~s.interruptSense;
      // Both edges, or the one GPIOIEV selects: the new level equals GPIOIEV's bit.
      s.rawInterrupts |= (edges & s.bothEdges) | (edges & ~s.bothEdges & ~(this.data ^ s.interruptEvent));
    }
    // Level sensitive: latched while the level equals GPIOIEV's bit.
    s.rawInterrupts = (s.rawInterrupts | (~(this.data ^ s.interruptEvent) & s.interruptSense)) & 0xff;
    this.irq.set((s.rawInterrupts & s.interruptMask) !== 0);
  }
}

/** How long QEMU's gpio-key holds its line high after a press (hw/gpio/gpio_key.c GPIO_KEY_LATENCY). */
export const GPIO_KEY_PRESS_NANOSECONDS = 100_000_000;

/**
 * A push button on a GPIO line, as QEMU's gpio-key device: `press` drives the line high and it
 * is released (low) GPIO_KEY_PRESS_NANOSECONDS of board time later, when `update` sees that
 * time has come. The board schedules `nextEvent`.
 */
export class GpioKey {
  private releaseAt = Number.POSITIVE_INFINITY;

  constructor(
    private readonly line: InterruptLine,
    private readonly nowNanoseconds: () => number,
  ) {}

  press(): void {
    this.line.set(true);
    this.releaseAt = this.nowNanoseconds() + GPIO_KEY_PRESS_NANOSECONDS;
  }

  /** Board time (ns) of the release; Infinity when the key is up. */
  nextEvent(): number {
    return this.releaseAt;
  }

  update(): void {
    if (this.nowNanoseconds() >= this.releaseAt) {
      this.releaseAt = Number.POSITIVE_INFINITY;
      this.line.set(false);
    }
  }
}
