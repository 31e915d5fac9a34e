/* virtio-rng-probe: drives the VM's first virtio-mmio transport (0x0a000000, SPI 16) as a
 * virtio-rng driver would (VIRTIO 1.1 §3.1.1 initialization, §4.2.2 registers, §2.6 split
 * virtqueue), with its completion interrupt on the VM's GIC. Output, then "exit status 0":
 *     virtio-rng-probe: device=4 queue-max=N
 *     virtio-rng-probe: 32 bytes: <64 hex digits> irqs=1
 *     virtio-rng-probe: buffer at 41100000 (outside the VM): used=1 status=N needs-reset=1
 * The last request gives the device a buffer at PROBE_OUTSIDE, outside the VM's RAM (in a
 * 16 MiB VM; with the VMs placed one after the other from 0x40000000, it is where a device that
 * took guest addresses for host addresses would write the next VM's memory): the device
 * must refuse it (DEVICE_NEEDS_RESET) and complete nothing. */
#include "vm.h"

#define MMIO 0x0a000000u
#define R(off) REG32(MMIO + (off))
#define MAGIC 0x000
#define VERSION 0x004
#define DEVICE_ID 0x008
#define DEVICE_FEATURES 0x010
#define DEVICE_FEATURES_SEL 0x014
#define DRIVER_FEATURES 0x020
#define DRIVER_FEATURES_SEL 0x024
#define QUEUE_SEL 0x030
#define QUEUE_NUM_MAX 0x034
#define QUEUE_NUM 0x038
#define QUEUE_READY 0x044
#define QUEUE_NOTIFY 0x050
#define INTERRUPT_STATUS 0x060
#define INTERRUPT_ACK 0x064
#define STATUS 0x070
#define QUEUE_DESC 0x080
#define QUEUE_DRIVER 0x090
#define QUEUE_DEVICE 0x0a0
#define ACKNOWLEDGE 1u
#define DRIVER 2u
#define DRIVER_OK 4u
#define FEATURES_OK 8u
#define NEEDS_RESET 64u

#define QUEUE_SIZE 8
#define PROBE_OUTSIDE 0x41100000u

struct desc { uint64_t addr; uint32_t len; uint16_t flags, next; };
#define DESC_F_WRITE 2
static struct desc table[QUEUE_SIZE] __attribute__((aligned(16)));
static struct { uint16_t flags, idx, ring[QUEUE_SIZE]; } avail __attribute__((aligned(2)));
static struct { uint16_t flags, idx; struct { uint32_t id, len; } ring[QUEUE_SIZE]; } volatile used __attribute__((aligned(4)));
static uint8_t buffer[32];
static volatile uint32_t completions, irqs;

static void on_irq(struct vm_exception *e) {
  (void)e;
  uint32_t iar = vm_gic_acknowledge();
  if ((iar & 0x3ff) == 32 + 16) {
    uint32_t status = R(INTERRUPT_STATUS);
    R(INTERRUPT_ACK) = status;
    if (status & 1) completions++;
    irqs++;
  }
  vm_gic_end(iar);
}

static void request(uint32_t address, uint32_t length) {
  uint16_t slot = avail.idx % QUEUE_SIZE;
  table[slot] = (struct desc){address, length, DESC_F_WRITE, 0};
  avail.ring[slot] = slot;
  __asm__ volatile("dmb" ::: "memory");
  avail.idx++;
  __asm__ volatile("dmb" ::: "memory");
  R(QUEUE_NOTIFY) = 0;
}

int main(int argc, char **argv) {
  (void)argc;
  (void)argv;
  if (R(MAGIC) != 0x74726976u || R(VERSION) != 2) {
    vm_printf("virtio-rng-probe: no virtio-mmio transport\n");
    return 1;
  }
  R(STATUS) = 0;
  R(STATUS) = ACKNOWLEDGE;
  R(STATUS) = ACKNOWLEDGE | DRIVER;
  R(DEVICE_FEATURES_SEL) = 1;
  uint32_t high = R(DEVICE_FEATURES);
  R(DRIVER_FEATURES_SEL) = 1;
  R(DRIVER_FEATURES) = high & 1; /* VIRTIO_F_VERSION_1 (bit 32) only */
  R(DRIVER_FEATURES_SEL) = 0;
  R(DRIVER_FEATURES) = 0;
  R(STATUS) = ACKNOWLEDGE | DRIVER | FEATURES_OK;
  if ((R(STATUS) & FEATURES_OK) == 0) {
    vm_printf("virtio-rng-probe: FEATURES_OK refused\n");
    return 1;
  }
  R(QUEUE_SEL) = 0;
  vm_printf("virtio-rng-probe: device=%u queue-max=%u\n", R(DEVICE_ID), R(QUEUE_NUM_MAX));
  R(QUEUE_NUM) = QUEUE_SIZE;
  R(QUEUE_DESC) = (uint32_t)table;
  R(QUEUE_DESC + 4) = 0;
  R(QUEUE_DRIVER) = (uint32_t)&avail;
  R(QUEUE_DRIVER + 4) = 0;
  R(QUEUE_DEVICE) = (uint32_t)&used;
  R(QUEUE_DEVICE + 4) = 0;
  R(QUEUE_READY) = 1;
  vm_hook_exception(VM_IRQ, on_irq);
  vm_gic_enable(32 + 16);
  __asm__ volatile("cpsie i");
  R(STATUS) = ACKNOWLEDGE | DRIVER | FEATURES_OK | DRIVER_OK;

  request((uint32_t)buffer, sizeof buffer);
  vm_wait_for(&completions);
  vm_printf("virtio-rng-probe: %u bytes: ", used.ring[0].len);
  for (unsigned i = 0; i < sizeof buffer; i++) vm_printf("%02x", buffer[i]);
  vm_printf(" irqs=%u\n", irqs);

  request(PROBE_OUTSIDE, 4096);
  uint32_t status = R(STATUS);
  vm_printf("virtio-rng-probe: buffer at %x (outside the VM): used=%u status=%u needs-reset=%u\n", PROBE_OUTSIDE, used.idx, status, (status & NEEDS_RESET) != 0);
  return 0;
}
