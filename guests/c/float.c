/* Floating point: float and double arithmetic, fused multiply-add, libm, conversions, rounding
 * modes (FPSCR.RMode), flush-to-zero, default NaN, comparisons with NaN and infinities. */
#include <stdio.h>
#include <stdint.h>
#include <string.h>
#include <math.h>
#include <inttypes.h>
#include "guest.h"

static uint32_t f2u(float f) { uint32_t u; memcpy(&u, &f, 4); return u; }
static uint64_t d2u(double d) { uint64_t u; memcpy(&u, &d, 8); return u; }
static float u2f(uint32_t u) { float f; memcpy(&f, &u, 4); return f; }
static double u2d(uint64_t u) { double d; memcpy(&d, &u, 8); return d; }

static uint32_t get_fpscr(void) { uint32_t r; __asm__ volatile("vmrs %0, fpscr" : "=r"(r)); return r; }
static void set_fpscr(uint32_t v) { __asm__ volatile("vmsr fpscr, %0" : : "r"(v) : "memory"); }

static const uint32_t fspecial[] = {0x00000000, 0x80000000, 0x3f800000, 0xbf800000, 0x7f800000, 0xff800000, 0x7fc00000, 0x7f800001, 0xffc00123, 0x00000001, 0x807fffff, 0x00800000, 0x7f7fffff, 0x4f000000, 0xcf000000, 0x3effffff, 0x3fc00000, 0x40200000, 0xc0600000, 0x4b7fffff};
static const uint64_t dspecial[] = {0, 0x8000000000000000ull, 0x3ff0000000000000ull, 0xbff8000000000000ull, 0x7ff0000000000000ull, 0xfff0000000000000ull, 0x7ff8000000000000ull, 0x7ff0000000000001ull, 0xfff8000000000abcull, 0x0000000000000001ull, 0x800fffffffffffffull, 0x0010000000000000ull, 0x7fefffffffffffffull, 0x41e0000000000000ull, 0xc1e0000000100000ull, 0x3fdfffffffffffffull, 0x4004000000000000ull, 0x43300000ffffffffull};

static uint32_t h;
static void mixf(float f) { h = h * 16777619u ^ f2u(f); }
static void mixd(double d) { uint64_t u = d2u(d); h = h * 16777619u ^ (uint32_t)u ^ (uint32_t)(u >> 32); }
static void mixi(uint32_t v) { h = h * 16777619u ^ v; }

static void arith_all(void) {
  const int nf = sizeof fspecial / 4, nd = sizeof dspecial / 8;
  for (int i = 0; i < nf; i++)
    for (int j = 0; j < nf; j++) {
      volatile float a = u2f(fspecial[i]), b = u2f(fspecial[j]);
      mixf(a + b); mixf(a - b); mixf(a * b); mixf(a / b); mixf(fmaf(a, b, a)); mixf(-a * b);
      mixi((a < b) | (a <= b) << 1 | (a == b) << 2 | (a != b) << 3 | (a > b) << 4 | (a >= b) << 5 | isunordered(a, b) << 6);
    }
  for (int i = 0; i < nd; i++)
    for (int j = 0; j < nd; j++) {
      volatile double a = u2d(dspecial[i]), b = u2d(dspecial[j]);
      mixd(a + b); mixd(a - b); mixd(a * b); mixd(a / b); mixd(fma(a, b, b)); mixd(-(a * b) - a);
      mixi((a < b) | (a <= b) << 1 | (a == b) << 2 | (a != b) << 3 | (a > b) << 4 | (a >= b) << 5 | isunordered(a, b) << 6);
    }
  for (int i = 0; i < nf; i++) {
    volatile float a = u2f(fspecial[i]);
    mixf(sqrtf(a)); mixf(fabsf(a)); mixd((double)a); mixi((uint32_t)(int32_t)a); mixi((uint32_t)a);
    mixf((float)(int32_t)fspecial[i]); mixf((float)fspecial[i]);
  }
  for (int i = 0; i < nd; i++) {
    volatile double a = u2d(dspecial[i]);
    mixd(sqrt(a)); mixd(fabs(a)); mixf((float)a); mixi((uint32_t)(int32_t)a); mixi((uint32_t)a);
    mixd((double)(int32_t)dspecial[i]); mixd((double)(uint32_t)(dspecial[i] >> 20));
  }
}

int main(void) {
  set_fpscr(0);
  arith_all();
  printf("round-to-nearest: %08" PRIx32 " fpscr %08" PRIx32 "\n", h, get_fpscr());
  static const char *const names[4] = {"nearest", "plus-inf", "minus-inf", "zero"};
  for (uint32_t rm = 1; rm < 4; rm++) {
    h = 0;
    set_fpscr(rm << 22);
    arith_all();
    volatile float third = 1.0f / OPAQUE(3.0f);
    volatile double dthird = -1.0 / OPAQUE(3.0);
    uint32_t fl = get_fpscr();
    set_fpscr(0);
    printf("round %s: %08" PRIx32 " 1/3=%08" PRIx32 " -1/3=%016" PRIx64 " fpscr %08" PRIx32 "\n", names[rm], h, f2u(third), d2u(dthird), fl);
  }
  h = 0;
  set_fpscr(1u << 24); /* FZ */
  arith_all();
  printf("flush-to-zero: %08" PRIx32 " fpscr %08" PRIx32 "\n", h, get_fpscr());
  h = 0;
  set_fpscr(1u << 25); /* DN */
  arith_all();
  printf("default-nan: %08" PRIx32 " fpscr %08" PRIx32 "\n", h, get_fpscr());
  set_fpscr(0);

  /* VCVT with round-to-nearest selected (VCVTR) vs the C conversion (round toward zero) */
  int32_t conv[6];
  volatile float cf[3] = {2.5f, -3.5f, 1e10f};
  for (int i = 0; i < 3; i++) {
    float t;
    __asm__ volatile("vcvtr.s32.f32 %0, %1" : "=t"(t) : "t"(cf[i]));
    memcpy(&conv[i], &t, 4);
    conv[3 + i] = (int32_t)cf[i];
  }
  printf("vcvtr: %" PRId32 " %" PRId32 " %" PRId32 " trunc: %" PRId32 " %" PRId32 " %" PRId32 "\n", conv[0], conv[1], conv[2], conv[3], conv[4], conv[5]);
  /* fixed-point conversions */
  float fx;
  __asm__ volatile("vmov %0, %1\n\tvcvt.f32.s32 %0, %0, #8" : "=t"(fx) : "r"(0x180));
  printf("vcvt fixed: %.6f\n", (double)fx);

  volatile double x = 0.7, y = 2.3;
  printf("libm: sin %.15g cos %.15g tan %.15g\n", sin(x), cos(x), tan(x));
  printf("libm: exp %.15g log %.15g log10 %.15g pow %.15g\n", exp(y), log(y), log10(y), pow(x, y));
  printf("libm: atan2 %.15g asin %.15g sinh %.15g cbrt %.15g hypot %.15g\n", atan2(x, -y), asin(x), sinh(y), cbrt(y), hypot(x, y));
  printf("libm: floor %g ceil %g round %g trunc %g rint %g fmod %.15g\n", floor(-y), ceil(-y), round(-2.5), trunc(-y), rint(2.5), fmod(y * 10, x));
  printf("libmf: %.7g %.7g %.7g %.7g %.7g\n", (double)sinf((float)x), (double)expf((float)y), (double)logf((float)y), (double)powf((float)x, (float)y), (double)sqrtf(2.0f));
  printf("fma: %.17g %.9g\n", fma(0.1, 10.0, -1.0), (double)fmaf(0.1f, 10.0f, -1.0f));
  printf("classify: %d %d %d %d %d signbit %d %d\n", fpclassify(x), fpclassify(u2d(1)), fpclassify(0.0), fpclassify(INFINITY), fpclassify(NAN), signbit(-0.0), signbit(0.0));
  printf("nan compares: %d %d %d %d inf %d %d\n", NAN == NAN, NAN != NAN, NAN < 1.0, isnan(NAN * 0.0), INFINITY > 1e308, -INFINITY < -1e308);
  double acc = 0;
  for (int i = 1; i <= 1000; i++) acc += 1.0 / ((double)i * i);
  float facc = 0;
  for (int i = 1; i <= 1000; i++) facc += 1.0f / ((float)i * (float)i);
  printf("series: %.17g %.9g\n", acc, (double)facc);
  int64_t big = (int64_t)OPAQUE(9.2e18);
  uint64_t ubig = (uint64_t)OPAQUE(1.8e19);
  printf("64-bit conversions: %" PRId64 " %" PRIu64 " %.17g %.9g\n", big, ubig, (double)OPAQUE(-1234567890123456789ll), (double)(float)OPAQUE(0xfedcba9876543210ull));
  return 0;
}
