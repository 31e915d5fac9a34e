@ microbench's vector table, IRQ entry, secondary entry and sampling loop (see microbench.c).
@
@ The IRQ entry reads PMCCNTR (B4.1.113) after two instructions (the vector's branch and one
@ push), so what the C handler gets is the cycle count at the first instructions of the handler. Exception entry is a context synchronization event (B1.8.3), no ISB is needed. It
@ saves what the AAPCS lets a C function clobber (r0-r3, r12, lr; d0-d7 and FPSCR: hard-float)
@ on the banked IRQ stack each processor sets up, calls mb_irq(pmccntr_at_entry) and returns
@ to the interrupted instruction (SUBS PC, LR, #4: B1.8.3, LR_irq = that instruction + 4).
    .syntax unified
    .arm
    .text
    .p2align 5                  @ VBAR bits[4:0] are RES0 (B4.1.156)
mb_vectors:
    b       .                   @ 0x00 reset (VBAR does not move it)
    b       mb_fatal            @ 0x04 undefined
    b       mb_fatal            @ 0x08 SVC
    b       mb_fatal            @ 0x0c prefetch abort
    b       mb_fatal            @ 0x10 data abort
    b       mb_fatal            @ 0x14 (hyp trap)
    b       mb_irq_entry        @ 0x18 IRQ
    b       mb_fatal            @ 0x1c FIQ

mb_irq_entry:
    push    {r0-r3, r12, lr}    @ 24 bytes: the stack stays 8-byte aligned
    mrc     p15, 0, r0, c9, c13, 0  @ PMCCNTR: the argument
    vpush   {d0-d7}
    vmrs    r2, fpscr
    push    {r2, r3}            @ FPSCR and a pad word
    bl      mb_irq
    pop     {r2, r3}
    vmsr    fpscr, r2
    vpop    {d0-d7}
    pop     {r0-r3, r12, lr}
    subs    pc, lr, #4

@ Any other exception is a bug here: mb_unexpected_exception says so and exits with status 1.
mb_fatal:
    ldr     sp, =mb_fatal_stack_top
    bl      mb_unexpected_exception
    b       .

@ void mb_install_vectors(uint32_t irq_stack_top): VBAR = mb_vectors, SP_irq = irq_stack_top.
    .global mb_install_vectors
    .type mb_install_vectors, %function
mb_install_vectors:
    ldr     r1, =mb_vectors
    mcr     p15, 0, r1, c12, c0, 0  @ VBAR
    isb
    mrs     r1, cpsr
    cps     #0x12                   @ IRQ mode
    mov     sp, r0
    msr     cpsr_c, r1
    bx      lr
    .size mb_install_vectors, . - mb_install_vectors

@ void mb_sample_until(volatile uint32_t *last, volatile uint32_t *stop): until *stop is
@ non-zero, stores PMCCNTR to *last every five instructions, so that an interrupt handler can
@ tell how many cycles have passed since the interrupted code last ran.
    .global mb_sample_until
    .type mb_sample_until, %function
mb_sample_until:
1:  mrc     p15, 0, r2, c9, c13, 0  @ PMCCNTR
    str     r2, [r0]
    ldr     r3, [r1]
    cmp     r3, #0
    beq     1b
    bx      lr
    .size mb_sample_until, . - mb_sample_until

@ Where PSCI CPU_ON starts vCPU 1: SVC mode, MMU off, IRQ/FIQ masked (as vm_start is entered).
@ Its own stack, VFP on (CPACR cp10/cp11, B4.1.40; FPEXC.EN, B6.1.47), then mb_secondary(),
@ which never returns (it ends with PSCI CPU_OFF).
    .global mb_secondary_entry
    .type mb_secondary_entry, %function
mb_secondary_entry:
    ldr     sp, =mb_secondary_stack_top
    mrc     p15, 0, r0, c1, c0, 2   @ CPACR
    orr     r0, r0, #(0xf << 20)
    mcr     p15, 0, r0, c1, c0, 2
    isb
    mov     r0, #0x40000000         @ FPEXC.EN
    vmsr    fpexc, r0
    bl      mb_secondary
    b       .
    .size mb_secondary_entry, . - mb_secondary_entry
    .ltorg

    .bss
    .p2align 3
    .space  1024
mb_fatal_stack_top:
    .space  4096
mb_secondary_stack_top:
    .global mb_irq_stack_top
    .space  2048
mb_irq_stack_top:
    .global mb_secondary_irq_stack_top
    .space  2048
mb_secondary_irq_stack_top:
