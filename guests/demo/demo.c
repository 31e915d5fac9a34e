/*
 * Partita's bare-metal demo: what `npm start` boots. It draws the Mandelbrot set with the VFP,
 * sieves primes, and checksums its work with CRC-32, printing over ARM semihosting. Built with
 * guests/demo/build.sh; the ELF is committed so the demo runs without a cross compiler.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define WIDTH 72
#define HEIGHT 24
#define MAX_ITER 64
#define SIEVE_SIZE 100000

static uint32_t crc_table[256];

static void crc32_init(void) {
    for (uint32_t i = 0; i < 256; i++) {
        uint32_t c = i;
        for (int k = 0; k < 8; k++) c = (c & 1) ? 0xedb88320u ^ (c >> 1) : c >> 1;
        crc_table[i] = c;
    }
}

static uint32_t crc32_update(uint32_t crc, const void *data, size_t n) {
    const uint8_t *p = data;
    crc = ~crc;
    while (n--) crc = crc_table[(crc ^ *p++) & 0xff] ^ (crc >> 8);
    return ~crc;
}

static uint32_t mandelbrot(void) {
    static const char shades[] = " .:-=+*#%@";
    char line[WIDTH + 1];
    uint32_t crc = 0;
    for (int y = 0; y < HEIGHT; y++) {
        for (int x = 0; x < WIDTH; x++) {
            double cr = -2.2 + 3.0 * x / WIDTH, ci = -1.2 + 2.4 * y / HEIGHT;
            double zr = 0, zi = 0;
            int n = 0;
            while (n < MAX_ITER && zr * zr + zi * zi < 4.0) {
                double t = zr * zr - zi * zi + cr;
                zi = 2 * zr * zi + ci;
                zr = t;
                n++;
            }
            line[x] = shades[n == MAX_ITER ? 9 : n % 9];
        }
        line[WIDTH] = '\0';
        printf("  %s\n", line);
        crc = crc32_update(crc, line, WIDTH);
    }
    return crc;
}

static unsigned sieve(uint32_t *crc) {
    static uint8_t composite[SIEVE_SIZE];
    unsigned count = 0;
    memset(composite, 0, sizeof composite);
    for (unsigned i = 2; i < SIEVE_SIZE; i++) {
        if (composite[i]) continue;
        count++;
        *crc = crc32_update(*crc, &i, sizeof i);
        for (unsigned j = i * 2; j < SIEVE_SIZE; j += i) composite[j] = 1;
    }
    return count;
}

int main(void) {
    printf("Partita bare-metal demo: Cortex-A15 on a QEMU-virt-compatible board\n\n");
    crc32_init();
    uint32_t picture = mandelbrot();
    uint32_t primes_crc = 0;
    unsigned primes = sieve(&primes_crc);
    printf("\nMandelbrot CRC-32: %08lx\n", (unsigned long)picture);
    printf("primes below %d: %u (CRC-32 %08lx)\n", SIEVE_SIZE, primes, (unsigned long)primes_crc);
    return 0;
}
