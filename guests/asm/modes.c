/* Processor modes and banked registers, exception returns, CPS/MSR/SETEND (see modes.S), and the
 * banked MRS/MSR forms of the Virtualization Extensions (UNDEFINED on a processor without EL2). */
#include <stdio.h>
#include <stdint.h>
#include "vectors.h"

extern void modes_banked(uint32_t *out);
extern void modes_user_regs(uint32_t *out);
extern void modes_returns(uint32_t *out);
extern void modes_cps_msr(uint32_t *out);

static uint32_t out[64];

static void dump(const char *title, const char *const *names, int n) {
  printf("%s:\n", title);
  for (int i = 0; i < n; i++) printf("  %-22s %08lx\n", names[i], (unsigned long)out[i]);
}

int main(void) {
  static const char *const mode_names[] = {"usr/sys", "fiq", "abt", "svc", "und", "irq"};
  modes_banked(out);
  printf("banked registers (r8 r9 r10 r11 r12 sp lr):\n");
  for (int m = 0; m < 6; m++) {
    printf("  %-8s", mode_names[m]);
    for (int k = 0; k < 7; k++) printf(" %08lx", (unsigned long)out[7 * m + k]);
    printf("\n");
  }
  static const char *const spsr_names[] = {"spsr_irq", "spsr_fiq", "spsr_abt", "spsr_und", "spsr_svc"};
  for (int k = 0; k < 5; k++) printf("  %-8s %08lx\n", spsr_names[k], (unsigned long)out[42 + k]);

  static const char *const user_names[] = {"stm^ user r8", "stm^ user r9", "stm^ user sp", "stm^ user lr", "ldm^ -> user sp", "ldm^ -> user lr", "user r8", "svc r8", "svc sp", "svc sp - saved"};
  modes_user_regs(out);
  out[8] = 0; /* SVC SP itself is a link-time address; print only the difference */
  dump("user registers from svc", user_names, 10);

  static const char *const ret_names[] = {"subs pc,lr -> cpsr", "movs pc,lr -> cpsr", "ldm {pc}^ -> cpsr", "ldm loaded r3", "srs: lr - stored", "srs: stored spsr", "rfe -> cpsr", "svc sp moved by",
                                          "srs irq stack spsr", "rfe to thumb cpsr", "thumb marker"};
  modes_returns(out);
  dump("exception returns", ret_names, 11);

  static const char *const cps_names[] = {"cpsie a", "cpsid aif", "cpsid if,#und", "msr cpsr_c", "msr cpsr_f", "msr cpsr_s", "msr apsr_nzcvqg", "be ldr", "be ldrh", "be str (as le)", "cpsr while be", "ldrd after", "ldrd after hi", "cpsr after"};
  modes_cps_msr(out);
  dump("cps, msr, setend", cps_names, 14);

  exc_install();
  exc_clear();
  uint32_t at;
  at = TRIGGER("mrs r0, r8_fiq", 0);
  printf("mrs r0, r8_fiq: %s (lr=insn%+ld)\n", exc_kinds[exc_record.kind], exc_record.kind ? (long)(exc_record.lr - at) : 0L);
  exc_clear();
  at = TRIGGER("mrs r0, sp_irq", 0);
  printf("mrs r0, sp_irq: %s\n", exc_kinds[exc_record.kind]);
  exc_clear();
  at = TRIGGER("mrs r0, spsr_und", 0);
  printf("mrs r0, spsr_und: %s\n", exc_kinds[exc_record.kind]);
  exc_clear();
  at = TRIGGER("msr lr_abt, r0", 0);
  printf("msr lr_abt, r0: %s\n", exc_kinds[exc_record.kind]);
  exc_clear();
  at = TRIGGER("msr elr_hyp, r0", 0);
  printf("msr elr_hyp, r0: %s\n", exc_kinds[exc_record.kind]);
  exc_clear();
  (void)at;
  return 0;
}
