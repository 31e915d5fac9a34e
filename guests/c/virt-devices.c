/* variants: arm-O2
 * The virt board's devices as a guest sees them: both CFI flash banks (read array, CFI query,
 * device ID, status, program and erase), fw-cfg (signature, ID, file directory, DMA), the PL061
 * GPIO registers and interrupt detection, the GICv2m frame and the PMU's CP15 registers.
 * fw-cfg's directory is printed only for the files both boards list: QEMU's also has ACPI and
 * SMBIOS tables (and the like), which Partita does not build. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define R32(a) (*(volatile uint32_t *)(a))
#define R16(a) (*(volatile uint16_t *)(a))
#define R8(a) (*(volatile uint8_t *)(a))
#define MRC(crn, opc1, crm, opc2) ({ uint32_t v_; __asm__ volatile("mrc p15, " #opc1 ", %0, " #crn ", " #crm ", " #opc2 : "=r"(v_)); v_; })
#define MCR(crn, opc1, crm, opc2, v) __asm__ volatile("mcr p15, " #opc1 ", %0, " #crn ", " #crm ", " #opc2 "\n\tisb" : : "r"(v) : "memory")

static void flash_bank(uint32_t base) {
  printf("flash %08lx: array %08lx %08lx\n", (unsigned long)base, (unsigned long)R32(base), (unsigned long)R32(base + 0x100));
  R32(base) = 0x98;
  printf("  cfi:");
  for (uint32_t i = 0; i < 0x58; i++) printf("%s%08lx", i % 8 == 0 ? "\n   " : " ", (unsigned long)R32(base + 4 * i));
  printf("\n  cfi16 %04x %04x byte %02x\n", R16(base + 0x40), R16(base + 0x42), R8(base + 0x44));
  R32(base) = 0xff;
  R32(base) = 0x90;
  printf("  id %08lx %08lx %08lx %08lx\n", (unsigned long)R32(base), (unsigned long)R32(base + 4), (unsigned long)R32(base + 8), (unsigned long)R32(base + 0x40004));
  R32(base) = 0x70;
  printf("  status %08lx\n", (unsigned long)R32(base));
  R32(base) = 0xff;
  printf("  array again %08lx\n", (unsigned long)R32(base));
}

static void flash_writes(uint32_t base) {
  /* word program, then block erase with confirm, then buffered write */
  R32(base + 0x40000) = 0x00400040;
  R32(base + 0x40000) = 0x12345678;
  printf("flash program: status %08lx", (unsigned long)R32(base + 0x40000));
  R32(base) = 0xff;
  printf(" data %08lx %08lx\n", (unsigned long)R32(base + 0x40000), (unsigned long)R32(base + 0x40004));
  R32(base + 0x40000) = 0x00200020;
  printf("flash erase: status before confirm %08lx", (unsigned long)R32(base + 0x40000));
  R32(base + 0x40000) = 0x00d000d0;
  printf(" after %08lx", (unsigned long)R32(base + 0x40000));
  R32(base) = 0xff;
  printf(" data %08lx %08lx %08lx\n", (unsigned long)R32(base + 0x40000), (unsigned long)R32(base + 0x7fffc), (unsigned long)R32(base + 0x80000));
  R32(base + 0x40010) = 0x00e800e8;
  printf("flash buffer: status %08lx", (unsigned long)R32(base + 0x40010));
  R32(base + 0x40010) = 0x00010001; /* two words (count - 1 per device) */
  R32(base + 0x40010) = 0xcafef00d;
  R32(base + 0x40014) = 0x0badc0de;
  R32(base + 0x40010) = 0x00d000d0;
  printf(" after %08lx", (unsigned long)R32(base + 0x40010));
  R32(base) = 0x00500050;
  printf(" cleared %08lx", (unsigned long)R32(base));
  R32(base) = 0xff;
  printf(" data %08lx %08lx %08lx\n", (unsigned long)R32(base + 0x40010), (unsigned long)R32(base + 0x40014), (unsigned long)R32(base + 0x40018));
  R32(base) = 0x00330033; /* unknown command */
  printf("flash unknown command: %08lx\n", (unsigned long)R32(base + 0x40010));
}

#define FW 0x09020000u
static void fw_select(uint16_t key) { R16(FW + 8) = (uint16_t)((key >> 8) | (key << 8)); }

static uint32_t be32(uint32_t v) { return __builtin_bswap32(v); }

static void fw_cfg(void) {
  fw_select(0);
  printf("fw-cfg signature %08lx", (unsigned long)R32(FW));
  printf(" then %08lx\n", (unsigned long)R32(FW));
  fw_select(1);
  printf("fw-cfg id %08lx\n", (unsigned long)R32(FW));
  printf("fw-cfg dma register %08lx %08lx\n", (unsigned long)R32(FW + 16), (unsigned long)R32(FW + 20));
  fw_select(0x19);
  uint32_t count = be32(R32(FW));
  for (uint32_t i = 0; i < count && i < 40; i++) {
    uint32_t words[16];
    for (int w = 0; w < 16; w++) words[w] = R32(FW);
    char name[57];
    for (int c = 0; c < 56; c++) name[c] = ((char *)&words[2])[c];
    name[56] = 0;
    if (strcmp(name, "bootorder") != 0 && strcmp(name, "bios-geometry") != 0) continue;
    printf("  %s size %lu select %04lx\n", name, (unsigned long)be32(words[0]), (unsigned long)(be32(words[1]) >> 16));
  }
  static const uint16_t keys[] = {0x02, 0x03, 0x04, 0x05, 0x0e, 0x0f, 0x07, 0x08, 0x0a, 0x0b, 0x12, 0x13};
  for (unsigned k = 0; k < sizeof keys / sizeof keys[0]; k++) {
    fw_select(keys[k]);
    uint32_t a = R32(FW), b = R32(FW), c = R32(FW), d = R32(FW);
    printf("fw-cfg item %02x: %08lx %08lx %08lx %08lx\n", keys[k], (unsigned long)a, (unsigned long)b, (unsigned long)c, (unsigned long)d);
  }
  fw_select(0x1234);
  printf("fw-cfg missing item %08lx, byte %02x, half %04x\n", (unsigned long)R32(FW), R8(FW), R16(FW));
  /* DMA: select the signature and read 6 bytes, then read past the end of ID */
  static volatile uint32_t access[4];
  static volatile uint8_t buffer[16];
  for (int i = 0; i < 16; i++) buffer[i] = 0xaa;
  access[0] = be32((0u << 16) | 0x08 | 0x02);
  access[1] = be32(6);
  access[2] = 0;
  access[3] = be32((uint32_t)buffer);
  R32(FW + 16) = 0;
  R32(FW + 20) = be32((uint32_t)access);
  printf("fw-cfg dma read: control %08lx bytes", (unsigned long)be32(access[0]));
  for (int i = 0; i < 8; i++) printf(" %02x", buffer[i]);
  printf("\n");
  access[0] = be32((1u << 16) | 0x08 | 0x04);
  access[1] = be32(2);
  R32(FW + 16) = 0;
  R32(FW + 20) = be32((uint32_t)access);
  access[0] = be32(0x02);
  access[1] = be32(6);
  for (int i = 0; i < 16; i++) buffer[i] = 0xaa;
  R32(FW + 16) = 0;
  R32(FW + 20) = be32((uint32_t)access);
  printf("fw-cfg dma skip+read: control %08lx bytes", (unsigned long)be32(access[0]));
  for (int i = 0; i < 8; i++) printf(" %02x", buffer[i]);
  printf("\n");
  access[0] = be32((0u << 16) | 0x08 | 0x10);
  access[1] = be32(4);
  R32(FW + 16) = 0;
  R32(FW + 20) = be32((uint32_t)access);
  printf("fw-cfg dma write: control %08lx\n", (unsigned long)be32(access[0]));
  fw_select(0);
  printf("fw-cfg signature after %08lx\n", (unsigned long)R32(FW));
}

#define GPIO 0x09030000u
static void pl061(void) {
  printf("pl061 ids:");
  for (uint32_t o = 0xfe0; o < 0x1000; o += 4) printf(" %02lx", (unsigned long)R32(GPIO + o));
  printf("\npl061 reset: dir %02lx is %02lx ibe %02lx iev %02lx ie %02lx ris %02lx mis %02lx afsel %02lx data %02lx\n",
         (unsigned long)R32(GPIO + 0x400), (unsigned long)R32(GPIO + 0x404), (unsigned long)R32(GPIO + 0x408), (unsigned long)R32(GPIO + 0x40c),
         (unsigned long)R32(GPIO + 0x410), (unsigned long)R32(GPIO + 0x414), (unsigned long)R32(GPIO + 0x418), (unsigned long)R32(GPIO + 0x420),
         (unsigned long)R32(GPIO + 0x3fc));
  R32(GPIO + 0x400) = 0xf0; /* lines 4-7 outputs */
  R32(GPIO + 0x3fc) = 0xff;
  printf("pl061 outputs: data %02lx", (unsigned long)R32(GPIO + 0x3fc));
  R32(GPIO + (0x30 << 2)) = 0x00; /* masked write clears lines 4 and 5 only */
  printf(" masked %02lx read-masked %02lx %02lx\n", (unsigned long)R32(GPIO + 0x3fc), (unsigned long)R32(GPIO + (0xc0 << 2)), (unsigned long)R32(GPIO + (0x0f << 2)));
  /* level-high interrupt on output line 7? lines driven by outputs are not inputs: use sense on inputs */
  R32(GPIO + 0x404) = 0x01; /* line 0 level */
  R32(GPIO + 0x40c) = 0x00; /* low level */
  printf("pl061 level-low on input 0: ris %02lx", (unsigned long)R32(GPIO + 0x414));
  R32(GPIO + 0x410) = 0x01;
  printf(" mis %02lx", (unsigned long)R32(GPIO + 0x418));
  R32(GPIO + 0x41c) = 0xff;
  printf(" after clear %02lx", (unsigned long)R32(GPIO + 0x414));
  R32(GPIO + 0x40c) = 0x01;
  R32(GPIO + 0x41c) = 0xff;
  printf(" high-level after clear %02lx\n", (unsigned long)R32(GPIO + 0x414));
  R32(GPIO + 0x410) = 0;
  R32(GPIO + 0x404) = 0;
  R32(GPIO + 0x420) = 0x5a;
  R32(GPIO + 0x408) = 0x3c;
  printf("pl061 rw: afsel %02lx ibe %02lx; byte access dir %02x\n", (unsigned long)R32(GPIO + 0x420), (unsigned long)R32(GPIO + 0x408), R8(GPIO + 0x400));
  R32(GPIO + 0x414) = 0xff;
  printf("pl061 ris write ignored %02lx\n", (unsigned long)R32(GPIO + 0x414));
  R32(GPIO + 0x408) = 0;
  R32(GPIO + 0x420) = 0;
  R32(GPIO + 0x400) = 0;
}

#define V2M 0x08020000u
static void gicv2m(void) {
  printf("v2m typer %08lx iidr %08lx pidr2 %08lx other %08lx half %04x\n", (unsigned long)R32(V2M + 8), (unsigned long)R32(V2M + 0xfcc),
         (unsigned long)R32(V2M + 0xfe8), (unsigned long)R32(V2M + 0x100), R16(V2M + 8));
  /* enable distributor, enable SPI 48 (ID 80) as edge, raise it through the frame */
  R32(0x08000000) = 1;
  R32(0x08000c00 + 4 * (80 / 16)) = 2u << ((80 % 16) * 2);
  R32(0x08000100 + 4 * (80 / 32)) = 1u << (80 % 32);
  R32(V2M + 0x40) = 80;
  printf("v2m: ID 80 pending %lu", (unsigned long)((R32(0x08000200 + 4 * (80 / 32)) >> (80 % 32)) & 1));
  R32(0x08000280 + 4 * (80 / 32)) = 1u << (80 % 32);
  R32(V2M + 0x40) = 79; /* not the frame's */
  R32(V2M + 0x40) = 144;
  printf(" others %lu %lu", (unsigned long)((R32(0x08000200 + 4 * (79 / 32)) >> (79 % 32)) & 1), (unsigned long)((R32(0x08000200 + 4 * (144 / 32)) >> (144 % 32)) & 1));
  R16(V2M + 0x40) = 143;
  printf(" half-word ID 143 %lu\n", (unsigned long)((R32(0x08000200 + 4 * (143 / 32)) >> (143 % 32)) & 1));
  R32(0x08000280 + 4 * (143 / 32)) = 1u << (143 % 32);
  R32(0x08000000) = 0;
}

static void pmu(void) {
  uint32_t pmcr = MRC(c9, 0, c12, 0);
  printf("pmu: pmcr %08lx cntenset %08lx userenr %08lx intenset %08lx ovsr %08lx\n", (unsigned long)pmcr, (unsigned long)MRC(c9, 0, c12, 1),
         (unsigned long)MRC(c9, 0, c14, 0), (unsigned long)MRC(c9, 0, c14, 1), (unsigned long)MRC(c9, 0, c12, 3));
  MCR(c9, 0, c12, 1, 0x8000000f);
  MCR(c9, 0, c14, 1, 0x80000003);
  MCR(c9, 0, c14, 0, 1);
  MCR(c9, 0, c12, 5, 2);
  MCR(c9, 0, c13, 1, 0x11);
  printf("pmu rw: cntenset %08lx cntenclr %08lx intenset %08lx userenr %08lx selr %08lx evtyper %08lx\n",
         (unsigned long)MRC(c9, 0, c12, 1), (unsigned long)MRC(c9, 0, c12, 2), (unsigned long)MRC(c9, 0, c14, 1),
         (unsigned long)MRC(c9, 0, c14, 0), (unsigned long)MRC(c9, 0, c12, 5), (unsigned long)MRC(c9, 0, c13, 1));
  MCR(c9, 0, c12, 2, 0xffffffff);
  MCR(c9, 0, c14, 2, 0xffffffff);
  MCR(c9, 0, c14, 0, 0);
  printf("pmu cleared: cntenset %08lx intenset %08lx\n", (unsigned long)MRC(c9, 0, c12, 1), (unsigned long)MRC(c9, 0, c14, 1));
  /* the cycle counter: stopped while PMCR.E is 0 */
  MCR(c9, 0, c13, 0, 0);
  uint32_t c0 = MRC(c9, 0, c13, 0);
  printf("pmu ccnt stopped: %lu\n", (unsigned long)c0);
}

int main(void) {
  flash_bank(0);
  flash_bank(0x04000000);
  flash_writes(0x04000000);
  fw_cfg();
  pl061();
  gicv2m();
  pmu();
  return 0;
}
