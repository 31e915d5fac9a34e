/* mmio-writeback: loads and stores to device registers in the forms whose stage 2 data abort
 * has no syndrome (ISV = 0), which a hypervisor must decode from the instruction itself:
 * pre- and post-indexed single loads and stores, LDRD/STRD, LDM/STM, in ARM and in Thumb
 * (mmio-writeback.S, which says which registers). Prints the values loaded and each writeback's
 * base offset, one line per instruction set; the same lines on the bare board, under QEMU and
 * in a Partita VM (test/hypervisor/traps/mmio-writeback.test.ts). */
#include "vm.h"

uint32_t *mmio_arm(uint32_t *out);
uint32_t *mmio_thumb(uint32_t *out);

static void show(const char *isa, uint32_t *(*run)(uint32_t *)) {
  uint32_t out[64];
  uint32_t *end = run(out);
  vm_printf("mmio-writeback: %s", isa);
  for (uint32_t *p = out; p < end; p++) vm_printf(" %x", *p);
  vm_printf("\n");
}

int main(void) {
  show("arm", mmio_arm);
  show("thumb", mmio_thumb);
  return 0;
}
