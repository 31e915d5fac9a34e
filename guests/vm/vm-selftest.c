/* vm-selftest: the VM runtime's own behaviour, for test/cli/vm-guests.test.ts.
 *   - vm_printf's conversions;
 *   - vm_try/vm_recover out of a data abort (a load from unmapped space) taken by a hook;
 *   - a hook that changes a register and resumes after an undefined instruction;
 *   - newlib's stdio through _write;
 *   - an exception nobody hooked: the runtime says so and ends with "exit status 1". */
#include <stdio.h>
#include "vm.h"

#define UNMAPPED 0x80000000u /* neither RAM nor a device, in a VM or on the virt board */

static struct vm_jmp jmp;
static uint32_t abort_dfar;

static void recover_from_abort(struct vm_exception *e) {
  abort_dfar = e->dfar;
  vm_recover(&jmp, 7);
}

static void answer_undef(struct vm_exception *e) { e->r[0] = 42; }

int main(void) {
  vm_printf("selftest: printf %d %u %x %08x %5d|%s|%c|%%\n", -12, 34u, 0xbeefu, 0xabcu, 7, "str", 'c');

  vm_hook_exception(VM_DABT, recover_from_abort);
  volatile int reached = 0;
  int value = vm_try(&jmp);
  if (value == 0) {
    (void)REG32(UNMAPPED);
    reached = 1;
  }
  vm_printf("selftest: recovered value=%d reached=%d dfar=%08lx\n", value, reached, abort_dfar);

  vm_hook_exception(VM_UNDEF, answer_undef);
  uint32_t r0;
  __asm__ volatile("mov r0, #0\n\tudf #1\n\tmov %0, r0" : "=r"(r0) : : "r0");
  vm_printf("selftest: undef hook r0=%lu\n", r0);

  printf("selftest: newlib printf %s\n", "via _write");
  fflush(stdout);

  vm_hook_exception(VM_UNDEF, 0);
  __asm__ volatile("udf #2");
  vm_puts("selftest: not reached\n");
  return 0;
}
