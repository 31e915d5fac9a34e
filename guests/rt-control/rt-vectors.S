@ rt-control's own vector table and IRQ entry (VBAR points here, see rt_install_vectors).
@
@ The IRQ entry reads CNTVCT before anything else, so the latency the C handler records is
@ the time from the timer's compare point to the first instruction of the handler. Exception
@ entry is a context synchronization event (ARM ARM B1.8.3 / B8.1.2), so no ISB is needed before
@ the MRRC for it not to be read early. It then saves what the AAPCS lets a C function clobber
@ (r0-r3, r12, lr and, since the guest is built hard-float, d0-d7 and FPSCR), calls
@ rt_irq(uint64_t cntvct_at_entry) and returns to the interrupted instruction (SUBS PC, LR, #4,
@ ARM ARM B1.8.3 "IRQ exception": LR_irq = interrupted instruction + 4).
@ The handler runs in IRQ mode with CPSR.I set by the exception entry: no nesting.
    .syntax unified
    .arm
    .text
    .p2align 5                  @ VBAR bits[4:0] are RES0 (B4.1.156)
rt_vectors:
    b       .                   @ 0x00 reset (not used: VBAR only moves the other vectors)
    b       rt_fatal            @ 0x04 undefined
    b       rt_fatal            @ 0x08 supervisor call (semihosting's SVC 0x123456 never gets
                                @      here: the emulator services it)
    b       rt_fatal            @ 0x0c prefetch abort
    b       rt_fatal            @ 0x10 data abort
    b       rt_fatal            @ 0x14 (hyp trap)
    b       rt_irq_entry        @ 0x18 irq
    b       rt_fatal            @ 0x1c fiq

rt_irq_entry:
    push    {r0-r3, r12, lr}    @ 24 bytes: the stack stays 8-byte aligned
    mrrc    p15, 1, r0, r1, c14 @ CNTVCT (B4.1.34): r0 = low, r1 = high word, the uint64_t argument
    vpush   {d0-d7}
    vmrs    r2, fpscr
    push    {r2, r3}            @ FPSCR and a pad word (alignment)
    bl      rt_irq
    pop     {r2, r3}
    vmsr    fpscr, r2
    vpop    {d0-d7}
    pop     {r0-r3, r12, lr}
    subs    pc, lr, #4

@ Any other exception is a bug in this program: rt_unexpected_exception (rt-control.c) says so
@ and exits with a failure status, through whatever console and exit the build links (newlib's
@ semihosting, or the VM runtime). The exception mode's SP was never set up: use the IRQ stack.
rt_fatal:
    ldr     sp, =rt_irq_stack_top
    bl      rt_unexpected_exception
    b       .
    .ltorg

@ void rt_install_vectors(void): VBAR, and a stack for IRQ mode.
    .global rt_install_vectors
    .type rt_install_vectors, %function
rt_install_vectors:
    ldr     r0, =rt_vectors
    mcr     p15, 0, r0, c12, c0, 0  @ VBAR
    isb
    mrs     r1, cpsr
    cps     #0x12                   @ IRQ mode
    ldr     sp, =rt_irq_stack_top
    msr     cpsr_c, r1
    bx      lr
    .ltorg

    .bss
    .p2align 3
    .space  2048
rt_irq_stack_top:
