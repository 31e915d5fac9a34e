/* The end of the run, exception dispatch and the processor state recovery puts back. */
#include "vm.h"

uint32_t vm_boot_sctlr; /* SCTLR as the VM entered the program (start.S) */
static vm_exception_hook hooks[8];

void vm_exit(int status) {
  vm_printf("exit status %d\n", status);
  for (;;) vm_hvc(PSCI_SYSTEM_OFF, 0, 0, 0); /* returns only if there is no PSCI */
}

void vm_hook_exception(enum vm_exception_kind kind, vm_exception_hook hook) { hooks[kind] = hook; }

static const char *const names[8] = {"reset", "undefined instruction", "SVC", "prefetch abort", "data abort", "hyp trap", "IRQ", "FIQ"};

/* Called by vectors.S. */
void vm_dispatch_exception(struct vm_exception *e) {
  if (hooks[e->kind]) {
    hooks[e->kind](e);
    return;
  }
  vm_printf("vm: unexpected %s: lr=%08lx spsr=%08lx dfsr=%08lx dfar=%08lx ifsr=%08lx ifar=%08lx\n", names[e->kind], e->lr, e->spsr, e->dfsr, e->dfar, e->ifsr, e->ifar);
  vm_exit(1);
}

void vm_restore_cpu_state(void) {
  uint32_t cpacr;
  __asm__ volatile("mrc p15, 0, %0, c1, c0, 2" : "=r"(cpacr));
  __asm__ volatile("mcr p15, 0, %0, c1, c0, 2\n\tisb" : : "r"(cpacr | 0xf << 20)); /* cp10, cp11: full access */
  __asm__ volatile("vmsr fpexc, %0" : : "r"(1u << 30));                           /* FPEXC.EN */
  __asm__ volatile("mcr p15, 0, %0, c1, c0, 0\n\tisb" : : "r"(vm_boot_sctlr));
  __asm__ volatile("mcr p15, 0, %0, c12, c0, 0\n\tisb" : : "r"(vm_vectors));
}

/* newlib's system calls (nosys provides the others): stdout and stderr go to the UART. */
int _write(int fd, const char *buf, int len);
int _write(int fd, const char *buf, int len) {
  (void)fd;
  for (int i = 0; i < len; i++) vm_putchar(buf[i]);
  return len;
}
void _exit(int status) { vm_exit(status); }
