/* Advanced SIMD decoding: random words from the Advanced SIMD encoding spaces (data processing,
 * element and structure loads/stores, core register transfers), each run once from a code slot
 * in the program's instruction set: whether it is UNDEFINED or aborts (alignment faults: DFSR,
 * DFAR), and the D registers and FPSCR it leaves, must match QEMU's. Base and index registers are
 * fixed (r0 = a scratch buffer at one of 16 alignments,
 * Rm = r1 = 8, 13 or 15) and transfers use r0, r1 or r12, so every word is safe to run. One line
 * per 64 words: their outcomes (. ran, U undefined, A data abort), the D registers, FPSCR and a
 * checksum of the memory they wrote. Build with -DVERBOSE for a line per word, to find a difference.
 * variants: arm-O2 thumb-O2
 * cflags: -mfpu=neon-vfpv4 */
#include <stdio.h>
#include <stdint.h>
#include <string.h>
#include "guest.h"
#include "vectors.h"

/* The random words write any D register: the compiler must keep nothing there across them. */
#define D_CLOBBERS "d0", "d1", "d2", "d3", "d4", "d5", "d6", "d7", "d8", "d9", "d10", "d11", "d12", "d13", "d14", "d15", \
  "d16", "d17", "d18", "d19", "d20", "d21", "d22", "d23", "d24", "d25", "d26", "d27", "d28", "d29", "d30", "d31"

#ifdef __thumb__
#define SLOT_THUMB 1u
#else
#define SLOT_THUMB 0u
#endif

#define WORDS 12000

static uint8_t scratch[256] __attribute__((aligned(64)));
static uint32_t slot[4] __attribute__((aligned(16)));
static uint64_t dregs[32];

static uint32_t random_word(void) {
  uint32_t r = guest_rand();
  static const uint32_t rts[] = {0, 1, 12};
  switch (guest_rand() % 4) {
    case 0:
    case 1: return 0xf2000000u | (r & 0x01ffffffu);
    case 2: return (0xf4000000u | (r & 0x00efffffu)) & ~0x000f000fu & ~0x00100000u;
    default: return 0xee000b10u | (r & 0x00ff00e0u) | (rts[guest_rand() % 3] << 12);
  }
}

/* The word as the program's instruction set runs it: the T32 form has another top byte. */
static void place(uint32_t w) {
#ifdef __thumb__
  uint32_t t = w;
  if ((w >> 24) == 0xf2 || (w >> 24) == 0xf3) t = 0xef000000u | ((w & 0x01000000u) << 4) | (w & 0x00ffffffu);
  else if ((w >> 24) == 0xf4) t = 0xf9000000u | (w & 0x00ffffffu);
  uint16_t *h = (uint16_t *)slot;
  h[0] = (uint16_t)(t >> 16);
  h[1] = (uint16_t)t;
  h[2] = 0x4770; /* bx lr */
#else
  slot[0] = w;
  slot[1] = 0xe12fff1eu; /* bx lr */
#endif
  __asm__ volatile("dsb\n\tisb" ::: "memory");
}

static void save_d(void) {
  __asm__ volatile("vstmia %0, {d0-d15}\n\tvstmia %1, {d16-d31}" : : "r"(dregs), "r"(dregs + 16) : "memory");
}

int main(void) {
  exc_install();
  uint32_t init = 0x9e3779b9u;
  for (int i = 0; i < 32; i++) {
    init = init * 1664525u + 1013904223u;
    dregs[i] = ((uint64_t)init << 32) | (init ^ 0x5555aaaau);
  }
  __asm__ volatile("vldmia %0, {d0-d15}\n\tvldmia %1, {d16-d31}" : : "r"(dregs), "r"(dregs + 16) : "memory");
  static const uint32_t rms[] = {1, 13, 15};
  char kinds[65];
  uint32_t h = 2166136261u;
  for (int i = 0; i < WORDS; i++) {
    uint32_t w = random_word();
    if ((w >> 24) == 0xf4) w = (w & ~0xfu) | rms[guest_rand() % 3];
    place(w);
    exc_clear();
    for (unsigned k = 0; k < sizeof scratch; k++) scratch[k] = (uint8_t)(k * 37 + i);
    __asm__ volatile("adr r12, 9f\n\t"
                     "str r12, [%0]\n\t"
                     "mov r0, %1\n\t"
                     "mov r1, #8\n\t"
                     "blx %2\n\t"
                     "9:\n\t"
                     :
                     : "r"(&exc_resume), "r"(scratch + 64 + (i * 5) % 16), "r"((uint32_t)slot | (SLOT_THUMB))
                     : "r0", "r1", "r12", "lr", "memory", "cc", D_CLOBBERS);
    exc_resume = 0;
    kinds[i % 64] = exc_record.kind == 0 ? '.' : exc_record.kind == 1 ? 'U' : exc_record.kind == 4 ? 'A' : '?';
    h = (h ^ guest_fnv(scratch, sizeof scratch)) * 16777619u;
    if (exc_record.kind == 4) h = (h ^ exc_record.dfsr ^ (exc_record.dfar - (uint32_t)scratch)) * 16777619u;
#ifdef VERBOSE
    save_d();
    printf("%08lx %c %lu %08lx %08lx %08lx\n", (unsigned long)w, kinds[i % 64], (unsigned long)exc_record.kind, (unsigned long)exc_record.lr, (unsigned long)guest_fnv(dregs, sizeof dregs), (unsigned long)guest_fnv(scratch, sizeof scratch));
#endif
    if (i % 64 == 63) {
      uint32_t fpscr;
      __asm__ volatile("vmrs %0, fpscr" : "=r"(fpscr));
      save_d();
      kinds[64] = 0;
      printf("%5d %s %08lx %08lx %08lx\n", i - 63, kinds, (unsigned long)guest_fnv(dregs, sizeof dregs), (unsigned long)fpscr, (unsigned long)h);
    }
  }
  return 0;
}
