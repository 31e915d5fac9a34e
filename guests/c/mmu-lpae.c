/* The MMU with long descriptors (LPAE, ARM ARM B3.6): TTBCR.EAE=1, 1 GiB and 2 MiB blocks, 4 KiB
 * pages, translation/access flag/permission faults at each level in the long-descriptor DFSR/IFSR
 * format, AP[2:1], APTable/XNTable/PXNTable, XN/PXN, LDRT, alignment faults, TTBR0/TTBR1 by
 * T0SZ/T1SZ and EPD1, the ASID in TTBR0 with nG blocks and TLB maintenance, and ATS1C** with the
 * 64-bit PAR read by MRRC. Results are recorded with the MMU on and printed after it is off. */
#include <stdio.h>
#include <stdint.h>
#include <string.h>
#include "access-probe.h"

static uint64_t l1[4] __attribute__((aligned(4096)));
static uint64_t l1b[4] __attribute__((aligned(4096)));
static uint64_t l2[512] __attribute__((aligned(4096)));
static uint64_t l2b[512] __attribute__((aligned(4096)));
static uint64_t l3[512] __attribute__((aligned(4096)));
static uint64_t l3b[512] __attribute__((aligned(4096)));

#define VALID 1ull
#define TABLE 3ull
#define BLOCK 1ull
#define PAGE 3ull
#define ATTR(i) ((uint64_t)(i) << 2)
#define AP(a) ((uint64_t)(a) << 6)        /* AP[2:1] */
#define SH(s) ((uint64_t)(s) << 8)
#define AF (1ull << 10)
#define NG (1ull << 11)
#define PXN (1ull << 53)
#define XN (1ull << 54)
#define PXNTABLE (1ull << 59)
#define XNTABLE (1ull << 60)
#define APTABLE(a) ((uint64_t)(a) << 61)
#define PA 0x46000000u
#define RAM_BLOCK (0x40000000ull | ATTR(1) | SH(3) | AF | AP(0) | BLOCK)

static uint32_t par_lo[16], par_hi[16];
static const char *par_names[16];
static int npars;

#define TLBI(crm, opc2, v) __asm__ volatile("dsb\n\tmcr p15, 0, %0, c8, " #crm ", " #opc2 "\n\tdsb\n\tisb" : : "r"(v) : "memory")
static void write_ttbr0(uint64_t v) { __asm__ volatile("mcrr p15, 0, %0, %1, c2\n\tisb" : : "r"((uint32_t)v), "r"((uint32_t)(v >> 32)) : "memory"); }
static void write_ttbr1(uint64_t v) { __asm__ volatile("mcrr p15, 1, %0, %1, c2\n\tisb" : : "r"((uint32_t)v), "r"((uint32_t)(v >> 32)) : "memory"); }

static void ats(uint32_t op, uint32_t va, const char *what) {
  switch (op) {
    case 0: MCR(c7, 0, c8, 0, va); break;
    case 1: MCR(c7, 0, c8, 1, va); break;
    case 2: MCR(c7, 0, c8, 2, va); break;
    default: MCR(c7, 0, c8, 3, va); break;
  }
  uint32_t lo, hi;
  __asm__ volatile("mrrc p15, 0, %0, %1, c7" : "=r"(lo), "=r"(hi));
  par_names[npars] = what;
  par_lo[npars] = lo;
  par_hi[npars++] = hi;
}
static void put(uint32_t pa, uint32_t v) { *(volatile uint32_t *)pa = v; }

int main(void) {
  exc_install();
  exc_clear();
  memset(l1, 0, sizeof l1); memset(l1b, 0, sizeof l1b);
  memset(l2, 0, sizeof l2); memset(l2b, 0, sizeof l2b);
  memset(l3, 0, sizeof l3); memset(l3b, 0, sizeof l3b);
  l1[0] = 0x00000000ull | ATTR(0) | AF | AP(0) | XN | BLOCK;         /* devices */
  l1[1] = RAM_BLOCK;
  l1[2] = (uint32_t)(uintptr_t)l2 | TABLE;
  /* l1[3] invalid */
  l2[0] = (PA + 0x000000) | ATTR(1) | SH(3) | AF | AP(1) | BLOCK;
  l2[1] = (uint32_t)(uintptr_t)l3 | TABLE;
  l2[2] = (PA + 0x400000) | ATTR(1) | AP(1) | BLOCK;                 /* AF=0 */
  l2[3] = (PA + 0x600000) | ATTR(1) | AF | AP(2) | BLOCK;            /* PL1 read-only */
  l2[4] = (PA + 0x600000) | ATTR(1) | AF | AP(1) | XN | BLOCK;
  l2[5] = (PA + 0x600000) | ATTR(1) | AF | AP(1) | PXN | BLOCK;
  l2[6] = (PA + 0x600000) | ATTR(1) | AF | AP(3) | BLOCK;            /* read-only everywhere */
  l2[7] = (uint32_t)(uintptr_t)l3b | APTABLE(1) | TABLE;             /* no PL0 below */
  l2[8] = (uint32_t)(uintptr_t)l3b | APTABLE(2) | TABLE;             /* read-only below */
  l2[9] = (uint32_t)(uintptr_t)l3b | XNTABLE | TABLE;
  l2[10] = (uint32_t)(uintptr_t)l3b | PXNTABLE | TABLE;
  l2[11] = (PA + 0x800000) | ATTR(1) | AF | AP(1) | NG | BLOCK;      /* non-global */
  l2[12] = (PA + 0x800000) | ATTR(2) | SH(2) | AF | AP(1) | BLOCK;
  l2[13] = (PA + 0x800000) | ATTR(5) | SH(0) | AF | AP(1) | BLOCK;
  l2[14] = (PA + 0x800000) | ATTR(1) | AF | AP(0) | BLOCK;           /* PL1 only */
  /* l2[15] invalid */
  l3[0] = (PA + 0x200000) | ATTR(1) | AF | AP(1) | PAGE;
  l3[1] = (PA + 0x201000) | ATTR(1) | AP(1) | PAGE;                  /* AF=0 */
  /* l3[2] invalid */
  l3[3] = (PA + 0x202000) | ATTR(1) | AF | AP(3) | PAGE;
  l3[4] = (PA + 0x202000) | ATTR(1) | AF | AP(1) | BLOCK;            /* 01 at level 3: reserved */
  l3b[0] = (PA + 0x600000) | ATTR(1) | AF | AP(1) | PAGE;

  put(PA, 0x11110000);
  put(PA + 0x200000, 0x22220000);
  put(PA + 0x600000, 0xe12fff1e);
  put(PA + 0x600008, 0x47704770);
  put(PA + 0x600010, 0x33330000);
  put(PA + 0x800000, 0x44440000);
  put(PA + 0xa00000, 0x55550000);
  put(PA + 0xc00000, 0x66660000);

  MCR(c10, 0, c2, 0, 0xeeaa4400);   /* MAIR0 */
  MCR(c10, 0, c2, 1, 0x112233ff);   /* MAIR1 */
  MCR(c2, 0, c0, 2, 0x80000000u);   /* TTBCR: EAE, T0SZ=0 */
  write_ttbr0((uint64_t)(uintptr_t)l1 | (1ull << 48));  /* ASID 1 */
  TLBI(c7, 0, 0);
  uint32_t sctlr = MRC(c1, 0, c0, 0);
  MCR(c1, 0, c0, 0, sctlr | 1);

  load(0x40000000u + ((uint32_t)(uintptr_t)&results & 0x0fffffff), "1 GiB block read");
  load(0x80000010, "2 MiB block read");
  store(0x80000014, "2 MiB block write");
  load(0x80200000, "page read");
  load(0x80201000, "page AF=0 read");
  load(0x80202000, "page invalid read");
  store(0x80203000, "page read-only write");
  load(0x80204000, "level 3 reserved 01 read");
  load(0x80400000, "block AF=0 read");
  store(0x80600010, "block PL1 RO write");
  call(0x80800000, "fetch XN block");
  call(0x80a00000, "fetch PXN block");
  load(0x80a00010, "PXN block read");
  store(0x80c00010, "RO everywhere write");
  loadt(0x80c00010, "LDRT RO everywhere");
  loadt(0x80e00010, "LDRT APTable no PL0");
  load(0x80e00010, "LDR APTable no PL0");
  store(0x81000010, "STR APTable read-only");
  call(0x81200000, "fetch XNTable");
  call(0x81400000, "fetch PXNTable");
  loadt(0x81c00010, "LDRT PL1-only block");
  load(0x81e00000, "level 2 invalid read");
  load(0xc0000000, "level 1 invalid read");
  store(0xc0000004, "level 1 invalid write");
  call(0xc0000000, "fetch level 1 invalid");
  MCR(c1, 0, c0, 0, sctlr | 1 | 2);
  load(0x80000002, "unaligned LDR, SCTLR.A=1");
  MCR(c1, 0, c0, 0, sctlr | 1);

  ats(0, 0x80000123, "ATS1CPR 2 MiB block");
  ats(0, 0x80200456, "ATS1CPR page");
  ats(0, 0x81800000, "ATS1CPR attr 2 SH 2");
  ats(0, 0x81a00000, "ATS1CPR attr 5 SH 0");
  ats(1, 0x80600000, "ATS1CPW PL1 RO");
  ats(2, 0x81c00000, "ATS1CUR PL1-only");
  ats(3, 0x80c00000, "ATS1CUW RO everywhere");
  ats(2, 0x80c00000, "ATS1CUR RO everywhere");
  ats(0, 0x80201000, "ATS1CPR page AF=0");
  ats(0, 0x80202000, "ATS1CPR page invalid");
  ats(0, 0xc0000000, "ATS1CPR level 1 invalid");

  /* ASIDs from TTBR0, nG blocks, TLB maintenance */
  load(0x81600000, "nG block, ASID 1");
  l2[11] = (PA + 0xa00000) | ATTR(1) | AF | AP(1) | NG | BLOCK;
  TLBI(c7, 2, 1);
  load(0x81600000, "nG after TLBIASID 1");
  write_ttbr0((uint64_t)(uintptr_t)l1 | (2ull << 48));
  load(0x81600000, "nG, ASID 2");
  l2[11] = (PA + 0xc00000) | ATTR(1) | AF | AP(1) | NG | BLOCK;
  TLBI(c7, 1, 0x81600000 | 2);
  load(0x81634560, "nG after TLBIMVA in block");
  l2[0] = (PA + 0xa00000) | ATTR(1) | SH(3) | AF | AP(1) | BLOCK;
  TLBI(c7, 3, 0x80000000);
  load(0x80000010, "global after TLBIMVAA");
  l2[0] = (PA + 0x000000) | ATTR(1) | SH(3) | AF | AP(1) | BLOCK;
  TLBI(c3, 0, 0);
  load(0x80000010, "global after TLBIALLIS");

  /* TTBR1: T0SZ=1 and T1SZ=1, then T1SZ=2 (a hole at 0x80000000), then EPD1 */
  l1b[0] = 0x40000000ull | ATTR(1) | AF | AP(0) | BLOCK;     /* 0x80000000 -> 0x40000000 */
  l1b[1] = (uint32_t)(uintptr_t)l2b | TABLE;                 /* 0xc0000000 */
  l2b[0] = (PA + 0x200000) | ATTR(1) | AF | AP(0) | BLOCK;   /* 0xc0000000 -> PA+2M */
  for (int i = 0; i < 512; i++) if (i) l2b[i] = 0;
  write_ttbr1((uint64_t)(uintptr_t)l1b);
  MCR(c2, 0, c0, 2, 0x80010001u);
  TLBI(c7, 0, 0);
  load(0x86000000, "T1SZ=1: TTBR1 1 GiB block");
  load(0xc0000000, "T1SZ=1: TTBR1 level 2 block");
  load(0x46000000, "T0SZ=1: TTBR0 still maps RAM");
  ats(0, 0x86000000, "ATS1CPR TTBR1 block");
  MCR(c2, 0, c0, 2, 0x80020001u);  /* T1SZ=2: TTBR1 covers 0xc0000000 up, starting at level 2 */
  write_ttbr1((uint64_t)(uintptr_t)l2b);
  TLBI(c7, 0, 0);
  load(0xc0000000, "T1SZ=2: TTBR1 from level 2");
  load(0x86000000, "T1SZ=2: hole read");
  ats(0, 0x86000000, "ATS1CPR hole");
  MCR(c2, 0, c0, 2, 0x80820001u);  /* EPD1 */
  load(0xc0000000, "EPD1 read");
  uint32_t ttbcr = MRC(c2, 0, c0, 2);
  MCR(c2, 0, c0, 2, 0x80000000u);

  MCR(c1, 0, c0, 0, sctlr);
  TLBI(c7, 0, 0);
  MCR(c2, 0, c0, 2, 0);

  printf("mmu (long descriptors): TTBCR read %08lx\n", (unsigned long)ttbcr);
  for (int i = 0; i < nresults; i++) {
    const struct result *r = &results[i];
    if (r->kind == 0) printf("  %-30s ok     value %08lx\n", r->what, (unsigned long)r->value);
    else printf("  %-30s %-14s FSR %03lx FAR %08lx\n", r->what, exc_kinds[r->kind], (unsigned long)r->fsr, (unsigned long)r->far);
  }
  for (int i = 0; i < npars; i++)
    printf("  %-30s PAR %08lx_%08lx\n", par_names[i], (unsigned long)par_hi[i], (unsigned long)par_lo[i]);
  return 0;
}
