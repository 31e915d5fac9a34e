/* The GICv2 virtualization extensions (IHI 0048B chapter 5) and interrupt routing under a
 * hypervisor (ARM ARM B1.8.9, B1.14.13): Hyp owns the physical GIC and fills GICH list registers;
 * the PL1 guest sees GICV at the GICC address through stage 2 and acknowledges and ends its
 * virtual interrupts itself. Covers priority order of pending LRs, the LR state after EOI, EOI
 * maintenance (LR.EOI), each MISR cause raising the maintenance interrupt (PPI 9, INTID 25), HW=1
 * LRs linked to the virtual timer's physical interrupt (PPI 11, INTID 27, deactivated by the
 * guest's EOI), HCR.VI/VF/VA injection with IMO/FMO/AMO, and a physical SGI routed to Hyp by IMO
 * while the guest masks IRQs. GICH_VTR is printed: QEMU's virt GIC and a GIC-400 both have 4 list
 * registers and 5 priority bits. */
#include "lib/hyp.h"

#define GICH_HCR (GICH + 0x00)
#define GICH_VTR (GICH + 0x04)
#define GICH_VMCR (GICH + 0x08)
#define GICH_MISR (GICH + 0x10)
#define GICH_EISR0 (GICH + 0x20)
#define GICH_ELRSR0 (GICH + 0x30)
#define GICH_APR (GICH + 0xf0)
#define GICH_LR(n) (GICH + 0x100 + 4 * (n))
/* GICH_LR fields (IHI 0048B 5.3.10). */
#define LR_HW (1u << 31)
#define LR_GRP1 (1u << 30)
#define LR_PENDING (1u << 28)
#define LR_ACTIVE (2u << 28)
#define LR_PRIO(p) ((uint32_t)(p) >> 3 << 23)
#define LR_EOI (1u << 19)
#define LR_PID(id) ((uint32_t)(id) << 10)

#define P(name, v) printf("%-26s %08lx\n", name, (unsigned long)(v))

/* What the guest's interrupt handler saw: the IDs it acknowledged, in order. */
static volatile uint32_t guest_ids[16];
static volatile int guest_nids;
static volatile int guest_stop_vtimer;
static void guest_irq(unsigned kind) {
  uint32_t iar = REG(GICC + 0x0c); /* GICV_IAR through stage 2 */
  if (guest_nids < 16) guest_ids[guest_nids++] = (kind == 7 ? 0x80000000u : 0) | iar;
  if (guest_stop_vtimer) CP_WRITE(p15, 0, c14, c3, 1, 0); /* CNTV_CTL = 0 */
  if ((iar & 0x3ff) < 1020) REG(GICC + 0x10) = iar;     /* GICV_EOIR */
  else __asm__ volatile("hvc #1");                       /* HCR.VI/VF: ask Hyp to lower the line */
}
static void print_guest_ids(const char *what) {
  printf("%s: guest took", what);
  if (guest_nids == 0) printf(" nothing");
  for (int i = 0; i < guest_nids; i++) printf(" %s%lu", guest_ids[i] >> 31 ? "fiq:" : "", (unsigned long)(guest_ids[i] & 0x1fff));
  printf("\n");
  guest_nids = 0;
}

/* The guest: enable its CPU interface, then open the IRQ/FIQ window once. */
static void g_enable(uint32_t a) {
  (void)a;
  REG(GICC + 0x04) = 0xf8; /* GICV_PMR */
  REG(GICC + 0x00) = 1;    /* GICV_CTLR.EnableGrp0 */
}
static void g_window(uint32_t a) {
  (void)a;
  __asm__ volatile("cpsie if\n\tisb\n\tnop\n\tnop\n\tcpsid if" ::: "memory");
}
static void g_abort_window(uint32_t a) {
  (void)a;
  GTRY("cpsie a\n\tisb\n\tnop\n\tcpsid a", 0, 0);
}
static void g_masked_nops(uint32_t a) {
  (void)a;
  __asm__ volatile("isb\n\tnop\n\tnop\n\tnop" ::: "memory");
}

static int hyp_irq_hvc(struct hyp_frame *f, const struct hyp_trap *t) {
  (void)f;
  if (t->hsr >> 26 == 0x12 && (t->hsr & 0xffff) == 1) {
    HCR_W(HCR_R() & ~(HCR_VI | HCR_VF));
    hyp_nlog--; /* not part of what is printed */
  }
  return 0;
}

/* Hyp's physical interrupt handler. */
static int hw_link; /* forward INTID 27 to the guest with a HW=1 list register */
static void hyp_irq(unsigned vector, struct hyp_frame *f) {
  uint32_t iar = REG(GICC + 0x0c);
  uint32_t id = iar & 0x3ff;
  printf("  Hyp %s %lu from mode %02lx", vector == 6 ? "IRQ" : "FIQ", (unsigned long)id, (unsigned long)(f->spsr & 0x1f));
  if (id == 25) {
    printf(" MISR=%02lx EISR0=%lx ELRSR0=%lx", (unsigned long)REG(GICH_MISR), (unsigned long)REG(GICH_EISR0), (unsigned long)REG(GICH_ELRSR0));
    REG(GICH_HCR) &= 1; /* leave only En: every maintenance cause enable off */
    for (int n = 0; n < 4; n++)
      if (REG(GICH_EISR0) >> n & 1) REG(GICH_LR(n)) = 0;
  }
  if (id == 27 && hw_link) {
    REG(GICH_LR(0)) = LR_HW | LR_PENDING | LR_PRIO(0x80) | LR_PID(27) | 27;
    printf(" -> LR0 HW=1");
  }
  printf("\n");
  REG(GICC + 0x10) = iar; /* EOIR: with EOImode 1 only a priority drop */
  if (!(id == 27 && hw_link)) REG(GICC + 0x1000) = iar; /* GICC_DIR (a HW=1 LR's EOI deactivates 27) */
}

static void hyp_window(void) { __asm__ volatile("cpsie i\n\tisb\n\tnop\n\tnop\n\tcpsid i" ::: "memory"); }

static void maintenance(const char *what, uint32_t hcr_bits, uint32_t vmcr) {
  REG(GICH_VMCR) = vmcr;
  REG(GICH_HCR) = 1 | hcr_bits;
  printf("%s: MISR=%02lx\n", what, (unsigned long)REG(GICH_MISR));
  hyp_window();
  REG(GICH_HCR) = 1;
}

int main(void) {
  __asm__ volatile("cpsid if" ::: "memory");
  hyp_interrupt_hook = hyp_irq;
  guest_interrupt_hook = guest_irq;
  hyp_trap_hook = hyp_irq_hvc;
  stage2_build();
  stage2_enable(1);

  /* The physical GIC: distributor and CPU interface on, EOImode 1 (B: EOIR drops the priority,
   * DIR deactivates, as a hypervisor forwarding interrupts uses it). */
  REG(GICD + 0x000) = 1;
  REG(GICC + 0x004) = 0xf0;
  REG(GICC + 0x000) = 1 | 1u << 9;
  *(volatile uint8_t *)(GICD + 0x400 + 25) = 0x40;
  *(volatile uint8_t *)(GICD + 0x400 + 27) = 0x60;
  *(volatile uint8_t *)(GICD + 0x400 + 3) = 0x50;
  REG(GICD + 0x100) = 1u << 25 | 1u << 27 | 1u << 3;

  P("GICH_VTR", REG(GICH_VTR));
  P("GICH_HCR reset", REG(GICH_HCR));
  P("GICH_ELRSR0 reset", REG(GICH_ELRSR0));
  P("GICH_MISR reset", REG(GICH_MISR));
  P("GICH_APR reset", REG(GICH_APR));
  REG(GICH_HCR) = 1;

  /* Two pending virtual interrupts: taken in priority order, each LR empty again after EOI. */
  HCR_W(HCR_VM | HCR_IMO | HCR_FMO);
  run_guest(g_enable, 0);
  P("GICH_VMCR after guest", REG(GICH_VMCR));
  REG(GICH_LR(0)) = LR_PENDING | LR_PRIO(0xa0) | 40;
  REG(GICH_LR(1)) = LR_PENDING | LR_PRIO(0x80) | 41;
  P("GICH_ELRSR0 two pending", REG(GICH_ELRSR0));
  run_guest(g_window, 0);
  print_guest_ids("two LRs");
  P("GICH_LR0 after", REG(GICH_LR(0)));
  P("GICH_LR1 after", REG(GICH_LR(1)));
  P("GICH_ELRSR0 after", REG(GICH_ELRSR0));
  P("GICH_APR after", REG(GICH_APR));

  /* A pending interrupt below the guest's priority mask stays pending. */
  REG(GICH_LR(2)) = LR_PENDING | LR_PRIO(0xf8) | 42;
  run_guest(g_window, 0);
  print_guest_ids("below PMR");
  P("GICH_LR2 still pending", REG(GICH_LR(2)));
  REG(GICH_LR(2)) = 0;

  /* LR.EOI: the guest's EOI sets EISR and MISR.EOI, raising the maintenance interrupt. */
  printf("EOI maintenance:\n");
  REG(GICH_LR(3)) = LR_PENDING | LR_PRIO(0x90) | LR_EOI | 43;
  run_guest(g_window, 0);
  print_guest_ids("LR.EOI");
  P("GICH_LR3 after", REG(GICH_LR(3)));

  /* Each GICH_HCR maintenance enable with its MISR condition, taken in Hyp mode. */
  HCR_W(HCR_VM);
  maintenance("UIE, no valid LR", 1u << 1, REG(GICH_VMCR));
  REG(GICH_LR(0)) = LR_ACTIVE | LR_PRIO(0x80) | 44;
  maintenance("NPIE, no pending LR", 1u << 3, REG(GICH_VMCR));
  REG(GICH_LR(0)) = 0;
  uint32_t vmcr = REG(GICH_VMCR);
  maintenance("VGrp0EIE, group 0 enabled", 1u << 4, vmcr | 1u);
  maintenance("VGrp0DIE, group 0 disabled", 1u << 5, vmcr & ~1u);
  maintenance("VGrp1EIE, group 1 enabled", 1u << 6, vmcr | 2u);
  maintenance("VGrp1DIE, group 1 disabled", 1u << 7, vmcr & ~2u);
  REG(GICH_VMCR) = vmcr;
  P("GICH_VMCR", REG(GICH_VMCR));

  /* HW=1: the virtual timer's interrupt (INTID 27) taken by Hyp, forwarded with a HW list
   * register, deactivated physically by the guest's EOI of the virtual one. */
  printf("HW=1 virtual timer:\n");
  hw_link = 1;
  CP_WRITE64(p15, 3, c14, 0);    /* CNTV_CVAL = 0: the condition holds at once */
  CP_WRITE(p15, 0, c14, c3, 1, 1); /* CNTV_CTL.ENABLE */
  hyp_window();
  P("GICD_ISACTIVER0 bit 27", REG(GICD + 0x300) >> 27 & 1);
  guest_stop_vtimer = 1;
  HCR_W(HCR_VM | HCR_IMO | HCR_FMO);
  run_guest(g_window, 0);
  guest_stop_vtimer = 0;
  hw_link = 0;
  print_guest_ids("HW=1 LR");
  P("GICD_ISACTIVER0 bit 27", REG(GICD + 0x300) >> 27 & 1);
  P("GICD_ISPENDR0 bit 27", REG(GICD + 0x200) >> 27 & 1);
  P("GICH_LR0 after", REG(GICH_LR(0)));

  /* HCR.VI/VF with IMO/FMO: a virtual IRQ/FIQ without the GIC (GICV_IAR is spurious); the guest
   * asks Hyp (HVC #1) to lower it. */
  HCR_W(HCR_VM | HCR_IMO | HCR_FMO | HCR_VI);
  run_guest(g_window, 0);
  print_guest_ids("HCR.VI");
  HCR_W(HCR_VM | HCR_IMO | HCR_FMO | HCR_VF);
  run_guest(g_window, 0);
  print_guest_ids("HCR.VF");
  HCR_W(HCR_VM | HCR_VI);
  run_guest(g_masked_nops, 0);
  print_guest_ids("HCR.VI without IMO");
  HCR_W(HCR_VM | HCR_AMO | HCR_VA);
  run_guest(g_abort_window, 0);
  print_traps("HCR.VA");
  /* The virtual abort is asynchronous: DFAR is UNKNOWN and where it is taken is only bounded by
   * the ISB, so only the kind and DFSR are printed. */
  printf("  guest: %s DFSR=%03lx\n", guest_exc.kind == 4 ? "data-abort" : "other", (unsigned long)(guest_exc.dfsr & 0x1e0f));
  clear_logs();
  P("HCR.VA after", HCR_R() >> 8 & 1);

  /* A physical SGI while the guest runs with IRQs masked: IMO takes it to Hyp. */
  HCR_W(HCR_VM | HCR_IMO);
  REG(GICD + 0xf00) = 2u << 24 | 3; /* SGI 3 to this CPU */
  run_guest(g_masked_nops, 0);
  print_guest_ids("SGI 3 with IMO");
  HCR_W(HCR_VM);
  return 0;
}
