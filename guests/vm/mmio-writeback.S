@ mmio_arm(out) / mmio_thumb(out): the same loads and stores to device registers in ARM and in
@ Thumb, each in a form whose stage 2 data abort has no syndrome (HSR.ISV = 0, ARM ARM B3.13.6):
@ pre- and post-indexed LDR/STR/LDRB/LDRSB/STRH/LDRH/LDRSH (immediate and, in ARM, register
@ offsets), LDRD/STRD, LDM/STM (with writeback, without it, with the base in the list), and a
@ post-indexed load inside an IT block. Each step appends the values loaded and the base's offset
@ after the writeback to out[]; both return the end of what they wrote. The registers are the
@ virtual GIC distributor's GICD_IPRIORITYR for SPIs 32-47 (bytes with the low 4 bits zero, kept
@ by every GICv2) and the PL011's UARTIBRD (put back after) and ID registers.
    .syntax unified
    .text

    .equ GICD_PRIORITY_SPI32, 0x08000420
    .equ UART, 0x09000000

.macro OUT reg
    str     \reg, [r12], #4
.endm
.macro DELTA reg, base
    sub     r11, \reg, \base
    str     r11, [r12], #4
.endm

    .arm
    .global mmio_arm
    .type mmio_arm, %function
mmio_arm:
    push    {r4-r11, lr}
    mov     r12, r0
    ldr     r4, =GICD_PRIORITY_SPI32
    ldr     r5, =UART
    @ STR post-indexed, LDR pre-indexed with a negative offset
    mov     r0, r4
    ldr     r1, =0xa0b0c0d0
    str     r1, [r0], #4
    DELTA   r0, r4
    ldr     r2, [r0, #-4]!
    OUT     r2
    DELTA   r0, r4
    @ register offsets: STR pre-indexed, LDR post-indexed subtracting
    mov     r3, #1
    str     r1, [r0, r3, lsl #2]!
    DELTA   r0, r4
    ldr     r2, [r0], -r3, lsl #2
    OUT     r2
    DELTA   r0, r4
    @ bytes: STRB pre-indexed, LDRB post-indexed, LDRSB pre-indexed
    mov     r1, #0x90
    strb    r1, [r0, #8]!
    DELTA   r0, r4
    ldrb    r2, [r0], #1
    OUT     r2
    DELTA   r0, r4
    ldrsb   r2, [r0, #-1]!
    OUT     r2
    DELTA   r0, r4
    @ STRD pre-indexed, LDRD post-indexed
    mov     r0, r4
    ldr     r2, =0x10203040
    ldr     r3, =0x50607080
    strd    r2, r3, [r0, #8]!
    DELTA   r0, r4
    ldrd    r6, r7, [r0], #-8
    OUT     r6
    OUT     r7
    DELTA   r0, r4
    @ STMIA with writeback, LDMDB with writeback, LDMIB without
    ldr     r1, =0x40302010
    ldr     r2, =0x80706050
    ldr     r3, =0xc0b0a090
    stmia   r0!, {r1-r3}
    DELTA   r0, r4
    ldmdb   r0!, {r6-r8}
    OUT     r6
    OUT     r7
    OUT     r8
    DELTA   r0, r4
    ldmib   r0, {r6, r7}
    OUT     r6
    OUT     r7
    @ two registers with writeback; the base in the list (no writeback)
    ldmia   r0!, {r1, r2}
    OUT     r1
    OUT     r2
    DELTA   r0, r4
    sub     r0, r0, #4
    ldmia   r0, {r0, r1}
    OUT     r0
    OUT     r1
    @ a conditional post-indexed load, then the other condition
    mov     r0, r4
    cmp     r0, r4
    ldreq   r2, [r0], #4
    movne   r2, #0
    OUT     r2
    DELTA   r0, r4
    @ PL011 PCellID0-3 with LDMIA and writeback
    add     r0, r5, #0xff0
    ldmia   r0!, {r6-r9}
    OUT     r6
    OUT     r7
    OUT     r8
    OUT     r9
    DELTA   r0, r5
    @ halfwords on UARTIBRD: STRH pre-indexed, LDRH post-indexed, LDRSH pre-indexed
    ldr     r10, [r5, #0x24]
    movw    r1, #0xfff0
    add     r0, r5, #0x20
    strh    r1, [r0, #4]!
    DELTA   r0, r5
    ldrh    r2, [r0], #4
    OUT     r2
    DELTA   r0, r5
    ldrsh   r3, [r0, #-4]!
    OUT     r3
    DELTA   r0, r5
    str     r10, [r5, #0x24]
    @ LDRSB pre-indexed by a register (PCellID1), LDRD post-indexed by a register (PeriphID0-1)
    add     r0, r5, #0xff0
    mov     r3, #4
    ldrsb   r2, [r0, r3]!
    OUT     r2
    DELTA   r0, r5
    add     r0, r5, #0xfe0
    mov     r3, #8
    ldrd    r6, r7, [r0], r3
    OUT     r6
    OUT     r7
    DELTA   r0, r5
    mov     r0, r12
    pop     {r4-r11, pc}
    .ltorg
    .size mmio_arm, . - mmio_arm

    .thumb
    .global mmio_thumb
    .type mmio_thumb, %function
    .thumb_func
mmio_thumb:
    push    {r4-r11, lr}
    mov     r12, r0
    ldr     r4, =GICD_PRIORITY_SPI32
    ldr     r5, =UART
    mov     r0, r4
    ldr     r1, =0xa0b0c0d0
    str     r1, [r0], #4
    DELTA   r0, r4
    ldr     r2, [r0, #-4]!
    OUT     r2
    DELTA   r0, r4
    @ T32 has no register-offset writeback: the same accesses by immediates
    str     r1, [r0, #4]!
    DELTA   r0, r4
    ldr     r2, [r0], #-4
    OUT     r2
    DELTA   r0, r4
    mov     r1, #0x90
    strb    r1, [r0, #8]!
    DELTA   r0, r4
    ldrb    r2, [r0], #1
    OUT     r2
    DELTA   r0, r4
    ldrsb   r2, [r0, #-1]!
    OUT     r2
    DELTA   r0, r4
    mov     r0, r4
    ldr     r2, =0x10203040
    ldr     r3, =0x50607080
    strd    r2, r3, [r0, #8]!
    DELTA   r0, r4
    ldrd    r6, r7, [r0], #-8
    OUT     r6
    OUT     r7
    DELTA   r0, r4
    @ STMIA! is the 16-bit STM T1; LDMDB! T1; no LDMIB in Thumb: LDM T2 from base + 4
    ldr     r1, =0x40302010
    ldr     r2, =0x80706050
    ldr     r3, =0xc0b0a090
    stmia   r0!, {r1-r3}
    DELTA   r0, r4
    ldmdb   r0!, {r6-r8}
    OUT     r6
    OUT     r7
    OUT     r8
    DELTA   r0, r4
    add     r9, r0, #4
    ldmia   r9, {r6, r7}
    OUT     r6
    OUT     r7
    @ the 16-bit LDM T1: writeback, then the base in the list (no writeback)
    ldmia   r0!, {r1, r2}
    OUT     r1
    OUT     r2
    DELTA   r0, r4
    subs    r0, r0, #4
    ldmia   r0, {r0, r1}
    OUT     r0
    OUT     r1
    @ in an IT block: the emulated load must advance ITSTATE, or MOVNE would run as MOVEQ
    mov     r0, r4
    cmp     r0, r4
    ite     eq
    ldreq   r2, [r0], #4
    movne   r2, #0
    OUT     r2
    DELTA   r0, r4
    add     r0, r5, #0xff0
    ldmia   r0!, {r6-r9}
    OUT     r6
    OUT     r7
    OUT     r8
    OUT     r9
    DELTA   r0, r5
    ldr     r10, [r5, #0x24]
    movw    r1, #0xfff0
    add     r0, r5, #0x20
    strh    r1, [r0, #4]!
    DELTA   r0, r5
    ldrh    r2, [r0], #4
    OUT     r2
    DELTA   r0, r5
    ldrsh   r3, [r0, #-4]!
    OUT     r3
    DELTA   r0, r5
    str     r10, [r5, #0x24]
    add     r0, r5, #0xff0
    ldrsb   r2, [r0, #4]!
    OUT     r2
    DELTA   r0, r5
    add     r0, r5, #0xfe0
    ldrd    r6, r7, [r0], #8
    OUT     r6
    OUT     r7
    DELTA   r0, r5
    mov     r0, r12
    pop     {r4-r11, pc}
    .ltorg
    .size mmio_thumb, . - mmio_thumb
