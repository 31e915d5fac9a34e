/* User mode (PL0): what is UNDEFINED there (PL1 CP15 and CP14 registers, FPEXC, writes to
 * TPIDRURO, SMC), what is silently ignored (CPS, MSR of the control field, CPSID), what works
 * (TPIDRURW, FPSCR, LDRT/STRT, MRS), and the way back (SVC, handled in vectors.S). Runs on the
 * SVC stack; nothing is printed while in User mode (semihosting is a PL1 service). */
#include <stdio.h>
#include <stdint.h>
#include "vectors.h"

struct probe { const char *what; uint32_t kind, value; };
static struct probe probes[24];
static int nprobes;

static void note(const char *what, uint32_t value) {
  probes[nprobes].what = what;
  probes[nprobes].kind = exc_record.kind;
  probes[nprobes].value = value;
  nprobes++;
  exc_clear();
}

static uint32_t cpsr(void) { uint32_t v; __asm__ volatile("mrs %0, cpsr" : "=r"(v)); return v; }
static uint32_t word = 0x600dcafe;

/* Runs one instruction at PL0 that leaves its result in r0 (preset to 0xeeeeeeee). */
#define PROBE(what, insn, arg)                                                             \
  do {                                                                                     \
    register uint32_t r0_ __asm__("r0") = 0xeeeeeeee;                                      \
    __asm__ volatile("adr r12, 9f\n\tstr r12, [%1]\n\t" insn "\n9:"                       \
                     : "+r"(r0_) : "r"(&exc_resume), "r"(arg) : "r1", "r12", "lr", "memory", "cc"); \
    exc_resume = 0;                                                                        \
    note(what, r0_);                                                                       \
  } while (0)

int main(void) {
  exc_install();
  exc_clear();
  __asm__ volatile("mcr p15, 0, %0, c13, c0, 2\n\tmcr p15, 0, %1, c13, c0, 3" : : "r"(0x11112222), "r"(0x33334444)); /* TPIDRURW, TPIDRURO */
  uint32_t svc_cpsr = cpsr();
  /* User SP = SVC SP, so this function's frame stays valid; exceptions push below it. */
  __asm__ volatile("mov r0, sp\n\tcps #0x1f\n\tmov sp, r0\n\tcps #0x10" : : : "r0", "memory");
  uint32_t user_cpsr = cpsr();

  PROBE("mrc SCTLR", "mrc p15, 0, r0, c1, c0, 0", 0);
  PROBE("mrc TPIDRURW", "mrc p15, 0, r0, c13, c0, 2", 0);
  PROBE("mrc TPIDRURO", "mrc p15, 0, r0, c13, c0, 3", 0);
  PROBE("mcr TPIDRURO", "mcr p15, 0, r0, c13, c0, 3", 0);
  PROBE("mcr TPIDRURW", "mov r0, #0x77\n\tmcr p15, 0, r0, c13, c0, 2\n\tmrc p15, 0, r0, c13, c0, 2", 0);
  PROBE("mrc MIDR", "mrc p15, 0, r0, c0, c0, 0", 0);
  PROBE("mrc DBGDIDR (cp14)", "mrc p14, 0, r0, c0, c0, 0", 0);
  PROBE("vmrs FPEXC", "vmrs r0, fpexc", 0);
  PROBE("vmrs FPSCR", "vmrs r0, fpscr", 0);
  PROBE("cps #0x13 (ignored)", "cps #0x13\n\tmrs r0, cpsr", 0);
  PROBE("cpsid i (ignored)", "cpsid i\n\tmrs r0, cpsr", 0);
  PROBE("msr cpsr_c (ignored)", "msr cpsr_fc, %2\n\tmrs r0, cpsr", 0xf00000d3);
  PROBE("msr cpsr flags", "msr cpsr_f, %2\n\tmrs r0, cpsr", 0x30000000);
  PROBE("ldrt", "ldrt r0, [%2]", &word);
  PROBE("strt then ldr", "mov r0, #0x5a\n\tstrt r0, [%2]\n\tldr r0, [%2]", &word);
  PROBE("smc #0", "smc #0", 0);
  PROBE("svc #0x21", "svc #0x21\n\tmrs r0, cpsr", 0);
  uint32_t still_user = cpsr();
  /* back to SVC mode */
  __asm__ volatile("adr r12, 9f\n\tstr r12, [%0]\n\tsvc #0xfe\n9:" : : "r"(&exc_resume) : "r12", "lr", "memory", "cc");
  exc_resume = 0;
  exc_clear();
  uint32_t back = cpsr();

  printf("cpsr: svc %08lx user %08lx still user %08lx back %08lx\n", (unsigned long)svc_cpsr, (unsigned long)user_cpsr, (unsigned long)still_user, (unsigned long)back);
  for (int i = 0; i < nprobes; i++) {
    if (probes[i].kind) printf("  %-22s %s\n", probes[i].what, exc_kinds[probes[i].kind]);
    else printf("  %-22s ok %08lx\n", probes[i].what, (unsigned long)probes[i].value);
  }
  return 0;
}
