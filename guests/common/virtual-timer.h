/* The virtual timer's registers from PL1 (ARM ARM B8.2, B4.1.30-34): CNTVCT, CNTV_CVAL, CNTV_CTL. */
#ifndef PARTITA_VIRTUAL_TIMER_H
#define PARTITA_VIRTUAL_TIMER_H
#include <stdint.h>

/* CNTVCT may be read early unless an ISB orders it after the preceding instructions (B8.1.2). */
static inline uint64_t cntvct(void) {
  uint64_t v;
  __asm__ volatile("isb\n\tmrrc p15, 1, %Q0, %R0, c14" : "=r"(v) : : "memory");
  return v;
}
static inline void cntv_cval(uint64_t v) { __asm__ volatile("mcrr p15, 3, %Q0, %R0, c14\n\tisb" : : "r"(v) : "memory"); }
static inline void cntv_ctl(uint32_t v) { __asm__ volatile("mcr p15, 0, %0, c14, c3, 1\n\tisb" : : "r"(v) : "memory"); }
#define CNTV_CTL_ENABLE 1u

#endif
