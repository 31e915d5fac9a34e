/* LPAE translation tables (ARM ARM B3.6) for stage 2 and Hyp's stage 1, and the guest's
 * short-descriptor stage 1 (B3.5). */
#include <stdlib.h>
#include "hyp.h"

#define POOL_TABLES 24
static lpae_t pool[POOL_TABLES][512] __attribute__((aligned(4096)));
static int pool_used;

lpae_t *lpae_new_table(void) {
  if (pool_used == POOL_TABLES) {
    printf("out of translation tables\n");
    exit(1);
  }
  return pool[pool_used++];
}

/* Level 1 covers 1 GiB per entry, level 2 2 MiB, level 3 4 KiB (4 KiB granule, B3.6.1). */
static uint32_t level_shift(int level) { return level == 1 ? 30 : level == 2 ? 21 : 12; }

lpae_t *lpae_entry(lpae_t *l1, uint32_t va, int level) {
  lpae_t *table = l1;
  for (int l = 1;; l++) {
    lpae_t *d = &table[(va >> level_shift(l)) & (l == 1 ? 3 : 511)];
    if (l == level) return d;
    if ((*d & 3) != LPAE_TABLE) {
      /* Split a block (or an invalid entry) into a table of the same mappings one level down. */
      lpae_t *next = lpae_new_table();
      for (int i = 0; i < 512; i++) {
        uint64_t step = (uint64_t)i << level_shift(l + 1);
        next[i] = (*d & 1) ? ((*d + step) | (l + 1 == 3 ? LPAE_PAGE : LPAE_BLOCK)) : 0;
      }
      DSB();
      *d = (uint32_t)next | LPAE_TABLE;
    }
    table = (lpae_t *)(uint32_t)LPAE_OA(*d);
  }
}

void lpae_map(lpae_t *l1, uint32_t va, uint64_t pa, uint32_t size, int level, uint64_t attrs) {
  uint32_t step = 1u << level_shift(level);
  for (uint32_t off = 0; off < size; off += step) *lpae_entry(l1, va + off, level) = (pa + off) | attrs | (level == 3 ? LPAE_PAGE : LPAE_BLOCK);
  DSB();
}

lpae_t *s2_root;

void stage2_build(void) {
  s2_root = lpae_new_table();
  lpae_map(s2_root, RAM_BASE, RAM_BASE, RAM_SIZE, 2, S2_RAM);
  lpae_map(s2_root, GICD, GICD, 0x10000, 3, S2_DEV);
  lpae_map(s2_root, GICC, GICV, 0x2000, 3, S2_DEV);
  lpae_map(s2_root, 0x09000000, 0x09000000, 0x200000, 2, S2_DEV); /* PL011 and the other slow devices */
}

void stage2_enable(uint32_t vmid) {
  /* VTCR (B4.1.159): T0SZ 0 (32-bit IPA), SL0 1 (start at level 1), walks inner/outer WB
   * cacheable, inner shareable; bit 31 is SBOP. */
  VTCR_W(0x80000000u | 1u << 6 | 1u << 8 | 1u << 10 | 3u << 12);
  VTTBR_W((uint64_t)vmid << 48 | (uint32_t)s2_root);
  HCR_W(HCR_R() | HCR_VM);
}

uint32_t *s1_root;
static uint32_t s1_table[4096] __attribute__((aligned(16384)));

void guest_stage1_build(void) {
  s1_root = s1_table;
  /* Sections (B3.5.1): normal write-back memory (TEX 001, C, B) for RAM, device (B) elsewhere,
   * AP[1:0] 11 full access, domain 0. */
  for (uint32_t mb = 0; mb < RAM_SIZE >> 20; mb++) s1_table[(RAM_BASE >> 20) + mb] = (RAM_BASE + (mb << 20)) | 1u << 12 | 3u << 10 | 3u << 2 | 2u;
  for (uint32_t mb = 0x080; mb < 0x0a0; mb++) s1_table[mb] = mb << 20 | 3u << 10 | 1u << 2 | 2u;
}

void guest_stage1_enable(void) {
  CP_WRITE(p15, 0, c2, c0, 2, 0);                       /* TTBCR: short descriptors, TTBR0 only */
  CP_WRITE(p15, 0, c2, c0, 0, (uint32_t)s1_root | 0x4a); /* TTBR0, walks WB cacheable, shareable */
  CP_WRITE(p15, 0, c3, c0, 0, 0x55555555);              /* DACR: every domain client */
  TLBIALLNSNH();
  CP_WRITE(p15, 0, c1, c0, 0, CP_READ(p15, 0, c1, c0, 0) | 1); /* SCTLR.M */
}

void guest_stage1_disable(void) {
  CP_WRITE(p15, 0, c1, c0, 0, CP_READ(p15, 0, c1, c0, 0) & ~1u);
  TLBIALLNSNH();
}
