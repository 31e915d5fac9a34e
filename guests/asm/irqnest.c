/* Nested interrupts through the GICv2 (irqnest.S has the vector table): SGIs sent to this CPU
 * at three priorities. The handler for the lowest one unmasks IRQs, so a higher-priority SGI it
 * sends preempts it; an SGI sent from that inner handler, of a priority between the two, waits
 * until the inner one's EOI drops the running priority, then preempts the outer handler. The
 * log of handler entries/exits (and the running priority each saw) shows the order. */
#include <stdio.h>
#include <stdint.h>

#define GICD 0x08000000u
#define GICC 0x08010000u
#define REG(a) (*(volatile uint32_t *)(a))

extern char irqnest_vectors[];
static volatile uint32_t events[32];
static volatile int nevents;

static void sgi_self(unsigned id) { REG(GICD + 0xf00) = (2u << 24) | id; }
static void note(uint32_t v) { if (nevents < 32) events[nevents++] = v; }

void irqnest_handler(uint32_t iar) {
  uint32_t id = iar & 0x3ff;
  note(0x1000 | id);
  note(0x2000 | REG(GICC + 0x14)); /* GICC_RPR */
  if (id == 1) {
    sgi_self(2);
    __asm__ volatile("cpsie i\n\tisb" ::: "memory");
    for (volatile int i = 0; i < 200; i++) {
    }
    __asm__ volatile("cpsid i" ::: "memory");
  } else if (id == 2) {
    sgi_self(3);
    for (volatile int i = 0; i < 50; i++) {
    }
    note(0x4000 | (REG(GICC + 0x18) & 0x3ff)); /* GICC_HPPIR: SGI 3 waits */
  }
  note(0x3000 | id);
}

int main(void) {
  __asm__ volatile("cpsid i" ::: "memory");
  __asm__ volatile("mcr p15, 0, %0, c12, c0, 0\n\tisb" : : "r"(irqnest_vectors)); /* VBAR */
  REG(GICD + 0x000) = 1;
  *(volatile uint8_t *)(GICD + 0x401) = 0xa0;
  *(volatile uint8_t *)(GICD + 0x402) = 0x40;
  *(volatile uint8_t *)(GICD + 0x403) = 0x60;
  REG(GICC + 0x004) = 0xf0;
  REG(GICC + 0x000) = 1;
  sgi_self(1);
  __asm__ volatile("cpsie i\n\tisb" ::: "memory");
  for (volatile int i = 0; i < 100; i++) {
  }
  __asm__ volatile("cpsid i" ::: "memory");
  for (int i = 0; i < nevents; i++) {
    uint32_t e = events[i];
    const char *what = (e >> 12) == 1 ? "enter" : (e >> 12) == 2 ? "  running priority" : (e >> 12) == 3 ? "exit" : "  highest pending";
    printf("%s %lx\n", what, (unsigned long)(e & 0xfff));
  }
  printf("RPR at end %lx, active %lx\n", (unsigned long)REG(GICC + 0x14), (unsigned long)REG(GICD + 0x300));
  return 0;
}
