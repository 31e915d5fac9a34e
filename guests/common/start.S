@ Start-up stub for Partita's bare-metal guest programs (ELF entry, via -Wl,-e,partita_start).
@
@ QEMU's virt board enters an ELF kernel in SVC mode with the MMU off and VFP disabled. newlib's
@ crt0 (_start) and a hard-float libm use VFP immediately, so enable it first:
@   CPACR.cp10/cp11 = 0b11 (full access, ARM ARM B4.1.40), ISB so the change is visible,
@   FPEXC.EN = 1 (B6.1.47).
    .syntax unified
    .arm
    .section .text.partita_start, "ax", %progbits
    .global partita_start
    .type partita_start, %function
partita_start:
    mrc     p15, 0, r0, c1, c0, 2       @ CPACR
    orr     r0, r0, #(0xf << 20)        @ cp10, cp11: full access
    mcr     p15, 0, r0, c1, c0, 2
    isb
    mov     r0, #0x40000000             @ FPEXC.EN
    vmsr    fpexc, r0
    b       _start
    .size partita_start, . - partita_start
