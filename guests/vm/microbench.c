/* microbench: micro-benchmarks of the hypervisor under a VM, in processor cycles.
 *
 * The clock is the cycle counter PMCCNTR (ARM ARM B4.1.113; C12): in Partita one instruction is
 * one cycle and the hypervisor's work adds the cycles it charges (src/hypervisor/trap-costs.ts),
 * so the figures are exact and the same on every run. Each benchmark runs MB_ITERATIONS times
 * and prints one line
 *     microbench: <name> n=<iterations> min=<cycles> avg=<cycles> max=<cycles>
 * in this order:
 *   hypercall  HVC #0 with PSCI_VERSION and back: the cycles between two PMCCNTR reads around
 *              it (the first read and the MOV of the function ID included);
 *   mmio-uart  a load of the PL011's UARTFR (emulated: the access traps at stage 2), the same way;
 *   mmio-gicd  a load of the virtual distributor's GICD_TYPER, the same way;
 *   vtimer     virtual-timer interrupt latency: CNTV_CVAL a little ahead, then a loop that stores
 *              PMCCNTR every five instructions until the handler has run; the latency is the
 *              count the IRQ entry reads (microbench.S) minus the loop's last store;
 *   eoi-ack    in that handler, GICC_EOIR of the timer's interrupt and the GICC_IAR read of the
 *              next (spurious) one, between two PMCCNTR reads: the VM's CPU interface is the GIC's
 *              virtual one (GICV), reached without a trap;
 *   ipi        a virtual SGI from vCPU 0 to vCPU 1 (on two physical CPUs): vCPU 0's cycles for its
 *              GICD_SGIR write plus vCPU 1's cycles from the interrupted code (its sampling loop's
 *              last store) to its IRQ handler, i.e. the latency if both ran side by side and the
 *              physical SGI took no time to cross; the line adds send_avg= and recv_avg=.
 * Then vCPU 1 powers itself off and the program ends with exit status 0: 1 if a timer interrupt
 * came before CNTVCT reached its compare value (a benchmark whose interrupt never comes never
 * ends). The VM needs two vCPUs for the ipi benchmark; with one it prints
 * `microbench: ipi skipped (one vCPU)`. */
#include <stdint.h>
#include "../common/virtual-timer.h"
#include "vm.h"

#ifndef MB_ITERATIONS
#define MB_ITERATIONS 1000
#endif

/* GICv2 (ARM IHI 0048B, 4.1.2 / 4.1.3) where a VM and the virt board have it. */
#define GICD 0x08000000u
#define GICC 0x08010000u
#define GICD_CTLR 0x000
#define GICD_TYPER 0x004
#define GICD_ISENABLER 0x100
#define GICD_IPRIORITYR 0x400
#define GICD_SGIR 0xf00
#define GICC_CTLR 0x000
#define GICC_PMR 0x004
#define GICC_IAR 0x00c
#define GICC_EOIR 0x010
#define SPURIOUS_INTID 1023u
#define VTIMER_INTID 27u /* PPI 11 on virt */
#define BENCH_SGI 1u
#define UARTFR 0x018
#define REG8(a) (*(volatile uint8_t *)(a))
/* Ticks of CNTVCT from arming the timer to its compare point (16 ns each at 62.5 MHz). */
#define TIMER_DELAY_TICKS 64u

void mb_install_vectors(uint32_t irq_stack_top);
void mb_sample_until(volatile uint32_t *last, volatile uint32_t *stop);
void mb_secondary_entry(void);
extern char mb_irq_stack_top[], mb_secondary_irq_stack_top[];

static inline uint32_t pmccntr(void) {
  uint32_t v;
  __asm__ volatile("mrc p15, 0, %0, c9, c13, 0" : "=r"(v) : : "memory");
  return v;
}

/* PMCR.E and .C (B4.1.117): counting on, the cycle counter cleared; PMCNTENSET.C (bit 31). */
static void cycle_counter_on(void) {
  __asm__ volatile("mcr p15, 0, %0, c9, c12, 0" : : "r"(5u));
  __asm__ volatile("mcr p15, 0, %0, c9, c12, 1\n\tisb" : : "r"(0x80000000u));
}


struct series {
  uint32_t n, min, max;
  uint64_t sum;
};

static void add(struct series *s, uint32_t cycles) {
  if (s->n == 0 || cycles < s->min) s->min = cycles;
  if (cycles > s->max) s->max = cycles;
  s->sum += cycles;
  s->n++;
}

static uint32_t average(const struct series *s) { return s->n ? (uint32_t)(s->sum / s->n) : 0; }

static void report(const char *name, const struct series *s) {
  vm_printf("microbench: %s n=%lu min=%lu avg=%lu max=%lu", name, s->n, s->min, average(s), s->max);
}

/* ---- interrupts (both vCPUs; each runs the handler on its own IRQ stack) ---- */

static volatile uint32_t timer_last, timer_fired, timer_early;
static volatile uint64_t timer_compare;
static volatile uint32_t ipi_last, ipi_received, ipi_recv_cycles;
static struct series vtimer, eoi_ack;

void mb_irq(uint32_t entry);
void mb_irq(uint32_t entry) {
  uint32_t iar = REG32(GICC + GICC_IAR);
  uint32_t id = iar & 0x3ff;
  if (id == VTIMER_INTID) {
    add(&vtimer, entry - timer_last);
    if (cntvct() < timer_compare) timer_early++; /* the interrupt before its compare point */
    cntv_ctl(0); /* the timer's level drops before its EOI deactivates the physical interrupt */
    uint32_t t0 = pmccntr();
    REG32(GICC + GICC_EOIR) = iar;
    uint32_t next = REG32(GICC + GICC_IAR);
    uint32_t t1 = pmccntr();
    add(&eoi_ack, t1 - t0);
    if ((next & 0x3ff) != SPURIOUS_INTID) REG32(GICC + GICC_EOIR) = next;
    timer_fired = 1;
  } else if (id == BENCH_SGI) {
    ipi_recv_cycles = entry - ipi_last;
    ipi_last = 0; /* the loop's next store says it runs again */
    REG32(GICC + GICC_EOIR) = iar;
    ipi_received++;
  } else if (id != SPURIOUS_INTID) {
    REG32(GICC + GICC_EOIR) = iar;
  }
}

void mb_unexpected_exception(void) __attribute__((noreturn));
void mb_unexpected_exception(void) {
  vm_puts("microbench: unexpected exception\n");
  vm_exit(1);
}

/* Priority 0x80 for `id` and the CPU interface open below 0xf0 (IHI 0048B 4.3.11, 4.4.2). */
static void gic_cpu_on(uint32_t id) {
  REG8(GICD + GICD_IPRIORITYR + id) = 0x80;
  REG32(GICC + GICC_PMR) = 0xf0;
  REG32(GICC + GICC_CTLR) = 1;
}

/* ---- the benchmarks on vCPU 0 ---- */

static void bench_hypercall(void) {
  struct series s = {0};
  for (int i = 0; i < MB_ITERATIONS; i++) {
    uint32_t t0, t1;
    __asm__ volatile("mrc p15, 0, %0, c9, c13, 0\n\t"
                     "mov r0, %2\n\t"
                     "hvc #0\n\t"
                     "mrc p15, 0, %1, c9, c13, 0"
                     : "=&r"(t0), "=r"(t1)
                     : "r"(PSCI_VERSION)
                     : "r0", "r1", "r2", "r3", "memory");
    add(&s, t1 - t0);
  }
  report("hypercall", &s);
  vm_printf("\n");
}

static void bench_load(const char *name, uint32_t address) {
  struct series s = {0};
  for (int i = 0; i < MB_ITERATIONS; i++) {
    uint32_t t0, t1, v;
    __asm__ volatile("mrc p15, 0, %0, c9, c13, 0\n\t"
                     "ldr %2, [%3]\n\t"
                     "mrc p15, 0, %1, c9, c13, 0"
                     : "=&r"(t0), "=r"(t1), "=&r"(v)
                     : "r"(address)
                     : "memory");
    add(&s, t1 - t0);
  }
  report(name, &s);
  vm_printf("\n");
}

static void bench_vtimer(void) {
  REG32(GICD + GICD_ISENABLER) = 1u << VTIMER_INTID;
  gic_cpu_on(VTIMER_INTID);
  __asm__ volatile("cpsie i" ::: "memory");
  for (int i = 0; i < MB_ITERATIONS; i++) {
    timer_fired = 0;
    timer_compare = cntvct() + TIMER_DELAY_TICKS;
    cntv_cval(timer_compare);
    cntv_ctl(CNTV_CTL_ENABLE); /* IMASK clear (B4.1.30) */
    mb_sample_until(&timer_last, &timer_fired);
  }
  __asm__ volatile("cpsid i" ::: "memory");
  report("vtimer", &vtimer);
  vm_printf("\n");
  report("eoi-ack", &eoi_ack);
  vm_printf("\n");
  if (timer_early) vm_printf("microbench: vtimer fired early %lu times\n", timer_early);
}

/* ---- the IPI: vCPU 1 waits in its sampling loop, vCPU 0 sends ---- */

static volatile uint32_t secondary_ready, secondary_stop;

void mb_secondary(void);
void mb_secondary(void) {
  mb_install_vectors((uint32_t)mb_secondary_irq_stack_top);
  cycle_counter_on();
  gic_cpu_on(BENCH_SGI); /* SGIs are always enabled (IHI 0048B 4.3.5) */
  __asm__ volatile("cpsie i" ::: "memory");
  secondary_ready = 1;
  mb_sample_until(&ipi_last, &secondary_stop);
  __asm__ volatile("cpsid i" ::: "memory");
  REG32(GICC + GICC_CTLR) = 0;
  secondary_ready = 0;
  vm_hvc(PSCI_CPU_OFF, 0, 0, 0);
  for (;;) continue;
}

static int bench_ipi(void) {
  uint32_t r = vm_hvc(PSCI_CPU_ON, 1, (uint32_t)mb_secondary_entry, 0);
  if (r != 0) {
    vm_printf("microbench: ipi skipped (one vCPU)\n");
    return 0;
  }
  while (!secondary_ready) continue;
  struct series send = {0}, recv = {0}, total = {0};
  for (uint32_t i = 0; i < MB_ITERATIONS; i++) {
    while (ipi_last == 0) continue; /* vCPU 1 is back in its loop */
    uint32_t t0, t1;
    __asm__ volatile("mrc p15, 0, %0, c9, c13, 0\n\t"
                     "str %2, [%3]\n\t"
                     "mrc p15, 0, %1, c9, c13, 0"
                     : "=&r"(t0), "=r"(t1)
                     : "r"((2u << 16) | BENCH_SGI), "r"(GICD + GICD_SGIR) /* CPUTargetList = vCPU 1 (4.3.15) */
                     : "memory");
    while (ipi_received == i) continue;
    add(&send, t1 - t0);
    add(&recv, ipi_recv_cycles);
    add(&total, t1 - t0 + ipi_recv_cycles);
  }
  secondary_stop = 1;
  while (secondary_ready) continue;
  report("ipi", &total);
  vm_printf(" send_avg=%lu recv_avg=%lu\n", average(&send), average(&recv));
  return 0;
}

int main(void) {
  __asm__ volatile("cpsid i" ::: "memory");
  mb_install_vectors((uint32_t)mb_irq_stack_top);
  cycle_counter_on();
  REG32(GICD + GICD_CTLR) = 1;
  bench_hypercall();
  bench_load("mmio-uart", VM_UART + UARTFR);
  bench_load("mmio-gicd", GICD + GICD_TYPER);
  bench_vtimer();
  return bench_ipi() | (timer_early != 0);
}
