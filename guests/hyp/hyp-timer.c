/* The generic timer under a hypervisor (ARM ARM B8.1.2, B4.1.27 CNTHCTL, B4.1.33 CNTVOFF): Hyp's
 * CNTHCTL.PL1PCTEN/PL1PCEN trapping the guest's physical counter and timer accesses, CNTVOFF
 * shifting the guest's virtual count and the virtual timer's condition, and the Hyp timer
 * (CNTHP_*) interrupting Hyp on PPI 10 (INTID 26). Counts are never printed (they depend on
 * host time); only relations that hold on any run are. */
#include "lib/hyp.h"

#define CNTPCT() CP_READ64(p15, 0, c14)
#define CNTVCT() CP_READ64(p15, 1, c14)
#define CNTVOFF_W(v) CP_WRITE64(p15, 4, c14, v)
#define CNTVOFF_R() CP_READ64(p15, 4, c14)
#define CNTHCTL_W(v) CP_WRITE(p15, 4, c14, c1, 0, v)
#define CNTHCTL_R() CP_READ(p15, 4, c14, c1, 0)

static volatile uint64_t guest_vct;
static void g_counters(uint32_t a) {
  (void)a;
  GTRY("mrrc p15, 0, r2, r3, c14", 0, 0);  /* CNTPCT */
  GTRY("mrc p15, 0, r0, c14, c2, 1", 0, 0); /* CNTP_CTL */
  GTRY("mcr p15, 0, r0, c14, c2, 1", 0, 0); /* CNTP_CTL = 0 */
  GTRY("mrrc p15, 2, r2, r3, c14", 0, 0);  /* CNTP_CVAL */
  guest_vct = CNTVCT();
}

static int hyp_timer_irqs;
static void hyp_irq(unsigned vector, struct hyp_frame *f) {
  (void)vector;
  uint32_t iar = REG(GICC + 0x0c);
  printf("  Hyp IRQ %lu from mode %02lx, CNTHP_CTL=%lx\n", (unsigned long)(iar & 0x3ff), (unsigned long)(f->spsr & 0x1f), (unsigned long)CP_READ(p15, 4, c14, c2, 1));
  if ((iar & 0x3ff) == 26) CP_WRITE(p15, 4, c14, c2, 1, 0); /* CNTHP_CTL = 0 */
  hyp_timer_irqs++;
  REG(GICC + 0x10) = iar;
}

int main(void) {
  __asm__ volatile("cpsid if" ::: "memory");
  hyp_interrupt_hook = hyp_irq;
  uint32_t cnthctl = CNTHCTL_R();
  printf("CNTHCTL PL1PCTEN PL1PCEN %lu %lu\n", (unsigned long)(cnthctl & 1), (unsigned long)(cnthctl >> 1 & 1));

  CNTHCTL_W(cnthctl & ~3u);
  run_guest((uint32_t(*)(uint32_t))g_counters, 0);
  print_traps("CNTHCTL.PL1PCTEN=0 PL1PCEN=0");
  CNTHCTL_W(cnthctl | 3u);
  run_guest((uint32_t(*)(uint32_t))g_counters, 0);
  print_traps("CNTHCTL.PL1PCTEN=1 PL1PCEN=1");
  CNTHCTL_W(cnthctl & ~2u);
  run_guest((uint32_t(*)(uint32_t))g_counters, 0);
  print_traps("CNTHCTL.PL1PCEN=0 only");
  CNTHCTL_W(cnthctl | 3u);

  /* CNTVOFF: the guest's CNTVCT is CNTPCT - CNTVOFF (B8.1.2). */
  const uint64_t off = 0x0000001234500000ull;
  uint64_t pct = CNTPCT();
  CNTVOFF_W(pct + off);
  printf("CNTVOFF readback matches %d\n", CNTVOFF_R() == pct + off);
  uint64_t before = CNTPCT();
  run_guest((uint32_t(*)(uint32_t))g_counters, 0);
  uint64_t after = CNTPCT();
  clear_logs();
  uint64_t shifted = guest_vct + pct + off; /* = the CNTPCT the guest saw */
  printf("guest CNTVCT = CNTPCT - CNTVOFF: %d\n", shifted >= before && shifted <= after);
  uint64_t vct = CNTVCT();
  printf("Hyp CNTVCT also offset: %d\n", vct + pct + off >= after);

  /* The virtual timer's condition compares CNTVCT (with the offset) against CNTV_CVAL. */
  CNTVOFF_W(0);
  CP_WRITE64(p15, 3, c14, CNTPCT() + (1ull << 40)); /* CNTV_CVAL far ahead */
  CP_WRITE(p15, 0, c14, c3, 1, 3);                  /* CNTV_CTL: enabled, masked */
  printf("CNTV_CTL, CVAL ahead        %lx\n", (unsigned long)CP_READ(p15, 0, c14, c3, 1));
  CNTVOFF_W(-(1ull << 41));                         /* CNTVCT = CNTPCT + 2^41 */
  printf("CNTV_CTL, CNTVOFF past it   %lx\n", (unsigned long)CP_READ(p15, 0, c14, c3, 1));
  CP_WRITE(p15, 0, c14, c3, 1, 0);
  CNTVOFF_W(0);

  /* The Hyp timer: CNTHP_CVAL in the past fires PPI 10 (INTID 26) to Hyp. */
  REG(GICD + 0x000) = 1;
  REG(GICC + 0x004) = 0xf0;
  REG(GICC + 0x000) = 1;
  *(volatile uint8_t *)(GICD + 0x400 + 26) = 0x40;
  REG(GICD + 0x100) = 1u << 26;
  CP_WRITE64(p15, 6, c14, CNTPCT() + (1ull << 40)); /* CNTHP_CVAL far ahead */
  CP_WRITE(p15, 4, c14, c2, 1, 1);
  printf("CNTHP_CTL, CVAL ahead       %lx\n", (unsigned long)CP_READ(p15, 4, c14, c2, 1));
  printf("GICD_ISPENDR0 bit 26        %lu\n", (unsigned long)(REG(GICD + 0x200) >> 26 & 1));
  CP_WRITE64(p15, 6, c14, 0);
  printf("CNTHP_CTL, CVAL 0           %lx\n", (unsigned long)CP_READ(p15, 4, c14, c2, 1));
  printf("GICD_ISPENDR0 bit 26        %lu\n", (unsigned long)(REG(GICD + 0x200) >> 26 & 1));
  __asm__ volatile("cpsie i\n\tisb\n\tnop\n\tcpsid i" ::: "memory");
  printf("Hyp timer interrupts taken  %d\n", hyp_timer_irqs);
  CP_WRITE(p15, 4, c14, c2, 0, 0x7fffffff);           /* CNTHP_TVAL far ahead */
  CP_WRITE(p15, 4, c14, c2, 1, 1);
  printf("CNTHP_TVAL ahead, CTL       %lx\n", (unsigned long)CP_READ(p15, 4, c14, c2, 1));
  CP_WRITE(p15, 4, c14, c2, 1, 0);
  return 0;
}
