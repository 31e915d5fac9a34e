/* The C half of the guests' tiny hypervisor (see hyp.h and hyp-entry.S). */
#include <stdlib.h>
#include "hyp.h"

struct hyp_trap hyp_log[HYP_LOG_SIZE];
int hyp_nlog;
int (*hyp_trap_hook)(struct hyp_frame *f, const struct hyp_trap *t);
void (*hyp_interrupt_hook)(unsigned vector, struct hyp_frame *f);
void (*guest_interrupt_hook)(unsigned kind);
volatile uint32_t guest_resume, guest_at;
volatile struct guest_exception guest_exc;
static int total_traps;

#define EC(hsr) ((hsr) >> 26)
#define HSR_IL (1u << 25)
enum { EC_SVC = 0x11, EC_HVC = 0x12 };

static void fail(const char *why) {
  printf("%s\n", why);
  exit(1);
}

/* Returns nonzero to end the guest run (its HVC #0xfff), 0 to ERET to the frame. */
int hyp_exception(unsigned vector, struct hyp_frame *f) {
  if (vector == 6 || vector == 7) {
    if (!hyp_interrupt_hook) fail(vector == 6 ? "unexpected IRQ in Hyp mode" : "unexpected FIQ in Hyp mode");
    hyp_interrupt_hook(vector, f);
    return 0;
  }
  struct hyp_trap t = {vector, HSR_R(), HDFAR_R(), HIFAR_R(), HPFAR_R(), f->elr, f->spsr, guest_at};
  /* The guest's return: its HVC #0xfff, or from User mode (where HVC is UNDEFINED) under HCR.TGE
   * the UNDEFINED trap of that HVC. */
  if (vector == 5 && f->elr == ((uint32_t)guest_exit & ~1u) + (EC(t.hsr) == EC_HVC ? 4 : 0)) return 1;
  if (vector == 5 && EC(t.hsr) == EC_HVC && (t.hsr & 0xffff) == 0xffe) {
    print_guest_exception();
    fail("guest exception with nowhere to resume");
  }
  if (++total_traps > 2000) fail("runaway: more than 2000 traps");
  if (hyp_nlog < HYP_LOG_SIZE) hyp_log[hyp_nlog++] = t;
  if (hyp_trap_hook && hyp_trap_hook(f, &t)) return 0;
  if (guest_resume) {
    f->elr = guest_resume & ~1u;
    f->spsr = (f->spsr & ~0x20u) | (guest_resume & 1u) << 5; /* SPSR.T: the state to resume in */
    guest_resume = 0;
  } else if (!(vector == 5 && (EC(t.hsr) == EC_HVC || EC(t.hsr) == EC_SVC))) {
    f->elr += t.hsr & HSR_IL ? 4 : 2;
  }
  return 0;
}

uint32_t run_guest(uint32_t (*fn)(uint32_t), uint32_t arg) {
  CP_WRITE(p15, 0, c12, c0, 0, (uint32_t)guest_vectors); /* VBAR */
  return run_guest_mode(fn, arg, MODE_SVC | PSR_MASK_AIF);
}

static void print_at(const char *name, uint32_t addr, uint32_t at) {
  if (at && addr - at < 0x100) printf(" %s=at+%lu", name, (unsigned long)(addr - at));
  else printf(" %s=%08lx", name, (unsigned long)addr);
}

void print_traps(const char *what) {
  printf("%s:", what);
  if (hyp_nlog == 0) printf(" no trap");
  for (int i = 0; i < hyp_nlog; i++) {
    const struct hyp_trap *t = &hyp_log[i];
    uint32_t ec = EC(t->hsr);
    /* IL is UNK/SBZP for an unknown reason, a prefetch abort and a data abort without a valid
     * ISS (B3.13.6 "HSR.IL"): not printed. */
    int il_valid = ec != 0 && ec != 0x20 && ec != 0x21 && !((ec == 0x24 || ec == 0x25) && !(t->hsr & 1u << 24));
    printf("%s v%lu EC=%02lx IL=%c ISS=%07lx", i ? "\n  " : "", (unsigned long)t->vector, (unsigned long)ec,
           il_valid ? '0' + (int)(t->hsr >> 25 & 1) : '-', (unsigned long)(t->hsr & 0x1ffffff));
    /* HDFAR/HIFAR are valid only for their abort, HPFAR only for a stage 2 fault (taken from a
     * PL1/PL0 mode, EC 0x20/0x24) (B4.1.68, B4.1.69, B4.1.71); elsewhere they are UNKNOWN. */
    if (ec == 0x24 || ec == 0x25) printf(" HDFAR=%08lx", (unsigned long)t->hdfar);
    if (ec == 0x20 || ec == 0x21) printf(" HIFAR=%08lx", (unsigned long)t->hifar);
    if (ec == 0x20 || ec == 0x24) printf(" HPFAR=%08lx", (unsigned long)t->hpfar);
    print_at("ELR", t->elr, t->at);
    printf(" SPSR=%03lx", (unsigned long)(t->spsr & 0x1ff));
  }
  printf("\n");
  hyp_nlog = 0;
  guest_at = 0;
}

void print_guest_exception(void) {
  static const char *const kinds[] = {"none", "undefined", "svc", "prefetch-abort", "data-abort"};
  if (guest_exc.count == 0) {
    printf("  guest: no exception\n");
    return;
  }
  printf("  guest: %s x%lu", kinds[guest_exc.kind < 5 ? guest_exc.kind : 0], (unsigned long)guest_exc.count);
  print_at("LR", guest_exc.lr, guest_at);
  printf(" SPSR=%03lx", (unsigned long)(guest_exc.spsr & 0x1ff));
  if (guest_exc.kind == 4) printf(" DFSR=%03lx DFAR=%08lx", (unsigned long)(guest_exc.dfsr & 0x1e0f), (unsigned long)guest_exc.dfar);
  if (guest_exc.kind == 3) printf(" IFSR=%03lx IFAR=%08lx", (unsigned long)(guest_exc.ifsr & 0x1e0f), (unsigned long)guest_exc.ifar);
  printf("\n");
  guest_exc.count = 0;
  guest_exc.kind = 0;
}

void clear_logs(void) {
  hyp_nlog = 0;
  guest_exc.count = 0;
  guest_exc.kind = 0;
  guest_at = 0;
  guest_resume = 0;
}

/* The guest's interrupt entry (hyp-entry.S), in its IRQ or FIQ mode. */
void guest_interrupt(unsigned kind) {
  if (guest_interrupt_hook) guest_interrupt_hook(kind);
  else __asm__ volatile("hvc #0xffe");
}
