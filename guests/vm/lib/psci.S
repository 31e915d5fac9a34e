@ PSCI over HVC (the conduit of QEMU's virt without EL2 and of Partita's VMs), in the SMC
@ Calling Convention (ARM DEN 0028): function ID in r0, arguments in r1-r3, result in r0.
    .syntax unified
    .arm
    .text
@ uint32_t vm_hvc(uint32_t fn, uint32_t a1, uint32_t a2, uint32_t a3)
    .global vm_hvc
    .type vm_hvc, %function
vm_hvc:
    hvc     #0
    bx      lr
    .size vm_hvc, . - vm_hvc
