/**
 * Whether a saturating Advanced SIMD operation clipped a lane: the instruction clears it, its lanes
 * set it, and it ORs it into FPSCR.QC at the end (ARM ARM A2.6.6: "QC, cumulative saturation").
 */
export const saturation = { qc: false };
