/* Interrupts: the virtual timer (PPI 27) through the GICv2 of QEMU's virt board to the IRQ
 * exception. Checks that a masked interrupt stays pending (CPSR.I, then GICD_ISPENDR), is taken
 * as soon as it is unmasked, and that WFI wakes up for it. Prints no times, only what happened. */
#include <stdio.h>
#include <stdint.h>
#include "vectors.h"

#define GICD 0x08000000u
#define GICC 0x08010000u
#define REG(a) (*(volatile uint32_t *)(a))
#define TIMER_PPI 27

static void cntv_tval(uint32_t v) { __asm__ volatile("mcr p15, 0, %0, c14, c3, 0\n\tisb" : : "r"(v)); }
static void cntv_ctl(uint32_t v) { __asm__ volatile("mcr p15, 0, %0, c14, c3, 1\n\tisb" : : "r"(v)); }
static uint32_t cntv_ctl_read(void) { uint32_t v; __asm__ volatile("mrc p15, 0, %0, c14, c3, 1" : "=r"(v)); return v; }

int main(void) {
  exc_install();
  exc_clear();
  REG(GICD + 0x000) = 1;                               /* GICD_CTLR: enable */
  REG(GICD + 0x400 + TIMER_PPI) = 0;                   /* GICD_IPRIORITYR: priority 0 (byte access) */
  *(volatile uint8_t *)(GICD + 0x400 + TIMER_PPI) = 0;
  REG(GICD + 0x100) = 1u << TIMER_PPI;                 /* GICD_ISENABLER0 */
  REG(GICC + 0x004) = 0xf0;                            /* GICC_PMR */
  REG(GICC + 0x000) = 1;                               /* GICC_CTLR: enable */
  printf("GICD_TYPER.ITLinesNumber %lu, GICD_ISENABLER0 bit %d: %lu\n", (unsigned long)(REG(GICD + 0x004) & 0x1f), TIMER_PPI, (unsigned long)((REG(GICD + 0x100) >> TIMER_PPI) & 1));

  /* 1. masked: the timer fires, the interrupt is pending but not taken */
  __asm__ volatile("cpsid i" ::: "memory");
  cntv_tval(2000);
  cntv_ctl(1); /* enable, not masked */
  int spins = 0;
  while ((cntv_ctl_read() & 4) == 0 && spins < 100000000) spins++; /* ISTATUS */
  printf("timer condition met: %lu\n", (unsigned long)((cntv_ctl_read() >> 2) & 1));
  printf("while CPSR.I=1: irqs taken %lu, GICD_ISPENDR0 bit %d: %lu\n", (unsigned long)exc_record.irq_count, TIMER_PPI, (unsigned long)((REG(GICD + 0x200) >> TIMER_PPI) & 1));
  __asm__ volatile("cpsie i\n\tisb" ::: "memory");
  __asm__ volatile("nop\n\tnop" ::: "memory");
  printf("after CPSIE I: irqs taken %lu, id %lu, handler mode %02lx, SPSR mode %02lx, SPSR.I %lu\n", (unsigned long)exc_record.irq_count, (unsigned long)exc_record.irq_id,
         (unsigned long)(exc_record.irq_cpsr & 0x1f), (unsigned long)(exc_record.irq_spsr & 0x1f), (unsigned long)((exc_record.irq_spsr >> 7) & 1));
  printf("timer stopped by the handler: CNTV_CTL %lu\n", (unsigned long)cntv_ctl_read());

  /* 2. WFI: sleep until the next timer interrupt */
  /* WFI with CPSR.I set: a pending IRQ still wakes the processor (ARM ARM B1.8.13), and no IRQ
   * can slip in between the check and the WFI. */
  __asm__ volatile("cpsid i" ::: "memory");
  cntv_tval(5000);
  cntv_ctl(1);
  uint32_t before = exc_record.irq_count;
  int wakeups = 0;
  while (exc_record.irq_count == before && wakeups < 1000) {
    __asm__ volatile("wfi\n\tcpsie i\n\tisb\n\tnop\n\tcpsid i" ::: "memory");
    wakeups++;
  }
  __asm__ volatile("cpsie i" ::: "memory");
  printf("wfi: woken by irq %lu (id %lu)\n", (unsigned long)(exc_record.irq_count - before), (unsigned long)exc_record.irq_id);

  /* 3. a masked timer (CNTV_CTL.IMASK) never interrupts */
  before = exc_record.irq_count;
  cntv_tval(100);
  cntv_ctl(3); /* enable + IMASK */
  spins = 0;
  while ((cntv_ctl_read() & 4) == 0 && spins < 100000000) spins++;
  for (volatile int i = 0; i < 1000; i++) {
  }
  printf("IMASK: condition met %lu, irqs taken %lu\n", (unsigned long)((cntv_ctl_read() >> 2) & 1), (unsigned long)(exc_record.irq_count - before));
  cntv_ctl(0);
  __asm__ volatile("cpsid i" ::: "memory");
  return 0;
}
