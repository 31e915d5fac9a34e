/* sentinel: the victim of the isolation test. It fills a fixed range of its RAM with a pattern
 * that depends on the address, then checks the whole range over and over, printing one line per
 * round ("sentinel: round N ok" or the first word that changed). After the fill it writes
 * nothing in that range, so the host can also compare the range with the pattern at any time.
 *
 * The range and the pattern are what test/hypervisor/isolation.test.ts expects. */
#include "vm.h"

#define SENTINEL_BASE 0x40100000u
#define SENTINEL_END 0x40f00000u
#ifndef SENTINEL_ROUNDS
#define SENTINEL_ROUNDS 0 /* 0: forever */
#endif

/* A word per address that no simple stray write reproduces (a 32-bit integer hash). */
static uint32_t pattern(uint32_t address) {
  uint32_t x = address * 0x9e3779b1u;
  x ^= x >> 15;
  x *= 0x85ebca77u;
  return x ^ (x >> 13);
}

int main(int argc, char **argv) {
  (void)argc;
  (void)argv;
  for (uint32_t a = SENTINEL_BASE; a < SENTINEL_END; a += 4) REG32(a) = pattern(a);
  vm_printf("sentinel: filled %x-%x\n", SENTINEL_BASE, SENTINEL_END);
  for (uint32_t round = 1; SENTINEL_ROUNDS == 0 || round <= SENTINEL_ROUNDS; round++) {
    for (uint32_t a = SENTINEL_BASE; a < SENTINEL_END; a += 4) {
      uint32_t found = REG32(a);
      if (found != pattern(a)) {
        vm_printf("sentinel: round %u: word at %x changed to %x\n", round, a, found);
        vm_exit(1);
      }
    }
    vm_printf("sentinel: round %u ok\n", round);
  }
  vm_exit(0);
}
