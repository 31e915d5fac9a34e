/* Driver for batches of random instruction sequences (see test/support/random-sequences/).
 * For each sequence: fill the scratch area from the sequence's seed, run the generated function
 * (which loads the initial state, runs the instructions and captures the final state), then print
 * every core register, APSR (NZCVQ GE), FPSCR, a checksum of the scratch area and D0-D31. */
#include <stdio.h>
#include <stdint.h>
#include <string.h>

struct seq_state {
  uint32_t r[14];     /* r0-r12, r14 */
  uint32_t apsr;
  uint32_t fpscr;
  uint32_t d[64];     /* D0-D31, low word first */
};

struct seq_desc {
  void (*fn)(const struct seq_state *in, struct seq_state *out);
  uint32_t seed;
  uint32_t scratch_seed;
  const struct seq_state *in;
};

extern const struct seq_desc partita_seqs[];
extern const uint32_t partita_seq_count;

/* r10 points SCRATCH_BIAS bytes into this area while a sequence runs. */
uint8_t partita_scratch[2048] __attribute__((aligned(64)));

static struct seq_state out;
static char line[700];

static char *hex32(char *p, uint32_t v) {
  static const char digits[] = "0123456789abcdef";
  for (int i = 7; i >= 0; i--) *p++ = digits[(v >> (4 * i)) & 15];
  return p;
}

static void emit(char *p) {
  *p++ = '\n';
  fwrite(line, 1, (size_t)(p - line), stdout);
}

int main(void) {
  for (uint32_t i = 0; i < partita_seq_count; i++) {
    const struct seq_desc *s = &partita_seqs[i];
    uint32_t x = s->scratch_seed;
    for (unsigned k = 0; k < sizeof partita_scratch; k += 4) {
      x ^= x << 13; x ^= x >> 17; x ^= x << 5;
      memcpy(&partita_scratch[k], &x, 4);
    }
    memset(&out, 0, sizeof out);
    s->fn(s->in, &out);
    __asm__ volatile("vmsr fpscr, %0" : : "r"(0)); /* the sequence may leave any rounding mode */
    uint32_t h = 2166136261u;
    for (unsigned k = 0; k < sizeof partita_scratch; k++) h = (h ^ partita_scratch[k]) * 16777619u;

    char *p = line + sprintf(line, "%lu R", (unsigned long)s->seed);
    for (int r = 0; r < 14; r++) { *p++ = ' '; p = hex32(p, out.r[r]); }
    emit(p);
    p = line + sprintf(line, "%lu F apsr=", (unsigned long)s->seed);
    p = hex32(p, out.apsr);
    memcpy(p, " fpscr=", 7); p += 7; p = hex32(p, out.fpscr);
    memcpy(p, " mem=", 5); p += 5; p = hex32(p, h);
    emit(p);
    p = line + sprintf(line, "%lu D", (unsigned long)s->seed);
    for (int r = 0; r < 32; r++) { *p++ = ' '; p = hex32(p, out.d[2 * r + 1]); p = hex32(p, out.d[2 * r]); }
    emit(p);
  }
  printf("done %lu\n", (unsigned long)partita_seq_count);
  return 0;
}
