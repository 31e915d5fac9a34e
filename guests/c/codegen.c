/* Self-modifying code: the program writes ARM and Thumb instructions into a buffer, makes them
 * visible (DCCMVAU, ICIALLU, DSB, ISB, as the ARM ARM requires), runs them, rewrites them and
 * runs them again. Catches translated/decoded-code caches that miss writes to code. */
#include <stdio.h>
#include <stdint.h>
#include <string.h>

static uint32_t code[256] __attribute__((aligned(4096)));

static void sync_code(void *start, size_t bytes) {
  for (uintptr_t a = (uintptr_t)start & ~31u; a < (uintptr_t)start + bytes; a += 32) __asm__ volatile("mcr p15, 0, %0, c7, c11, 1" : : "r"(a) : "memory"); /* DCCMVAU */
  __asm__ volatile("dsb\n\tmcr p15, 0, %0, c7, c5, 0\n\tdsb\n\tisb" : : "r"(0) : "memory"); /* ICIALLU */
}

typedef uint32_t (*fn0)(void);
typedef uint32_t (*fn1)(uint32_t);

int main(void) {
  /* ARM: mov r0, #n ; bx lr, rewritten 200 times in place */
  uint32_t sum = 0;
  for (uint32_t n = 0; n < 200; n++) {
    code[0] = 0xe3a00000u | (n & 0xff) | ((n >> 8) << 8); /* mov r0, #n (n < 256 here, rotate 0) */
    code[1] = 0xe12fff1eu;                               /* bx lr */
    sync_code(code, 8);
    sum = sum * 31 + ((fn0)(uintptr_t)code)();
  }
  printf("arm rewritten 200 times: %08lx\n", (unsigned long)sum);

  /* ARM: a loop whose add instruction is patched between calls: r0 = sum_{i<r0} (i op k) */
  static const uint32_t loop_template[] = {
      0xe3a01000, /* mov r1, #0 (accumulator) */
      0xe3a02000, /* mov r2, #0 (i) */
      0xe0811002, /* 2: add r1, r1, r2   <- patched */
      0xe2822001, /* add r2, r2, #1 */
      0xe1520000, /* cmp r2, r0 */
      0x3afffffb, /* blo 2b */
      0xe1a00001, /* mov r0, r1 */
      0xe12fff1e, /* bx lr */
  };
  static const uint32_t variants[] = {0xe0811002 /* add r1,r1,r2 */, 0xe0411002 /* sub r1,r1,r2 */, 0xe0211002 /* eor r1,r1,r2 */, 0xe0010291 /* mul r1,r1,r2 */, 0xe0811102 /* add r1,r1,r2,lsl #2 */};
  memcpy(code, loop_template, sizeof loop_template);
  sum = 0;
  for (int round = 0; round < 10; round++) {
    code[2] = variants[round % 5];
    sync_code(code, sizeof loop_template);
    sum = sum * 131 + ((fn1)(uintptr_t)code)(100 + (uint32_t)round);
  }
  printf("arm patched loop: %08lx\n", (unsigned long)sum);

  /* Thumb: movs r0, #n ; bx lr, at a halfword offset into the buffer */
  uint16_t *t = (uint16_t *)&code[64];
  sum = 0;
  for (uint32_t n = 0; n < 150; n++) {
    t[1] = (uint16_t)(0x2000u | (n & 0xff)); /* movs r0, #n */
    t[2] = 0x4770;                           /* bx lr */
    sync_code(t, 8);
    sum = sum * 31 + ((fn0)((uintptr_t)&t[1] | 1))();
  }
  printf("thumb rewritten 150 times: %08lx\n", (unsigned long)sum);

  /* Thumb-2: movw r0, #imm16 ; bx lr (a 32-bit instruction whose halves change separately) */
  sum = 0;
  for (uint32_t n = 0; n < 64; n++) {
    uint32_t imm = n * 1031u;
    t[8] = (uint16_t)(0xf240u | ((imm >> 12) & 0xf) | (((imm >> 11) & 1) << 10));
    t[9] = (uint16_t)((((imm >> 8) & 7) << 12) | (imm & 0xff));
    t[10] = 0x4770;
    sync_code(&t[8], 6);
    sum = sum * 31 + ((fn0)((uintptr_t)&t[8] | 1))();
  }
  printf("thumb-2 movw rewritten 64 times: %08lx\n", (unsigned long)sum);

  /* The same bytes run as ARM and then reinterpreted: a page holding both */
  code[128] = 0xe3a0002a; /* mov r0, #42 */
  code[129] = 0xe12fff1e;
  sync_code(&code[128], 8);
  uint32_t a = ((fn0)(uintptr_t)&code[128])();
  code[128] = 0xe3a0002b; /* mov r0, #43, no maintenance of the other words */
  sync_code(&code[128], 4);
  uint32_t b = ((fn0)(uintptr_t)&code[128])();
  printf("single word rewrite: %lu then %lu\n", (unsigned long)a, (unsigned long)b);
  return 0;
}
