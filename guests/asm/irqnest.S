@ variants: arm-O2 thumb-Os
@ Nested interrupts with an own vector table (see irqnest.c): the IRQ entry saves LR_irq and
@ SPSR_irq on the SVC stack (SRSDB), continues in SVC mode, acknowledges at GICC_IAR, calls the C
@ handler (which may unmask IRQs, so a higher-priority interrupt preempts it), writes GICC_EOIR
@ and returns with RFE. Anything else is "unexpected" and ends the program with status 3.
    .syntax unified
    .arm
    .text
    .p2align 5
    .global irqnest_vectors
irqnest_vectors:
    b       other               @ reset
    b       other               @ undefined
    b       other               @ svc
    b       other               @ prefetch abort
    b       other               @ data abort
    b       other               @ hyp trap
    b       irq                 @ irq
    b       other               @ fiq

irq:
    sub     lr, lr, #4
    srsdb   sp!, #0x13          @ LR_irq, SPSR_irq -> SVC stack
    cps     #0x13
    push    {r0-r4, r12, lr}    @ with SRS: 36 bytes + 4 below keeps the stack 8-byte aligned
    sub     sp, sp, #4
    ldr     r4, =0x08010000
    ldr     r0, [r4, #0x0c]     @ GICC_IAR
    str     r0, [sp]
    bl      irqnest_handler
    ldr     r0, [sp]
    str     r0, [r4, #0x10]     @ GICC_EOIR
    add     sp, sp, #4
    pop     {r0-r4, r12, lr}
    rfeia   sp!

other:
    mov     r0, #0x18           @ SYS_EXIT
    ldr     r1, =0x20023
    svc     0x123456
    b       .
    .ltorg
