/* hostile: a VM guest built to attack isolation. It survives its own faults (every attack runs
 * under vm_try; the exception hook recovers to it) and never stops by itself before its rounds
 * are done. Phases, each ending in a line `hostile: <phase> done <counts>`:
 *   a) ipa-writes: a pattern over the whole 4 GiB IPA space but its own image and stack: every
 *      word of the first 16 MiB of RAM (the RAM every VM has), one word per 4 KiB page elsewhere
 *      (not the UART's data register, which it prints through);
 *   b) mmio: every word of 0x08000000-0x0bffffff read, then written with three patterns, at a
 *      4-byte stride in 0x08000000-0x0805ffff (GIC) and 0x09000000-0x0903ffff (UART, RTC,
 *      fw_cfg, GPIO), 4 KiB elsewhere; the UART is set up again afterwards;
 *   c) sgi: GICD_SGIR with every target list filter, target list and SGI ID (IHI 0048B 4.3.15);
 *   d) calls: random HVC and SMC calls, random immediates and r0-r3: PSCI CPU_ON with random
 *      MPIDR and entry, AFFINITY_INFO, MIGRATE, other 0x8400xxxx/0xC400xxxx IDs, any r0 (never
 *      a call that stops or suspends the caller: CPU_SUSPEND, CPU_OFF, SYSTEM_OFF/RESET/RESET2,
 *      CPU_FREEZE, CPU_DEFAULT_SUSPEND, SYSTEM_SUSPEND);
 *   e) insns: random instruction words from a fixed-seed PRNG, each run once from a code page
 *      with every register chosen (pointers into a scratch sandbox), followed by an UDF; words
 *      that would take control away for good are redrawn: branches and writes to the PC (the
 *      UDF after the word is what ends each run), WFI/WFE (nothing may ever wake it), and writes
 *      to SCTLR, VBAR, FCSE/thread ID registers and debug (CP14) registers, which could send
 *      the next exception somewhere it never comes back from. SCTLR, VBAR and VFP access are
 *      put back after every word anyway (vm_restore_cpu_state).
 * Then `hostile: done`, and vm_exit(0). Rounds and seed: -DHOSTILE_CALLS, -DHOSTILE_INSNS,
 * -DHOSTILE_SEED. IRQs and FIQs stay masked but where a random word unmasks them; then they
 * are caught like any other exception. */
#include <stdint.h>
#include "vm.h"

#ifndef HOSTILE_SEED
#define HOSTILE_SEED 1
#endif
#ifndef HOSTILE_CALLS
#define HOSTILE_CALLS 4000
#endif
#ifndef HOSTILE_INSNS
#define HOSTILE_INSNS 10000
#endif

#define RAM_BASE 0x40000000u
#define RAM_GUARANTEED (16u << 20)
#define PAGE 4096u
#define STACK_RESERVE (64u << 10) /* below vm_stack_top: never overwritten */
#define GICD 0x08000000u
#define GICC 0x08010000u
#define GICD_SGIR 0xf00
/* UDF #0xdead (cond 1110, 0111 1111 imm12 1111 imm4): the RAM pattern, so that stray execution there faults at once. */
#define UDF_PATTERN 0xe7fdeafdu
/* UDF #0xbeef: the end marker after each word under test. */
#define UDF_MARKER 0xe7fbeeffu

/* Scratch memory for phases d and e, inside the first 16 MiB and outside the image. */
#define SANDBOX 0x40800000u /* 64 KiB the random words' registers point into */
#define CODE_PAGE 0x40900000u
#define CODE_ENTRY (CODE_PAGE + 0x800) /* PC-relative stores either side stay in RAM */

extern char __executable_start[], _end[];
extern char vm_stack_top[];
void hostile_exec(const uint32_t regs[16]) __attribute__((noreturn));

/* ---- recovery ---- */

static struct vm_jmp jmp;
static volatile int armed;
static volatile struct vm_exception caught;

static void on_exception(struct vm_exception *e) {
  if (!armed) {
    vm_printf("hostile: exception %lu outside an attack at %08lx\n", e->kind, e->lr);
    vm_exit(2);
  }
  armed = 0;
  caught = *e;
  vm_recover(&jmp, (int)e->kind);
}

/* Runs stmt; evaluates to 0, or to the kind of the exception that interrupted it. */
#define GUARDED(stmt)         \
  ({                          \
    int kind_ = vm_try(&jmp); \
    if (kind_ == 0) {         \
      armed = 1;              \
      stmt;                   \
      armed = 0;              \
    }                         \
    kind_;                    \
  })

static uint32_t rng = HOSTILE_SEED;
static uint32_t next_random(void) { /* xorshift32 */
  rng ^= rng << 13;
  rng ^= rng >> 17;
  rng ^= rng << 5;
  return rng;
}

/* ---- a) the whole IPA space ---- */

static int protected_word(uint32_t a) {
  return (a >= (uint32_t)__executable_start && a < (uint32_t)_end) || (a >= (uint32_t)vm_stack_top - STACK_RESERVE && a < (uint32_t)vm_stack_top);
}

static void fill_ram_page(uint32_t page, uint32_t *words) {
  for (uint32_t a = page; a != page + PAGE; a += 4)
    if (!protected_word(a)) REG32(a) = UDF_PATTERN, ++*words;
}

static void phase_ipa_writes(void) {
  uint32_t pages = 0, faulted = 0, ram_words = 0;
  uint32_t page = 0;
  do {
    if (page == VM_UART) continue; /* one word per page would be its data register */
    int kind;
    if (page - RAM_BASE < RAM_GUARANTEED) kind = GUARDED(fill_ram_page(page, &ram_words));
    else kind = GUARDED(REG32(page) = UDF_PATTERN);
    pages++;
    faulted += kind != 0;
  } while ((page += PAGE) != 0);
  vm_printf("hostile: ipa-writes done pages=%lu faulted=%lu ram_words=%lu\n", pages, faulted, ram_words);
}

/* ---- b) the device window ---- */

/* 0 first, all ones last: fw_cfg's DMA address register (QEMU) is left pointing above 4 GiB. */
static const uint32_t mmio_patterns[] = {0x00000000u, 0x5a5aa5a5u, 0xffffffffu};

struct mmio_counts {
  uint32_t words, read_faults, write_faults;
};

static void attack_mmio(uint32_t from, uint32_t to, uint32_t stride, struct mmio_counts *c) {
  for (uint32_t a = from; a < to; a += stride) {
    c->words++;
    c->read_faults += GUARDED((void)REG32(a)) != 0;
    if (a == VM_UART) continue; /* UARTDR: the console */
    for (unsigned p = 0; p < sizeof mmio_patterns / sizeof mmio_patterns[0]; p++) c->write_faults += GUARDED(REG32(a) = mmio_patterns[p]) != 0;
  }
}

static void phase_mmio(void) {
  struct mmio_counts c = {0};
  attack_mmio(0x08000000u, 0x08060000u, 4, &c);
  attack_mmio(0x08060000u, 0x09000000u, PAGE, &c);
  attack_mmio(0x09000000u, 0x09040000u, 4, &c);
  attack_mmio(0x09040000u, 0x0c000000u, PAGE, &c);
  vm_console_init();
  vm_printf("hostile: mmio done words=%lu read_faults=%lu write_faults=%lu\n", c.words, c.read_faults, c.write_faults);
}

/* ---- c) SGIs ---- */

static void phase_sgi(void) {
  uint32_t writes = 0, faulted = 0;
  /* Distributor and CPU interface on, nothing masked by priority: the SGIs become pending. */
  GUARDED(REG32(GICD) = 1; REG32(GICC + 0x4) = 0xff; REG32(GICC) = 1);
  for (uint32_t filter = 0; filter < 4; filter++)
    for (uint32_t targets = 0; targets < 256; targets++)
      for (uint32_t id = 0; id < 16; id++) {
        uint32_t nsatt = (targets & 1) << 15;
        faulted += GUARDED(REG32(GICD + GICD_SGIR) = filter << 24 | targets << 16 | nsatt | id) != 0;
        writes++;
      }
  vm_printf("hostile: sgi done writes=%lu faulted=%lu\n", writes, faulted);
}

/* ---- running one instruction word (phases d and e) ---- */

struct outcomes {
  uint32_t completed;   /* reached the marker */
  uint32_t by_kind[8];  /* any other exception, by vm_exception_kind */
};

static void sync_code(uint32_t addr) {
  /* DCCMVAU, DSB, ICIALLU, BPIALL, DSB, ISB: the sequence for newly written instructions. */
  __asm__ volatile("mcr p15, 0, %0, c7, c11, 1\n\tdsb\n\tmcr p15, 0, %1, c7, c5, 0\n\tmcr p15, 0, %1, c7, c5, 6\n\tdsb\n\tisb" : : "r"(addr), "r"(0) : "memory");
}

/* Runs `word` at CODE_ENTRY with r0-r3 = args, r4-r12 and SP pointing into the sandbox and LR
 * at the marker. Returns 1 when it got to the marker, its r0 then in *result. */
static int run_word(uint32_t word, const uint32_t args[4], uint32_t *result, struct outcomes *o) {
  volatile uint32_t *code = (volatile uint32_t *)CODE_ENTRY;
  code[0] = word;
  for (int i = 1; i < 16; i++) code[i] = UDF_MARKER;
  sync_code(CODE_ENTRY);
  static uint32_t regs[16];
  for (int i = 0; i < 13; i++) regs[i] = i < 4 ? args[i] : SANDBOX + 0x4000 + (next_random() & 0x7ffc);
  regs[13] = SANDBOX + 0x8000;
  regs[14] = CODE_ENTRY + 4;
  regs[15] = CODE_ENTRY;
  int kind = GUARDED(hostile_exec(regs));
  if (kind == VM_UNDEF && caught.resume == CODE_ENTRY + 8) {
    o->completed++;
    *result = caught.r[0];
    return 1;
  }
  o->by_kind[kind & 7]++;
  return 0;
}

static void print_outcomes(const struct outcomes *o) {
  vm_printf("completed=%lu undef=%lu svc=%lu pabt=%lu dabt=%lu irq=%lu fiq=%lu\n", o->completed, o->by_kind[VM_UNDEF], o->by_kind[VM_SVC], o->by_kind[VM_PABT],
            o->by_kind[VM_DABT], o->by_kind[VM_IRQ], o->by_kind[VM_FIQ]);
}

/* ---- d) HVC and SMC ---- */

/* PSCI functions that stop, suspend or reset the caller (ARM DEN 0022D chapter 5; either
 * calling convention): never called. */
static int stops_caller(uint32_t fn) {
  if ((fn & ~PSCI_SMC64 & 0xffffffe0u) != 0x84000000u) return 0;
  switch (fn & 0x1f) {
  case 0x01: /* CPU_SUSPEND */
  case 0x02: /* CPU_OFF */
  case 0x08: /* SYSTEM_OFF */
  case 0x09: /* SYSTEM_RESET */
  case 0x0b: /* CPU_FREEZE */
  case 0x0c: /* CPU_DEFAULT_SUSPEND */
  case 0x0e: /* SYSTEM_SUSPEND */
  case 0x12: /* SYSTEM_RESET2 */
    return 1;
  }
  return 0;
}

static uint32_t random_entry(void) {
  uint32_t entry = next_random();
  /* A secondary started inside this image could run it to its own SYSTEM_OFF. */
  return entry >= (uint32_t)__executable_start && entry < (uint32_t)_end ? CODE_ENTRY : entry;
}

static void random_call_args(uint32_t a[4]) {
  uint32_t smc64 = next_random() & 1 ? PSCI_SMC64 : 0;
  a[1] = next_random(), a[2] = next_random(), a[3] = next_random();
  switch (next_random() % 6) {
  case 0: /* CPU_ON: MPIDR of a likely CPU or any, entry, context ID */
    a[0] = PSCI_CPU_ON | smc64;
    if (next_random() & 1) a[1] &= 3;
    a[2] = random_entry();
    break;
  case 1: a[0] = PSCI_AFFINITY_INFO | smc64, a[2] &= 3; break;
  case 2: a[0] = PSCI_MIGRATE | smc64; break;
  case 3: a[0] = next_random() & 1 ? PSCI_VERSION : PSCI_MIGRATE_INFO_TYPE; break;
  case 4: a[0] = 0x84000000u | smc64 | (next_random() & 0xffff); break;
  default: a[0] = next_random(); break;
  }
  if (stops_caller(a[0])) a[0] = PSCI_VERSION;
}

static void phase_calls(void) {
  struct outcomes o = {0};
  uint32_t hvc = 0, smc = 0, psci_success = 0;
  for (int i = 0; i < HOSTILE_CALLS; i++) {
    uint32_t a[4], result;
    random_call_args(a);
    uint32_t imm = next_random();
    uint32_t word;
    if (next_random() % 4) word = 0xe1400070u | (imm & 0xfff0) << 4 | (imm & 0xf), hvc++; /* HVC #imm16: cond 0001 0100 imm12 0111 imm4 */
    else word = 0xe1600070u | (imm & 0xf), smc++;                                        /* SMC #imm4: cond 0001 0110 0000 0000 0000 0111 imm4 */
    if (run_word(word, a, &result, &o) && result == 0) psci_success++;
  }
  vm_printf("hostile: calls done hvc=%lu smc=%lu psci_success=%lu ", hvc, smc, psci_success);
  print_outcomes(&o);
}

/* ---- e) random instruction words ---- */

static int is_msr(uint32_t w) {
  return (w & 0x0fb0f000u) == 0x0320f000u     /* MSR (immediate) and the hints */
         || (w & 0x0fb0fff0u) == 0x0120f000u  /* MSR (register) */
         || (w & 0x0fb0fef0u) == 0x0120f200u; /* MSR (banked register) */
}

/* Words that could take control away for good (see the top of the file). */
static int takes_control(uint32_t w) {
  uint32_t cond = w >> 28, op = (w >> 25) & 7, rd = (w >> 12) & 0xf, load = (w >> 20) & 1;
  if (cond == 0xf) return (w >> 27) & 1;     /* BLX (imm), RFE, SRS, MCR2, LDC2, ... */
  switch (op) {
  case 5: return 1;                          /* B, BL */
  case 4: return load && (w >> 15) & 1;      /* LDM with the PC */
  case 2:
  case 3: return load && rd == 15;           /* LDR to the PC */
  case 0:
  case 1:
    if ((w & 0x0fffffffu) == 0x0160006eu) return 1;                              /* ERET */
    if (is_msr(w)) return (w & 0x0fff00ffu) == 0x03200002u || (w & 0x0fff00ffu) == 0x03200003u; /* WFE, WFI */
    if (rd == 15) return 1;                                                      /* PC as destination */
    if ((w & 0x0e1000f0u) == 0x000000d0u && rd == 14) return 1;                  /* LDRD: Rt2 = PC */
    if ((w & 0x0ff00fffu) == 0x01b00f9fu && rd == 14) return 1;                  /* LDREXD: Rt2 = PC */
    if ((w & 0x0f0000f0u) == 0x00000090u && ((w >> 16) & 0xf) == 15) return 1;   /* multiply to the PC */
    return 0;
  default: break;                            /* coprocessor, SVC */
  }
  if (op == 7 && (w >> 24) & 1) return 0;    /* SVC */
  uint32_t coproc = (w >> 8) & 0xf, mcr = op == 7 && (w >> 4) & 1 && !load;
  if (coproc == 14) return !(op == 7 && (w >> 4) & 1 && load); /* anything but MRC p14 */
  if (coproc == 15 && mcr) {
    uint32_t crn = (w >> 16) & 0xf, crm = w & 0xf, opc2 = (w >> 5) & 7;
    if (crn == 1 || crn == 12 || crn == 13) return 1;                                /* SCTLR & co, VBAR & co, FCSEIDR & co */
    if (crn == 7 && ((crm == 0 && opc2 == 4) || (crm == 8 && opc2 == 2))) return 1;  /* the CP15 wait-for-interrupt of ARMv6/v5 */
  }
  return 0;
}

static void phase_insns(void) {
  struct outcomes o = {0};
  uint32_t redrawn = 0;
  for (int i = 0; i < HOSTILE_INSNS; i++) {
    uint32_t word;
    while (takes_control(word = next_random())) redrawn++;
    uint32_t args[4], result;
    for (int r = 0; r < 4; r++) args[r] = SANDBOX + 0x4000 + (next_random() & 0x7ffc);
    run_word(word, args, &result, &o);
  }
  vm_printf("hostile: insns done words=%lu redrawn=%lu ", (uint32_t)HOSTILE_INSNS, redrawn);
  print_outcomes(&o);
}

int main(void) {
  for (int k = VM_UNDEF; k <= VM_FIQ; k++)
    if (k != 5) vm_hook_exception(k, on_exception);
  vm_printf("hostile: seed=%lu calls=%lu insns=%lu image=%08lx-%08lx\n", (uint32_t)HOSTILE_SEED, (uint32_t)HOSTILE_CALLS, (uint32_t)HOSTILE_INSNS, (uint32_t)__executable_start, (uint32_t)_end);
  phase_ipa_writes();
  phase_mmio();
  phase_sgi();
  phase_calls();
  phase_insns();
  vm_puts("hostile: done\n");
  return 0;
}
