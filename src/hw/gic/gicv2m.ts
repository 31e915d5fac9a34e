import type { MmioDevice } from '../mmio-device.js';
import { UnknownAccessLog } from '../unknown-access-log.js';

/** Register offsets of a GICv2m MSI frame (ARM SBSA, DEN 0029, "GICv2m"; QEMU hw/intc/arm_gicv2m.c). */
const enum Reg {
  /** MSI_TYPER: [25:16] first SPI's interrupt ID, [9:0] number of SPIs. */
  MSI_TYPER = 0x008,
  /** MSI_SETSPI_NS: a write of an interrupt ID [9:0] raises that SPI. */
  MSI_SETSPI_NS = 0x040,
  /** MSI_IIDR: implementer 0, ProductID [31:20] 'Q' as QEMU's frame, revision 0. */
  MSI_IIDR = 0xfcc,
}

/** QEMU's MSI_IIDR ProductID: ASCII 'Q'. */
const PRODUCT_ID_QEMU = 0x51;
/** The implementation defined identification registers 0xFD0-0xFFC read as zero (MSI_PIDR2 included, as QEMU). */
const IDENTIFICATION_START = 0xfd0;

/**
 * A GICv2m MSI frame: a device signals an MSI by writing an interrupt ID to MSI_SETSPI_NS, which
 * pulses that SPI of the GIC (the guest configures these SPIs edge-triggered). The frame owns
 * `spiCount` SPIs from `firstSpi`; writes naming other IDs are ignored. Reads are 32-bit only
 * and writes 16- or 32-bit, other sizes reading as zero and being ignored (as QEMU). It has no
 * state of its own to snapshot: a raised MSI is the GIC's pending state.
 */
export class GicV2mFrame implements MmioDevice {
  readonly name = 'gicv2m';
  private readonly unknown: UnknownAccessLog;

  constructor(
    /** SPI number (interrupt ID - 32) of the first SPI the frame owns. */
    private readonly firstSpi: number,
    private readonly spiCount: number,
    /** Pulses SPI `spi` (an edge: high, then low). */
    private readonly pulseSpi: (spi: number) => void,
    log: (message: string) => void = () => {},
  ) {
    if (spiCount < 1 || spiCount > 128 || firstSpi + 32 + spiCount > 1020) {
      throw new RangeError(`GICv2m frame of ${spiCount} SPIs from SPI ${firstSpi} does not fit the GIC's interrupt IDs`);
    }
    this.unknown = new UnknownAccessLog('gicv2m', log);
  }

  read(offset: number, size: 1 | 2 | 4): number {
    if (size !== 4) {
      this.unknown.report('read', offset, size);
      return 0;
    }
    if (offset === Reg.MSI_TYPER) return (((this.firstSpi + 32) << 16) | this.spiCount) >>> 0;
    if (offset === Reg.MSI_IIDR) return PRODUCT_ID_QEMU << 20;
    if (offset >= IDENTIFICATION_START) return 0;
    this.unknown.report('read', offset, size);
    return 0;
  }

  write(offset: number, size: 1 | 2 | 4, value: number): void {
    if (size === 1 || offset !== Reg.MSI_SETSPI_NS) {
      this.unknown.report('write', offset, size);
      return;
    }
    const spi = (value & 0x3ff) - 32 - this.firstSpi;
    if (spi >= 0 && spi < this.spiCount) this.pulseSpi(this.firstSpi + spi);
  }
}
