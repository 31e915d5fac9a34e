@ setjmp/longjmp for recovering from exceptions (see vm.h: vm_try, vm_recover).
@ struct vm_jmp: r4-r11, sp, lr, cpsr, pad, d8-d15, fpscr (the AAPCS callee-saved state, B1.3.3
@ for the CPSR, and the VFP registers the hard-float ABI preserves).
    .syntax unified
    .arm
    .text
    .global vm_try
    .type vm_try, %function
vm_try:
    stmia   r0!, {r4-r11, sp, lr}
    mrs     r1, cpsr
    str     r1, [r0], #8
    vstmia  r0!, {d8-d15}
    vmrs    r1, fpscr
    str     r1, [r0]
    mov     r0, #0
    bx      lr
    .size vm_try, . - vm_try

@ void vm_recover(struct vm_jmp *j, int value): from any privileged mode, an exception handler
@ included. The saved CPSR is restored first (mode, masks, E and the flags), so SP is the saved
@ mode's banked one again; then the processor state a wild program may have changed is put
@ back (vm_restore_cpu_state: CPACR/FPEXC before the VFP registers are reloaded).
    .global vm_recover
    .type vm_recover, %function
vm_recover:
    mov     r4, r0
    movs    r5, r1
    moveq   r5, #1                      @ vm_try returns non-zero after a recovery
    ldr     r1, [r4, #40]
    msr     cpsr_fsxc, r1
    ldr     sp, [r4, #32]
    bl      vm_restore_cpu_state
    add     r0, r4, #48
    vldmia  r0!, {d8-d15}
    ldr     r1, [r0]
    vmsr    fpscr, r1
    mov     r0, r5
    ldmia   r4, {r4-r11, sp, lr}
    bx      lr
    .size vm_recover, . - vm_recover
