@ hostile_exec(const uint32_t regs[16]): loads r0-r12, SP, LR and PC from regs (one LDM: the base
@ may be in the list when there is no writeback) and so jumps to regs[15] with every register
@ chosen by the caller. It never returns: the code it runs ends in an exception (hostile.c puts
@ an UDF after the word under test), and the exception hook recovers to the caller's vm_try.
    .syntax unified
    .arm
    .text
    .global hostile_exec
    .type hostile_exec, %function
hostile_exec:
    ldmia   r0, {r0-r12, sp, lr, pc}
    .size hostile_exec, . - hostile_exec
