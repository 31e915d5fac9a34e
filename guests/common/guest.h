/* Helpers shared by the guest programs: deterministic pseudo-random numbers and checksums. */
#ifndef PARTITA_GUEST_H
#define PARTITA_GUEST_H
#include <stdint.h>
#include <stddef.h>

/* xorshift32: the same sequence on every run and every emulator. */
static uint32_t guest_rng_state = 2463534242u;
static inline uint32_t guest_rand(void) {
  uint32_t x = guest_rng_state;
  x ^= x << 13;
  x ^= x >> 17;
  x ^= x << 5;
  return guest_rng_state = x;
}

/* FNV-1a over bytes. */
static inline uint32_t guest_fnv(const void *p, size_t n) {
  const uint8_t *b = (const uint8_t *)p;
  uint32_t h = 2166136261u;
  for (size_t i = 0; i < n; i++) h = (h ^ b[i]) * 16777619u;
  return h;
}

/* Keeps the compiler from folding a value at compile time. */
#define OPAQUE(x) ({ __auto_type v_ = (x); __asm__ volatile("" : "+r"(v_)); v_; })
#endif
