/* The generic timer of QEMU's virt board: CNTFRQ, CNTKCTL, the physical and virtual timers'
 * CTL/CVAL/TVAL with ENABLE, IMASK and ISTATUS, their interrupts (PPI IDs 30 and 27) seen
 * through the GIC by polling with CPSR.I set (WFI still wakes), priorities between the two, and
 * which timer registers PL0 may use under CNTKCTL. QEMU's counter follows host time, so only
 * facts that do not depend on elapsed time are printed. */
#include <stdio.h>
#include <stdint.h>
#include "vectors.h"

#define GICD 0x08000000u
#define GICC 0x08010000u
#define REG(a) (*(volatile uint32_t *)(a))
#define P(name, v) printf("%-30s %08lx\n", name, (unsigned long)(v))

#define MRC(crm, op2) ({ uint32_t v_; __asm__ volatile("mrc p15, 0, %0, c14, " #crm ", " #op2 : "=r"(v_)); v_; })
#define MCR(crm, op2, v) __asm__ volatile("mcr p15, 0, %0, c14, " #crm ", " #op2 "\n\tisb" : : "r"((uint32_t)(v)) : "memory")
#define MRRC(op1) ({ uint32_t lo_, hi_; __asm__ volatile("mrrc p15, " #op1 ", %0, %1, c14" : "=r"(lo_), "=r"(hi_)); ((uint64_t)hi_ << 32) | lo_; })
#define MCRR(op1, v) __asm__ volatile("mcrr p15, " #op1 ", %0, %1, c14\n\tisb" : : "r"((uint32_t)(v)), "r"((uint32_t)((uint64_t)(v) >> 32)) : "memory")

static uint32_t isr(void) { uint32_t v; __asm__ volatile("mrc p15, 0, %0, c12, c1, 0" : "=r"(v)); return v; }
static void wait_irq(void) {
  for (int i = 0; i < 1000000 && !(isr() & 0x80); i++) __asm__ volatile("wfi" ::: "memory");
}

/* PL0 probes, as in privilege.c: one instruction at PL0, result or exception kind. */
struct probe { const char *what; uint32_t kind; };
static struct probe probes[16];
static int nprobes;
#define PROBE(label, insn)                                                                  \
  do {                                                                                     \
    __asm__ volatile("adr r12, 9f\n\tstr r12, [%0]\n\t" insn "\n9:"                       \
                     : : "r"(&exc_resume) : "r0", "r1", "r12", "lr", "memory", "cc");      \
    exc_resume = 0;                                                                        \
    probes[nprobes].what = label;                                                           \
    probes[nprobes++].kind = exc_record.kind;                                              \
    exc_clear();                                                                           \
  } while (0)
static void user_probes(void) {
  __asm__ volatile("mov r0, sp\n\tcps #0x1f\n\tmov sp, r0\n\tcps #0x10" : : : "r0", "memory");
  PROBE("mrc CNTFRQ", "mrc p15, 0, r0, c14, c0, 0");
  PROBE("mcr CNTFRQ", "mrc p15, 0, r0, c14, c0, 0\n\tmcr p15, 0, r0, c14, c0, 0");
  PROBE("mrrc CNTPCT", "mrrc p15, 0, r0, r1, c14");
  PROBE("mrrc CNTVCT", "mrrc p15, 1, r0, r1, c14");
  PROBE("mrc CNTP_CTL", "mrc p15, 0, r0, c14, c2, 1");
  PROBE("mrc CNTV_TVAL", "mrc p15, 0, r0, c14, c3, 0");
  PROBE("mrrc CNTV_CVAL", "mrrc p15, 3, r0, r1, c14");
  PROBE("mrc CNTKCTL", "mrc p15, 0, r0, c14, c1, 0");
  __asm__ volatile("adr r12, 9f\n\tstr r12, [%0]\n\tsvc #0xfe\n9:" : : "r"(&exc_resume) : "r12", "lr", "memory", "cc");
  exc_resume = 0;
  exc_clear();
}
static void print_probes(const char *when) {
  printf("PL0 with %s:\n", when);
  for (int i = 0; i < nprobes; i++) printf("  %-16s %s\n", probes[i].what, probes[i].kind ? exc_kinds[probes[i].kind] : "ok");
  nprobes = 0;
}

int main(void) {
  __asm__ volatile("cpsid i" ::: "memory");
  exc_install();
  exc_clear();

  /* 1. registers */
  P("CNTFRQ", MRC(c0, 0));
  MCR(c0, 0, 1000000); P("CNTFRQ written", MRC(c0, 0));
  MCR(c0, 0, 62500000);
  P("CNTKCTL reset", MRC(c1, 0));
  MCR(c1, 0, 0xffffffff); P("CNTKCTL all ones", MRC(c1, 0));
  MCR(c1, 0, 0);
  P("CNTP_CTL reset", MRC(c2, 1));
  P("CNTV_CTL reset", MRC(c3, 1));
  MCRR(2, 0x123456789abcdef0ull);
  uint64_t cv = MRRC(2); P("CNTP_CVAL hi", cv >> 32); P("CNTP_CVAL lo", cv);
  MCR(c2, 1, 1); P("CNTP_CTL far CVAL", MRC(c2, 1));
  MCR(c2, 1, 0xffffffff); P("CNTP_CTL all ones, far", MRC(c2, 1));
  MCRR(2, 0); P("CNTP_CTL CVAL 0", MRC(c2, 1));
  MCR(c2, 1, 1); P("CNTP_CTL enabled, CVAL 0", MRC(c2, 1));
  MCR(c2, 1, 0); P("CNTP_CTL disabled, CVAL 0", MRC(c2, 1));
  MCRR(3, 0xffffffffffffffffull); MCR(c3, 1, 1); P("CNTV_CTL CVAL max", MRC(c3, 1));
  int32_t tv = (int32_t)MRC(c3, 0); P("CNTV_TVAL CVAL max is -ve", tv < 0);
  MCR(c3, 0, 0xfffffffb); /* TVAL = -5: CVAL = now - 5 */
  tv = (int32_t)MRC(c3, 0); P("TVAL -5 reads -ve", tv <= -5);
  P("CNTV_CTL after TVAL -5", MRC(c3, 1));
  uint64_t now = MRRC(1); cv = MRRC(3); P("CVAL below CNTVCT", cv < now);
  MCR(c3, 0, 0x40000000);
  tv = (int32_t)MRC(c3, 0); P("TVAL 2^30 reads in range", tv > 0x3f000000 && tv <= 0x40000000);
  P("CNTV_CTL not met", MRC(c3, 1));
  MCR(c3, 1, 0);
  uint64_t p1 = MRRC(0), v1 = MRRC(1), p2 = MRRC(0);
  P("CNTPCT monotonic", p2 >= p1);
  P("CNTVCT = CNTPCT (CNTVOFF 0)", v1 >= p1 && v1 <= p2);

  /* 2. interrupts through the GIC: physical timer ID 30, virtual timer ID 27 */
  REG(GICD + 0x000) = 1;
  REG(GICC + 0x000) = 1;
  REG(GICC + 0x004) = 0xff;
  *(volatile uint8_t *)(GICD + 0x400 + 30) = 0x20;
  *(volatile uint8_t *)(GICD + 0x400 + 27) = 0x40;
  P("GICD_ICFGR1 (PPIs)", REG(GICD + 0xc04));
  REG(GICD + 0x100) = (1u << 30) | (1u << 27);
  MCR(c2, 0, 2000);
  MCR(c2, 1, 1);
  wait_irq();
  P("phys: CNTP_CTL", MRC(c2, 1));
  P("phys: ISPENDR0 bit 30", REG(GICD + 0x200) >> 30 & 1);
  uint32_t id = REG(GICC + 0x00c); P("phys: IAR", id);
  P("phys: still pending (level)", REG(GICD + 0x200) >> 30 & 1);
  MCR(c2, 1, 3); /* IMASK: the output drops */
  P("phys: IMASK, CTL", MRC(c2, 1));
  P("phys: IMASK, pending", REG(GICD + 0x200) >> 30 & 1);
  P("phys: active", REG(GICD + 0x300) >> 30 & 1);
  REG(GICC + 0x010) = id;
  MCR(c2, 1, 0);

  MCRR(3, MRRC(1) + 3000);
  MCR(c3, 1, 1);
  wait_irq();
  id = REG(GICC + 0x00c); P("virt: IAR", id);
  MCR(c3, 1, 0);
  P("virt: disabled, CTL", MRC(c3, 1));
  P("virt: pending after disable", REG(GICD + 0x200) >> 27 & 1);
  REG(GICC + 0x010) = id;

  /* both fire: the physical timer has the higher priority */
  MCRR(2, 0);
  MCRR(3, 0);
  MCR(c2, 1, 1);
  MCR(c3, 1, 1);
  P("both: ISPENDR0 bits 27/30", REG(GICD + 0x200) & ((1u << 30) | (1u << 27)));
  uint32_t first = REG(GICC + 0x00c); P("both: IAR first", first);
  P("both: IAR while active", REG(GICC + 0x00c));
  MCR(c2, 1, 0);
  REG(GICC + 0x010) = first;
  uint32_t second = REG(GICC + 0x00c); P("both: IAR second", second);
  MCR(c3, 1, 0);
  REG(GICC + 0x010) = second;
  P("both: ISR at end", isr());

  /* WFI with a timer that is masked at the GIC (disabled PPI) would never wake; not tested.
   * 3. PL0 access under CNTKCTL */
  MCR(c1, 0, 0);
  user_probes();
  print_probes("CNTKCTL 0");
  MCR(c1, 0, 0x303); /* PL0PTEN, PL0VTEN, PL0VCTEN, PL0PCTEN */
  user_probes();
  print_probes("CNTKCTL 0x303");
  MCR(c1, 0, 0x002); /* PL0VCTEN only */
  user_probes();
  print_probes("CNTKCTL 0x002");
  REG(GICC + 0x000) = 0;
  REG(GICD + 0x000) = 0;
  return 0;
}
