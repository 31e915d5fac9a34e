/* Probing accesses that may fault, for the MMU guests: each probe runs one access under TRIGGER()
 * (vectors.h), then records what happened — the exception kind and, for an abort, the fault
 * status and address the handler saw — in `results` for printing afterwards. */
#ifndef ACCESS_PROBE_H
#define ACCESS_PROBE_H

#include <stdint.h>
#include "vectors.h"

#define MCR(crn, opc1, crm, opc2, v) __asm__ volatile("mcr p15, " #opc1 ", %0, " #crn ", " #crm ", " #opc2 "\n\tisb" : : "r"(v) : "memory")
#define MRC(crn, opc1, crm, opc2) ({ uint32_t v_; __asm__ volatile("mrc p15, " #opc1 ", %0, " #crn ", " #crm ", " #opc2 : "=r"(v_)); v_; })

struct result { const char *what; uint32_t kind, fsr, far, value; };
static struct result results[64];
static int nresults;

static void note(const char *what, uint32_t value, int is_prefetch) {
  struct result *r = &results[nresults++];
  r->what = what;
  r->kind = exc_record.kind;
  r->fsr = exc_record.kind == 0 ? 0 : is_prefetch ? exc_record.ifsr : exc_record.dfsr;
  r->far = exc_record.kind == 0 ? 0 : is_prefetch ? exc_record.ifar : exc_record.dfar;
  r->value = value;
  exc_clear();
}

static __attribute__((unused)) void load(uint32_t va, const char *what) {
  uint32_t at = TRIGGER("ldr r0, [%2]", va);
  (void)at;
  __asm__ volatile("" ::: "memory");
  note(what, exc_record.kind == 0 ? *(volatile uint32_t *)va : 0xeeeeeeee, 0);
}

static __attribute__((unused)) void store(uint32_t va, const char *what) {
  uint32_t at = TRIGGER("mov r0, #0x5a\n\tstr r0, [%2]", va);
  (void)at;
  note(what, 0, 0);
}

static __attribute__((unused)) void loadt(uint32_t va, const char *what) {
  uint32_t at = TRIGGER("ldrt r0, [%2]", va);
  (void)at;
  note(what, 0, 0);
}

static __attribute__((unused)) void storet(uint32_t va, const char *what) {
  uint32_t at = TRIGGER("mov r0, #0x5a\n\tstrt r0, [%2]", va);
  (void)at;
  note(what, 0, 0);
}

/* Branches to `va`, where the guest placed code returning with "bx lr" (in Thumb builds at +8). */
static __attribute__((unused)) void call(uint32_t va, const char *what) {
#ifdef __thumb__
  uint32_t target = va + 8 + 1;
#else
  uint32_t target = va;
#endif
  uint32_t at = TRIGGER("blx %2", target);
  (void)at;
  note(what, 0, 1);
}

#endif
