@ ELF entry of the VM guests (-Wl,-e,vm_start), for a VM that enters them as
@ `qemu-system-arm -M virt -kernel x.elf` does: SVC mode, MMU off, IRQ/FIQ masked.
@   - SP at the top of the first 16 MiB of RAM (every VM has at least that much);
@   - VFP on: CPACR.cp10/cp11 = 0b11 (ARM ARM B4.1.40), ISB, FPEXC.EN = 1 (B6.1.47);
@   - .bss zeroed (the default linker script's __bss_start__/__bss_end__);
@   - the SCTLR seen at entry kept for vm_restore_cpu_state, VBAR = vm_vectors (B4.1.156);
@   - the PL011 set up, then main(0, 0): no command line in a VM; its return value is the
@     exit status (vm_exit: an "exit status N" line, then PSCI SYSTEM_OFF).
    .syntax unified
    .arm
    .equ    VM_STACK_TOP, 0x41000000
    .global vm_stack_top
    .set    vm_stack_top, VM_STACK_TOP

    .section .text.vm_start, "ax", %progbits
    .global vm_start
    .type vm_start, %function
vm_start:
    cpsid   if, #0x13               @ SVC mode, IRQ and FIQ masked
    ldr     sp, =VM_STACK_TOP
    mrc     p15, 0, r0, c1, c0, 2   @ CPACR
    orr     r0, r0, #(0xf << 20)
    mcr     p15, 0, r0, c1, c0, 2
    isb
    mov     r0, #0x40000000         @ FPEXC.EN
    vmsr    fpexc, r0
    ldr     r0, =__bss_start__
    ldr     r1, =__bss_end__
    mov     r2, #0
1:  cmp     r0, r1
    strlo   r2, [r0], #4
    blo     1b
    mrc     p15, 0, r0, c1, c0, 0   @ SCTLR
    ldr     r1, =vm_boot_sctlr
    str     r0, [r1]
    ldr     r0, =vm_vectors
    mcr     p15, 0, r0, c12, c0, 0  @ VBAR
    isb
    bl      vm_console_init
    mov     r0, #0
    mov     r1, #0
    bl      main
    bl      vm_exit
    .size vm_start, . - vm_start
    .ltorg
