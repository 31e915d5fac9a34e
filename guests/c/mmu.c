/* The MMU with short-descriptor tables (ARM ARM B3.5): an identity map of RAM in 1 MiB sections,
 * a remapped section, a coarse table of 4 KiB pages, and the faults each kind of descriptor gives
 * (translation, permission, domain, execute-never), TLB maintenance after a remap, and ATS1CPR
 * address translation. Results are recorded with the MMU on and printed after it is off. */
#include <stdio.h>
#include <stdint.h>
#include <string.h>
#include "vectors.h"

static uint32_t ttb[4096] __attribute__((aligned(16384)));
static uint32_t l2[256] __attribute__((aligned(1024)));

#define SECTION 0x2u
#define NORMAL_NC (1u << 12)          /* TEX=001 C=0 B=0: Normal, non-cacheable */
#define DEVICE (1u << 2)              /* TEX=000 C=0 B=1: Shareable Device */
#define AP_RW (3u << 10)              /* AP[1:0]=11: full access */
#define AP_NONE 0u                    /* AP[2:0]=000: no access */
#define AP_PL1_RO ((1u << 15) | (1u << 10)) /* AP[2:0]=101: PL1 read-only */
#define XN_SECTION (1u << 4)
#define DOMAIN(d) ((uint32_t)(d) << 5)

#define TEST_PA 0x46000000u

struct result { const char *what; uint32_t kind, fsr, far, value; };
static struct result results[32];
static int nresults;

static void cp15_write_ttbr0(uint32_t v) { __asm__ volatile("mcr p15, 0, %0, c2, c0, 0" : : "r"(v)); }
static void cp15_write_ttbcr(uint32_t v) { __asm__ volatile("mcr p15, 0, %0, c2, c0, 2" : : "r"(v)); }
static void cp15_write_dacr(uint32_t v) { __asm__ volatile("mcr p15, 0, %0, c3, c0, 0" : : "r"(v)); }
static uint32_t cp15_read_sctlr(void) { uint32_t v; __asm__ volatile("mrc p15, 0, %0, c1, c0, 0" : "=r"(v)); return v; }
static void cp15_write_sctlr(uint32_t v) { __asm__ volatile("mcr p15, 0, %0, c1, c0, 0\n\tisb" : : "r"(v) : "memory"); }
static void tlbiall(void) { __asm__ volatile("mcr p15, 0, %0, c8, c7, 0\n\tdsb\n\tisb" : : "r"(0) : "memory"); }
static void tlbimva(uint32_t va) { __asm__ volatile("mcr p15, 0, %0, c8, c7, 1\n\tdsb\n\tisb" : : "r"(va) : "memory"); }
/* ATS1CPR then PAR; 0xffffffff if either is UNDEFINED. */
static uint32_t ats1cpr(uint32_t va) {
  uint32_t par = 0xffffffff;
  __asm__ volatile("adr r12, 9f\n\tstr r12, [%2]\n\tmcr p15, 0, %1, c7, c8, 0\n\tisb\n\tmrc p15, 0, %0, c7, c4, 0\n9:"
                   : "+r"(par) : "r"(va), "r"(&exc_resume) : "r12", "memory");
  exc_resume = 0;
  exc_clear();
  return par;
}

static void note(const char *what, uint32_t at_unused, uint32_t value, int is_prefetch) {
  struct result *r = &results[nresults++];
  r->what = what;
  r->kind = exc_record.kind;
  r->fsr = exc_record.kind == 0 ? 0 : is_prefetch ? exc_record.ifsr : exc_record.dfsr;
  r->far = exc_record.kind == 0 ? 0 : is_prefetch ? exc_record.ifar : exc_record.dfar;
  r->value = value;
  (void)at_unused;
  exc_clear();
}

static uint32_t load(uint32_t va, const char *what) {
  volatile uint32_t value = 0xeeeeeeee;
  uint32_t at = TRIGGER("ldr r0, [%2]", va);
  (void)at;
  __asm__ volatile("" ::: "memory");
  value = exc_record.kind == 0 ? *(volatile uint32_t *)va : 0xeeeeeeee;
  note(what, 0, value, 0);
  return value;
}

static void store(uint32_t va, uint32_t v, const char *what) {
  register uint32_t val __asm__("r1") = v;
  (void)val;
  uint32_t at = TRIGGER("mov r0, #0x5a\n\tstr r0, [%2]", va);
  (void)at;
  note(what, 0, 0, 0);
}

int main(void) {
  exc_install();
  exc_clear();
  /* Level 1: identity map, RAM Normal, everything else Device; test sections at 0x80000000. */
  for (uint32_t i = 0; i < 4096; i++) {
    uint32_t attrs = (i >= 0x400 && i < 0x480) ? NORMAL_NC : DEVICE;
    ttb[i] = (i << 20) | attrs | AP_RW | DOMAIN(0) | SECTION;
  }
  ttb[0x800] = TEST_PA | NORMAL_NC | AP_RW | SECTION;                     /* remapped RW */
  ttb[0x801] = (TEST_PA + 0x100000) | NORMAL_NC | AP_NONE | SECTION;      /* no access */
  ttb[0x802] = (TEST_PA + 0x100000) | NORMAL_NC | AP_PL1_RO | SECTION;    /* read-only */
  ttb[0x803] = (TEST_PA + 0x100000) | NORMAL_NC | AP_RW | XN_SECTION | SECTION; /* execute never */
  ttb[0x804] = (TEST_PA + 0x100000) | NORMAL_NC | AP_RW | DOMAIN(1) | SECTION;  /* domain 1: no access */
  ttb[0x900] = 0;                                                          /* translation fault */
  /* a coarse table at 0x81000000: page 0 RW, page 1 no access, page 2 invalid, page 3 read-only */
  memset(l2, 0, sizeof l2);
  l2[0] = (TEST_PA + 0x200000) | (1u << 6) | (3u << 4) | 0x2;
  l2[1] = (TEST_PA + 0x201000) | (1u << 6) | (0u << 4) | 0x2;
  l2[3] = (TEST_PA + 0x202000) | (1u << 6) | (1u << 9) | (1u << 4) | 0x2;
  ttb[0x810] = (uint32_t)(uintptr_t)l2 | DOMAIN(0) | 0x1;

  /* physical memory behind the test mappings */
  *(volatile uint32_t *)TEST_PA = 0x11110000;
  *(volatile uint32_t *)(TEST_PA + 0x100000) = 0x22220000;
  *(volatile uint32_t *)(TEST_PA + 0x200000) = 0x33330000;
  *(volatile uint32_t *)(TEST_PA + 0x202000) = 0x44440000;
  *(volatile uint32_t *)(TEST_PA + 0x300000) = 0x55550000;

  cp15_write_ttbcr(0);
  cp15_write_ttbr0((uint32_t)(uintptr_t)ttb);
  cp15_write_dacr(0x1); /* domain 0 client, others no access */
  tlbiall();
  uint32_t sctlr = cp15_read_sctlr();
  cp15_write_sctlr(sctlr | 1);

  load(0x40000000u + ((uint32_t)(uintptr_t)&results & 0x0fffffff), "identity RAM read");
  load(0x80000000, "section remapped read");
  store(0x80000004, 1, "section remapped write");
  load(0x80100000, "section AP=000 read");
  load(0x80200000, "section PL1 RO read");
  store(0x80200000, 1, "section PL1 RO write");
  load(0x80400000, "section domain 1 read");
  load(0x90000000, "section invalid read");
  store(0x90000010, 1, "section invalid write");
  load(0x81000000, "page RW read");
  store(0x81000008, 1, "page RW write");
  load(0x81001000, "page AP=000 read");
  load(0x81002000, "page invalid read");
  load(0x81003000, "page RO read");
  store(0x81003004, 1, "page RO write");
  {
#ifdef __thumb__
    const uint32_t state = 1; /* stay in Thumb state, so the handler returns to Thumb code */
#else
    const uint32_t state = 0;
#endif
    uint32_t at = TRIGGER("blx %2", 0x80300000 | state);
    (void)at;
    note("branch to XN section", 0, 0, 1);
    at = TRIGGER("blx %2", 0x90000000 | state);
    note("branch to invalid section", 0, 0, 1);
  }
  uint32_t par[6];
  par[0] = ats1cpr(0x80000123);
  par[1] = ats1cpr(0x81000456);
  par[2] = ats1cpr(0x90000000);
  par[3] = ats1cpr(0x81002000);
  par[4] = ats1cpr(0x80100000);

  /* remap 0x80000000 to TEST_PA + 3 MiB, invalidate that entry, read again */
  ttb[0x800] = (TEST_PA + 0x300000) | NORMAL_NC | AP_RW | SECTION;
  __asm__ volatile("dsb" ::: "memory");
  tlbimva(0x80000000);
  load(0x80000000, "after remap + TLBIMVA");
  par[5] = ats1cpr(0x80000000);

  cp15_write_sctlr(sctlr);
  tlbiall();

  printf("mmu (short descriptors):\n");
  for (int i = 0; i < nresults; i++) {
    const struct result *r = &results[i];
    if (r->kind == 0) printf("  %-28s ok     value %08lx\n", r->what, (unsigned long)r->value);
    else printf("  %-28s %-14s FSR %03lx FAR %08lx\n", r->what, exc_kinds[r->kind], (unsigned long)r->fsr, (unsigned long)r->far);
  }
  static const char *const par_names[] = {"0x80000123", "0x81000456", "0x90000000", "0x81002000", "0x80100000", "0x80000000 after remap"};
  for (int i = 0; i < 6; i++) {
    /* PA and F; fault status when F=1. (PAR's memory attribute bits are IMPLEMENTATION DEFINED.) */
    uint32_t p = par[i];
    if (p == 0xffffffff) printf("  ATS1CPR %-22s UNDEFINED\n", par_names[i]);
    else if (p & 1) printf("  ATS1CPR %-22s fault, FS %02lx\n", par_names[i], (unsigned long)((p >> 1) & 0x3f));
    else printf("  ATS1CPR %-22s PA %08lx\n", par_names[i], (unsigned long)(p & 0xfffff000));
  }
  printf("mmu off: identity again: %08lx\n", (unsigned long)*(volatile uint32_t *)TEST_PA);
  return 0;
}
