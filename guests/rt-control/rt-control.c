/* rt-control: a bare-metal real-time guest. A 1 kHz periodic task driven by the generic timer's
 * virtual timer (CNTV_CVAL/CNTV_CTL, PPI 11 = INTID 27) through the GICv2 of the virt board.
 *
 * Each period the IRQ handler
 *   - records the wake-up latency: CNTVCT at handler entry (read by the first instructions of
 *     rt-vectors.S) minus the compare value that fired, in counter ticks and, via CNTFRQ, in ns;
 *   - programs the next absolute deadline, compare += period, so the period never drifts;
 *   - runs a fixed amount of control work: a sensor filter and a fixed-point PID step on a
 *     simulated first-order plant;
 *   - counts a deadline miss when it started, or its work finished, at or after the next deadline.
 * The idle loop sleeps in WFI and prints a report line every REPORT_EVERY periods:
 *   rt-control: periods=1000 misses=0 latency_ns min=.. avg=.. max=.. hist=US:N,... work_ns max=.. y=..
 * (figures cumulative since the start; hist lists the non-empty 1 us latency buckets, "50+" is
 * the overflow bucket; work_ns is handler entry to the end of the control work; y is the plant
 * output, Q16, a function of the period number only, so the same on every emulator).
 *
 * Run length: `periods=N` on the semihosting command line (SYS_GET_CMDLINE, which newlib's crt0
 * turns into argv: qemu -append / partita --append), else the compile-time RT_PERIODS; 0 means
 * forever (the default, for use inside a VM). After N periods the program exits with status 0.
 * Integers only: no floating point anywhere in the handler.
 *
 * The platform is newlib's system-call layer, and nothing else: printf/fflush reach the console
 * through _write, main's return and exit() end the run through _exit, argv is the command line.
 * Built with rdimon (rt-control-arm-O2.elf) that is semihosting; built with the VM runtime of
 * guests/vm/lib (rt-control-uart-arm-O2.elf) it is the PL011, PSCI SYSTEM_OFF and no argv. */
#include <stdint.h>
#include "../common/virtual-timer.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef RT_PERIODS
#define RT_PERIODS 0
#endif
#define RATE_HZ 1000
#define REPORT_EVERY 1000
#define HIST_BUCKETS 50 /* 1 us each; index HIST_BUCKETS is the overflow bucket (>= 50 us) */

/* GICv2 on the virt board (ARM IHI 0048B, register map 4.1.2 / 4.1.3). */
#define GICD 0x08000000u
#define GICC 0x08010000u
#define GICD_CTLR 0x000
#define GICD_ISENABLER 0x100
#define GICD_IPRIORITYR 0x400
#define GICC_CTLR 0x000
#define GICC_PMR 0x004
#define GICC_IAR 0x00c
#define GICC_EOIR 0x010
#define REG32(a) (*(volatile uint32_t *)(a))
#define REG8(a) (*(volatile uint8_t *)(a))
/* The virtual timer's interrupt: PPI 11, INTID 16 + 11 = 27 (virt's device tree, and the
 * Cortex-A15 TRM's PPI assignment). */
#define VTIMER_INTID 27
#define SPURIOUS_INTID 1023

/* Generic timer CP15 registers (ARM ARM B4.1.21-B4.1.36). */
static inline uint32_t cntfrq(void) {
  uint32_t v;
  __asm__ volatile("mrc p15, 0, %0, c14, c0, 0" : "=r"(v));
  return v;
}

extern void rt_install_vectors(void);

struct stats {
  uint32_t periods, misses;
  uint32_t min_ns, max_ns;
  uint32_t max_work_ns; /* handler entry to the end of the control work */
  uint64_t sum_ns;
  uint32_t hist[HIST_BUCKETS + 1];
  int32_t y; /* plant output, Q16 */
};

/* Written by the handler only. */
static struct stats live = {.min_ns = UINT32_MAX};
static uint64_t compare;        /* the deadline programmed in CNTV_CVAL */
static uint64_t period_ticks;
static uint32_t counter_hz;
static uint32_t period_limit;   /* 0: forever */
/* Handed from the handler to the idle loop (read with IRQs masked). */
static struct stats report;
static volatile int report_ready, done;

/* ---- the control work: a fixed amount each period ---- */

#define Q16(x) ((int32_t)((x) * 65536))
#define FILTER_TAPS 16
static int32_t plant_y, plant_u;         /* simulated plant: output and actuator, Q16 */
static int32_t samples[FILTER_TAPS];     /* sensor history for the moving-average filter */
static int32_t pid_integral, pid_prev_error;

static int32_t clamp(int32_t v, int32_t lo, int32_t hi) { return v < lo ? lo : v > hi ? hi : v; }
static int32_t qmul(int32_t a, int32_t b) { return (int32_t)(((int64_t)a * b) >> 16); }

/* One period: the setpoint steps between 1.0 and 0 every 400 periods; the sensor reads the plant
 * with a small deterministic ripple, a 16-tap moving average filters it, a PID computes the
 * actuator value (clamped, with anti-windup), and the first-order plant (tau = 50 periods) moves. */
static void control_step(uint32_t k) {
  int32_t setpoint = (k / 400) % 2 ? 0 : Q16(1.0);
  int32_t ripple = (int32_t)((k * 2654435761u) >> 22) - 512; /* +-1/128 in Q16 */
  for (int i = FILTER_TAPS - 1; i > 0; i--) samples[i] = samples[i - 1];
  samples[0] = plant_y + ripple;
  int32_t measured = 0;
  for (int i = 0; i < FILTER_TAPS; i++) measured += samples[i] / FILTER_TAPS;

  int32_t error = setpoint - measured;
  pid_integral = clamp(pid_integral + error / 16, -Q16(4.0), Q16(4.0));
  int32_t derivative = error - pid_prev_error;
  pid_prev_error = error;
  plant_u = clamp(qmul(Q16(2.0), error) + qmul(Q16(0.5), pid_integral) + qmul(Q16(0.25), derivative), -Q16(4.0), Q16(4.0));
  plant_y += qmul(plant_u - plant_y, Q16(1.0 / 50));
}

/* ---- the periodic task ---- */

static uint32_t ticks_to_ns(uint64_t ticks) { return (uint32_t)(ticks * 1000000000u / counter_hz); }

static void record_latency(uint64_t ticks) {
  uint32_t ns = ticks_to_ns(ticks);
  if (ns < live.min_ns) live.min_ns = ns;
  if (ns > live.max_ns) live.max_ns = ns;
  live.sum_ns += ns;
  uint32_t bucket = ns / 1000;
  live.hist[bucket < HIST_BUCKETS ? bucket : HIST_BUCKETS]++;
}

static void periodic_task(uint64_t entry) {
  uint64_t deadline = compare + period_ticks;
  record_latency(entry - compare);
  /* The next absolute deadline. Writing CNTV_CVAL clears the timer condition (CNTVCT >= CVAL,
   * B8.2.4), so the level interrupt is gone before the EOI and it does not fire again at once.
   * A handler late by a whole period sees the next compare already in the past: the timer
   * fires again immediately and the period is caught up (and counted as a miss below). */
  compare = deadline;
  cntv_cval(compare);

  control_step(live.periods);
  live.periods++;
  live.y = plant_y;
  uint64_t finished = cntvct();
  uint32_t work_ns = ticks_to_ns(finished - entry);
  if (work_ns > live.max_work_ns) live.max_work_ns = work_ns;
  if (entry >= deadline || finished >= deadline) live.misses++;

  int last = period_limit != 0 && live.periods >= period_limit;
  if (last) cntv_ctl(0), done = 1;
  if (live.periods % REPORT_EVERY == 0 || last) {
    report = live;
    report_ready = 1;
  }
}

/* Called by rt-vectors.S with CNTVCT as read at handler entry. */
void rt_irq(uint64_t entry) {
  /* Acknowledge (IHI 0048B 3.2.4): GICC_IAR gives the INTID and makes it active. A spurious
   * ID (1023) needs no EOI. */
  uint32_t iar = REG32(GICC + GICC_IAR);
  uint32_t id = iar & 0x3ff;
  if (id == SPURIOUS_INTID) return;
  if (id == VTIMER_INTID) periodic_task(entry);
  REG32(GICC + GICC_EOIR) = iar;
}

/* ---- set-up and the idle loop ---- */

/* Called by rt-vectors.S for any exception but the IRQ: a bug in this program. */
void rt_unexpected_exception(void) __attribute__((noreturn));
void rt_unexpected_exception(void) {
  printf("rt-control: unexpected exception\n");
  exit(1);
}

static uint32_t periods_from_cmdline(int argc, char **argv) {
  for (int i = 0; i < argc; i++)
    if (strncmp(argv[i], "periods=", 8) == 0) return (uint32_t)strtoul(argv[i] + 8, 0, 0);
  return RT_PERIODS;
}

static void print_report(const struct stats *s) {
  printf("rt-control: periods=%lu misses=%lu latency_ns min=%lu avg=%lu max=%lu hist=", (unsigned long)s->periods, (unsigned long)s->misses,
         (unsigned long)(s->periods ? s->min_ns : 0), (unsigned long)(s->periods ? s->sum_ns / s->periods : 0), (unsigned long)s->max_ns);
  const char *sep = "";
  for (int b = 0; b <= HIST_BUCKETS; b++) {
    if (s->hist[b] == 0) continue;
    if (b < HIST_BUCKETS) printf("%s%d:%lu", sep, b, (unsigned long)s->hist[b]);
    else printf("%s%d+:%lu", sep, HIST_BUCKETS, (unsigned long)s->hist[b]);
    sep = ",";
  }
  printf(" work_ns max=%lu y=%ld\n", (unsigned long)s->max_work_ns, (long)s->y);
  fflush(stdout);
}

int main(int argc, char **argv) {
  period_limit = periods_from_cmdline(argc, argv);
  counter_hz = cntfrq();
  period_ticks = counter_hz / RATE_HZ;
  printf("rt-control: rate=%dHz cntfrq=%lu period_ticks=%lu periods=%lu\n", RATE_HZ, (unsigned long)counter_hz, (unsigned long)period_ticks,
         (unsigned long)period_limit);
  fflush(stdout);

  __asm__ volatile("cpsid i" ::: "memory");
  rt_install_vectors();
  /* GIC (IHI 0048B 4.3, 4.4): forward interrupts from the distributor, give INTID 27 a priority
   * above the CPU interface's mask (lower value = higher priority) and enable it (PPIs are banked
   * per CPU, and the timer's PPI is level-sensitive on virt), then enable the CPU interface. */
  REG32(GICD + GICD_CTLR) = 1;
  REG8(GICD + GICD_IPRIORITYR + VTIMER_INTID) = 0x80;
  REG32(GICD + GICD_ISENABLER) = 1u << VTIMER_INTID;
  REG32(GICC + GICC_PMR) = 0xf0;
  REG32(GICC + GICC_CTLR) = 1;

  /* First deadline one period from now; ENABLE=1, IMASK=0 (B4.1.30 CNTV_CTL). */
  compare = cntvct() + period_ticks;
  cntv_cval(compare);
  cntv_ctl(CNTV_CTL_ENABLE);

  for (;;) {
    /* WFI with CPSR.I set: a pending IRQ still wakes the processor (ARM ARM B1.8.13), and an
     * IRQ cannot slip in between the check and the WFI. The IRQ is taken at CPSIE I. */
    __asm__ volatile("cpsid i" ::: "memory");
    if (!report_ready && !done) __asm__ volatile("wfi" ::: "memory");
    struct stats s;
    int ready = report_ready, finished = done;
    if (ready) s = report, report_ready = 0;
    __asm__ volatile("cpsie i" ::: "memory");
    if (ready) print_report(&s);
    if (finished && !report_ready) break;
  }
  __asm__ volatile("cpsid i" ::: "memory");
  REG32(GICC + GICC_CTLR) = 0;
  return 0;
}
