/* pl031-probe: the board's PL031 real-time clock (ARM DDI 0224) passed through to the VM at its
 * own address, 0x09010000, with its interrupt (SPI 2). Three times: match register = counter + 1,
 * match interrupt unmasked, WFI until the interrupt arrives (a physical interrupt the hypervisor
 * forwards), cleared at the device, then ended at the GIC (which deactivates the physical one).
 * Output, then "exit status 0":
 *     pl031-probe: id=00141031 matches=3 seconds=3 irqs=3 ok
 * (seconds: how far the counter moved, as the device counts virtual time). */
#include "vm.h"

#define RTC 0x09010000u
#define RTC_DR (RTC + 0x00)
#define RTC_MR (RTC + 0x04)
#define RTC_IMSC (RTC + 0x10)
#define RTC_MIS (RTC + 0x18)
#define RTC_ICR (RTC + 0x1c)
#define RTC_SPI 2
#define MATCHES 3

static volatile uint32_t matches, irqs;

static void on_irq(struct vm_exception *e) {
  (void)e;
  uint32_t iar = vm_gic_acknowledge();
  if ((iar & 0x3ff) == 32 + RTC_SPI) {
    if (REG32(RTC_MIS) & 1) matches++;
    REG32(RTC_ICR) = 1; /* the level line drops before the end of interrupt */
    irqs++;
  }
  vm_gic_end(iar);
}

int main(int argc, char **argv) {
  (void)argc;
  (void)argv;
  uint32_t id = 0;
  for (int i = 0; i < 4; i++) id |= (REG32(RTC + 0xfe0 + 4 * i) & 0xff) << 8 * i; /* PeriphID0-3 */
  vm_hook_exception(VM_IRQ, on_irq);
  vm_gic_enable(32 + RTC_SPI);
  __asm__ volatile("cpsie i");
  uint32_t start = REG32(RTC_DR);
  for (int n = 0; n < MATCHES; n++) {
    REG32(RTC_MR) = REG32(RTC_DR) + 1;
    REG32(RTC_IMSC) = 1;
    vm_wait_for(&matches);
  }
  uint32_t seconds = REG32(RTC_DR) - start;
  vm_printf("pl031-probe: id=%08x matches=%u seconds=%u irqs=%u %s\n", id, MATCHES, seconds, irqs, irqs == MATCHES ? "ok" : "wrong");
  return irqs == MATCHES ? 0 : 1;
}
