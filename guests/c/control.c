/* Control flow: setjmp/longjmp, qsort with callbacks, switch tables (TBB/TBH in Thumb),
 * variadic functions, recursion, function pointers, structs passed by value. */
#include <stdio.h>
#include <stdlib.h>
#include <stdarg.h>
#include <setjmp.h>
#include <string.h>
#include <stdint.h>
#include <inttypes.h>
#include "guest.h"

static jmp_buf env;
static int depth_reached;

static void dive(int depth) {
  volatile double d = depth * 1.5; /* keeps VFP registers live across longjmp */
  if (depth == 37) {
    depth_reached = depth;
    longjmp(env, (int)d);
  }
  dive(depth + 1);
}

static int cmp_int(const void *a, const void *b) {
  int x = *(const int *)a, y = *(const int *)b;
  return (x > y) - (x < y);
}

struct rec { char name[12]; int16_t key; double weight; };
static int cmp_rec(const void *a, const void *b) {
  const struct rec *x = a, *y = b;
  if (x->key != y->key) return x->key - y->key;
  return strcmp(x->name, y->name);
}

/* dense switch: a jump table (TBB in Thumb) */
static int dense(int x) {
  switch (x) {
    case 0: return 11; case 1: return 23; case 2: return 35; case 3: return 47; case 4: return 59;
    case 5: return 61; case 6: return 73; case 7: return 85; case 8: return 97; case 9: return 109;
    case 10: return 3; case 11: return 5; case 12: return 8; case 13: return 13; case 14: return 21;
    default: return -1;
  }
}

/* a switch with large case bodies: TBH in Thumb */
static uint32_t wide(uint32_t x, uint32_t v) {
  switch (x & 15) {
#define BIG(n) case n: v = v * (n + 3) + (v >> (n)); v ^= v << 5; v += v >> 3; v ^= 0x9e3779b9u * (n + 1); v = v * 7 + (v >> 11); v ^= v << 13; v += 0x1234u * (n); v ^= v >> 7; v = v * 31 + n; v ^= v << 9; v += v >> 1; break;
    BIG(0) BIG(1) BIG(2) BIG(3) BIG(4) BIG(5) BIG(6) BIG(7) BIG(8) BIG(9) BIG(10) BIG(11) BIG(12) BIG(13)
    default: v = ~v;
  }
  return v;
}

static double vsum(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  double s = 0;
  for (const char *p = fmt; *p; p++) {
    switch (*p) {
      case 'i': s += va_arg(ap, int); break;
      case 'l': s += (double)va_arg(ap, long long); break;
      case 'd': s += va_arg(ap, double); break;
      case 's': s += (double)strlen(va_arg(ap, const char *)); break;
    }
  }
  va_end(ap);
  return s;
}

static int vfmt(char *buf, size_t n, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int r = vsnprintf(buf, n, fmt, ap);
  va_end(ap);
  return r;
}

static uint32_t ackermann(uint32_t m, uint32_t n) {
  if (m == 0) return n + 1;
  if (n == 0) return ackermann(m - 1, 1);
  return ackermann(m - 1, ackermann(m, n - 1));
}

static uint64_t fib(int n) { return n < 2 ? (uint64_t)n : fib(n - 1) + fib(n - 2); }

struct big { int32_t a[9]; double d; };
static struct big transform(struct big b, int k) {
  for (int i = 0; i < 9; i++) b.a[i] = b.a[i] * k + i;
  b.d = b.d * k;
  return b;
}

typedef int (*binop)(int, int);
static int op_add(int a, int b) { return a + b; }
static int op_sub(int a, int b) { return a - b; }
static int op_mul(int a, int b) { return a * b; }
static int op_mod(int a, int b) { return b ? a % b : 0; }

int main(void) {
  volatile int counter = 0;
  int r = setjmp(env);
  counter++;
  if (r == 0) dive(0);
  printf("longjmp: value %d depth %d counter %d\n", r, depth_reached, counter);

  int arr[200];
  for (int i = 0; i < 200; i++) arr[i] = (int)(guest_rand() % 1000) - 500;
  qsort(arr, 200, sizeof arr[0], cmp_int);
  int sorted = 1;
  for (int i = 1; i < 200; i++) sorted &= arr[i - 1] <= arr[i];
  printf("qsort ints: sorted %d min %d max %d median %d\n", sorted, arr[0], arr[199], arr[100]);

  struct rec recs[40];
  for (int i = 0; i < 40; i++) {
    snprintf(recs[i].name, sizeof recs[i].name, "n%04" PRIu32, guest_rand() % 10000);
    recs[i].key = (int16_t)(guest_rand() % 7);
    recs[i].weight = i * 0.25;
  }
  qsort(recs, 40, sizeof recs[0], cmp_rec);
  printf("qsort recs: %s/%d %s/%d %s/%d w=%.2f\n", recs[0].name, recs[0].key, recs[20].name, recs[20].key, recs[39].name, recs[39].key, recs[39].weight);

  int ds = 0;
  for (int i = -3; i < 20; i++) ds = ds * 3 + dense(OPAQUE(i));
  uint32_t ws = 1;
  for (uint32_t i = 0; i < 64; i++) ws = wide(OPAQUE(i * 7), ws);
  printf("switch: dense %d wide %08" PRIx32 "\n", ds, ws);

  printf("varargs: %.3f\n", vsum("ilds ids", 5, -7ll, 2.25, "hello", 9, 0.125, "abc"));
  char buf[64];
  int n = vfmt(buf, sizeof buf, "%d|%5s|%-4x|%llu|%c", -42, "ab", 255u, 12345678901ull, 'z');
  printf("vsnprintf: %d [%s]\n", n, buf);

  printf("recursion: ackermann(2,3)=%" PRIu32 " ackermann(3,3)=%" PRIu32 " fib(24)=%" PRIu64 "\n", ackermann(2, 3), ackermann(3, 3), fib(24));

  struct big b = {{1, 2, 3, 4, 5, 6, 7, 8, 9}, 1.5};
  b = transform(b, OPAQUE(3));
  b = transform(b, OPAQUE(-2));
  printf("struct by value: %" PRId32 " %" PRId32 " %.1f\n", b.a[0], b.a[8], b.d);

  binop ops[4] = {op_add, op_sub, op_mul, op_mod};
  int acc = 7;
  for (int i = 0; i < 40; i++) acc = ops[OPAQUE(i) & 3](acc, i + 1) & 0xffff;
  printf("function pointers: %d\n", acc);
  return 0;
}
