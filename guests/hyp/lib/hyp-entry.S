@ The run-time of the Hyp-mode guest programs (guests/hyp): a tiny bare-metal hypervisor.
@
@ QEMU's virt,virtualization=on enters an ELF kernel in Hyp mode (PL2, ARM ARM B1.7). hyp_start
@ (the ELF entry, -Wl,-e,hyp_start in each program's cflags) clears the trap controls whose reset
@ values are UNKNOWN (HCR, HSTR, HCPTR: B4.1.65, B4.1.76, B4.1.74), points HVBAR at hyp_vectors
@ and continues in the common start-up stub (VFP on, then newlib's _start). newlib's weak
@ _stack_init would switch modes with MSR, which Hyp mode may not do (B9.3.11), so the strong one
@ here gives every PL1 mode of the guest its stack with banked-register MSR (B9.3.10) instead.
@
@ run_guest_mode() drops to a PL1 (or PL0) "guest" with ERET; every exception taken to Hyp mode
@ enters hyp_exception(vector, frame) in C (hyp.c), which either resumes the guest (ERET with the
@ frame's ELR_hyp/SPSR_hyp) or ends the guest run (the guest's HVC #0xfff on return).
    .syntax unified
    .arm
    .arch_extension virt
    .arch_extension sec
    .text

    .global hyp_start
    .type hyp_start, %function
hyp_start:
    mov     r0, #0
    mcr     p15, 4, r0, c1, c1, 0       @ HCR
    mcr     p15, 4, r0, c1, c1, 3       @ HSTR
    mcr     p15, 4, r0, c1, c1, 2       @ HCPTR
    ldr     r0, =hyp_vectors
    mcr     p15, 4, r0, c12, c0, 0      @ HVBAR
    isb
    b       partita_start
    .size hyp_start, . - hyp_start

@ Called by newlib's _start with SP = the stack top from SYS_HEAPINFO, r2 = the heap limit.
    .global _stack_init
    .type _stack_init, %function
_stack_init:
    ldr     r3, =guest_svc_stack_top
    msr     sp_svc, r3
    ldr     r3, =guest_abt_stack_top
    msr     sp_abt, r3
    ldr     r3, =guest_und_stack_top
    msr     sp_und, r3
    ldr     r3, =guest_irq_stack_top
    msr     sp_irq, r3
    ldr     r3, =guest_fiq_stack_top
    msr     sp_fiq, r3
    ldr     r3, =guest_usr_stack_top
    msr     sp_usr, r3
    cmp     r2, #0
    addne   sl, r2, #256
    bx      lr
    .size _stack_init, . - _stack_init

@ The Hyp vector table (B1.8.1 table B1-3): offsets 0x04-0x10 are exceptions taken from Hyp mode
@ itself, 0x14 the Hyp trap (from a PL1/PL0 mode, and HVC/SVC in Hyp), 0x18/0x1c IRQ and FIQ.
    .p2align 5
    .global hyp_vectors
hyp_vectors:
    b       .
    b       hyp_undef
    b       hyp_svc
    b       hyp_pabt
    b       hyp_dabt
    b       hyp_trap
    b       hyp_irq
    b       hyp_fiq

@ Hyp mode runs with HCPTR 0 (its own code uses VFP); the guest's HCPTR (guest_hcptr) is set
@ again on each ERET to a mode other than Hyp.
    .macro  hyp_vector name, number
\name:
    push    {r0-r12, lr}
    mov     r0, #0
    mcr     p15, 4, r0, c1, c1, 2       @ HCPTR
    isb
    mrs     r0, elr_hyp
    mrs     r1, spsr
    push    {r0, r1}
    mov     r0, #\number
    b       hyp_dispatch
    .endm

    hyp_vector hyp_undef, 1
    hyp_vector hyp_svc, 2
    hyp_vector hyp_pabt, 3
    hyp_vector hyp_dabt, 4
    hyp_vector hyp_trap, 5
    hyp_vector hyp_irq, 6
    hyp_vector hyp_fiq, 7

@ Frame on the Hyp stack (struct hyp_frame): ELR_hyp, SPSR_hyp, r0-r12, LR (LR_usr: Hyp mode has
@ no LR of its own, B9.2.1).
hyp_dispatch:
    mov     r1, sp
    bl      hyp_exception
    cmp     r0, #0
    bne     1f
    pop     {r0, r1}
    msr     elr_hyp, r0
    msr     spsr_fsxc, r1
    and     r1, r1, #0x1f
    cmp     r1, #0x1a
    ldrne   r0, =guest_hcptr
    ldrne   r0, [r0]
    mcrne   p15, 4, r0, c1, c1, 2       @ HCPTR
    pop     {r0-r12, lr}
    eret
1:  ldr     r0, [sp, #8]                @ the guest's r0: run_guest_mode's result
    ldr     r1, =hyp_saved_sp
    ldr     sp, [r1]
    pop     {r4-r11, pc}

@ uint32_t run_guest_mode(uint32_t (*fn)(uint32_t), uint32_t arg, uint32_t spsr): runs fn(arg) in
@ the mode and with the masks of spsr (T set from fn's bit 0) until it returns (or a handler ends
@ the run); returns what fn returned.
    .global run_guest_mode
    .type run_guest_mode, %function
run_guest_mode:
    push    {r4-r11, lr}
    ldr     r3, =hyp_saved_sp
    str     sp, [r3]
    tst     r0, #1
    orrne   r2, r2, #0x20
    bic     r0, r0, #1
    msr     elr_hyp, r0
    msr     spsr_fsxc, r2
    ldr     r3, =guest_exit
    msr     lr_svc, r3
    mov     lr, r3
    ldr     r3, =guest_hcptr
    ldr     r3, [r3]
    mcr     p15, 4, r3, c1, c1, 2       @ HCPTR
    mov     r0, r1
    eret
    .size run_guest_mode, . - run_guest_mode

@ Where a guest function returns to: HVC #0xfff ends the run (hyp.c).
    .global guest_exit
guest_exit:
    hvc     #0xfff
    b       .
    .ltorg

@ The guest's own PL1 vector table (VBAR). Aborts and undefined instructions record what the
@ guest sees (struct guest_exception) and resume at guest_resume; IRQ/FIQ call guest_interrupt().
    .p2align 5
    .global guest_vectors
guest_vectors:
    b       .
    b       guest_und
    b       guest_svc
    b       guest_pabt
    b       guest_dabt
    b       .
    b       guest_irq
    b       guest_fiq

    .macro  guest_vector name, number
\name:
    push    {r0-r3}
    mov     r0, #\number
    b       guest_record
    .endm

    guest_vector guest_und, 1
    guest_vector guest_svc, 2
    guest_vector guest_pabt, 3
    guest_vector guest_dabt, 4

guest_record:
    ldr     r1, =guest_exc
    str     r0, [r1, #0]                @ kind
    str     lr, [r1, #4]
    mrs     r2, spsr
    str     r2, [r1, #8]
    mrc     p15, 0, r3, c5, c0, 0       @ DFSR
    str     r3, [r1, #12]
    mrc     p15, 0, r3, c6, c0, 0       @ DFAR
    str     r3, [r1, #16]
    mrc     p15, 0, r3, c5, c0, 1       @ IFSR
    str     r3, [r1, #20]
    mrc     p15, 0, r3, c6, c0, 2       @ IFAR
    str     r3, [r1, #24]
    ldr     r3, [r1, #28]
    add     r3, r3, #1
    str     r3, [r1, #28]               @ count
    ldr     r1, =guest_resume
    ldr     lr, [r1]
    mov     r3, #0
    str     r3, [r1]
    cmp     lr, #0
    bne     1f
    hvc     #0xffe                      @ nowhere to resume: hyp.c reports and stops
1:  mrs     r2, spsr                    @ SPSR.T from bit 0 of the resume address
    bic     r2, r2, #0x20
    tst     lr, #1
    orrne   r2, r2, #0x20
    msr     spsr_fsxc, r2
    pop     {r0-r3}
    bic     lr, lr, #1
    movs    pc, lr

guest_irq:
    push    {r0-r3, r12, lr}
    mov     r0, #6
    b       1f
guest_fiq:
    push    {r0-r3, r12, lr}
    mov     r0, #7
1:  bl      guest_interrupt
    pop     {r0-r3, r12, lr}
    subs    pc, lr, #4
    .ltorg

    .bss
    .p2align 3
    .global hyp_saved_sp, guest_hcptr
hyp_saved_sp:
    .space  4
guest_hcptr:
    .space  4
    .space  4096
guest_svc_stack_top:
    .space  1024
guest_abt_stack_top:
    .space  1024
guest_und_stack_top:
    .space  2048
guest_irq_stack_top:
    .space  1024
guest_fiq_stack_top:
    .space  1024
guest_usr_stack_top:
