@ Start-up stub for the demo: enable the VFP before newlib's start code runs
@ (ARM ARM B4.1.40 CPACR: cp10/cp11 full access; B6.1.14 FPEXC.EN).
    .syntax unified
    .arm
    .section .text.boot, "ax"
    .global _boot
_boot:
    mrc     p15, 0, r0, c1, c0, 2
    orr     r0, r0, #(0xf << 20)
    mcr     p15, 0, r0, c1, c0, 2
    isb
    mov     r0, #0x40000000
    vmsr    fpexc, r0
    b       _start
