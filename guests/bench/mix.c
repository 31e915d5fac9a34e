/* variants: arm-O2 thumb-O2
 * Partita's CPU benchmark: a deterministic integer mix (CRC-32, quicksort + heapsort, matrix
 * multiply, a bytecode interpreter, a sieve), repeated BENCH_SCALE times. It prints one checksum
 * per kernel, so a run is also a correctness check. Our own code; no timing is printed. */
#include <stdio.h>
#include <stdint.h>
#include <string.h>

#ifndef BENCH_SCALE
#define BENCH_SCALE 32
#endif

static uint32_t rng = 0x12345678;
static uint32_t next(void) {
  rng ^= rng << 13;
  rng ^= rng >> 17;
  rng ^= rng << 5;
  return rng;
}

/* --- CRC-32 (IEEE, table driven) --- */
static uint32_t crc_table[256];
static uint8_t data[32768];
static uint32_t crc32(const uint8_t *p, size_t n) {
  uint32_t c = 0xffffffffu;
  for (size_t i = 0; i < n; i++) c = crc_table[(c ^ p[i]) & 0xff] ^ (c >> 8);
  return ~c;
}
static uint32_t kernel_crc(void) {
  for (uint32_t i = 0; i < 256; i++) {
    uint32_t c = i;
    for (int k = 0; k < 8; k++) c = (c & 1) ? 0xedb88320u ^ (c >> 1) : c >> 1;
    crc_table[i] = c;
  }
  uint32_t acc = 0;
  for (int round = 0; round < 24; round++) {
    for (size_t i = 0; i < sizeof data; i += 4) {
      uint32_t r = next();
      memcpy(&data[i], &r, 4);
    }
    acc ^= crc32(data, sizeof data) + (uint32_t)round;
  }
  return acc;
}

/* --- sorting --- */
#define NSORT 6000
static int32_t arr[NSORT], arr2[NSORT];
static void quicksort(int32_t *a, int lo, int hi) {
  while (lo < hi) {
    int32_t pivot = a[(lo + hi) >> 1];
    int i = lo, j = hi;
    while (i <= j) {
      while (a[i] < pivot) i++;
      while (a[j] > pivot) j--;
      if (i <= j) {
        int32_t t = a[i]; a[i] = a[j]; a[j] = t;
        i++; j--;
      }
    }
    if (j - lo < hi - i) { quicksort(a, lo, j); lo = i; }
    else { quicksort(a, i, hi); hi = j; }
  }
}
static void sift(int32_t *a, int start, int end) {
  int root = start;
  while (2 * root + 1 <= end) {
    int child = 2 * root + 1;
    if (child + 1 <= end && a[child] < a[child + 1]) child++;
    if (a[root] >= a[child]) return;
    int32_t t = a[root]; a[root] = a[child]; a[child] = t;
    root = child;
  }
}
static void heapsort(int32_t *a, int n) {
  for (int s = (n - 2) / 2; s >= 0; s--) sift(a, s, n - 1);
  for (int e = n - 1; e > 0; e--) {
    int32_t t = a[0]; a[0] = a[e]; a[e] = t;
    sift(a, 0, e - 1);
  }
}
static uint32_t kernel_sort(void) {
  uint32_t acc = 0;
  for (int round = 0; round < 6; round++) {
    for (int i = 0; i < NSORT; i++) arr[i] = arr2[i] = (int32_t)next() >> (round & 7);
    quicksort(arr, 0, NSORT - 1);
    heapsort(arr2, NSORT);
    for (int i = 0; i < NSORT; i++) {
      if (arr[i] != arr2[i]) return 0xdead0000u | (uint32_t)i;
      acc = acc * 31 + (uint32_t)arr[i];
    }
  }
  return acc;
}

/* --- matrix multiply --- */
#define N 40
static int32_t ma[N][N], mb[N][N], mc[N][N];
static uint32_t kernel_matrix(void) {
  for (int i = 0; i < N; i++)
    for (int j = 0; j < N; j++) {
      ma[i][j] = (int32_t)(next() % 201) - 100;
      mb[i][j] = (int32_t)(next() % 201) - 100;
    }
  uint32_t acc = 0;
  for (int round = 0; round < 5; round++) {
    for (int i = 0; i < N; i++)
      for (int j = 0; j < N; j++) {
        int32_t s = 0;
        for (int k = 0; k < N; k++) s += ma[i][k] * mb[k][j];
        mc[i][j] = s;
      }
    for (int i = 0; i < N; i++)
      for (int j = 0; j < N; j++) {
        acc = acc * 17 + (uint32_t)mc[i][j];
        ma[i][j] = mc[i][j] % 97;
      }
  }
  return acc;
}

/* --- a small stack-machine interpreter --- */
enum { OP_PUSH, OP_LOAD, OP_STORE, OP_ADD, OP_SUB, OP_MUL, OP_AND, OP_XOR, OP_SHR, OP_LT, OP_JZ, OP_JMP, OP_DUP, OP_DROP, OP_HALT };
static const int32_t program[] = {
    /* v0 = 0 (i), v1 = 1 (a), v2 = 0 (acc) */
    OP_PUSH, 0, OP_STORE, 0, OP_PUSH, 1, OP_STORE, 1, OP_PUSH, 0, OP_STORE, 2,
    /* loop: while (i < 20000) */
    OP_LOAD, 0, OP_PUSH, 20000, OP_LT, OP_JZ, 58,
    /* a = (a * 1103515245 + 12345) ^ (a >> 7) */
    OP_LOAD, 1, OP_PUSH, 1103515245, OP_MUL, OP_PUSH, 12345, OP_ADD, OP_LOAD, 1, OP_PUSH, 7, OP_SHR, OP_XOR, OP_STORE, 1,
    /* acc = acc + (a & 0xffff) - i */
    OP_LOAD, 2, OP_LOAD, 1, OP_PUSH, 0xffff, OP_AND, OP_ADD, OP_LOAD, 0, OP_SUB, OP_STORE, 2,
    /* i = i + 1 */
    OP_LOAD, 0, OP_PUSH, 1, OP_ADD, OP_STORE, 0, OP_JMP, 12,
    /* 58: */ OP_LOAD, 2, OP_HALT};
static uint32_t interpret(const int32_t *code) {
  int32_t stack[32];
  int32_t vars[4] = {0};
  int sp = 0, pc = 0;
  for (;;) {
    switch (code[pc++]) {
      case OP_PUSH: stack[sp++] = code[pc++]; break;
      case OP_LOAD: stack[sp++] = vars[code[pc++]]; break;
      case OP_STORE: vars[code[pc++]] = stack[--sp]; break;
      case OP_ADD: sp--; stack[sp - 1] += stack[sp]; break;
      case OP_SUB: sp--; stack[sp - 1] -= stack[sp]; break;
      case OP_MUL: sp--; stack[sp - 1] = (int32_t)((uint32_t)stack[sp - 1] * (uint32_t)stack[sp]); break;
      case OP_AND: sp--; stack[sp - 1] &= stack[sp]; break;
      case OP_XOR: sp--; stack[sp - 1] ^= stack[sp]; break;
      case OP_SHR: sp--; stack[sp - 1] = (int32_t)((uint32_t)stack[sp - 1] >> stack[sp]); break;
      case OP_LT: sp--; stack[sp - 1] = stack[sp - 1] < stack[sp]; break;
      case OP_JZ: { int32_t t = code[pc++]; if (stack[--sp] == 0) pc = t; break; }
      case OP_JMP: pc = code[pc]; break;
      case OP_DUP: stack[sp] = stack[sp - 1]; sp++; break;
      case OP_DROP: sp--; break;
      case OP_HALT: return (uint32_t)stack[sp - 1];
      default: return 0xbad;
    }
  }
}
static uint32_t kernel_interp(void) {
  uint32_t acc = 0;
  for (int round = 0; round < 3; round++) acc = acc * 7 + interpret(program);
  return acc;
}

/* --- sieve of Eratosthenes --- */
static uint8_t composite[120000];
static uint32_t kernel_sieve(void) {
  memset(composite, 0, sizeof composite);
  uint32_t count = 0, sum = 0;
  for (uint32_t i = 2; i < sizeof composite; i++) {
    if (composite[i]) continue;
    count++;
    sum += i;
    for (uint32_t j = i * 2; j < sizeof composite; j += i) composite[j] = 1;
  }
  return count * 65599u + sum;
}

int main(void) {
  uint32_t crc = 0, sort = 0, mat = 0, interp = 0, sieve = 0;
  for (int s = 0; s < BENCH_SCALE; s++) {
    crc = crc * 31 + kernel_crc();
    sort = sort * 31 + kernel_sort();
    mat = mat * 31 + kernel_matrix();
    interp = interp * 31 + kernel_interp();
    sieve = sieve * 31 + kernel_sieve();
  }
  printf("bench mix, scale %d\n", BENCH_SCALE);
  printf("crc32   %08lx\nsort    %08lx\nmatrix  %08lx\ninterp  %08lx\nsieve   %08lx\n", (unsigned long)crc, (unsigned long)sort, (unsigned long)mat, (unsigned long)interp, (unsigned long)sieve);
  return 0;
}
