/* Integer arithmetic: 32- and 64-bit add/sub/mul/div/shift, hardware divide, bit manipulation. */
#include <stdio.h>
#include <stdint.h>
#include <inttypes.h>
#include "guest.h"

struct bits {
  unsigned a : 3;
  signed b : 5;
  unsigned c : 11;
  signed d : 13;
};

static uint32_t rbit32(uint32_t x) {
  uint32_t r;
  __asm__("rbit %0, %1" : "=r"(r) : "r"(x));
  return r;
}

static uint32_t mix32(uint32_t a, uint32_t b) {
  uint32_t h = 0;
  h += a + b; h ^= a - b; h += a * b; h ^= a << (b & 31); h += a >> (b & 31);
  h ^= (uint32_t)((int32_t)a >> (b & 31)); h += (a << 7) | (a >> 25); h ^= a & ~b; h += a | b; h ^= ~a;
  if (b != 0) { h += a / b; h ^= a % b; }
  if ((int32_t)b != 0 && !((int32_t)a == INT32_MIN && (int32_t)b == -1)) { h += (uint32_t)((int32_t)a / (int32_t)b); h ^= (uint32_t)((int32_t)a % (int32_t)b); }
  return h;
}

static uint64_t mix64(uint64_t a, uint64_t b) {
  uint64_t h = 0;
  h += a + b; h ^= a - b; h += a * b; h ^= a << (b & 63); h += a >> (b & 63);
  h ^= (uint64_t)((int64_t)a >> (b & 63)); h += (uint64_t)(uint32_t)a * (uint32_t)b;
  h ^= (uint64_t)((int64_t)(int32_t)a * (int32_t)b);
  if (b != 0) { h += a / b; h ^= a % b; }
  if ((int64_t)b != 0 && !((int64_t)a == INT64_MIN && (int64_t)b == -1)) { h += (uint64_t)((int64_t)a / (int64_t)b); h ^= (uint64_t)((int64_t)a % (int64_t)b); }
  return h;
}

static const uint32_t specials[] = {0, 1, 2, 3, 7, 31, 32, 33, 0x7fffffff, 0x80000000, 0x80000001, 0xffffffff, 0xfffffffe, 0x12345678, 0xdeadbeef, 0x55555555};

int main(void) {
  uint32_t h32 = 0;
  uint64_t h64 = 0;
  const int ns = sizeof specials / sizeof specials[0];
  for (int i = 0; i < ns; i++)
    for (int j = 0; j < ns; j++) {
      uint32_t a = OPAQUE(specials[i]), b = OPAQUE(specials[j]);
      h32 = h32 * 31 + mix32(a, b);
      h64 = h64 * 1099511628211ull + mix64(((uint64_t)a << 32) | b, ((uint64_t)b << 32) | (a ^ 0x5a5a));
    }
  printf("specials: mix32 %08" PRIx32 " mix64 %016" PRIx64 "\n", h32, h64);
  for (int i = 0; i < 2000; i++) {
    uint32_t a = guest_rand(), b = guest_rand() >> (guest_rand() & 31);
    h32 = h32 * 31 + mix32(a, b);
    h64 = h64 * 1099511628211ull + mix64(((uint64_t)a << 32) | guest_rand(), ((uint64_t)guest_rand() << (b & 31)) | b);
  }
  printf("random: mix32 %08" PRIx32 " mix64 %016" PRIx64 "\n", h32, h64);

  /* division corner cases (hardware SDIV/UDIV: divide by zero gives 0 with SCTLR.DZ=0) */
  volatile int32_t z = 0;
  int32_t q;
  __asm__ volatile("sdiv %0, %1, %2" : "=r"(q) : "r"(OPAQUE(INT32_MIN)), "r"(OPAQUE(-1)));
  printf("sdiv INT_MIN/-1 = %" PRId32 "\n", q);
  __asm__ volatile("sdiv %0, %1, %2" : "=r"(q) : "r"(OPAQUE(1234)), "r"(z));
  printf("sdiv 1234/0 = %" PRId32 "\n", q);
  __asm__ volatile("udiv %0, %1, %2" : "=r"(q) : "r"(OPAQUE(0xffffffffu)), "r"(OPAQUE(7u)));
  printf("udiv 0xffffffff/7 = %" PRIu32 "\n", (uint32_t)q);
  printf("64-bit: %" PRId64 " %" PRIu64 " %" PRId64 "\n", OPAQUE(INT64_MIN + 5) / OPAQUE(7ll), OPAQUE(~0ull) % OPAQUE(1000000007ull), OPAQUE(-123456789012345ll) % OPAQUE(-1000ll));

  /* bit manipulation */
  uint32_t bsum = 0;
  for (int i = 0; i < ns; i++) {
    uint32_t x = OPAQUE(specials[i]);
    bsum = bsum * 33 + (uint32_t)(x ? __builtin_clz(x) : 32);
    bsum = bsum * 33 + (uint32_t)(x ? __builtin_ctz(x) : 32);
    bsum = bsum * 33 + (uint32_t)__builtin_popcount(x);
    bsum = bsum * 33 + __builtin_bswap32(x) + rbit32(x);
    bsum = bsum * 33 + (uint32_t)__builtin_clzll(((uint64_t)x << 32) | 1);
    bsum = bsum * 33 + (uint32_t)__builtin_parity(x);
  }
  printf("bits: %08" PRIx32 " clz(1)=%d ctz(0x80)=%d rbit(1)=%08" PRIx32 " rev=%08" PRIx32 "\n", bsum, __builtin_clz(OPAQUE(1u)), __builtin_ctz(OPAQUE(0x80u)), rbit32(OPAQUE(1u)), __builtin_bswap32(OPAQUE(0x11223344u)));

  /* bitfields: BFI/BFC/UBFX/SBFX */
  struct bits bf[8];
  uint32_t fsum = 0;
  for (int i = 0; i < 8; i++) {
    uint32_t r = guest_rand();
    bf[i].a = r; bf[i].b = (int)(r >> 3); bf[i].c = r >> 8; bf[i].d = (int)(r >> 19);
  }
  for (int i = 0; i < 8; i++) {
    bf[i].c += bf[(i + 1) & 7].b;
    bf[i].d -= bf[(i + 3) & 7].a * 3;
    fsum = fsum * 131 + (uint32_t)bf[i].a + (uint32_t)bf[i].b + (uint32_t)bf[i].c + (uint32_t)bf[i].d;
  }
  printf("bitfields: %08" PRIx32 " b0=%d d0=%d\n", fsum, bf[0].b, bf[0].d);

  /* 64-bit shifts by variable amounts and comparisons */
  uint64_t v = OPAQUE(0x8000000000000001ull);
  uint32_t csum = 0;
  for (int s = 0; s < 64; s++) {
    uint64_t l = v << s, r = v >> s;
    int64_t ar = (int64_t)v >> s;
    csum = csum * 7 + (uint32_t)(l ^ (l >> 32)) + (uint32_t)(r ^ (r >> 32)) + (uint32_t)((uint64_t)ar >> 17) + (l < r) + ((int64_t)l < ar);
  }
  printf("shift64: %08" PRIx32 "\n", csum);
  return (int)(h32 & 0x3f);
}
