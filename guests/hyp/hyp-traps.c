/* variants: arm-O2 thumb-O2
 * Every class of trap to Hyp mode (ARM ARM B1.14 "Traps to the hypervisor", HSR encodings
 * B3.13.6): the program drops to a PL1 guest (SVC mode, by ERET) with one HCR/HSTR/HCPTR/HDCR
 * control set at a time, runs instructions it traps, and prints each trap's HSR (EC, IL, ISS),
 * ELR_hyp relative to the instruction and SPSR_hyp; for aborts HDFAR/HIFAR and HPFAR. Guest
 * writes to trapped registers write the value already there, so a missing trap changes nothing;
 * values the guest reads are not printed (ID registers are IMPLEMENTATION DEFINED).
 *
 * Left out because QEMU 7.2 (the reference) does not do what B4.1.65 says for a v7 CPU, so a
 * faithful model would differ: WFE under TWE (QEMU's WFE never traps; whether it should depends
 * on the event register), TSW/TPC/TPU (QEMU's v7 cache maintenance registers have no trap
 * check), TRVM, TID1 for TCMTR/TLBTR/REVIDR, TID3 for the CP15 ID registers (QEMU traps only
 * AIDR and MVFR0/1 there), HDCR.TDRA for MRRC, HDCR.TPMCR, data aborts on cache maintenance by
 * MVA (QEMU: no fault). HCR.HCD is UNK/SBZP with the Security Extensions (QEMU reads it as 0),
 * and HCPTR.TCP10 != TCP11 is UNPREDICTABLE: not tested either. */
#include "lib/hyp.h"

static uint32_t scratch[16] __attribute__((aligned(64)));

static uint32_t run_case(const char *what, uint32_t hcr, void (*fn)(uint32_t), uint32_t a) {
  HCR_W(hcr);
  uint32_t r = run_guest((uint32_t(*)(uint32_t))fn, a);
  HCR_W(0);
  print_traps(what);
  print_guest_exception();
  return r;
}

static void g_wfi(uint32_t a) { (void)a; GTRY("wfi", 0, 0); }
/* HSTR.T1, T2, T13 (B4.1.76): CRn 1, 2 and 13 accesses, and MCRR/MRRC with CRm 2. */
static void g_hstr(uint32_t a) {
  GTRY("mrc p15, 0, r0, c1, c0, 0", 0, 0);
  GTRY("mcr p15, 0, r0, c1, c0, 0", a, 0); /* SCTLR, its own value */
  GTRY("mrc p15, 0, r3, c2, c0, 0", 0, 0);
  GTRY("mrrc p15, 0, r2, r3, c2", 0, 0);
  GTRY("mrc p15, 0, r1, c13, c0, 3", 0, 0);
}
/* TID0: FPSID by VMRS, JIDR; TID1: AIDR; TID2: CTR, CCSIDR, CLIDR, CSSELR; TID3: MVFR0/1 by
 * VMRS (B4.1.65). */
static void g_tid0(uint32_t a) {
  (void)a;
  GTRY("vmrs r0, fpsid", 0, 0);
  GTRY("mrc p14, 7, r0, c0, c0, 0", 0, 0);
}
static void g_tid1(uint32_t a) {
  (void)a;
  GTRY("mrc p15, 1, r0, c0, c0, 7", 0, 0);
}
static void g_tid2(uint32_t a) {
  GTRY("mrc p15, 0, r0, c0, c0, 1", 0, 0);
  GTRY("mrc p15, 1, r0, c0, c0, 0", 0, 0);
  GTRY("mrc p15, 1, r0, c0, c0, 1", 0, 0);
  GTRY("mrc p15, 2, r0, c0, c0, 0", 0, 0);
  GTRY("mcr p15, 2, r0, c0, c0, 0", a, 0);
}
static void g_tid3(uint32_t a) {
  (void)a;
  GTRY("vmrs r0, mvfr0", 0, 0);
  GTRY("vmrs r0, mvfr1", 0, 0);
}
/* TTLB: the PL1 TLB maintenance operations. */
static void g_ttlb(uint32_t a) {
  GTRY("mcr p15, 0, r0, c8, c7, 0", 0, 0);
  GTRY("mcr p15, 0, r0, c8, c7, 1", a, 0);
  GTRY("mcr p15, 0, r0, c8, c7, 2", 0, 0);
  GTRY("mcr p15, 0, r0, c8, c7, 3", a, 0);
  GTRY("mcr p15, 0, r0, c8, c3, 0", 0, 0);
  GTRY("mcr p15, 0, r0, c8, c5, 0", 0, 0);
  GTRY("mcr p15, 0, r0, c8, c6, 1", a, 0);
}
/* TVM: writes of the virtual memory controls (B4.1.65) trap, reads do not: SCTLR, TTBR0, TTBR1,
 * TTBCR, DACR, DFSR, IFSR, DFAR, IFAR, PRRR, NMRR, CONTEXTIDR, and TTBR0 by MCRR/MRRC. Each
 * write writes the register's own value (read by Hyp into vm_values). */
static uint32_t vm_values[13];
#define VM_REG(n, enc) \
  GTRY("mrc " enc, 0, 0);   \
  GTRY("mcr " enc, vm_values[n], 0);
static void g_vm(uint32_t a) {
  (void)a;
  VM_REG(0, "p15, 0, r0, c1, c0, 0")
  VM_REG(1, "p15, 0, r0, c2, c0, 0")
  VM_REG(2, "p15, 0, r0, c2, c0, 1")
  VM_REG(3, "p15, 0, r0, c2, c0, 2")
  VM_REG(4, "p15, 0, r0, c3, c0, 0")
  VM_REG(5, "p15, 0, r0, c5, c0, 0")
  VM_REG(6, "p15, 0, r0, c5, c0, 1")
  VM_REG(7, "p15, 0, r0, c6, c0, 0")
  VM_REG(8, "p15, 0, r0, c6, c0, 2")
  VM_REG(9, "p15, 0, r0, c10, c2, 0")
  VM_REG(10, "p15, 0, r0, c10, c2, 1")
  VM_REG(11, "p15, 0, r0, c13, c0, 1")
  GTRY("mrrc p15, 0, r2, r3, c2", 0, 0);
  GTRY("mcrr p15, 0, r0, r1, c2", vm_values[1], vm_values[12]);
}
static void read_vm_values(void) {
  vm_values[0] = CP_READ(p15, 0, c1, c0, 0);
  vm_values[1] = CP_READ(p15, 0, c2, c0, 0);
  vm_values[2] = CP_READ(p15, 0, c2, c0, 1);
  vm_values[3] = CP_READ(p15, 0, c2, c0, 2);
  vm_values[4] = CP_READ(p15, 0, c3, c0, 0);
  vm_values[5] = CP_READ(p15, 0, c5, c0, 0);
  vm_values[6] = CP_READ(p15, 0, c5, c0, 1);
  vm_values[7] = CP_READ(p15, 0, c6, c0, 0);
  vm_values[8] = CP_READ(p15, 0, c6, c0, 2);
  vm_values[9] = CP_READ(p15, 0, c10, c2, 0);
  vm_values[10] = CP_READ(p15, 0, c10, c2, 1);
  vm_values[11] = CP_READ(p15, 0, c13, c0, 1);
  vm_values[12] = (uint32_t)(CP_READ64(p15, 0, c2) >> 32);
}
/* TAC: ACTLR. */
static void g_tac(uint32_t a) {
  GTRY("mrc p15, 0, r0, c1, c0, 1", 0, 0);
  GTRY("mcr p15, 0, r0, c1, c0, 1", a, 0);
}
/* HDCR.TDRA: DBGDRAR, DBGDSAR; TDOSA: DBGOSLSR; TDA: DBGDSCRext,
 * DBGBVR0, DBGWCR0 (B4.1.66, C11). */
static void g_tdra(uint32_t a) {
  (void)a;
  GTRY("mrc p14, 0, r0, c1, c0, 0", 0, 0);
  GTRY("mrc p14, 0, r0, c2, c0, 0", 0, 0);
}
static void g_tdosa(uint32_t a) {
  (void)a;
  GTRY("mrc p14, 0, r0, c1, c1, 4", 0, 0);
}
static void g_tda(uint32_t a) {
  (void)a;
  GTRY("mrc p14, 0, r0, c0, c2, 2", 0, 0);
  GTRY("mrc p14, 0, r0, c0, c0, 4", 0, 0);
  GTRY("mrc p14, 0, r0, c0, c0, 7", 0, 0);
}
/* HDCR.TPM: the PMU registers. */
static void g_tpm(uint32_t a) {
  (void)a;
  GTRY("mrc p15, 0, r0, c9, c12, 0", 0, 0);
  GTRY("mrc p15, 0, r0, c9, c12, 1", 0, 0);
  GTRY("mrc p15, 0, r0, c9, c14, 0", 0, 0);
}
/* HCPTR.TCP10/TCP11: VFP instructions and VMRS/VMSR (EC 0x07). */
static void g_fp(uint32_t a) {
  (void)a;
  GTRY("vmrs r0, fpscr", 0, 0);
  GTRY("vmov.f32 s0, s1", 0, 0);
  GTRY("vadd.f64 d1, d2, d3", 0, 0);
  GTRY("vldr d0, [r1]", 0, scratch);
}
static void g_hvc(uint32_t a) {
  (void)a;
  GTRY("hvc #0", 0, 0);
  GTRY("hvc #0x1234", 0, 0);
  GTRY("hvc #0xfedc", 0, 0);
}
static void g_smc(uint32_t a) {
  (void)a;
  GTRY("smc #0", 0, 0);
  GTRY("smc #15", 0, 0);
}
/* Under HCR.TGE, from User mode: UNDEFINED instructions and SVC go to Hyp mode (B1.14.1). */
static void g_tge_user(uint32_t a) {
  (void)a;
  GTRY("udf #0x12", 0, 0);
  GTRY("svc #0x42", 0, 0);
  GTRY("mrc p15, 0, r0, c13, c0, 2", 0, 0); /* TPIDRURW, with HSTR.T13 */
  GTRY("mrc p15, 0, r0, c1, c0, 0", 0, 0);  /* SCTLR: UNDEFINED at PL0 */
}

/* Data aborts from stage 2 at an unmapped IPA (HOLE): the ISS describes single loads and stores
 * (ISV, SAS, SSE, SRT, WnR) and not the other forms (B3.13.6 "ISS encoding for a Data Abort"). */
#define HOLE 0x47f00000u
static void g_dabt(uint32_t a) {
  GTRY("ldr r0, [r1]", 0, a);
  GTRY("ldr r3, [r1, #4]", 0, a);
  GTRY("str r2, [r1, #8]", 0, a);
  GTRY("ldrb r2, [r1, #1]", 0, a);
  GTRY("strb r0, [r1, #3]", 0, a);
  GTRY("ldrh r1, [r1, #2]", 0, a);
  GTRY("strh r3, [r1, #6]", 0, a);
  GTRY("ldrsh r2, [r1, #10]", 0, a);
  GTRY("ldrsb r12, [r1, #5]", 0, a);
  GTRY("ldr r0, [r1, r0]", 4, a);
  GTRY("ldrt r0, [r1]", 0, a);
  GTRY("ldrd r2, r3, [r1]", 0, a);
  GTRY("ldm r1, {r2, r3}", 0, a);
  GTRY("ldr r0, [r1], #4", 0, a);
  GTRY("ldr r0, [r1, #4]!", 0, a);
  GTRY("ldrex r0, [r1]", 0, a);
#ifndef __thumb__
  GTRY("swp r0, r0, [r1]", 0, a);
#endif
  GTRY("vldr d0, [r1]", 0, a);
}
/* Prefetch abort from stage 2: a branch to the unmapped IPA. */
static void g_pabt(uint32_t a) { GTRY("blx r1", 0, a); }

/* T32 forms, each skipped by HSR.IL (resumption without GTRY). */
void t32_forms(uint32_t a);
__asm__(".pushsection .text.t32_forms, \"ax\", %progbits\n"
        ".syntax unified\n.thumb\n.global t32_forms\n.type t32_forms, %function\n.thumb_func\n"
        "t32_forms:\n"
        "  mov r1, r0\n  movs r2, #0\n"
        "  ldr r0, [r1]\n"
        "  ldr.w r3, [r1, #4]\n"
        "  str r2, [r1, #8]\n"
        "  ldrb r0, [r1, #1]\n"
        "  strb.w r0, [r1, #3]\n"
        "  ldrh r3, [r1, #2]\n"
        "  strh r3, [r1, #6]\n"
        "  ldrsh r0, [r1, r2]\n"
        "  ldrsh.w r3, [r1, #10]\n"
        "  ldrsb r0, [r1, r2]\n"
        "  wfi\n"
        "  bx lr\n"
        ".popsection\n"
#ifdef __thumb__
        ".thumb\n"
#else
        ".arm\n"
#endif
);
static void g_t32(uint32_t a) {
  guest_at = (uint32_t)t32_forms & ~1u;
  t32_forms(a);
}

/* From Hyp mode itself: an UNDEFINED instruction, SVC and HVC are taken to Hyp mode. */
static void from_hyp(void) {
  GTRY("udf #0x34", 0, 0);
  print_traps("Hyp: undefined");
  GTRY("svc #0x56", 0, 0);
  print_traps("Hyp: svc");
  GTRY("hvc #0x78", 0, 0);
  print_traps("Hyp: hvc");
}

int main(void) {
  uint32_t cpsr;
  __asm__ volatile("mrs %0, cpsr" : "=r"(cpsr));
  printf("entered in mode %02lx\n", (unsigned long)(cpsr & 0x1f));
  from_hyp();

  run_case("WFI, HCR.TWI", HCR_TWI, g_wfi, 0);
  HSTR_W(1u << 1 | 1u << 2 | 1u << 13);
  run_case("HSTR T1 T2 T13", 0, g_hstr, CP_READ(p15, 0, c1, c0, 0));
  HSTR_W(1u << 13);
  run_case("HSTR T13 only", 0, g_hstr, CP_READ(p15, 0, c1, c0, 0));
  HSTR_W(0);
  run_case("HCR.TID0", HCR_TID0, g_tid0, 0);
  run_case("HCR.TID1", HCR_TID1, g_tid1, 0);
  run_case("HCR.TID2", HCR_TID2, g_tid2, CP_READ(p15, 2, c0, c0, 0));
  run_case("HCR.TID3", HCR_TID3, g_tid3, 0);
  run_case("HCR.TTLB", HCR_TTLB, g_ttlb, (uint32_t)scratch);
  read_vm_values();
  run_case("HCR.TVM", HCR_TVM, g_vm, 0);
  run_case("HCR.TAC", HCR_TAC, g_tac, CP_READ(p15, 0, c1, c0, 1));
  uint32_t hdcr = HDCR_R();
  HDCR_W(hdcr | 1u << 11);
  run_case("HDCR.TDRA", 0, g_tdra, 0);
  HDCR_W(hdcr | 1u << 10);
  run_case("HDCR.TDOSA", 0, g_tdosa, 0);
  HDCR_W(hdcr | 1u << 9);
  run_case("HDCR.TDA", 0, g_tda, 0);
  HDCR_W(hdcr | 1u << 6);
  run_case("HDCR.TPM", 0, g_tpm, 0);
  HDCR_W(hdcr);
  guest_hcptr = 1u << 10 | 1u << 11;
  run_case("HCPTR.TCP10 TCP11", 0, g_fp, 0);
  guest_hcptr = 0;
  run_case("HVC", 0, g_hvc, 0);
  run_case("SMC, HCR.TSC", HCR_TSC, g_smc, 0);

  HSTR_W(1u << 13);
  HCR_W(HCR_TGE);
  run_guest_mode((uint32_t(*)(uint32_t))g_tge_user, 0, MODE_USR | PSR_MASK_AIF);
  HCR_W(0);
  HSTR_W(0);
  print_traps("User mode, HCR.TGE, HSTR.T13");

  stage2_build();
  *lpae_entry(s2_root, HOLE, 3) = 0;
  stage2_enable(1);
  run_case("stage 2 data aborts", HCR_VM, g_dabt, HOLE);
  run_case("stage 2 prefetch abort", HCR_VM, g_pabt, HOLE);
  run_case("stage 2 data aborts, T32, and WFI", HCR_VM | HCR_TWI, g_t32, HOLE);
  return 0;
}
