@ variants: arm-O2
@ Processor modes: banked SP/LR/R8-R12/SPSR of every mode, LDM/STM of user registers (^),
@ exception returns (SUBS PC, MOVS PC, LDM ^ with PC, RFE after SRS, return to Thumb), CPS
@ and MSR field masks, SETEND. Each routine fills a uint32_t array that modes.c prints.
    .syntax unified
    .arm
    .text

    .macro setregs base
    ldr     sp, =(\base + 0xd)
    ldr     lr, =(\base + 0xe)
    ldr     r8, =(\base + 0x8)
    ldr     r9, =(\base + 0x9)
    ldr     r10, =(\base + 0xa)
    ldr     r11, =(\base + 0xb)
    ldr     r12, =(\base + 0xc)
    .endm

    .macro getregs
    stmia   r0!, {r8-r12}
    str     sp, [r0], #4
    str     lr, [r0], #4
    .endm

@ void modes_banked(uint32_t out[]): 6 modes x (r8-r12, sp, lr) + 5 SPSRs = 47 words
    .global modes_banked
    .type modes_banked, %function
modes_banked:
    push    {r4-r11, lr}
    ldr     r1, =saved_sp
    str     sp, [r1]
    mrs     r4, cpsr                @ SVC mode, to come back to
    cps     #0x11                   @ FIQ
    setregs 0x11000000
    ldr     r1, =0x8f000011
    msr     spsr_fsxc, r1
    cps     #0x12                   @ IRQ
    setregs 0x12000000
    ldr     r1, =0x4f0a0112
    msr     spsr_fsxc, r1
    cps     #0x17                   @ ABT
    setregs 0x17000000
    ldr     r1, =0x280501b7         @ T and Abt mode
    msr     spsr_fsxc, r1
    cps     #0x1b                   @ UND
    setregs 0x1b000000
    ldr     r1, =0x100001db
    msr     spsr_fsxc, r1
    cps     #0x1f                   @ SYS (= USR registers)
    setregs 0x1f000000
    cps     #0x13                   @ SVC
    setregs 0x13000000
    ldr     r1, =0xf80f0113
    msr     spsr_fsxc, r1
    @ read everything back, in another order
    cps     #0x1f
    getregs
    cps     #0x11
    getregs
    cps     #0x17
    getregs
    cps     #0x13
    getregs
    cps     #0x1b
    getregs
    cps     #0x12
    getregs
    mrs     r1, spsr
    str     r1, [r0], #4
    cps     #0x11
    mrs     r1, spsr
    str     r1, [r0], #4
    cps     #0x17
    mrs     r1, spsr
    str     r1, [r0], #4
    cps     #0x1b
    mrs     r1, spsr
    str     r1, [r0], #4
    cps     #0x13
    mrs     r1, spsr
    str     r1, [r0], #4
    msr     cpsr_fsxc, r4
    ldr     r1, =saved_sp
    ldr     sp, [r1]
    pop     {r4-r11, pc}

@ void modes_user_regs(uint32_t out[]): STM ^ / LDM ^ reach the User registers from SVC mode. 10 words.
    .global modes_user_regs
    .type modes_user_regs, %function
modes_user_regs:
    push    {r4-r11, lr}
    ldr     r1, =saved_sp
    str     sp, [r1]
    cps     #0x1f
    setregs 0x1f000000
    cps     #0x13
    mov     r8, #0x55
    stmia   r0, {r8-r9, r13-r14}^   @ User r8, r9, SP, LR
    nop
    add     r0, r0, #16
    ldr     r1, =user_values
    ldmia   r1, {r13-r14}^          @ load User SP and LR
    nop
    cps     #0x1f
    str     sp, [r0], #4
    str     lr, [r0], #4
    str     r8, [r0], #4
    cps     #0x13
    str     r8, [r0], #4            @ SVC's r8 is the same register as User's (not banked)
    ldr     r1, =saved_sp
    ldr     sp, [r1]
    str     sp, [r0], #4            @ SVC SP restored (its offset from saved_sp is 0)
    sub     r1, sp, sp
    str     r1, [r0], #4
    pop     {r4-r11, pc}

@ void modes_returns(uint32_t out[]): exception-return instructions from SVC mode. 12 words.
    .global modes_returns
    .type modes_returns, %function
modes_returns:
    push    {r4-r11, lr}
    ldr     r1, =saved_sp
    str     sp, [r1]
    mrs     r4, cpsr
    @ SUBS PC, LR, #4 into SYS mode with NZ set
    ldr     r1, =0xc00001df
    msr     spsr_fsxc, r1
    adr     lr, 1f + 4
    subs    pc, lr, #4
1:  mrs     r1, cpsr
    str     r1, [r0], #4
    cps     #0x13
    @ MOVS PC, LR into UND mode with CV set and IRQs unmasked
    ldr     r1, =0x3000015b
    msr     spsr_fsxc, r1
    adr     lr, 2f
    movs    pc, lr
2:  mrs     r1, cpsr
    str     r1, [r0], #4
    cps     #0x13
    @ LDM with PC and ^ : CPSR <- SPSR
    ldr     r1, =0x900001d2         @ IRQ mode, N V
    msr     spsr_fsxc, r1
    adr     r2, 3f
    mov     r3, #0x77
    push    {r2}
    push    {r3}
    ldmia   sp!, {r3, pc}^
3:  mrs     r1, cpsr
    str     r1, [r0], #4
    str     r3, [r0], #4
    cps     #0x13
    ldr     r1, =saved_sp
    ldr     sp, [r1]
    @ SRS to the SVC stack, then RFE from it
    ldr     r1, =0x680001df         @ SYS mode, Z C Q
    msr     spsr_fsxc, r1
    adr     lr, 4f
    srsdb   sp!, #0x13
    ldr     r1, [sp]
    ldr     r2, [sp, #4]
    sub     r1, r1, lr
    str     r1, [r0], #4            @ stored LR - LR = 0
    str     r2, [r0], #4            @ stored SPSR
    rfeia   sp!
4:  mrs     r1, cpsr
    str     r1, [r0], #4
    cps     #0x13
    ldr     r1, =saved_sp
    ldr     r2, [r1]
    sub     r2, sp, r2
    str     r2, [r0], #4            @ SP back where it was: 0
    @ SRS onto the IRQ stack from SVC mode, RFE from an ordinary register
    cps     #0x12
    ldr     sp, =srs_area + 16
    cps     #0x13
    ldr     r1, =0x200001f3         @ SVC mode, Thumb, C
    msr     spsr_fsxc, r1
    ldr     lr, =thumb_target
    srsia   sp, #0x12               @ to [SP_irq], no writeback
    ldr     r1, =srs_area + 16
    ldr     r2, [r1, #4]
    str     r2, [r0], #4            @ SPSR as stored
    rfeia   r1                      @ to Thumb code in SVC mode
    .ltorg

    .thumb
    .type thumb_target, %function
thumb_target:
    mrs     r1, cpsr
    str     r1, [r0], #4
    movs    r1, #0x5a
    str     r1, [r0], #4
    ldr     r1, =arm_back
    bx      r1
    .ltorg
    .arm
arm_back:
    msr     cpsr_fsxc, r4
    ldr     r1, =saved_sp
    ldr     sp, [r1]
    pop     {r4-r11, pc}

@ void modes_cps_msr(uint32_t out[]): CPS with masks, MSR field masks, SETEND. 14 words.
    .global modes_cps_msr
    .type modes_cps_msr, %function
modes_cps_msr:
    push    {r4-r11, lr}
    mrs     r4, cpsr
    cpsie   a
    mrs     r1, cpsr
    str     r1, [r0], #4
    cpsid   aif
    mrs     r1, cpsr
    str     r1, [r0], #4
    cpsid   if, #0x1b               @ to UND with masks
    mrs     r1, cpsr
    str     r1, [r0], #4
    msr     cpsr_c, r4              @ back to SVC (control field only)
    mrs     r1, cpsr
    str     r1, [r0], #4
    ldr     r1, =0xf80f0000
    msr     cpsr_f, r1              @ flags only: NZCVQ
    mrs     r1, cpsr
    str     r1, [r0], #4
    msr     cpsr_s, r1              @ status field: GE
    mrs     r1, cpsr
    str     r1, [r0], #4
    ldr     r1, =0x00000000
    msr     APSR_nzcvqg, r1
    mrs     r1, apsr
    str     r1, [r0], #4
    @ SETEND: big-endian data accesses
    ldr     r2, =endian_word
    setend  be
    ldr     r1, [r2]
    ldrh    r3, [r2]
    ldr     r5, =0x11223344
    str     r5, [r2, #4]
    mrs     r6, cpsr
    setend  le
    str     r1, [r0], #4
    str     r3, [r0], #4
    ldr     r5, [r2, #4]
    str     r5, [r0], #4
    str     r6, [r0], #4
    ldrd    r6, r7, [r2]
    str     r6, [r0], #4
    str     r7, [r0], #4
    mrs     r1, cpsr
    str     r1, [r0], #4
    msr     cpsr_fsxc, r4
    pop     {r4-r11, pc}
    .ltorg

    .data
    .p2align 3
endian_word:
    .word   0x04030201, 0
user_values:
    .word   0xabcd0013, 0xabcd0014
srs_area:
    .space  32
saved_sp:
    .word   0
