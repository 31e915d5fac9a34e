/* Advanced SIMD (NEON): memcpy/memset/strlen-like loops with loads and stores of every shape
 * and alignment, integer and floating-point vector arithmetic, saturation (FPSCR.QC), table
 * lookups and permutations, each summarised by a checksum.
 * cflags: -mfpu=neon-vfpv4 -mfp16-format=ieee -ftree-vectorize */
#include <arm_neon.h>
#include <stdio.h>
#include <stdint.h>
#include <string.h>
#include "guest.h"

static uint8_t src[1024] __attribute__((aligned(32)));
static uint8_t dst[1024 + 64] __attribute__((aligned(32)));

static uint32_t get_fpscr(void) { uint32_t r; __asm__ volatile("vmrs %0, fpscr" : "=r"(r)); return r; }
static void set_fpscr(uint32_t v) { __asm__ volatile("vmsr fpscr, %0" : : "r"(v) : "memory"); }

static uint32_t h;
static void mix(uint32_t v) { h = (h ^ v) * 16777619u; }
static void mix8(uint8x8_t v) { mix(vget_lane_u32(vreinterpret_u32_u8(v), 0)); mix(vget_lane_u32(vreinterpret_u32_u8(v), 1)); }
static void mix16(uint8x16_t v) { mix8(vget_low_u8(v)); mix8(vget_high_u8(v)); }
#define MIXQ(T, v) mix16(vreinterpretq_u8_##T(v))

static void fill(void) {
  for (unsigned i = 0; i < sizeof src; i++) src[i] = (uint8_t)guest_rand();
}

/* A memcpy of n bytes from src + so to dst + d0 by 64, 16 and 1 byte steps. */
static void neon_copy(uint8_t *d, const uint8_t *s, unsigned n) {
  while (n >= 64) {
    uint8x16x4_t v = vld4q_u8(s); /* de-interleaved, then stored interleaved again */
    vst4q_u8(d, v);
    s += 64; d += 64; n -= 64;
  }
  while (n >= 16) {
    vst1q_u8(d, vld1q_u8(s));
    s += 16; d += 16; n -= 16;
  }
  while (n-- > 0) *d++ = *s++;
}

static void neon_set(uint8_t *d, uint8_t c, unsigned n) {
  uint8x16_t v = vdupq_n_u8(c);
  while (n >= 16) { vst1q_u8(d, v); d += 16; n -= 16; }
  uint8x8_t w = vdup_n_u8(c);
  while (n >= 8) { vst1_u8(d, w); d += 8; n -= 8; }
  while (n > 0) { vst1_lane_u8(d, w, 0); d++; n--; }
}

/* strlen by 16-byte blocks: VCEQ with zero, VPMAX to reduce. */
static unsigned neon_strlen(const uint8_t *s) {
  const uint8_t *p = s;
  for (;;) {
    uint8x16_t z = vceqq_u8(vld1q_u8(p), vdupq_n_u8(0));
    uint8x8_t r = vpmax_u8(vget_low_u8(z), vget_high_u8(z));
    r = vpmax_u8(r, r);
    if (vget_lane_u32(vreinterpret_u32_u8(r), 0) != 0) break;
    p += 16;
  }
  while (*p) p++;
  return (unsigned)(p - s);
}

static void memory_tests(void) {
  static const unsigned sizes[] = {0, 1, 7, 15, 16, 17, 63, 64, 65, 200, 513, 960};
  for (unsigned so = 0; so < 4; so++)
    for (unsigned d0 = 0; d0 < 4; d0++)
      for (unsigned k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
        memset(dst, 0xa5, sizeof dst);
        neon_copy(dst + d0 * 5, src + so * 3, sizes[k]);
        mix(guest_fnv(dst, sizeof dst));
      }
  printf("copy %08lx %s\n", (unsigned long)h, memcmp(dst + 15, src + 9, 960) == 0 ? "ok" : "BAD");
  h = 0;
  for (unsigned d0 = 0; d0 < 8; d0++)
    for (unsigned n = 0; n < 70; n += 3) {
      neon_set(dst + d0, (uint8_t)(n * 7 + d0), n);
      mix(guest_fnv(dst, 96));
    }
  printf("set %08lx\n", (unsigned long)h);
  uint8_t text[300] __attribute__((aligned(16)));
  h = 0;
  for (unsigned len = 0; len < 280; len += 13) {
    for (unsigned i = 0; i < sizeof text; i++) text[i] = (uint8_t)('a' + i % 26);
    text[len] = 0;
    mix(neon_strlen(text));
  }
  printf("strlen %08lx\n", (unsigned long)h);
  /* structures: VLD2/VLD3 de-interleave, lanes and all-lanes forms */
  h = 0;
  uint16x4x2_t a2 = vld2_u16((const uint16_t *)(src + 2));
  mix8(vreinterpret_u8_u16(a2.val[0])); mix8(vreinterpret_u8_u16(a2.val[1]));
  uint32x2x3_t a3 = vld3_u32((const uint32_t *)(src + 4));
  mix8(vreinterpret_u8_u32(a3.val[0])); mix8(vreinterpret_u8_u32(a3.val[2]));
  uint8x8x3_t b3 = vld3_dup_u8(src + 5);
  mix8(b3.val[0]); mix8(b3.val[1]); mix8(b3.val[2]);
  uint16x8_t l = vld1q_lane_u16((const uint16_t *)(src + 10), vdupq_n_u16(0x1234), 5);
  MIXQ(u16, l);
  vst3_u32((uint32_t *)dst, a3);
  vst2_lane_u16((uint16_t *)(dst + 40), a2, 3);
  mix(guest_fnv(dst, 64));
  printf("structures %08lx\n", (unsigned long)h);
}

static void integer_tests(void) {
  h = 0;
  set_fpscr(0);
  for (unsigned i = 0; i + 32 <= sizeof src; i += 32) {
    int8x16_t a = vld1q_s8((const int8_t *)src + i);
    int8x16_t b = vld1q_s8((const int8_t *)src + i + 16);
    MIXQ(s8, vaddq_s8(a, b));
    MIXQ(s8, vqaddq_s8(a, b));
    MIXQ(s8, vqsubq_s8(a, b));
    MIXQ(s8, vhaddq_s8(a, b));
    MIXQ(s8, vrhaddq_s8(a, b));
    MIXQ(s8, vabdq_s8(a, b));
    mix16(vcgtq_s8(a, b));
    MIXQ(s8, vmaxq_s8(a, b));
    MIXQ(s8, vshlq_s8(a, vshrq_n_s8(b, 5)));
    MIXQ(s8, vqrshlq_s8(a, vshrq_n_s8(b, 5)));
    int16x8_t w = vmull_s8(vget_low_s8(a), vget_high_s8(b));
    MIXQ(s16, w);
    MIXQ(s16, vmlal_s8(w, vget_high_s8(a), vget_low_s8(b)));
    MIXQ(s16, vpaddlq_s8(a));
    mix8(vreinterpret_u8_s8(vqmovn_s16(vshlq_n_s16(w, 3))));
    mix8(vqshrun_n_s16(w, 2));
    mix8(vreinterpret_u8_s8(vrshrn_n_s16(w, 5)));
    int32x4_t x = vreinterpretq_s32_s8(a);
    int32x4_t y = vreinterpretq_s32_s8(b);
    MIXQ(s32, vqdmulhq_s32(x, y));
    MIXQ(s32, vqrdmulhq_s32(x, y));
    MIXQ(s32, vmulq_s32(x, y));
    MIXQ(s32, vmlsq_lane_s32(x, y, vget_low_s32(x), 1));
    int64x2_t z = vmull_s32(vget_low_s32(x), vget_high_s32(y));
    MIXQ(s64, z);
    MIXQ(s64, vqdmlal_s32(z, vget_high_s32(x), vget_low_s32(y)));
    MIXQ(s64, vrsraq_n_s64(z, vreinterpretq_s64_s32(x), 17));
    MIXQ(u64, vsliq_n_u64(vreinterpretq_u64_s32(x), vreinterpretq_u64_s32(y), 13));
    mix16(vcntq_u8(vreinterpretq_u8_s8(a)));
    MIXQ(s16, vclzq_s16(vreinterpretq_s16_s8(b)));
    MIXQ(s8, vqabsq_s8(a));
    mix16(vrev64q_u8(vreinterpretq_u8_s8(a)));
    uint8x8x2_t zip = vzip_u8(vget_low_u8(vreinterpretq_u8_s8(a)), vget_high_u8(vreinterpretq_u8_s8(b)));
    mix8(zip.val[0]); mix8(zip.val[1]);
    uint8x8x2_t table = {{vget_low_u8(vreinterpretq_u8_s8(a)), vget_high_u8(vreinterpretq_u8_s8(a))}};
    mix8(vtbl2_u8(table, vand_u8(vget_low_u8(vreinterpretq_u8_s8(b)), vdup_n_u8(31))));
    mix16(vextq_u8(vreinterpretq_u8_s8(a), vreinterpretq_u8_s8(b), 7));
    mix16(vbslq_u8(vreinterpretq_u8_s8(a), vreinterpretq_u8_s8(b), vdupq_n_u8(0x5a)));
  }
  printf("integer %08lx qc=%lu\n", (unsigned long)h, (unsigned long)((get_fpscr() >> 27) & 1));
}

static const uint32_t fspecial[] = {0x00000000, 0x80000000, 0x3f800000, 0xbf800000, 0x7f800000, 0xff800000, 0x7fc00000, 0x7f800001, 0x00000001, 0x807fffff, 0x00800000, 0x7f7fffff, 0x4f000000, 0xcf000000, 0x3fc00000, 0x40490fdb};

static void float_tests(void) {
  h = 0;
  /* FPSCR's rounding mode, FZ and DN do not apply to Advanced SIMD arithmetic: try them all. */
  static const uint32_t fpscrs[] = {0, 0x00400000, 0x00c00000, 0x03000000};
  const unsigned n = sizeof fspecial / 4;
  for (unsigned f = 0; f < 4; f++) {
    set_fpscr(fpscrs[f]);
    for (unsigned i = 0; i < n; i++)
      for (unsigned j = 0; j + 4 <= n; j += 4) {
        float32x4_t a = vreinterpretq_f32_u32(vdupq_n_u32(fspecial[i]));
        float32x4_t b = vreinterpretq_f32_u32(vld1q_u32(&fspecial[j]));
        float32x4_t c = vreinterpretq_f32_u32(vld1q_u32(&fspecial[(j + 4) % n]));
        MIXQ(f32, vaddq_f32(a, b));
        MIXQ(f32, vsubq_f32(a, b));
        MIXQ(f32, vmulq_f32(a, b));
        MIXQ(f32, vmlaq_f32(c, a, b));
        MIXQ(f32, vfmaq_f32(c, a, b));
        MIXQ(f32, vabdq_f32(a, b));
        MIXQ(f32, vmaxq_f32(a, b));
        MIXQ(f32, vminq_f32(a, b));
        MIXQ(u32, vcgeq_f32(a, b));
        MIXQ(u32, vcagtq_f32(a, b));
        MIXQ(f32, vrecpsq_f32(a, b));
        MIXQ(f32, vrsqrtsq_f32(a, b));
        MIXQ(f32, vrecpeq_f32(b));
        MIXQ(f32, vrsqrteq_f32(b));
        MIXQ(s32, vcvtq_s32_f32(b));
        MIXQ(u32, vcvtq_n_u32_f32(b, 8));
        MIXQ(f32, vcvtq_f32_s32(vreinterpretq_s32_f32(b)));
        mix8(vreinterpret_u8_f32(vpadd_f32(vget_low_f32(a), vget_high_f32(b))));
        mix8(vreinterpret_u8_f16(vcvt_f16_f32(b)));
      }
    mix(get_fpscr());
  }
  /* a Newton-Raphson reciprocal square root, as vector code computes it */
  float32x4_t x = {2.0f, 10.0f, 0.25f, 12345.0f};
  float32x4_t e = vrsqrteq_f32(x);
  for (int k = 0; k < 3; k++) e = vmulq_f32(e, vrsqrtsq_f32(vmulq_f32(x, e), e));
  MIXQ(f32, e);
  printf("float %08lx\n", (unsigned long)h);
}

int main(void) {
  fill();
  memory_tests();
  integer_tests();
  float_tests();
  /* auto-vectorised loops */
  uint32_t acc[64];
  for (unsigned i = 0; i < 64; i++) acc[i] = src[i] * 3u + src[i + 64];
  for (unsigned i = 0; i < 64; i++) acc[i] = (acc[i] >> 1) ^ (acc[(i + 1) & 63] << 2);
  printf("vectorised %08lx\n", (unsigned long)guest_fnv(acc, sizeof acc));
  return 0;
}
