/* shm-peer: one end of an inter-VM shared-memory channel (docs/system-description.md, "Shared
 * memory"). Its doorbell page is the first region's (0x0c000000), the region itself is at
 * SHM_BASE in its guest-physical space.
 *
 * Peer 0 sends SHM_ROUNDS messages: SHM_WORDS words that depend on the round, then rings peer 1
 * and waits (WFI) for its doorbell interrupt; peer 1 answers each with the sum of the words,
 * then rings peer 0. Each checks what it receives. Output, then "exit status 0":
 *     shm-peer: peer=P peers=2 spi=S size=N
 *     shm-peer: peer=P rounds=R irqs=I ok
 * A VM that is no peer (the doorbell page and the region are not there: data aborts) prints
 *     shm-peer: no doorbell (data abort), no region (data abort)
 * and exits with status 0 too. */
#include "vm.h"

#define DOORBELL 0x0c000000u
#define DB_MAGIC (DOORBELL + 0x00)
#define DB_PEER (DOORBELL + 0x04)
#define DB_PEERS (DOORBELL + 0x08)
#define DB_SPI (DOORBELL + 0x0c)
#define DB_SIZE (DOORBELL + 0x10)
#define DB_RING (DOORBELL + 0x20)
#define DB_PENDING (DOORBELL + 0x24)
#define DB_ACK (DOORBELL + 0x28)
#define MAGIC 0x4d485350u /* "PSHM" */

#define SHM_BASE 0x50000000u
#define SHM_ROUNDS 200
#define SHM_WORDS 64

/* The message layout in the region. */
#define MSG_ROUND (SHM_BASE + 0x0)
#define MSG_REPLY (SHM_BASE + 0x4)
#define MSG_DATA (SHM_BASE + 0x100)

static struct vm_jmp jmp;
static volatile uint32_t rung;  /* doorbell interrupts taken, not yet consumed */
static volatile uint32_t irqs;
static uint32_t doorbell_id;

static void recover_from_abort(struct vm_exception *e) {
  (void)e;
  vm_recover(&jmp, 1);
}

/* IHI 0048B 3.2.4: IAR acknowledges, EOIR ends; the doorbell's Pending bits are acknowledged
 * first (write-one-to-clear), so its level line is low before the EOI. */
static void on_irq(struct vm_exception *e) {
  (void)e;
  uint32_t iar = vm_gic_acknowledge();
  if ((iar & 0x3ff) == doorbell_id) {
    uint32_t pending = REG32(DB_PENDING);
    REG32(DB_ACK) = pending;
    irqs++;
    rung++;
  }
  vm_gic_end(iar);
}

static uint32_t word(uint32_t round, uint32_t i) { return round * 0x9e3779b1u + i * 0x85ebca77u; }

static int outsider(void) {
  vm_hook_exception(VM_DABT, recover_from_abort);
  const char *doorbell = "there", *region = "there";
  if (vm_try(&jmp) == 0) (void)REG32(DB_MAGIC);
  else doorbell = "data abort";
  if (vm_try(&jmp) == 0) (void)REG32(SHM_BASE);
  else region = "data abort";
  vm_printf("shm-peer: no doorbell (%s), no region (%s)\n", doorbell, region);
  return 0;
}

int main(int argc, char **argv) {
  (void)argc;
  (void)argv;
  vm_hook_exception(VM_DABT, recover_from_abort);
  if (vm_try(&jmp) != 0 || REG32(DB_MAGIC) != MAGIC) return outsider();
  vm_hook_exception(VM_DABT, 0);
  uint32_t peer = REG32(DB_PEER), spi = REG32(DB_SPI);
  vm_printf("shm-peer: peer=%u peers=%u spi=%u size=%u\n", peer, REG32(DB_PEERS), spi, REG32(DB_SIZE));
  doorbell_id = 32 + spi;
  vm_hook_exception(VM_IRQ, on_irq);
  vm_gic_enable(doorbell_id);
  __asm__ volatile("cpsie i");
  uint32_t other = 1u << (peer ^ 1);
  for (uint32_t round = 1; round <= SHM_ROUNDS; round++) {
    if (peer == 0) {
      uint32_t sum = 0;
      for (uint32_t i = 0; i < SHM_WORDS; i++) {
        REG32(MSG_DATA + 4 * i) = word(round, i);
        sum += word(round, i);
      }
      REG32(MSG_ROUND) = round;
      REG32(DB_RING) = other;
      vm_wait_for(&rung);
      if (REG32(MSG_REPLY) != sum) {
        vm_printf("shm-peer: round %u: reply %x, expected %x\n", round, REG32(MSG_REPLY), sum);
        return 1;
      }
    } else {
      vm_wait_for(&rung);
      if (REG32(MSG_ROUND) != round) {
        vm_printf("shm-peer: round %u: message of round %u\n", round, REG32(MSG_ROUND));
        return 1;
      }
      uint32_t sum = 0;
      for (uint32_t i = 0; i < SHM_WORDS; i++) sum += REG32(MSG_DATA + 4 * i);
      REG32(MSG_REPLY) = sum;
      REG32(DB_RING) = other;
    }
  }
  vm_printf("shm-peer: peer=%u rounds=%u irqs=%u ok\n", peer, SHM_ROUNDS, irqs);
  return 0;
}
