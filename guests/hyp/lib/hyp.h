/* The tiny bare-metal hypervisor shared by the Hyp-mode guest programs (guests/hyp): Hyp and
 * PL1 register access, running a function as a PL1 "guest" under Hyp, the log of exceptions taken
 * to Hyp mode, and LPAE translation tables for stage 2 and Hyp's own stage 1. See hyp-entry.S. */
#ifndef PARTITA_HYP_H
#define PARTITA_HYP_H
#include <stdint.h>
#include <stdio.h>

#define CP_WRITE(cp, opc1, crn, crm, opc2, v) \
  __asm__ volatile("mcr " #cp ", " #opc1 ", %0, " #crn ", " #crm ", " #opc2 "\n\tisb" : : "r"((uint32_t)(v)) : "memory")
#define CP_READ(cp, opc1, crn, crm, opc2) \
  ({ uint32_t v_; __asm__ volatile("mrc " #cp ", " #opc1 ", %0, " #crn ", " #crm ", " #opc2 : "=r"(v_) : : "memory"); v_; })
#define CP_WRITE64(cp, opc1, crm, v) \
  __asm__ volatile("mcrr " #cp ", " #opc1 ", %Q0, %R0, " #crm "\n\tisb" : : "r"((uint64_t)(v)) : "memory")
#define CP_READ64(cp, opc1, crm) \
  ({ uint64_t v_; __asm__ volatile("mrrc " #cp ", " #opc1 ", %Q0, %R0, " #crm : "=r"(v_) : : "memory"); v_; })

/* Hyp registers (ARM ARM B4.1, table B3-30 "Hyp mode registers"). */
#define HCR_W(v) CP_WRITE(p15, 4, c1, c1, 0, v)
#define HCR_R() CP_READ(p15, 4, c1, c1, 0)
#define HDCR_W(v) CP_WRITE(p15, 4, c1, c1, 1, v)
#define HDCR_R() CP_READ(p15, 4, c1, c1, 1)
#define HCPTR_W(v) CP_WRITE(p15, 4, c1, c1, 2, v)
#define HSTR_W(v) CP_WRITE(p15, 4, c1, c1, 3, v)
#define HSCTLR_W(v) CP_WRITE(p15, 4, c1, c0, 0, v)
#define HSCTLR_R() CP_READ(p15, 4, c1, c0, 0)
#define HTCR_W(v) CP_WRITE(p15, 4, c2, c0, 2, v)
#define VTCR_W(v) CP_WRITE(p15, 4, c2, c1, 2, v)
#define HTTBR_W(v) CP_WRITE64(p15, 4, c2, v)
#define VTTBR_W(v) CP_WRITE64(p15, 6, c2, v)
#define HMAIR0_W(v) CP_WRITE(p15, 4, c10, c2, 0, v)
#define HMAIR1_W(v) CP_WRITE(p15, 4, c10, c2, 1, v)
#define HSR_R() CP_READ(p15, 4, c5, c2, 0)
#define HDFAR_R() CP_READ(p15, 4, c6, c0, 0)
#define HIFAR_R() CP_READ(p15, 4, c6, c0, 2)
#define HPFAR_R() CP_READ(p15, 4, c6, c0, 4)
#define DSB() __asm__ volatile("dsb" : : : "memory")
#define ISB() __asm__ volatile("isb" : : : "memory")
/* TLB maintenance from Hyp mode (B4.2.3, table B4-37 "Hyp mode TLB maintenance operations"). */
#define TLBIALLH() do { DSB(); CP_WRITE(p15, 4, c8, c7, 0, 0); DSB(); ISB(); } while (0)
#define TLBIMVAH(va) do { DSB(); CP_WRITE(p15, 4, c8, c7, 1, va); DSB(); ISB(); } while (0)
#define TLBIALLNSNH() do { DSB(); CP_WRITE(p15, 4, c8, c7, 4, 0); DSB(); ISB(); } while (0)
#define TLBIALLNSNHIS() do { DSB(); CP_WRITE(p15, 4, c8, c3, 4, 0); DSB(); ISB(); } while (0)
#define TLBIALLHIS() do { DSB(); CP_WRITE(p15, 4, c8, c3, 0, 0); DSB(); ISB(); } while (0)
#define TLBIMVAHIS(va) do { DSB(); CP_WRITE(p15, 4, c8, c3, 1, va); DSB(); ISB(); } while (0)

/* HCR bits (B4.1.65). */
enum {
  HCR_VM = 1u << 0, HCR_SWIO = 1u << 1, HCR_PTW = 1u << 2, HCR_FMO = 1u << 3, HCR_IMO = 1u << 4, HCR_AMO = 1u << 5,
  HCR_VF = 1u << 6, HCR_VI = 1u << 7, HCR_VA = 1u << 8, HCR_DC = 1u << 12, HCR_TWI = 1u << 13, HCR_TWE = 1u << 14,
  HCR_TID0 = 1u << 15, HCR_TID1 = 1u << 16, HCR_TID2 = 1u << 17, HCR_TID3 = 1u << 18, HCR_TSC = 1u << 19,
  HCR_TIDCP = 1u << 20, HCR_TAC = 1u << 21, HCR_TSW = 1u << 22, HCR_TPC = 1u << 23, HCR_TPU = 1u << 24,
  HCR_TTLB = 1u << 25, HCR_TVM = 1u << 26, HCR_TGE = 1u << 27, HCR_HCD = 1u << 29, HCR_TRVM = 1u << 30,
};

/* CPSR/SPSR values for a guest: SVC or User mode, with A, I and F masked or not. */
#define MODE_USR 0x10u
#define MODE_SVC 0x13u
#define PSR_MASK_AIF 0x1c0u

/* The frame hyp-entry.S saves on an exception to Hyp mode. */
struct hyp_frame { uint32_t elr, spsr, r[13], lr; };

/* One exception taken to Hyp mode, with the syndrome registers at the time (B3.13.6). vector is
 * the Hyp vector offset / 4: 1 undefined, 2 SVC, 3 prefetch abort, 4 data abort (these four from
 * Hyp mode), 5 Hyp trap, 6 IRQ,  7 FIQ. at: guest_at when it was taken. */
struct hyp_trap { uint32_t vector, hsr, hdfar, hifar, hpfar, elr, spsr, at; };
#define HYP_LOG_SIZE 32
extern struct hyp_trap hyp_log[HYP_LOG_SIZE];
extern int hyp_nlog;

/* Called for every synchronous trap after it is logged; may change the frame (emulate) and return
 * 1 to resume at the frame's ELR as it is, or 0 for the default resumption (below). */
extern int (*hyp_trap_hook)(struct hyp_frame *f, const struct hyp_trap *t);
/* Called for an IRQ (vector 6) or FIQ (7) taken to Hyp mode; it must remove the cause. */
extern void (*hyp_interrupt_hook)(unsigned vector, struct hyp_frame *f);
/* Called in the guest's IRQ/FIQ mode for an interrupt the guest takes (kind 6 IRQ, 7 FIQ). */
extern void (*guest_interrupt_hook)(unsigned kind);

/* Where the next trapped or aborted instruction resumes (set by GTRY, one-shot; bit 0 the Thumb
 * state to resume in); when 0 a trap
 * resumes after the trapping instruction (ELR_hyp + 2 or 4 by HSR.IL), an HVC or SVC after itself.
 * guest_at: the address of the instruction under test, to print ELRs relative to it. */
extern volatile uint32_t guest_resume, guest_at;

/* What the guest's own vectors saw (kind: 1 undefined, 2 svc, 3 prefetch abort, 4 data abort). */
struct guest_exception { uint32_t kind, lr, spsr, dfsr, dfar, ifsr, ifar, count; };
extern volatile struct guest_exception guest_exc;
extern void guest_vectors(void);
/* Where a guest function returns to (HVC #0xfff). */
extern void guest_exit(void);

/* HCPTR while the guest runs (Hyp's own code runs with HCPTR 0). */
extern uint32_t guest_hcptr;
uint32_t run_guest_mode(uint32_t (*fn)(uint32_t), uint32_t arg, uint32_t spsr);
/* Runs fn(arg) in SVC mode with A, I, F masked, its VBAR at guest_vectors. */
uint32_t run_guest(uint32_t (*fn)(uint32_t), uint32_t arg);

/* Prints `what` and the exceptions taken to Hyp mode since the last call, then clears the log. */
void print_traps(const char *what);
/* Prints what the guest's own vectors recorded since the last call (or "no guest exception"). */
void print_guest_exception(void);
/* Clears both logs. */
void clear_logs(void);

/* In the guest: run one instruction (label 8, its address in guest_at) with guest_resume at the
 * next one (label 9, bit 0 set in Thumb code: the state to resume in); r0, r1 (and r2) hold a, b
 * (and c). */
#ifdef __thumb__
#define GTRY_THUMB_BIT "orr r12, r12, #1\n\t"
#else
#define GTRY_THUMB_BIT
#endif
#define GTRY3(insn, a, b, c)                                                                \
  __asm__ volatile("mov r0, %2\n\tmov r1, %3\n\tmov r2, %4\n\t"                                \
                   "adr r12, 9f\n\t" GTRY_THUMB_BIT "str r12, [%0]\n\tadr r12, 8f\n\tstr r12, [%1]\n\t" \
                   "8: " insn "\n9:\n"                                                      \
                   : : "r"(&guest_resume), "r"(&guest_at), "r"((uint32_t)(a)), "r"((uint32_t)(b)), "r"((uint32_t)(c)) \
                   : "r0", "r1", "r2", "r3", "r12", "memory", "cc")
#define GTRY(insn, a, b) GTRY3(insn, a, b, 0)

/* LPAE translation tables (B3.6), for stage 2 (VTTBR) and Hyp's stage 1 (HTTBR). Tables come from
 * a static pool; lpae_entry() splits a block into a next-level table (same attributes) when a
 * smaller mapping is asked for. */
typedef uint64_t lpae_t;
#define LPAE_VALID 1ull
#define LPAE_TABLE 3ull
#define LPAE_BLOCK 1ull
#define LPAE_PAGE 3ull
#define LPAE_AF (1ull << 10)
#define LPAE_SH_INNER (3ull << 8)
#define LPAE_XN (1ull << 54)
/* Stage 2 (B3.6.2 "Memory attribute fields in the stage 2 descriptors"): MemAttr[3:0] and S2AP. */
#define S2_NORMAL (0xfull << 2)
#define S2_DEVICE (0x1ull << 2)
#define S2AP(ap) ((uint64_t)(ap) << 6)
#define S2_RAM (S2_NORMAL | S2AP(3) | LPAE_SH_INNER | LPAE_AF)
#define S2_DEV (S2_DEVICE | S2AP(3) | LPAE_AF)
/* Hyp stage 1: AttrIndx into HMAIR0 (0 normal, 1 device), AP[2:1] (AP[1] is SBO). */
#define H1_NORMAL (0ull << 2)
#define H1_DEVICE (1ull << 2)
#define H1_AP(ap) ((uint64_t)(ap) << 6)
#define H1_RAM (H1_NORMAL | H1_AP(1) | LPAE_SH_INNER | LPAE_AF)
#define H1_DEV (H1_DEVICE | H1_AP(1) | LPAE_AF)
lpae_t *lpae_new_table(void);
/* The descriptor for `va` at `level` (1-3) in the table rooted at l1 (a level 1 table of 4 entries). */
lpae_t *lpae_entry(lpae_t *l1, uint32_t va, int level);
/* Maps [va, va+size) to pa with blocks/pages of the given level's size and attributes. */
void lpae_map(lpae_t *l1, uint32_t va, uint64_t pa, uint32_t size, int level, uint64_t attrs);
/* The output address field of a descriptor. */
#define LPAE_OA(d) ((d) & 0x000000fffffff000ull)

/* The machine (QEMU virt): RAM, the GIC's distributor, CPU interface, GICH and GICV. */
#define RAM_BASE 0x40000000u
#define RAM_SIZE 0x08000000u
#define GICD 0x08000000u
#define GICC 0x08010000u
#define GICH 0x08030000u
#define GICV 0x08040000u
#define REG(a) (*(volatile uint32_t *)(a))

/* The stage 2 tables every program starts from: RAM and the devices identity-mapped (RAM as
 * 2 MiB blocks), the GIC CPU interface's IPA (GICC) backed by GICV, like Xen and KVM do. */
extern lpae_t *s2_root;
void stage2_build(void);
/* VTCR for a 32-bit IPA space starting at level 1; VTTBR with VMID; HCR.VM on. */
void stage2_enable(uint32_t vmid);
/* The guest's short-descriptor stage 1 (B3.5): RAM and devices identity-mapped as sections. */
extern uint32_t *s1_root;
void guest_stage1_build(void);
void guest_stage1_enable(void);
void guest_stage1_disable(void);
#endif
