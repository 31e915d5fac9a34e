@ A vector table for guest programs that take exceptions on purpose (see vectors.h): after
@ exc_install() VBAR points here, and each handler records what the processor shows it
@ (exception kind, LR, SPSR, its own CPSR, DFSR/DFAR/IFSR/IFAR, the SVC immediate) in
@ exc_record, then returns to exc_resume with the SPSR restored (MOVS PC, LR); after an
@ SVC #0xfe it returns in SVC mode instead (how a test gets back from User mode).
@ Linked into every guest; unused unless exc_install() is called.
    .syntax unified
    .arm
    .text
    .p2align 5
    .global exc_vectors
exc_vectors:
    b       .                   @ 0x00 reset
    b       und_entry           @ 0x04 undefined
    b       svc_entry           @ 0x08 supervisor call
    b       pabt_entry          @ 0x0c prefetch abort
    b       dabt_entry          @ 0x10 data abort
    b       .                   @ 0x14 (hyp trap)
    b       irq_entry           @ 0x18 irq
    b       .                   @ 0x1c fiq

@ r0-r3 are saved on the mode's own stack; kind in r0 on entry to record.
und_entry:
    push    {r0-r3}
    mov     r0, #1
    b       record
svc_entry:
    push    {r0-r3}
    mov     r0, #2
    b       record
pabt_entry:
    push    {r0-r3}
    mov     r0, #3
    b       record
dabt_entry:
    push    {r0-r3}
    mov     r0, #4
record:
    ldr     r1, =exc_record
    str     r0, [r1, #0]            @ kind
    str     lr, [r1, #4]            @ LR of the exception mode
    mrs     r2, spsr
    str     r2, [r1, #8]            @ SPSR
    mrs     r3, cpsr
    str     r3, [r1, #12]           @ CPSR in the handler (mode, masks, T=0)
    mrc     p15, 0, r3, c5, c0, 0   @ DFSR
    str     r3, [r1, #16]
    mrc     p15, 0, r3, c6, c0, 0   @ DFAR
    str     r3, [r1, #20]
    mrc     p15, 0, r3, c5, c0, 1   @ IFSR
    str     r3, [r1, #24]
    mrc     p15, 0, r3, c6, c0, 2   @ IFAR
    str     r3, [r1, #28]
    cmp     r0, #2                  @ SVC: fetch the immediate from the calling instruction
    bne     1f
    tst     r2, #0x20               @ SPSR.T
    ldrhne  r3, [lr, #-2]
    andne   r3, r3, #0xff
    ldreq   r3, [lr, #-4]
    biceq   r3, r3, #0xff000000
    str     r3, [r1, #32]
    cmp     r3, #0xfe               @ SVC #0xfe: return in SVC mode (a way back from User mode)
    mrseq   r2, spsr
    biceq   r2, r2, #0x1f
    orreq   r2, r2, #0x13
    msreq   spsr_fsxc, r2
1:  ldr     r3, [r1, #36]
    add     r3, r3, #1
    str     r3, [r1, #36]           @ count
    ldr     r0, =exc_resume         @ one-shot: an exception nobody expected must not loop
    ldr     lr, [r0]
    mov     r3, #0
    str     r3, [r0]
    cmp     lr, #0
    beq     exc_unexpected
    pop     {r0-r3}
    bic     lr, lr, #1
    movs    pc, lr                  @ CPSR <- SPSR, PC <- resume address

@ An exception with no resume address set: say so and end the program with a failure status.
exc_unexpected:
    ldr     r1, =exc_record
    ldr     r2, [r1]
    add     r2, r2, #'0'
    ldr     r1, =unexpected_kind
    strb    r2, [r1]
    ldr     r1, =unexpected_msg
    mov     r0, #0x04               @ SYS_WRITE0
    svc     0x123456
    ldr     r1, =0x20023            @ ADP_Stopped_RunTimeErrorUnknown
    mov     r0, #0x18               @ SYS_EXIT
    svc     0x123456
    b       .
    .ltorg

@ IRQ: acknowledge at the GIC CPU interface (QEMU virt: GICC at 0x08010000), record the
@ interrupt ID, stop the virtual timer (CNTV_CTL = 0) so its level interrupt goes away, end the
@ interrupt and return to the interrupted instruction (SUBS PC, LR, #4).
irq_entry:
    push    {r0-r3}
    ldr     r0, =0x08010000
    ldr     r1, [r0, #0x0c]         @ GICC_IAR
    ldr     r2, =exc_record
    str     r1, [r2, #40]           @ irq_id
    mrs     r3, spsr
    str     r3, [r2, #44]           @ irq_spsr
    mrs     r3, cpsr
    str     r3, [r2, #48]           @ irq_cpsr
    ldr     r3, [r2, #52]
    add     r3, r3, #1
    str     r3, [r2, #52]           @ irq_count
    mov     r3, #0
    mcr     p15, 0, r3, c14, c3, 1  @ CNTV_CTL = 0
    isb
    str     r1, [r0, #0x10]         @ GICC_EOIR
    pop     {r0-r3}
    subs    pc, lr, #4
    .ltorg

@ void exc_install(void): VBAR, and stacks for the Undefined and Abort modes.
    .global exc_install
    .type exc_install, %function
exc_install:
    ldr     r0, =exc_vectors
    mcr     p15, 0, r0, c12, c0, 0  @ VBAR
    isb
    mrs     r1, cpsr
    cps     #0x1b                   @ und
    ldr     sp, =und_stack_top
    cps     #0x17                   @ abt
    ldr     sp, =abt_stack_top
    msr     cpsr_c, r1
    bx      lr
    .ltorg

    .data
unexpected_msg:
    .ascii  "unexpected exception, kind "
unexpected_kind:
    .asciz  "?\n"

    .bss
    .p2align 3
    .global exc_record, exc_resume
exc_record:
    .space  56
exc_resume:
    .space  4
    .p2align 3
    .space  512
und_stack_top:
    .space  512
abt_stack_top:
