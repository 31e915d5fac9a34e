/* Semihosting operations newlib's rdimon uses, called directly: SYS_OPEN/WRITE/CLOSE
 * on ":tt", SYS_WRITEC, SYS_WRITE0, SYS_CLOCK, SYS_TIME, SYS_HEAPINFO, SYS_ERRNO; then returns 3
 * from main (newlib turns it into SYS_EXIT with status 3). Only program-determined facts are printed.
 * (SYS_ISTTY is left out: QEMU 7.2 answers 0 for a ":tt" handle, a host quirk, not a guest fact.) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <time.h>
#include <stdint.h>
#include <inttypes.h>

static int semihost(int op, const void *arg) {
  register int r0 __asm__("r0") = op;
  register const void *r1 __asm__("r1") = arg;
#ifdef __thumb__
  __asm__ volatile("svc 0xab" : "+r"(r0) : "r"(r1) : "memory");
#else
  __asm__ volatile("svc 0x123456" : "+r"(r0) : "r"(r1) : "memory");
#endif
  return r0;
}

enum { SYS_OPEN = 1, SYS_CLOSE = 2, SYS_WRITEC = 3, SYS_WRITE0 = 4, SYS_WRITE = 5, SYS_ISTTY = 9, SYS_FLEN = 0x0c, SYS_CLOCK = 0x10, SYS_TIME = 0x11, SYS_ERRNO = 0x13, SYS_HEAPINFO = 0x16 };

extern char end[]; /* end of the program's data (linker symbol) */

int main(void) {
  printf("semihosting test\n");
  fflush(stdout);

  uint32_t open_args[3] = {(uint32_t)(uintptr_t)":tt", 4 /* "w" */, 3};
  int tt = semihost(SYS_OPEN, open_args);
  printf("open :tt for writing: %s\n", tt >= 0 ? "ok" : "failed");
  fflush(stdout);
  static const char msg[] = "SYS_WRITE to :tt\n";
  uint32_t write_args[3] = {(uint32_t)tt, (uint32_t)(uintptr_t)msg, sizeof msg - 1};
  int notwritten = semihost(SYS_WRITE, write_args);
  printf("SYS_WRITE left %d bytes\n", notwritten);
  fflush(stdout);
  char c = '!';
  semihost(SYS_WRITEC, &c);
  c = '\n';
  semihost(SYS_WRITEC, &c);
  semihost(SYS_WRITE0, "SYS_WRITE0 string\n");
  printf("SYS_CLOSE: %d\n", semihost(SYS_CLOSE, &tt));

  uint32_t bad_args[3] = {(uint32_t)(uintptr_t)"/nonexistent-partita-dir/no-such-file", 0, 37};
  int bad = semihost(SYS_OPEN, bad_args);
  int err = semihost(SYS_ERRNO, NULL);
  printf("open missing file: %d errno %d\n", bad, err);
  FILE *f = fopen("/nonexistent-partita-dir/no-such-file", "r");
  printf("fopen missing file: %s errno %d\n", f ? "opened" : "NULL", errno);

  int c0 = semihost(SYS_CLOCK, NULL);
  volatile uint32_t spin = 0;
  for (int i = 0; i < 100000; i++) spin += (uint32_t)i;
  int c1 = semihost(SYS_CLOCK, NULL);
  printf("SYS_CLOCK: nonnegative %d monotonic %d\n", c0 >= 0, c1 >= c0);
  int t = semihost(SYS_TIME, NULL);
  printf("SYS_TIME after 2020: %d; time() agrees: %d\n", t > 1577836800, (long)time(NULL) - t < 100);
  printf("clock(): nonnegative %d\n", clock() >= 0);

  uint32_t block[4] = {0, 0, 0, 0};
  uint32_t *pblock = block;
  semihost(SYS_HEAPINFO, &pblock);
  uint32_t sp;
  __asm__("mov %0, sp" : "=r"(sp));
  printf("SYS_HEAPINFO: heap limit above heap base %d, stack base above stack pointer %d, stack in RAM %d\n", block[1] > block[0], block[2] >= sp, block[2] > 0x40000000u && block[2] <= 0x48000000u);
  char *p = malloc(4u << 20);
  printf("malloc 4 MiB: %s, above end %d\n", p ? "ok" : "NULL", p >= end);
  if (p) { memset(p, 1, 4u << 20); free(p); }
  return 3;
}
