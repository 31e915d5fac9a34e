/* The VM's GICv2 (ARM IHI 0048B) as a bare-metal guest uses it: one interrupt to vCPU 0. */
#include "vm.h"

#define GICD 0x08000000u
#define GICC 0x08010000u

void vm_gic_enable(uint32_t id) {
  REG32(GICD + 0x400 + (id & ~3u)) &= ~(0xffu << 8 * (id & 3)); /* GICD_IPRIORITYR: 0, the highest */
  REG32(GICD + 0x800 + (id & ~3u)) |= 1u << 8 * (id & 3);       /* GICD_ITARGETSR: CPU 0 */
  REG32(GICD + 0x100 + 4 * (id / 32)) = 1u << (id % 32);        /* GICD_ISENABLER */
  REG32(GICD) = 1;                                              /* GICD_CTLR.Enable */
  REG32(GICC + 0x04) = 0xff;                                    /* GICC_PMR: all priorities */
  REG32(GICC) = 1;                                              /* GICC_CTLR.Enable */
}

uint32_t vm_gic_acknowledge(void) { return REG32(GICC + 0x0c); } /* GICC_IAR (3.2.4) */

void vm_gic_end(uint32_t iar) { REG32(GICC + 0x10) = iar; } /* GICC_EOIR */

void vm_wait_for(volatile uint32_t *count) {
  __asm__ volatile("cpsid i");
  while (*count == 0) {
    __asm__ volatile("wfi");
    __asm__ volatile("cpsie i\n\tnop\n\tcpsid i");
  }
  (*count)--;
  __asm__ volatile("cpsie i");
}
