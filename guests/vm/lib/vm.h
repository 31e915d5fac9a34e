/* The VM runtime: what a bare-metal guest needs inside a Partita VM (or QEMU's virt board)
 * without semihosting. Console on the PL011 at 0x09000000, the end of the run through PSCI
 * SYSTEM_OFF over HVC, exception vectors the program can hook, and setjmp-like recovery from
 * exceptions. Start-up (start.S): SVC mode, SP at 0x41000000, VFP on, .bss zeroed, VBAR set,
 * then main(0, 0). newlib's stdio works too (_write goes to the UART, _exit is vm_exit). */
#ifndef VM_H
#define VM_H
#include <stdint.h>

#define REG32(a) (*(volatile uint32_t *)(a))

/* ---- console (console.c) ---- */
#define VM_UART 0x09000000u
void vm_console_init(void); /* PL011: 8N1, FIFOs on, UART/TX/RX enabled, no interrupts */
void vm_putchar(int c);
void vm_puts(const char *s); /* no newline added */
/* A small printf: %d %u %x %s %c %%, an optional 0 flag and width, l ignored. */
void vm_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* ---- PSCI and the end of the run (psci.S, runtime.c); function IDs: ARM DEN 0022D ---- */
#define PSCI_VERSION 0x84000000u
#define PSCI_CPU_SUSPEND 0x84000001u
#define PSCI_CPU_OFF 0x84000002u
#define PSCI_CPU_ON 0x84000003u
#define PSCI_AFFINITY_INFO 0x84000004u
#define PSCI_MIGRATE 0x84000005u
#define PSCI_MIGRATE_INFO_TYPE 0x84000006u
#define PSCI_SYSTEM_OFF 0x84000008u
#define PSCI_SYSTEM_RESET 0x84000009u
#define PSCI_SMC64 0x40000000u /* the SMC64 calling convention bit of a function ID */
uint32_t vm_hvc(uint32_t fn, uint32_t a1, uint32_t a2, uint32_t a3);
/* Prints "exit status N" and powers the VM off (PSCI SYSTEM_OFF); never returns. */
void vm_exit(int status) __attribute__((noreturn));

/* ---- exceptions (vectors.S, runtime.c) ---- */
enum vm_exception_kind { VM_UNDEF = 1, VM_SVC = 2, VM_PABT = 3, VM_DABT = 4, VM_IRQ = 6, VM_FIQ = 7 };
struct vm_exception {
  uint32_t r[13]; /* r0-r12 at the exception; a hook may change them */
  uint32_t kind;
  uint32_t lr, spsr;
  uint32_t dfsr, dfar, ifsr, ifar;
  /* Where returning from the hook resumes (with CPSR = spsr): the next instruction for UNDEF
   * and SVC, the aborted or interrupted instruction otherwise. A hook may change it. */
  uint32_t resume;
};
typedef void (*vm_exception_hook)(struct vm_exception *e);
/* Runs in the exception's mode, on the runtime's exception stack. Without a hook an exception
 * prints what happened and ends the run with status 1. */
void vm_hook_exception(enum vm_exception_kind kind, vm_exception_hook hook);
extern uint32_t vm_vectors[];

/* ---- recovery (recover.S) ----
 * vm_try saves the callee-saved state and returns 0; vm_recover(j, v), called later from the
 * same function's extent or from an exception hook, returns from that vm_try again with v
 * (1 if v is 0), in the saved mode, after vm_restore_cpu_state. */
struct vm_jmp {
  uint32_t core[11]; /* r4-r11, sp, lr, cpsr */
  uint32_t pad;
  uint64_t d8_d15[8];
  uint32_t fpscr;
};
int vm_try(struct vm_jmp *j) __attribute__((returns_twice));
void vm_recover(struct vm_jmp *j, int value) __attribute__((noreturn));
/* Puts back SCTLR (as at entry), VBAR = vm_vectors and VFP access (CPACR, FPEXC.EN). */
void vm_restore_cpu_state(void);

/* ---- interrupts (gic.c): the VM's GICv2 at 0x08000000 (distributor), 0x08010000 (CPU interface) ---- */
/* Interrupt `id` enabled, highest priority, to vCPU 0; distributor and CPU interface on. */
void vm_gic_enable(uint32_t id);
uint32_t vm_gic_acknowledge(void);  /* GICC_IAR: the interrupt's ID in bits [9:0] */
void vm_gic_end(uint32_t iar);      /* GICC_EOIR */
/* Waits (WFI, IRQs unmasked only between checks, so no wake-up is lost: a pending interrupt ends
 * WFI even while masked, ARM ARM B1.8.12) until *count is non-zero, then decrements it. */
void vm_wait_for(volatile uint32_t *count);

#endif
