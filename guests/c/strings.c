/* Strings and stdio: printf conversions, string.h, memcpy/memmove/memset at every alignment,
 * strtol/strtod/sscanf, structs copied by assignment. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ctype.h>
#include <stdint.h>
#include <inttypes.h>
#include <limits.h>
#include "guest.h"

struct packet { uint8_t tag; uint16_t len; uint32_t id; char text[21]; double value; };

static uint8_t src[300], dst[300];

int main(void) {
  printf("ints: [%d] [%i] [%u] [%x] [%X] [%o] [%5d] [%-5d] [%05d] [%+d] [% d] [%#x] [%#o]\n", -17, 42, 3000000000u, 0xbeefu, 0xbeefu, 8u, 42, 42, 42, 42, 42, 255u, 8u);
  printf("limits: %d %d %u %lld %lld %llu\n", INT_MAX, INT_MIN, UINT_MAX, LLONG_MAX, LLONG_MIN, ULLONG_MAX);
  printf("sizes: [%hhd] [%hd] [%ld] [%lld] [%u]\n", (signed char)-200, (short)70000, -5L, -5000000000LL, (unsigned)sizeof(struct packet));
  printf("chars: [%c] [%s] [%10s] [%-10s] [%.3s] [%%]\n", 'Q', "text", "right", "left", "truncate");
  printf("floats: [%f] [%.2f] [%10.4f] [%-10.1f] [%e] [%.3E] [%g] [%g] [%g] [%G]\n", 3.14159265358979, -2.005, 1.0 / 3, 99.95, 123456.789, 0.000123456, 1e-5, 123456789.0, 0.5, 1e20);
  printf("specials: [%f] [%f] [%e] [%g] [%.0f] [%.0f] [%.0f]\n", 1.0 / 0.0, -1.0 / 0.0, 0.0 / 0.0, -0.0, 0.5, 1.5, 2.5);
  printf("pointer-free hex: [%08" PRIx32 "] [%016" PRIx64 "] [%" PRId64 "]\n", (uint32_t)0xcafe, (uint64_t)0x0123456789abcdefull, (int64_t)-1);

  char buf[128];
  int n = snprintf(buf, 10, "%s-%d", "overflowing", 12345);
  printf("snprintf: %d [%s]\n", n, buf);
  n = sprintf(buf, "%s|%*d|%-*d|%.*f", "star", 6, 12, 4, 7, 3, 2.718281828);
  printf("sprintf: %d [%s]\n", n, buf);

  strcpy(buf, "Hello");
  strcat(buf, ", World");
  strncat(buf, "!!!???", 3);
  printf("strcat: [%s] len %u cmp %d %d %d ncmp %d\n", buf, (unsigned)strlen(buf), strcmp("abc", "abd") < 0, strcmp("b", "a") > 0, strcmp("same", "same"), strncmp("abcdef", "abcxyz", 3));
  printf("search: strchr %d strrchr %d strstr %d strspn %u strcspn %u\n", (int)(strchr(buf, 'o') - buf), (int)(strrchr(buf, 'o') - buf), (int)(strstr(buf, "World") - buf), (unsigned)strspn("aabbcx", "ab"), (unsigned)strcspn("hello world", " "));
  char tok[] = "alpha, beta;gamma  delta";
  printf("strtok:");
  for (char *t = strtok(tok, ",; "); t; t = strtok(NULL, ",; ")) printf(" <%s>", t);
  printf("\n");
  for (char *p = buf; *p; p++) *p = (char)(isalpha((unsigned char)*p) ? toupper((unsigned char)*p) : '_');
  printf("ctype: %s\n", buf);

  char *end;
  long l = strtol("  -123456xyz", &end, 10);
  unsigned long ul = strtoul("0xFFfe", NULL, 16);
  long long ll = strtoll("777777777777", NULL, 8);
  double d = strtod("6.02214076e23", NULL);
  double d2 = strtod("-0.000015625", NULL);
  printf("strto: %ld [%s] %lu %lld %.6e %.9f %d\n", l, end, ul, ll, d, d2, atoi("  99 bottles"));
  int si; unsigned sx; char sw[16]; float sf;
  int got = sscanf("42 ff word 2.5", "%d %x %15s %f", &si, &sx, sw, &sf);
  printf("sscanf: %d %d %u %s %.2f\n", got, si, sx, sw, (double)sf);

  /* memcpy/memmove/memset at all alignments and lengths */
  uint32_t h = 0;
  for (int i = 0; i < 300; i++) src[i] = (uint8_t)(i * 7 + 3);
  for (int so = 0; so < 4; so++)
    for (int dso = 0; dso < 4; dso++)
      for (int len = 0; len < 70; len += 3) {
        memset(dst, 0xa5, sizeof dst);
        memcpy(dst + dso, src + so, (size_t)len);
        h = h * 31 + guest_fnv(dst, 80);
        memmove(dst + dso + 1, dst + dso, (size_t)len); /* overlapping, forward */
        h = h * 31 + guest_fnv(dst, 80);
        memmove(dst + so, dst + so + 5, (size_t)len); /* overlapping, backward */
        h = h * 31 + guest_fnv(dst, 80);
        memset(dst + so, len, (size_t)(len + dso));
        h = h * 31 + guest_fnv(dst, 160);
      }
  printf("mem*: %08" PRIx32 " memcmp %d %d\n", h, memcmp(src, src, 50), memcmp("abc", "abd", 3) < 0);
  printf("memchr: %d\n", (int)((uint8_t *)memchr(src, 0x5e, sizeof src) - src));

  struct packet p = {7, 300, 0xdeadbeef, "twenty characters...", 0.1}, q;
  q = p;
  q.id ^= 0xffff;
  struct packet arr[3] = {p, q, p};
  arr[2].text[0] = 'T';
  printf("structs: %u %u %08" PRIx32 " %s %s %.3f %08" PRIx32 "\n", arr[1].tag, arr[1].len, arr[1].id, arr[2].text, arr[0].text, arr[1].value, guest_fnv(arr[1].text, sizeof arr[1].text));

  char *heap = malloc(1000);
  char *heap2 = calloc(50, 20);
  int zero = 1;
  for (int i = 0; i < 1000; i++) zero &= heap2[i] == 0;
  heap = realloc(heap, 5000);
  memset(heap, 'x', 5000);
  free(heap2);
  free(heap);
  printf("malloc: calloc zeroed %d\n", zero);
  fputs("fputs line\n", stdout);
  putchar('p'); putchar('\n');
  puts("puts line");
  fprintf(stdout, "fprintf %s\n", "stdout");
  fflush(stdout);
  return 0;
}
