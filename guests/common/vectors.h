/* The recording exception vectors of vectors.S, for programs that take exceptions on purpose. */
#ifndef PARTITA_VECTORS_H
#define PARTITA_VECTORS_H
#include <stdint.h>

struct exc_record_t {
  uint32_t kind, lr, spsr, cpsr, dfsr, dfar, ifsr, ifar, svc_imm, count;
  /* IRQs (acknowledged at the GIC, see vectors.S): last interrupt ID, SPSR and CPSR seen, count. */
  uint32_t irq_id, irq_spsr, irq_cpsr, irq_count;
};
/* Filled by the handlers; kind is 0 until an exception is taken. */
extern struct exc_record_t exc_record;
/* Where a handler returns to (MOVS PC, LR with this address); one-shot: the handler clears it,
 * and an exception taken while it is 0 ends the program ("unexpected exception", status 1). */
extern uint32_t exc_resume;
/* Points VBAR at the vectors and gives the Undefined and Abort modes stacks. */
extern void exc_install(void);

static const char *const exc_kinds[] = {"none", "undefined", "svc", "prefetch-abort", "data-abort"};

static inline void exc_clear(void) {
  exc_record.kind = 0;
  exc_record.lr = exc_record.spsr = exc_record.dfsr = exc_record.dfar = exc_record.ifsr = exc_record.svc_imm = 0;
}

/* Runs `insn` (one instruction, its address at label 8; %2 is `addr`) with resume at label 9;
 * evaluates to the instruction's address. r0, r1, r12 and LR are free for the instruction
 * (LR_svc is overwritten by an SVC taken from SVC mode). */
#define TRIGGER(insn, addr)                                                       \
  ({                                                                              \
    uint32_t at_;                                                                 \
    __asm__ volatile("adr r12, 9f\n\t"                                            \
                     "str r12, [%1]\n\t"                                          \
                     "adr %0, 8f\n\t"                                             \
                     "8: " insn "\n\t"                                            \
                     "9:\n\t"                                                     \
                     : "=&r"(at_)                                                 \
                     : "r"(&exc_resume), "r"(addr)                                \
                     : "r0", "r1", "r12", "lr", "memory", "cc");                  \
    at_;                                                                          \
  })
#endif
