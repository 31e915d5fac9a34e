@ variants: thumb-O2
@ IT blocks of every shape (IT, ITx, ITxy, ITxyz: 15 masks) under every condition (EQ..LE), each
@ run with all 16 NZCV combinations. The second instruction of a block sets the flags, so later
@ conditions see the new flags; a 4-instruction block ends with a conditional branch. (GNU as
@ does not assemble IT AL blocks, so they are not here.) The results (a checksum per shape and condition) are printed by itblocks.c.
    .syntax unified
    .thumb
    .text

    .macro shape_x itc, c, ic
    it \itc
    add\c r0, r0, #1
    .endm
    .macro shape_t itc, c, ic
    itt \itc
    add\c r0, r0, #1
    adds\c r5, r5, r6
    .endm
    .macro shape_e itc, c, ic
    ite \itc
    add\c r0, r0, #1
    adds\ic r5, r5, r6
    .endm
    .macro shape_tt itc, c, ic
    ittt \itc
    add\c r0, r0, #1
    adds\c r5, r5, r6
    orr\c r0, r0, #0x100
    .endm
    .macro shape_te itc, c, ic
    itte \itc
    add\c r0, r0, #1
    adds\c r5, r5, r6
    orr\ic r0, r0, #0x100
    .endm
    .macro shape_et itc, c, ic
    itet \itc
    add\c r0, r0, #1
    adds\ic r5, r5, r6
    orr\c r0, r0, #0x100
    .endm
    .macro shape_ee itc, c, ic
    itee \itc
    add\c r0, r0, #1
    adds\ic r5, r5, r6
    orr\ic r0, r0, #0x100
    .endm
    .macro shape_ttt itc, c, ic
    itttt \itc
    add\c r0, r0, #1
    adds\c r5, r5, r6
    orr\c r0, r0, #0x100
    b\c 2f
    add r0, r0, #0x1000     @ skipped when the branch is taken
2:
    .endm
    .macro shape_tte itc, c, ic
    ittte \itc
    add\c r0, r0, #1
    adds\c r5, r5, r6
    orr\c r0, r0, #0x100
    b\ic 2f
    add r0, r0, #0x1000     @ skipped when the branch is taken
2:
    .endm
    .macro shape_tet itc, c, ic
    ittet \itc
    add\c r0, r0, #1
    adds\c r5, r5, r6
    orr\ic r0, r0, #0x100
    b\c 2f
    add r0, r0, #0x1000     @ skipped when the branch is taken
2:
    .endm
    .macro shape_tee itc, c, ic
    ittee \itc
    add\c r0, r0, #1
    adds\c r5, r5, r6
    orr\ic r0, r0, #0x100
    b\ic 2f
    add r0, r0, #0x1000     @ skipped when the branch is taken
2:
    .endm
    .macro shape_ett itc, c, ic
    itett \itc
    add\c r0, r0, #1
    adds\ic r5, r5, r6
    orr\c r0, r0, #0x100
    b\c 2f
    add r0, r0, #0x1000     @ skipped when the branch is taken
2:
    .endm
    .macro shape_ete itc, c, ic
    itete \itc
    add\c r0, r0, #1
    adds\ic r5, r5, r6
    orr\c r0, r0, #0x100
    b\ic 2f
    add r0, r0, #0x1000     @ skipped when the branch is taken
2:
    .endm
    .macro shape_eet itc, c, ic
    iteet \itc
    add\c r0, r0, #1
    adds\ic r5, r5, r6
    orr\ic r0, r0, #0x100
    b\c 2f
    add r0, r0, #0x1000     @ skipped when the branch is taken
2:
    .endm
    .macro shape_eee itc, c, ic
    iteee \itc
    add\c r0, r0, #1
    adds\ic r5, r5, r6
    orr\ic r0, r0, #0x100
    b\ic 2f
    add r0, r0, #0x1000     @ skipped when the branch is taken
2:
    .endm

@ r9: output pointer; r8: checksum; r7: NZCV combination 0..15
    .macro run shape, itc, c, ic
    movs    r8, #0
    movs    r7, #0
1:  lsl     r2, r7, #28
    msr     APSR_nzcvq, r2
    movs    r0, #0
    lsl     r5, r7, #28
    mov     r6, #0x90000000
    eor     r6, r6, r7, lsl #27
    shape_\shape \itc, \c, \ic
    mrs     r2, apsr
    add     r8, r8, r8, lsl #5
    add     r8, r8, r0
    add     r8, r8, r2, lsr #28
    add     r8, r8, r5, lsr #16
    adds    r7, r7, #1
    cmp     r7, #16
    blt     1b
    str     r8, [r9], #4
    .endm

    .macro all_shapes c, ic
    run x, \c, \c, \ic
    run t, \c, \c, \ic
    run e, \c, \c, \ic
    run tt, \c, \c, \ic
    run te, \c, \c, \ic
    run et, \c, \c, \ic
    run ee, \c, \c, \ic
    run ttt, \c, \c, \ic
    run tte, \c, \c, \ic
    run tet, \c, \c, \ic
    run tee, \c, \c, \ic
    run ett, \c, \c, \ic
    run ete, \c, \c, \ic
    run eet, \c, \c, \ic
    run eee, \c, \c, \ic
    .endm

@ void itblocks_run(uint32_t out[14 * 15])
    .global itblocks_run
    .type itblocks_run, %function
itblocks_run:
    push    {r4-r11, lr}
    mov     r9, r0
    all_shapes eq, ne
    all_shapes ne, eq
    all_shapes cs, cc
    all_shapes cc, cs
    all_shapes mi, pl
    all_shapes pl, mi
    all_shapes vs, vc
    all_shapes vc, vs
    all_shapes hi, ls
    all_shapes ls, hi
    all_shapes ge, lt
    all_shapes lt, ge
    all_shapes gt, le
    all_shapes le, gt
    pop     {r4-r11, pc}
