@ The VM runtime's exception vectors (VBAR = vm_vectors, set by vm_start).
@
@ Each entry saves r0-r12 in a struct vm_exception frame on the runtime's own exception stack
@ (never the mode's banked SP, which the program may have clobbered), records the kind (the
@ vector offset / 4), LR, SPSR and the fault status/address registers (DFSR, DFAR, IFSR, IFAR),
@ and the resume address a plain return goes to, from the link values of ARM ARM B1.8.3:
@   undefined, SVC: LR (the next instruction)
@   prefetch abort: LR - 4 (the aborted instruction)
@   data abort:     LR - 8 (the aborted instruction)
@   IRQ, FIQ:       LR - 4 (the interrupted one)
@ then calls vm_dispatch_exception(frame) in the exception mode. When that returns, the frame's
@ r0-r12 are reloaded and execution resumes at frame->resume with CPSR = frame->spsr
@ (MOVS PC, LR). Not re-entrant: an exception inside a handler reuses the same frame.
    .syntax unified
    .arm
    .equ    FRAME_KIND, 52
    .equ    FRAME_LR, 56
    .equ    FRAME_SPSR, 60
    .equ    FRAME_DFSR, 64
    .equ    FRAME_DFAR, 68
    .equ    FRAME_IFSR, 72
    .equ    FRAME_IFAR, 76
    .equ    FRAME_RESUME, 80
    .equ    FRAME_SIZE, 88              @ 84 rounded up: the C handler's stack stays 8-aligned

    .text
    .p2align 5                          @ VBAR bits[4:0] are RES0 (B4.1.156)
    .global vm_vectors
vm_vectors:
    b       .                           @ 0x00 reset (VBAR does not move it)
    b       vm_undef_entry              @ 0x04
    b       vm_svc_entry                @ 0x08
    b       vm_pabt_entry               @ 0x0c
    b       vm_dabt_entry               @ 0x10
    b       .                           @ 0x14 hyp trap (never taken below PL2)
    b       vm_irq_entry                @ 0x18
    b       vm_fiq_entry                @ 0x1c

    .macro  entry name, kind, lr_adjust
\name:
    ldr     sp, =vm_exception_stack_top
    sub     sp, sp, #FRAME_SIZE
    stmia   sp, {r0-r12}
    mov     r0, #\kind
    sub     r1, lr, #\lr_adjust
    b       vm_exception_common
    .endm

    entry   vm_undef_entry, 1, 0
    entry   vm_svc_entry, 2, 0
    entry   vm_pabt_entry, 3, 4
    entry   vm_dabt_entry, 4, 8
    entry   vm_irq_entry, 6, 4
    entry   vm_fiq_entry, 7, 4

vm_exception_common:
    str     r0, [sp, #FRAME_KIND]
    str     lr, [sp, #FRAME_LR]
    str     r1, [sp, #FRAME_RESUME]
    mrs     r1, spsr
    str     r1, [sp, #FRAME_SPSR]
    mrc     p15, 0, r1, c5, c0, 0       @ DFSR
    str     r1, [sp, #FRAME_DFSR]
    mrc     p15, 0, r1, c6, c0, 0       @ DFAR
    str     r1, [sp, #FRAME_DFAR]
    mrc     p15, 0, r1, c5, c0, 1       @ IFSR
    str     r1, [sp, #FRAME_IFSR]
    mrc     p15, 0, r1, c6, c0, 2       @ IFAR
    str     r1, [sp, #FRAME_IFAR]
    mov     r0, sp
    bl      vm_dispatch_exception
    ldr     r0, [sp, #FRAME_SPSR]
    msr     spsr_fsxc, r0
    ldr     lr, [sp, #FRAME_RESUME]
    ldmia   sp, {r0-r12}
    movs    pc, lr
    .ltorg

    .bss
    .p2align 3
    .space  4096
vm_exception_stack_top:
