/* The console on the virt board's PL011 (ARM DDI 0183G, PrimeCell UART PL011 TRM, 3.3). */
#include <stdarg.h>
#include "vm.h"

#define UARTDR 0x000
#define UARTFR 0x018
#define UARTIBRD 0x024
#define UARTFBRD 0x028
#define UARTLCR_H 0x02c
#define UARTCR 0x030
#define UARTIMSC 0x038
#define UARTICR 0x044
#define FR_TXFF (1u << 5)
#define LCR_H_FEN (1u << 4)
#define LCR_H_WLEN8 (3u << 5)
#define CR_UARTEN (1u << 0)
#define CR_TXE (1u << 8)
#define CR_RXE (1u << 9)
/* A bound on waiting for room in the TX FIFO: a program that has written the UART's other
 * registers must not hang here (it drops characters instead). */
#define TXFF_SPINS 100000

void vm_console_init(void) {
  REG32(VM_UART + UARTCR) = 0;
  REG32(VM_UART + UARTIMSC) = 0;
  REG32(VM_UART + UARTICR) = 0x7ff;
  REG32(VM_UART + UARTIBRD) = 13; /* 115200 baud from a 24 MHz clock */
  REG32(VM_UART + UARTFBRD) = 1;
  REG32(VM_UART + UARTLCR_H) = LCR_H_FEN | LCR_H_WLEN8;
  REG32(VM_UART + UARTCR) = CR_UARTEN | CR_TXE | CR_RXE;
}

void vm_putchar(int c) {
  for (int i = 0; i < TXFF_SPINS && (REG32(VM_UART + UARTFR) & FR_TXFF); i++) continue;
  REG32(VM_UART + UARTDR) = (uint8_t)c;
}

void vm_puts(const char *s) {
  while (*s) vm_putchar(*s++);
}

static void put_unsigned(uint32_t v, unsigned base, int width, char pad) {
  char digits[10];
  int n = 0;
  do digits[n++] = "0123456789abcdef"[v % base], v /= base;
  while (v);
  for (; width > n; width--) vm_putchar(pad);
  while (n) vm_putchar(digits[--n]);
}

void vm_printf(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  for (; *fmt; fmt++) {
    if (*fmt != '%') {
      vm_putchar(*fmt);
      continue;
    }
    char pad = ' ';
    int width = 0;
    if (*++fmt == '0') pad = '0', fmt++;
    while (*fmt >= '0' && *fmt <= '9') width = width * 10 + (*fmt++ - '0');
    while (*fmt == 'l') fmt++;
    switch (*fmt) {
    case 'd': {
      int32_t v = va_arg(ap, int32_t);
      if (v < 0) vm_putchar('-'), width--;
      put_unsigned(v < 0 ? -(uint32_t)v : (uint32_t)v, 10, width, pad);
      break;
    }
    case 'u': put_unsigned(va_arg(ap, uint32_t), 10, width, pad); break;
    case 'x': put_unsigned(va_arg(ap, uint32_t), 16, width, pad); break;
    case 's': vm_puts(va_arg(ap, const char *)); break;
    case 'c': vm_putchar(va_arg(ap, int)); break;
    case '%': vm_putchar('%'); break;
    case '\0': va_end(ap); return;
    default: vm_putchar('%'), vm_putchar(*fmt); break;
    }
  }
  va_end(ap);
}
