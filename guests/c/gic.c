/* The GICv2 of QEMU's virt board, with interrupts masked at the processor (CPSR.I/F = 1) so
 * everything is observed by polling: identification and reset values, which register bits are
 * writable, SGIs to self, priorities and the priority mask, preemption under the binary point,
 * the running priority and active-priority registers, pending/active state, the EOImode split
 * (EOIR drops priority, DIR deactivates), edge/level configuration, Group 1 and AckCtl, and the
 * processor's IRQ/FIQ inputs as CP15 ISR shows them. Prints register values only. */
#include <stdio.h>
#include <stdint.h>

#define GICD 0x08000000u
#define GICC 0x08010000u
#define REG(a) (*(volatile uint32_t *)(a))
#define P(name, v) printf("%-28s %08lx\n", name, (unsigned long)(v))

static uint32_t isr(void) { uint32_t v; __asm__ volatile("mrc p15, 0, %0, c12, c1, 0" : "=r"(v)); return v; }
static void sgi_self(unsigned id) { REG(GICD + 0xf00) = (2u << 24) | id; } /* TargetListFilter 2: this CPU */
static void prio(unsigned id, uint8_t p) { *(volatile uint8_t *)(GICD + 0x400 + id) = p; }
static void apr(const char *when) {
  printf("%-28s %08lx %08lx %08lx %08lx / ns %08lx %08lx %08lx %08lx\n", when, (unsigned long)REG(GICC + 0xd0), (unsigned long)REG(GICC + 0xd4),
         (unsigned long)REG(GICC + 0xd8), (unsigned long)REG(GICC + 0xdc), (unsigned long)REG(GICC + 0xe0), (unsigned long)REG(GICC + 0xe4),
         (unsigned long)REG(GICC + 0xe8), (unsigned long)REG(GICC + 0xec));
}

int main(void) {
  __asm__ volatile("cpsid if" ::: "memory");
  /* 1. identification and reset values */
  P("GICD_TYPER", REG(GICD + 0x004));
  P("GICD_IIDR", REG(GICD + 0x008));
  P("GICD_PIDR4 (0xfd0)", REG(GICD + 0xfd0));
  P("GICD_PIDR0-2", REG(GICD + 0xfe0) | REG(GICD + 0xfe4) << 8 | REG(GICD + 0xfe8) << 16);
  P("GICD_CIDR0-3", REG(GICD + 0xff0) | REG(GICD + 0xff4) << 8 | REG(GICD + 0xff8) << 16 | REG(GICD + 0xffc) << 24);
  P("GICC_IIDR", REG(GICC + 0xfc));
  P("GICD_CTLR reset", REG(GICD + 0x000));
  P("GICD_ISENABLER0 reset", REG(GICD + 0x100));
  P("GICD_ICFGR0", REG(GICD + 0xc00));
  P("GICD_ICFGR1", REG(GICD + 0xc04));
  P("GICD_ICFGR2", REG(GICD + 0xc08));
  P("GICD_ITARGETSR0", REG(GICD + 0x800));
  P("GICD_ITARGETSR8", REG(GICD + 0x820));
  P("GICD_IGROUPR0 reset", REG(GICD + 0x080));
  P("GICC_CTLR reset", REG(GICC + 0x000));
  P("GICC_PMR reset", REG(GICC + 0x004));
  P("GICC_BPR reset", REG(GICC + 0x008));
  P("GICC_ABPR reset", REG(GICC + 0x01c));
  P("GICC_RPR idle", REG(GICC + 0x014));
  P("GICC_HPPIR idle", REG(GICC + 0x018));
  P("GICC_IAR idle", REG(GICC + 0x00c));

  /* 2. writable bits */
  REG(GICD + 0x000) = 0xffffffff; P("GICD_CTLR all ones", REG(GICD + 0x000));
  REG(GICD + 0x080) = 0xffffffff; P("GICD_IGROUPR0 all ones", REG(GICD + 0x080));
  REG(GICD + 0x080) = 0;
  REG(GICC + 0x000) = 0xffffffff; P("GICC_CTLR all ones", REG(GICC + 0x000));
  REG(GICC + 0x004) = 0xffffffff; P("GICC_PMR all ones", REG(GICC + 0x004));
  REG(GICC + 0x008) = 0; P("GICC_BPR 0", REG(GICC + 0x008));
  REG(GICC + 0x008) = 0xffffffff; P("GICC_BPR all ones", REG(GICC + 0x008));
  REG(GICC + 0x01c) = 0; P("GICC_ABPR 0", REG(GICC + 0x01c));
  REG(GICC + 0x01c) = 0xffffffff; P("GICC_ABPR all ones", REG(GICC + 0x01c));
  REG(GICD + 0x420) = 0xffffffff; P("GICD_IPRIORITYR8 all ones", REG(GICD + 0x420));
  REG(GICD + 0x420) = 0x12345678; P("GICD_IPRIORITYR8 bytes", REG(GICD + 0x420));
  *(volatile uint8_t *)(GICD + 0x421) = 0xa5; P("GICD_IPRIORITYR8 byte 1", REG(GICD + 0x420));
  REG(GICD + 0x820) = 0xffffffff; P("GICD_ITARGETSR8 after write", REG(GICD + 0x820));
  REG(GICD + 0x180) = 0xffffffff; P("ICENABLER0 (SGIs stay)", REG(GICD + 0x100));
  REG(GICD + 0xc08) = 0xaaaaaaaa; P("GICD_ICFGR2 edge", REG(GICD + 0xc08));
  REG(GICD + 0xc08) = 0xffffffff; P("GICD_ICFGR2 all ones", REG(GICD + 0xc08));
  REG(GICD + 0xc08) = 0; P("GICD_ICFGR2 level", REG(GICD + 0xc08));
  REG(GICD + 0xc00) = 0; P("GICD_ICFGR0 (SGIs edge)", REG(GICD + 0xc00));

  /* 3. SGIs to self: priority order, running priority, active priorities */
  REG(GICD + 0x000) = 1;
  REG(GICC + 0x000) = 1;
  REG(GICC + 0x004) = 0xff;
  REG(GICC + 0x008) = 0;
  prio(3, 0x80);
  prio(5, 0x40);
  P("ISR before", isr());
  sgi_self(3);
  sgi_self(5);
  P("ISPENDR0 after 2 SGIs", REG(GICD + 0x200));
  P("SPENDSGIR0", REG(GICD + 0xf20));
  P("SPENDSGIR1", REG(GICD + 0xf24));
  P("HPPIR", REG(GICC + 0x018));
  P("ISR pending", isr());
  REG(GICC + 0x004) = 0x40; P("HPPIR PMR 0x40", REG(GICC + 0x018));
  P("ISR PMR 0x40", isr());
  P("IAR PMR 0x40", REG(GICC + 0x00c));
  REG(GICC + 0x004) = 0xff;
  uint32_t a = REG(GICC + 0x00c); P("IAR 1", a);
  P("RPR", REG(GICC + 0x014));
  P("HPPIR while active", REG(GICC + 0x018));
  P("ISR while active", isr());
  P("IAR (lower prio)", REG(GICC + 0x00c));
  P("ISACTIVER0", REG(GICD + 0x300));
  P("ISPENDR0", REG(GICD + 0x200));
  apr("APR");
  REG(GICC + 0x010) = a;
  P("RPR after EOI", REG(GICC + 0x014));
  uint32_t b = REG(GICC + 0x00c); P("IAR 2", b);
  REG(GICC + 0x010) = b;
  P("ISACTIVER0 after EOIs", REG(GICD + 0x300));
  P("ISR after EOIs", isr());
  REG(GICC + 0x010) = 1023; P("RPR after spurious EOI", REG(GICC + 0x014));

  /* 4. preemption and the binary point: BPR 3 compares priority bits [7:4] */
  REG(GICC + 0x008) = 3;
  prio(1, 0x80);
  prio(2, 0x88);
  sgi_self(1);
  uint32_t c = REG(GICC + 0x00c); P("IAR SGI1 0x80", c);
  P("RPR", REG(GICC + 0x014));
  sgi_self(2);
  P("HPPIR 0x88 pending", REG(GICC + 0x018));
  P("IAR same group prio", REG(GICC + 0x00c));
  prio(4, 0x70);
  sgi_self(4);
  P("ISR higher group prio", isr());
  uint32_t d = REG(GICC + 0x00c); P("IAR preempting 0x70", d);
  P("RPR nested", REG(GICC + 0x014));
  apr("APR nested");
  REG(GICC + 0x010) = d; P("RPR after inner EOI", REG(GICC + 0x014));
  REG(GICC + 0x010) = c; P("RPR after outer EOI", REG(GICC + 0x014));
  uint32_t e = REG(GICC + 0x00c); P("IAR 0x88 now", e);
  REG(GICC + 0x010) = e;
  REG(GICC + 0x008) = 0;

  /* 5. EOImode split: EOIR drops priority only, DIR deactivates */
  REG(GICC + 0x000) = 1 | (1u << 9);
  prio(6, 0x60);
  sgi_self(6);
  uint32_t f = REG(GICC + 0x00c); P("split: IAR", f);
  REG(GICC + 0x010) = f;
  P("split: RPR after EOIR", REG(GICC + 0x014));
  P("split: ISACTIVER0", REG(GICD + 0x300));
  sgi_self(6);
  P("split: IAR while active", REG(GICC + 0x00c));
  P("split: HPPIR while active", REG(GICC + 0x018));
  REG(GICC + 0x1000) = f;
  P("split: ISACTIVER0 after DIR", REG(GICD + 0x300));
  f = REG(GICC + 0x00c); P("split: IAR again", f);
  REG(GICC + 0x010) = f;
  REG(GICC + 0x1000) = f;
  REG(GICC + 0x000) = 1;
  REG(GICC + 0x1000) = 6; P("DIR without EOImode", REG(GICD + 0x300));

  /* 6. SPIs: software pending, enable, active set/clear, level and edge */
  prio(40, 0x50);
  prio(41, 0x50);
  REG(GICD + 0x204) = (1u << 8) | (1u << 9); /* ISPENDR1: IDs 40, 41 */
  P("ISPENDR1", REG(GICD + 0x204));
  P("HPPIR SPIs disabled", REG(GICC + 0x018));
  REG(GICD + 0x104) = (1u << 8) | (1u << 9);
  P("ISENABLER1", REG(GICD + 0x104));
  uint32_t g = REG(GICC + 0x00c); P("IAR SPI (lower ID first)", g);
  P("ISPENDR1 after IAR", REG(GICD + 0x204));
  P("ISACTIVER1", REG(GICD + 0x304));
  REG(GICC + 0x010) = g;
  REG(GICD + 0x284) = 1u << 9; /* ICPENDR1: 41 */
  P("ISPENDR1 after ICPENDR", REG(GICD + 0x204));
  P("IAR nothing", REG(GICC + 0x00c));
  REG(GICD + 0x304) = 1u << 10; P("ISACTIVER1 set 42", REG(GICD + 0x304));
  REG(GICD + 0x384) = 1u << 10; P("ICACTIVER1 clear 42", REG(GICD + 0x304));
  REG(GICD + 0x184) = 0xffffffff; P("ICENABLER1", REG(GICD + 0x104));
  REG(GICD + 0x200) = 0xffff; P("ISPENDR0 SGIs ignored", REG(GICD + 0x200));
  *(volatile uint8_t *)(GICD + 0xf23) = 1; P("SPENDSGIR0 SGI3", REG(GICD + 0xf20));
  P("ISPENDR0", REG(GICD + 0x200));
  *(volatile uint8_t *)(GICD + 0xf13) = 1; P("CPENDSGIR0 SGI3", REG(GICD + 0xf10));
  P("ISPENDR0", REG(GICD + 0x200));

  /* 7. Group 1, AckCtl, FIQEn */
  REG(GICD + 0x000) = 3;
  REG(GICD + 0x080) = 1u << 7; /* SGI 7 in Group 1 */
  prio(7, 0x30);
  REG(GICC + 0x000) = 3; /* EnableGrp0 | EnableGrp1 */
  sgi_self(7);
  P("grp1: HPPIR AckCtl 0", REG(GICC + 0x018));
  P("grp1: AHPPIR", REG(GICC + 0x028));
  P("grp1: ISR", isr());
  P("grp1: AIAR", REG(GICC + 0x020));
  P("grp1: IAR AckCtl 0", REG(GICC + 0x00c));
  REG(GICC + 0x000) = 7; /* + AckCtl */
  P("grp1: HPPIR AckCtl 1", REG(GICC + 0x018));
  uint32_t h = REG(GICC + 0x00c); P("grp1: IAR AckCtl 1", h);
  apr("grp1: APR");
  REG(GICC + 0x010) = h;
  P("grp1: RPR after EOI", REG(GICC + 0x014));
  REG(GICC + 0x000) = 3 | 8; /* FIQEn: Group 0 as FIQ */
  sgi_self(8);
  prio(8, 0x30);
  P("fiq: ISR group 0", isr());
  h = REG(GICC + 0x00c); P("fiq: IAR", h);
  REG(GICC + 0x010) = h;
  P("fiq: ISR after", isr());
  REG(GICC + 0x000) = 0;
  REG(GICD + 0x000) = 0;
  return 0;
}
