/* More of the short-descriptor MMU (ARM ARM B3.5-B3.10): TTBR1 by TTBCR.N, supersections, large
 * pages, domains (manager, no access, domain number in the FSR), PXN, SCTLR.AFE access flag
 * faults, unprivileged LDRT/STRT, alignment faults with the MMU on, non-global entries and ASIDs,
 * User-mode loads, stores and fetches, TLB maintenance by MVA (inside a supersection), by ASID,
 * by MVA for all ASIDs and all, and ATS1CPR/CPW/CUR/CUW with the raw PAR. Results are recorded with the MMU on, printed after. */
#include <stdio.h>
#include <stdint.h>
#include <string.h>
#include "access-probe.h"

static uint32_t ttb0[4096] __attribute__((aligned(16384)));
static uint32_t ttb1[4096] __attribute__((aligned(16384)));
static uint32_t l2[256] __attribute__((aligned(1024)));

#define SECTION 0x2u
#define NORMAL_NC (1u << 12)
#define DEVICE (1u << 2)
#define AP(a) ((((a) & 4u) << 13) | (((a) & 3u) << 10)) /* section AP[2:0] */
#define PAGE_AP(a) ((((a) & 4u) << 7) | (((a) & 3u) << 4))
#define XN_SECTION (1u << 4)
#define NG_SECTION (1u << 17)
#define SUPER (1u << 18)
#define DOMAIN(d) ((uint32_t)(d) << 5)
#define PA 0x46000000u

static uint32_t pars[16];
static const char *par_names[16];
static int npars;

#define TLBI(crm, opc2, v) __asm__ volatile("dsb\n\tmcr p15, 0, %0, c8, " #crm ", " #opc2 "\n\tdsb\n\tisb" : : "r"(v) : "memory")

static void ats(uint32_t op, uint32_t va, const char *what) {
  uint32_t par = 0xffffffff;
  switch (op) {
    case 0: MCR(c7, 0, c8, 0, va); break;
    case 1: MCR(c7, 0, c8, 1, va); break;
    case 2: MCR(c7, 0, c8, 2, va); break;
    default: MCR(c7, 0, c8, 3, va); break;
  }
  par = MRC(c7, 0, c4, 0);
  par_names[npars] = what;
  pars[npars++] = par;
}
static void put(uint32_t pa, uint32_t v) { *(volatile uint32_t *)pa = v; }

int main(void) {
  exc_install();
  exc_clear();
  for (uint32_t i = 0; i < 4096; i++) {
    uint32_t attrs = (i >= 0x400 && i < 0x480) ? NORMAL_NC : DEVICE;
    ttb0[i] = (i << 20) | attrs | AP(3) | DOMAIN(0) | SECTION;
    ttb1[i] = 0;
  }
  /* TTBCR.N = 1: TTBR0 below 0x80000000, TTBR1 above; ttb0[0x800] must never be used. */
  ttb0[0x800] = (PA + 0x500000) | NORMAL_NC | AP(3) | SECTION;
  ttb1[0x800] = PA | NORMAL_NC | AP(3) | SECTION;
  /* supersection 0x82000000 -> 0x47000000 (16 copies) */
  for (int i = 0; i < 16; i++) ttb1[0x820 + i] = 0x47000000u | SUPER | NORMAL_NC | AP(3) | SECTION;
  /* coarse table at 0x81000000 in domain 0: large page 0x81010000 -> PA+0x210000; small pages */
  memset(l2, 0, sizeof l2);
  for (int i = 16; i < 32; i++) l2[i] = (PA + 0x210000) | PAGE_AP(3) | (1u << 12) | 0x1;
  l2[0] = (PA + 0x200000) | PAGE_AP(3) | 0x2;
  l2[1] = (PA + 0x201000) | PAGE_AP(3) | 0x3;                /* small page, XN (bit 0) */
  ttb1[0x810] = (uint32_t)(uintptr_t)l2 | DOMAIN(0) | 0x1;
  ttb1[0x811] = (uint32_t)(uintptr_t)l2 | DOMAIN(3) | 0x1;   /* same table, domain 3: no access */
  ttb1[0x812] = (uint32_t)(uintptr_t)l2 | DOMAIN(7) | 0x1 | 0x4; /* PXN table in domain 7 (client) */
  /* manager domain 2: AP=000 and XN ignored */
  ttb1[0x830] = (PA + 0x300000) | NORMAL_NC | AP(0) | XN_SECTION | DOMAIN(2) | SECTION;
  ttb1[0x831] = (PA + 0x300000) | NORMAL_NC | AP(3) | DOMAIN(5) | SECTION;   /* domain 5: no access */
  ttb1[0x832] = (PA + 0x300000) | NORMAL_NC | AP(3) | SECTION | 0x1;         /* PXN section */
  ttb1[0x833] = (PA + 0x300000) | NORMAL_NC | AP(1) | SECTION;               /* PL1 only */
  ttb1[0x834] = (PA + 0x300000) | NORMAL_NC | AP(2) | SECTION;               /* PL0 read-only */
  ttb1[0x835] = (PA + 0x300000) | NORMAL_NC | AP(6) | SECTION;               /* read-only everywhere */
  ttb1[0x836] = (PA + 0x300000) | NORMAL_NC | AP(4) | SECTION;               /* reserved: no access */
  /* non-global section 0x84000000 */
  ttb1[0x840] = (PA + 0x400000) | NORMAL_NC | AP(3) | NG_SECTION | SECTION;
  ttb1[0x841] = (PA + 0x400000) | NORMAL_NC | AP(3) | SECTION;
  /* simplified model sections (for SCTLR.AFE=1): AP[0]=0 access flag fault, AP[2:1] */
  ttb1[0x850] = (PA + 0x300000) | NORMAL_NC | AP(2) | SECTION;  /* AP[2:1]=01 AP[0]=0 */
  ttb1[0x851] = (PA + 0x300000) | NORMAL_NC | AP(1) | SECTION;  /* AP[2:1]=00 AP[0]=1: PL1 RW */
  ttb1[0x852] = (PA + 0x300000) | NORMAL_NC | AP(7) | SECTION;  /* AP[2:1]=11: RO everywhere */
  ttb1[0x853] = (uint32_t)(uintptr_t)l2 | DOMAIN(0) | 0x1;
  l2[2] = (PA + 0x202000) | PAGE_AP(2) | 0x2;                    /* page AP[0]=0 */

  put(PA, 0x11110000);
  put(PA + 0x500000, 0xbad00000);
  put(0x47345678 & ~3u, 0x22220000);
  put(0x47ff0000, 0x22223333);
  put(PA + 0x21fff0, 0x33330000);
  put(PA + 0x200000, 0x33331111);
  put(PA + 0x300000, 0xe12fff1e); /* bx lr (ARM) */
  put(PA + 0x300008, 0x47704770); /* bx lr (Thumb) */
  put(PA + 0x300010, 0x44440000);
  put(PA + 0x400000, 0x55550000);
  put(PA + 0x600000, 0x66660000);
  put(PA + 0x700000, 0x77770000);

  MCR(c2, 0, c0, 2, 0x21);        /* N=1 (and PD1, which QEMU's virt without EL3 ignores) */
  uint32_t ttbcr = MRC(c2, 0, c0, 2);
  MCR(c2, 0, c0, 2, 1);
  MCR(c2, 0, c0, 0, (uint32_t)(uintptr_t)ttb0);
  MCR(c2, 0, c0, 1, (uint32_t)(uintptr_t)ttb1);
  MCR(c3, 0, c0, 0, 0x1 | (0x3 << 4) | (0x1 << 14)); /* d0 client, d2 manager, d7 client */
  MCR(c13, 0, c0, 1, 1);          /* CONTEXTIDR: ASID 1 */
  TLBI(c7, 0, 0);
  uint32_t sctlr = MRC(c1, 0, c0, 0);
  MCR(c1, 0, c0, 0, sctlr | 1);

  load(0x80000010, "TTBR1 section read");
  load(0x82345678, "supersection read");
  load(0x82ff0000, "supersection end read");
  load(0x8101fff0, "large page read");
  load(0x81000000, "small page read");
  load(0x81100000, "domain 3 page table read");
  load(0x81200000, "domain 7 page (PXN table) read");
  call(0x81201000, "fetch XN small page");
  load(0x83000010, "manager AP=000 read");
  store(0x83000014, "manager AP=000 write");
  call(0x83000000, "fetch manager XN section");
  load(0x83100000, "domain 5 read");
  call(0x83200000, "fetch PXN section at PL1");
  load(0x83200010, "PXN section read");
  loadt(0x83300010, "LDRT PL1-only");
  load(0x83300010, "LDR PL1-only");
  loadt(0x83400010, "LDRT PL0 read-only");
  storet(0x83400010, "STRT PL0 read-only");
  store(0x83400010, "STR PL0 read-only (PL1 RW)");
  store(0x83500010, "STR read-only");
  loadt(0x83500010, "LDRT read-only");
  load(0x83600010, "AP=100 read");
  load(0x8200fff0, "supersection before remap");
  put(PA + 0x300010, 0x44440000);

  /* alignment faults with the MMU on */
  MCR(c1, 0, c0, 0, sctlr | 1 | 2);
  load(0x80000002, "unaligned LDR, SCTLR.A=1");
  load(0x90000002, "unaligned LDR unmapped, A=1");
  MCR(c1, 0, c0, 0, sctlr | 1);
  load(0x80000ffe, "unaligned LDR across pages, A=0");
  load(0x81000ffe, "unaligned LDR into XN page");
  load(0x81001ffe, "unaligned LDR into AP[0]=0 page");
  load(0x81002ffe, "unaligned LDR into invalid page");
  store(0x81002ffe, "unaligned STR into invalid page");

  /* TLB maintenance: remap and invalidate in each way, then read again */
  load(0x84000000, "nG section, ASID 1");
  load(0x84100000, "global section");
  ttb1[0x840] = (PA + 0x600000) | NORMAL_NC | AP(3) | NG_SECTION | SECTION;
  ttb1[0x841] = (PA + 0x600000) | NORMAL_NC | AP(3) | SECTION;
  TLBI(c7, 2, 1);                 /* TLBIASID 1: nG entry only */
  load(0x84000000, "nG after TLBIASID");
  TLBI(c7, 1, 0x84100000 | 9);    /* TLBIMVA with another ASID still drops a global entry */
  load(0x84100000, "global after TLBIMVA asid 9");
  ttb1[0x840] = (PA + 0x700000) | NORMAL_NC | AP(3) | NG_SECTION | SECTION;
  TLBI(c7, 3, 0x84000000);        /* TLBIMVAA */
  load(0x84000000, "nG after TLBIMVAA");
  ttb1[0x840] = (PA + 0x400000) | NORMAL_NC | AP(3) | NG_SECTION | SECTION;
  TLBI(c3, 1, 0x84000001);        /* TLBIMVAIS, ASID 1 */
  load(0x84000000, "nG after TLBIMVAIS");
  MCR(c13, 0, c0, 1, 2);          /* ASID 2 */
  load(0x84000000, "nG, ASID 2");
  ttb1[0x840] = (PA + 0x600000) | NORMAL_NC | AP(3) | NG_SECTION | SECTION;
  TLBI(c3, 2, 2);                 /* TLBIASIDIS 2 */
  load(0x84000000, "nG after TLBIASIDIS");
  for (int i = 0; i < 16; i++) ttb1[0x820 + i] = 0x46000000u | SUPER | NORMAL_NC | AP(3) | SECTION;
  TLBI(c6, 1, 0x82ff0000 | 2);    /* DTLBIMVA inside the supersection */
  load(0x8200fff0, "supersection after DTLBIMVA");
  ttb1[0x841] = (PA + 0x700000) | NORMAL_NC | AP(3) | SECTION;
  TLBI(c3, 0, 0);                 /* TLBIALLIS */
  load(0x84100000, "global after TLBIALLIS");
  ttb1[0x841] = (PA + 0x400000) | NORMAL_NC | AP(3) | SECTION;
  TLBI(c5, 0, 0);                 /* ITLBIALL */
  TLBI(c6, 0, 0);                 /* DTLBIALL */
  load(0x84100000, "global after I/DTLBIALL");

  ats(0, 0x80000abc, "ATS1CPR TTBR1 section");
  ats(0, 0x82345678, "ATS1CPR supersection");
  ats(0, 0x8101f123, "ATS1CPR large page");
  ats(1, 0x83500000, "ATS1CPW read-only");
  ats(2, 0x83300000, "ATS1CUR PL1-only");
  ats(3, 0x83400000, "ATS1CUW PL0 read-only");
  ats(2, 0x83400000, "ATS1CUR PL0 read-only");
  ats(0, 0x83100000, "ATS1CPR domain 5");
  ats(0, 0x81100000, "ATS1CPR domain 3 table");
  ats(1, 0x83000000, "ATS1CPW manager");
  ats(0, 0x81002000, "ATS1CPR invalid page");
  ats(0, 0x7ff00000, "ATS1CPR TTBR0 top");

  /* User mode: PL0 permissions for loads, stores and fetches; SVC #0xfe returns to SVC mode */
  __asm__ volatile("mov r0, sp\n\tcps #0x1f\n\tmov sp, r0\n\tcps #0x10" : : : "r0", "memory");
  load(0x83300010, "User LDR PL1-only");
  load(0x83400010, "User LDR PL0 read-only");
  store(0x83400010, "User STR PL0 read-only");
  call(0x83300000, "User fetch PL1-only");
  call(0x83400000, "User fetch PL0 read-only");
  call(0x83200000, "User fetch PXN section");
  load(0x83000010, "User LDR manager domain");
  __asm__ volatile("adr r12, 9f\n\tstr r12, [%0]\n\tsvc #0xfe\n9:" : : "r"(&exc_resume) : "r12", "lr", "memory", "cc");
  exc_clear();

  /* SCTLR.AFE: the simplified access permissions model */
  MCR(c1, 0, c0, 0, sctlr | 1 | (1u << 29));
  load(0x85000000, "AFE AP[0]=0 section");
  load(0x85100000, "AFE PL1 RW section");
  loadt(0x85100000, "AFE LDRT PL1 RW section");
  store(0x85200000, "AFE RO section write");
  load(0x85302000, "AFE AP[0]=0 page");
  call(0x83200000, "AFE fetch PXN");
  ats(0, 0x85000000, "AFE ATS1CPR AP[0]=0");
  MCR(c1, 0, c0, 0, sctlr);
  TLBI(c7, 0, 0);

  printf("mmu (short descriptors, more): TTBCR after writing 0x21: %08lx\n", (unsigned long)ttbcr);
  for (int i = 0; i < nresults; i++) {
    const struct result *r = &results[i];
    if (r->kind == 0) printf("  %-32s ok     value %08lx\n", r->what, (unsigned long)r->value);
    else printf("  %-32s %-14s FSR %03lx FAR %08lx\n", r->what, exc_kinds[r->kind], (unsigned long)r->fsr, (unsigned long)r->far);
  }
  for (int i = 0; i < npars; i++) printf("  %-32s PAR %08lx\n", par_names[i], (unsigned long)pars[i]);
  return 0;
}
