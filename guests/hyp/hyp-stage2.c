/* Stage 2 translation (ARM ARM B3.6, B3.7.1 "Stage 2 translation"), seen from a PL1 guest with
 * its own stage 1 off and on: remapping, translation and Access flag faults at each level,
 * S2AP against loads and stores at each level, S2AP combined with stage 1 AP, XN at stage 2
 * and stage 1, faults on the stage 1 table walk (S1PTW, and HCR.PTW for tables in Device
 * memory), VMIDs and the TLB maintenance a hypervisor must do (TLBIALLNSNH, TLBIMVA by the
 * guest), the ATS12NSO* address translations into PAR, and Hyp's own stage 1 (HTTBR, HTCR,
 * HMAIR0, HSCTLR.M) with its faults and TLBIMVAH/TLBIALLH. Every read is done after the
 * maintenance the architecture requires, so a stale TLB entry would show as a wrong value. */
#include "lib/hyp.h"

/* Three physical pages with different contents, and a page of code ("bx lr"). */
static uint32_t page_a[1024] __attribute__((aligned(4096)));
static uint32_t page_b[1024] __attribute__((aligned(4096)));
static uint32_t page_c[1024] __attribute__((aligned(4096)));
static uint32_t page_code[1024] __attribute__((aligned(4096)));
/* The guest's stage 1 second-level table for the test megabyte (B3.5.1 small pages), alone in
 * a 2 MiB stage 2 block, so a stage 2 fault on the walk is at level 2 at both stages (QEMU 7.2
 * reports the stage 1 walk's level for stage 2 faults on a short-descriptor walk, where B3.13.6
 * asks for the stage 2 level: keeping the two equal leaves that out of the comparison). */
#define S1_L2_BLOCK 0x47400000u
static uint32_t *const s1_l2 = (uint32_t *)S1_L2_BLOCK;

#define TEST_MB 0x47c00000u  /* IPA (and VA) of the test pages: level 3 at stage 2 */
#define T(n) (TEST_MB + (n) * 0x1000u)
#define BLOCK_L2 0x47a00000u /* a 2 MiB stage 2 block */
#define BLOCK_L1 0x80000000u /* a 1 GiB stage 2 block (onto RAM) */

static volatile uint32_t gval;
static void g_load(uint32_t va) {
  gval = 0xdeaddead;
  GTRY3("ldr r0, [r1]\n\tstr r0, [r2]", 0, va, &gval);
}
static void g_store(uint32_t va) { GTRY("str r0, [r1]", 0x5a5a0000u | (va >> 12 & 0xffff), va); }
static void g_exec(uint32_t va) { GTRY("blx r1", 0, va); }
static void g_loadt(uint32_t va) { GTRY("ldrt r0, [r1]", 0, va); }

static uint32_t vw(uint32_t (*fn)(uint32_t)) { return (uint32_t)fn; }
static void probe(const char *what, void (*fn)(uint32_t), uint32_t va) {
  run_guest((uint32_t(*)(uint32_t))fn, va);
  print_traps(what);
  if (fn == g_load) printf("  value %08lx\n", (unsigned long)gval);
  print_guest_exception();
}
static void s2_set(uint32_t ipa, int level, uint64_t desc) {
  *lpae_entry(s2_root, ipa, level) = desc;
  TLBIALLNSNH();
}
static uint64_t page(void *pa, uint64_t attrs) { return (uint32_t)pa | attrs | LPAE_PAGE; }

/* The guest's stage 1: the test megabyte through s1_l2 (small pages, identity, or onto `pa`). */
static void s1_small(uint32_t va, uint32_t pa, uint32_t ap, int xn) {
  /* Small page (B3.5.1): AP[2] bit 9, AP[1:0] bits 5:4, TEX 001 C B normal WB, XN bit 0. */
  s1_l2[(va >> 12) & 0xff] = (pa & ~0xfffu) | (ap >> 2 & 1) << 9 | (ap & 3) << 4 | 1u << 6 | 3u << 2 | 2u | (xn ? 1u : 0);
  DSB();
  TLBIALLNSNH();
}
static void s1_build(void) {
  guest_stage1_build();
  for (uint32_t i = 0; i < 256; i++) s1_l2[i] = 0;
  for (uint32_t i = 0; i < 256; i++) s1_small(TEST_MB + i * 0x1000, TEST_MB + i * 0x1000, 3, 0);
  s1_root[TEST_MB >> 20] = (uint32_t)s1_l2 | 1u; /* page table descriptor, domain 0 */
  DSB();
}

static uint64_t par(void) { return CP_READ64(p15, 0, c7); }
static void print_par(const char *what) {
  uint64_t p = par();
  /* PAR, LPAE format (B4.1.113): F, and on a fault FST, S2WLK, FSTAGE; else the PA. The memory
   * attributes and shareability are left out (combined from both stages; not compared). */
  if (p & 1) printf("%-28s F=1 FST=%02lx S2WLK=%lu FSTAGE=%lu\n", what, (unsigned long)(p >> 1 & 0x3f), (unsigned long)(p >> 8 & 1), (unsigned long)(p >> 9 & 1));
  else printf("%-28s PA=%010llx\n", what, (unsigned long long)(p & 0xfffffff000ull));
}

static void hyp_stage1(void);

int main(void) {
  for (int i = 0; i < 1024; i++) {
    page_a[i] = 0xaaaa0000u | i;
    page_b[i] = 0xbbbb0000u | i;
    page_c[i] = 0xcccc0000u | i;
  }
  page_code[0] = 0xe12fff1e; /* bx lr */
  DSB();
  CP_WRITE(p15, 0, c7, c5, 0, 0); /* ICIALLU */

  stage2_build();
  for (int n = 0; n < 16; n++) lpae_map(s2_root, T(n), (uint32_t)page_a, 0x1000, 3, S2_RAM);
  stage2_enable(1);
  HCR_W(HCR_VM);

  printf("-- stage 1 off\n");
  probe("T0 -> page_a, load", g_load, T(0));
  s2_set(T(0), 3, page(page_b, S2_RAM));
  probe("T0 -> page_b, load", g_load, T(0));
  probe("T0+0x10 load", g_load, T(0) + 0x10);
  probe("level 1 translation fault", g_load, 0xc0000000u);
  probe("level 2 translation fault", g_load, 0x48000000u);
  s2_set(T(1), 3, 0);
  probe("level 3 translation fault", g_load, T(1) + 8);
  probe("level 3 translation, store", g_store, T(1) + 8);
  lpae_map(s2_root, BLOCK_L1, RAM_BASE, 0x40000000u, 1, S2_RAM & ~LPAE_AF);
  lpae_map(s2_root, BLOCK_L2, BLOCK_L2, 0x200000u, 2, S2_RAM & ~LPAE_AF);
  s2_set(T(2), 3, page(page_a, S2_RAM & ~LPAE_AF));
  probe("level 1 block, AF=0", g_load, BLOCK_L1 + 0x7c00000u);
  probe("level 2 block, AF=0", g_store, BLOCK_L2 + 0x40);
  probe("level 3 page, AF=0", g_load, T(2));
  for (uint32_t ap = 0; ap < 4; ap++) {
    char what[40];
    s2_set(T(3), 3, page(page_c, (S2_RAM & ~S2AP(3)) | S2AP(ap)));
    snprintf(what, sizeof what, "level 3 S2AP=%lu load", (unsigned long)ap);
    probe(what, g_load, T(3) + 4);
    snprintf(what, sizeof what, "level 3 S2AP=%lu store", (unsigned long)ap);
    probe(what, g_store, T(3) + 4);
    lpae_map(s2_root, BLOCK_L2, BLOCK_L2, 0x200000u, 2, (S2_RAM & ~S2AP(3)) | S2AP(ap));
    TLBIALLNSNH();
    snprintf(what, sizeof what, "level 2 S2AP=%lu load", (unsigned long)ap);
    probe(what, g_load, BLOCK_L2 + 0x80);
    snprintf(what, sizeof what, "level 2 S2AP=%lu store", (unsigned long)ap);
    probe(what, g_store, BLOCK_L2 + 0x80);
    lpae_map(s2_root, BLOCK_L1, RAM_BASE, 0x40000000u, 1, (S2_RAM & ~S2AP(3)) | S2AP(ap));
    TLBIALLNSNH();
    snprintf(what, sizeof what, "level 1 S2AP=%lu load", (unsigned long)ap);
    probe(what, g_load, BLOCK_L1 + 0x7c00000u);
    snprintf(what, sizeof what, "level 1 S2AP=%lu store", (unsigned long)ap);
    probe(what, g_store, BLOCK_L1 + 0x7c00000u);
  }
  s2_set(T(4), 3, page(page_code, S2_RAM));
  probe("execute, stage 2 XN=0", g_exec, T(4));
  s2_set(T(4), 3, page(page_code, S2_RAM | LPAE_XN));
  probe("execute, stage 2 XN=1", g_exec, T(4));
  s2_set(T(4), 3, page(page_code, (S2_RAM & ~S2AP(3)) | S2AP(2)));
  probe("execute, stage 2 S2AP=2", g_exec, T(4));

  printf("-- VMIDs and TLB maintenance\n");
  s2_set(T(5), 3, page(page_a, S2_RAM));
  probe("VMID 1, T5 -> page_a", g_load, T(5));
  *lpae_entry(s2_root, T(5), 3) = page(page_b, S2_RAM);
  TLBIALLNSNHIS();
  probe("VMID 1, T5 -> page_b", g_load, T(5));
  *lpae_entry(s2_root, T(5), 3) = page(page_c, S2_RAM);
  DSB();
  stage2_enable(2); /* a VMID not used before: no TLB entries */
  probe("VMID 2, T5 -> page_c", g_load, T(5));
  TLBIALLNSNH();
  stage2_enable(1);
  probe("VMID 1 after TLBIALLNSNH", g_load, T(5));

  printf("-- stage 1 on\n");
  s1_build();
  for (int n = 0; n < 16; n++) *lpae_entry(s2_root, T(n), 3) = page((void *)T(n), S2_RAM);
  s2_set(T(0), 3, page(page_a, S2_RAM));
  guest_stage1_enable();
  probe("S1 identity, S2 T0 -> page_a", g_load, T(0) + 0x20);
  s1_small(T(6), T(0), 3, 0);
  probe("S1 T6 -> T0 -> page_a", g_load, T(6) + 0x24);
  struct { uint32_t s1ap, s2ap; const char *name; } combos[] = {
      {3, 3, "S1 RW, S2 RW"}, {3, 1, "S1 RW, S2 RO"}, {5, 3, "S1 RO, S2 RW"}, {5, 1, "S1 RO, S2 RO"}, {1, 0, "S1 PL1 only, S2 none"}, {3, 2, "S1 RW, S2 WO"},
  };
  for (unsigned i = 0; i < sizeof combos / sizeof combos[0]; i++) {
    char what[48];
    s1_small(T(7), T(7), combos[i].s1ap, 0);
    s2_set(T(7), 3, page(page_c, (S2_RAM & ~S2AP(3)) | S2AP(combos[i].s2ap)));
    snprintf(what, sizeof what, "%s load", combos[i].name);
    probe(what, g_load, T(7) + 0x30);
    snprintf(what, sizeof what, "%s store", combos[i].name);
    probe(what, g_store, T(7) + 0x30);
    snprintf(what, sizeof what, "%s LDRT", combos[i].name);
    probe(what, g_loadt, T(7) + 0x30);
  }
  s2_set(T(4), 3, page(page_code, S2_RAM));
  s1_small(T(4), T(4), 3, 1);
  probe("execute, S1 XN=1, S2 XN=0", g_exec, T(4));
  s1_small(T(4), T(4), 3, 0);
  s2_set(T(4), 3, page(page_code, S2_RAM | LPAE_XN));
  probe("execute, S1 XN=0, S2 XN=1", g_exec, T(4));

  /* The guest changes its own stage 1 and invalidates by MVA (TLBIMVA, B4.2.2). */
  s1_small(T(8), T(5), 3, 0);
  probe("S1 T8 -> T5", g_load, T(8));
  s1_l2[(T(8) >> 12) & 0xff] = (s1_l2[(T(8) >> 12) & 0xff] & 0xfffu) | T(0);
  DSB();
  CP_WRITE(p15, 0, c8, c7, 1, T(8)); /* TLBIMVA from Hyp acts on the current VMID's PL1&0 entries */
  DSB();
  probe("S1 T8 -> T0 after TLBIMVA", g_load, T(8));

  printf("-- stage 1 table walks\n");
  s2_set(S1_L2_BLOCK, 2, 0);
  probe("S1 table unmapped at S2, load", g_load, T(9));
  probe("S1 table unmapped at S2, exec", g_exec, T(4));
  s2_set(S1_L2_BLOCK, 2, S1_L2_BLOCK | (S2_RAM & ~S2AP(3)) | S2AP(2) | LPAE_BLOCK);
  probe("S1 table S2AP=2 (no read)", g_load, T(9));
  s2_set(S1_L2_BLOCK, 2, S1_L2_BLOCK | S2_DEV | LPAE_BLOCK);
  probe("S1 table Device, PTW=0", g_load, T(9));
  HCR_W(HCR_VM | HCR_PTW);
  TLBIALLNSNH();
  probe("S1 table Device, PTW=1", g_load, T(9));
  HCR_W(HCR_VM);
  s2_set(S1_L2_BLOCK, 2, S1_L2_BLOCK | S2_RAM | LPAE_BLOCK);

  printf("-- address translation\n");
  s1_small(T(10), T(10), 5, 0);
  s2_set(T(10), 3, page(page_b, S2_RAM));
  s2_set(T(11), 3, 0);
  s1_small(T(12), T(12), 1, 0);
  s2_set(T(12), 3, page(page_c, S2_RAM));
  GTRY("mcr p15, 0, r0, c7, c8, 4", T(10) + 0x44, 0);
  print_traps("ATS12NSOPR T10");
  print_par("ATS12NSOPR T10");
  GTRY("mcr p15, 0, r0, c7, c8, 5", T(10) + 0x44, 0);
  print_traps("ATS12NSOPW T10 (S1 RO)");
  print_par("ATS12NSOPW T10 (S1 RO)");
  GTRY("mcr p15, 0, r0, c7, c8, 4", T(11), 0);
  print_traps("ATS12NSOPR T11 (S2 fault)");
  print_par("ATS12NSOPR T11 (S2 fault)");
  GTRY("mcr p15, 0, r0, c7, c8, 6", T(12), 0);
  print_traps("ATS12NSOUR T12 (PL1 only)");
  print_par("ATS12NSOUR T12 (PL1 only)");
  GTRY("mcr p15, 0, r0, c7, c8, 7", T(10), 0);
  print_traps("ATS12NSOUW T10");
  print_par("ATS12NSOUW T10");
  GTRY("mcr p15, 0, r0, c7, c8, 4", 0xc0000000u, 0);
  print_traps("ATS12NSOPR unmapped at S1");
  print_par("ATS12NSOPR unmapped at S1");
  GTRY("mcr p15, 0, r0, c7, c8, 4", vw((uint32_t(*)(uint32_t))g_load) & ~1u, 0);
  print_traps("ATS12NSOPR code");
  print_par("ATS12NSOPR code");

  guest_stage1_disable();
  hyp_stage1();
  return 0;
}

/* Hyp's own stage 1 (B3.6, B4.1.74 HTCR, B4.1.62 HSCTLR). */
#define HYP_TEST 0x47d00000u
static void h_load(const char *what, uint32_t va) {
  uint32_t v = 0xdeaddead;
  __asm__ volatile("" ::: "memory");
  GTRY3("ldr r0, [r1]\n\tstr r0, [r2]", 0, va, &v);
  __asm__ volatile("" ::: "memory");
  print_traps(what);
  printf("  value %08lx\n", (unsigned long)v);
}
static void hyp_stage1(void) {
  printf("-- Hyp stage 1\n");
  lpae_t *h1 = lpae_new_table();
  lpae_map(h1, 0, 0, 0x40000000u, 1, H1_DEV);
  lpae_map(h1, RAM_BASE, RAM_BASE, RAM_SIZE, 2, H1_RAM);
  lpae_map(h1, HYP_TEST, (uint32_t)page_a, 0x1000, 3, H1_RAM);
  *lpae_entry(h1, HYP_TEST + 0x1000, 3) = 0;
  lpae_map(h1, HYP_TEST + 0x2000, (uint32_t)page_b, 0x1000, 3, H1_RAM | H1_AP(3));
  lpae_map(h1, HYP_TEST + 0x3000, (uint32_t)page_code, 0x1000, 3, H1_RAM | LPAE_XN);
  lpae_map(h1, HYP_TEST + 0x4000, (uint32_t)page_c, 0x1000, 3, H1_RAM & ~LPAE_AF);
  HMAIR0_W(0x04ffu);                                     /* Attr0 normal write-back, Attr1 Device */
  HTCR_W(0x80000000u | 1u << 8 | 1u << 10 | 3u << 12); /* T0SZ 0, walks WB, inner shareable */
  HTTBR_W((uint32_t)h1);
  TLBIALLH();
  uint32_t hsctlr = HSCTLR_R();
  HSCTLR_W(hsctlr | 1u);
  printf("HSCTLR.M on\n");
  h_load("Hyp HT0 -> page_a", HYP_TEST + 0x8);
  *lpae_entry(h1, HYP_TEST, 3) = (uint32_t)page_c | H1_RAM | LPAE_PAGE;
  TLBIMVAH(HYP_TEST);
  h_load("Hyp HT0 -> page_c after TLBIMVAH", HYP_TEST + 0x8);
  *lpae_entry(h1, HYP_TEST, 3) = (uint32_t)page_b | H1_RAM | LPAE_PAGE;
  TLBIALLH();
  h_load("Hyp HT0 -> page_b after TLBIALLH", HYP_TEST + 0x8);
  h_load("Hyp translation fault", HYP_TEST + 0x1000);
  h_load("Hyp level 2 translation fault", 0x48000000u);
  h_load("Hyp read-only page, load", HYP_TEST + 0x2004);
  GTRY("str r0, [r1]", 0, HYP_TEST + 0x2004);
  print_traps("Hyp read-only page, store");
  h_load("Hyp AF=0", HYP_TEST + 0x4000);
  GTRY("blx r1", 0, HYP_TEST + 0x3000);
  print_traps("Hyp execute XN page");
  GTRY("mcr p15, 4, r0, c7, c8, 0", HYP_TEST + 0x2010, 0);
  print_traps("ATS1HR HT2");
  print_par("ATS1HR HT2");
  GTRY("mcr p15, 4, r0, c7, c8, 1", HYP_TEST + 0x2010, 0);
  print_traps("ATS1HW HT2 (read-only)");
  print_par("ATS1HW HT2 (read-only)");
  HSCTLR_W(hsctlr);
  TLBIALLH();
  printf("HSCTLR.M off\n");
  h_load("Hyp flat", (uint32_t)&page_a[3]);
}
