/* Atomics: __atomic builtins of every size (LDREX/STREX, LDREXB/H/D), CLREX, barriers. */
#include <stdio.h>
#include <stdint.h>
#include <stdbool.h>
#include <inttypes.h>
#include "guest.h"

static volatile uint8_t a8;
static volatile uint16_t a16;
static volatile uint32_t a32;
static volatile uint64_t a64;

int main(void) {
  uint32_t sum = 0;
  for (int i = 0; i < 300; i++) {
    uint32_t r = guest_rand();
    sum += __atomic_fetch_add(&a8, (uint8_t)r, __ATOMIC_SEQ_CST);
    sum += __atomic_fetch_sub(&a16, (uint16_t)(r >> 8), __ATOMIC_ACQ_REL);
    sum += __atomic_fetch_xor(&a32, r, __ATOMIC_RELAXED);
    sum += (uint32_t)__atomic_fetch_add(&a64, (uint64_t)r << 17, __ATOMIC_SEQ_CST);
    sum += __atomic_or_fetch(&a8, (uint8_t)(r >> 3), __ATOMIC_SEQ_CST);
    sum += __atomic_and_fetch(&a16, (uint16_t)(r | 0x8001), __ATOMIC_SEQ_CST);
    sum += __atomic_nand_fetch(&a32, r, __ATOMIC_SEQ_CST);
    sum += (uint32_t)(__atomic_exchange_n(&a64, a64 * 3 + r, __ATOMIC_SEQ_CST) >> 13);
    uint32_t expected = a32;
    bool ok = __atomic_compare_exchange_n(&a32, &expected, expected + 1, false, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
    sum += ok;
    expected = r; /* usually wrong: must fail and load the current value */
    ok = __atomic_compare_exchange_n(&a32, &expected, 5, false, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
    sum += ok * 100 + expected;
    uint64_t e64 = a64;
    ok = __atomic_compare_exchange_n(&a64, &e64, e64 ^ 0xffff0000ffffull, true, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
    sum += ok;
    uint16_t e16 = a16;
    ok = __atomic_compare_exchange_n(&a16, &e16, (uint16_t)(e16 + 7), false, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
    sum += ok;
    sum += __atomic_test_and_set((void *)&a8, __ATOMIC_SEQ_CST);
  }
  printf("atomics: sum %08" PRIx32 " a8 %02x a16 %04x a32 %08" PRIx32 " a64 %016" PRIx64 "\n", sum, a8, a16, a32, a64);

  /* STREX without a preceding LDREX fails; CLREX clears the monitor. */
  uint32_t word = 1, status, value;
  __asm__ volatile("clrex\n\tstrex %0, %2, [%1]" : "=&r"(status) : "r"(&word), "r"(2) : "memory");
  printf("strex after clrex: status %" PRIu32 " word %" PRIu32 "\n", status, word);
  __asm__ volatile("ldrex %1, [%2]\n\tstrex %0, %3, [%2]" : "=&r"(status), "=&r"(value) : "r"(&word), "r"(3) : "memory");
  printf("ldrex/strex: status %" PRIu32 " old %" PRIu32 " word %" PRIu32 "\n", status, value, word);
  __asm__ volatile("ldrex %1, [%2]\n\tclrex\n\tstrex %0, %3, [%2]" : "=&r"(status), "=&r"(value) : "r"(&word), "r"(4) : "memory");
  printf("ldrex/clrex/strex: status %" PRIu32 " word %" PRIu32 "\n", status, word);
  uint64_t dw = 0x1122334455667788ull;
  uint64_t old, repl = 0x12121212aaaa5555ull;
  __asm__ volatile("ldrexd %1, %H1, [%2]\n\tstrexd %0, %3, %H3, [%2]" : "=&r"(status), "=&r"(old) : "r"(&dw), "r"(repl) : "memory");
  printf("ldrexd/strexd: status %" PRIu32 " old %016" PRIx64 " new %016" PRIx64 "\n", status, old, dw);
  uint8_t byte = 0x80;
  uint16_t half = 0x8001;
  __asm__ volatile("ldrexb %1, [%2]\n\tadd %1, %1, #1\n\tstrexb %0, %1, [%2]" : "=&r"(status), "=&r"(value) : "r"(&byte) : "memory");
  printf("ldrexb/strexb: status %" PRIu32 " byte %02x\n", status, byte);
  __asm__ volatile("ldrexh %1, [%2]\n\tadd %1, %1, #2\n\tstrexh %0, %1, [%2]" : "=&r"(status), "=&r"(value) : "r"(&half) : "memory");
  printf("ldrexh/strexh: status %" PRIu32 " half %04x\n", status, half);
  __asm__ volatile("dmb ish\n\tdsb sy\n\tisb" ::: "memory");
  __atomic_thread_fence(__ATOMIC_SEQ_CST);
  return 0;
}
