/**
 * GICv2 architectural constants (ARM IHI 0048B) that the physical CPU interface (GICC) and the
 * virtual CPU interface (GICV, the same register layout, 5.6) share.
 */
export const GIC_INTERNAL = 32;
export const GIC_SGI_COUNT = 16;
export const SPURIOUS = 1023;
/** Returned by GICC_IAR for a pending Group 1 interrupt when AckCtl is 0 (IHI 0048B 4.4.4). */
export const SPURIOUS_GROUP1 = 1022;
/** The first interrupt ID that is not a real interrupt (1020-1023 are special, 3.2.5). */
export const FIRST_SPECIAL_ID = 1020;
/** The running priority when nothing is active ("idle priority", above every real priority). */
export const IDLE_PRIORITY = 0x100;

export const GICD_CTLR_EN_GRP0 = 1 << 0;
export const GICD_CTLR_EN_GRP1 = 1 << 1;
export const GICC_CTLR_EN_GRP0 = 1 << 0;
export const GICC_CTLR_EN_GRP1 = 1 << 1;
export const GICC_CTLR_ACK_CTL = 1 << 2;
export const GICC_CTLR_FIQ_EN = 1 << 3;
export const GICC_CTLR_CBPR = 1 << 4;
/** EOImode (bit 9; the field the non-secure view calls EOImodeNS): EOIR only drops priority, DIR deactivates. */
export const GICC_CTLR_EOIMODE = 1 << 9;
/** The GICC_CTLR bits a GICv2 without the Security Extensions implements (IHI 0048B 4.4.1), also GICV_CTLR's (5.6.1). */
export const GICC_CTLR_MASK =
  GICC_CTLR_EN_GRP0 | GICC_CTLR_EN_GRP1 | GICC_CTLR_ACK_CTL | GICC_CTLR_FIQ_EN | GICC_CTLR_CBPR | GICC_CTLR_EOIMODE;

/** GICC_IIDR (and GICV_IIDR): architecture version 2, implementer ARM (0x43b), as QEMU's GICv2. */
export const GICC_IIDR = 0x0002043b;

/** CPU interface register offsets (IHI 0048B 4.1.3, table 4-2); the virtual CPU interface's too (5.6, table 5-8). */
export const enum Gicc {
  CTLR = 0x00,
  PMR = 0x04,
  BPR = 0x08,
  IAR = 0x0c,
  EOIR = 0x10,
  RPR = 0x14,
  HPPIR = 0x18,
  ABPR = 0x1c,
  AIAR = 0x20,
  AEOIR = 0x24,
  AHPPIR = 0x28,
  APR = 0xd0,
  NSAPR = 0xe0,
  IIDR = 0xfc,
  DIR = 0x1000,
}
