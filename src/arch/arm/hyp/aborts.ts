import { HypVector, type Cpu } from '../cpu.js';
import type { GuestAbort } from '../guest-abort.js';
import { longDescriptorStatus } from '../mmu/fault-status.js';
import { Mode } from '../modes.js';
import { loadStoreSyndrome } from './load-store-syndrome.js';
import { hsrDataAbort, hsrPrefetchAbort } from './syndrome.js';

/**
 * Whether a synchronous abort is taken to Hyp mode (B3.12.1, B1.14): a stage 2 fault always; a
 * stage 1 fault in Hyp mode (Hyp's own translation), or from User mode with HCR.TGE.
 */
export function abortGoesToHyp(cpu: Cpu, abort: GuestAbort): boolean {
  return abort.stage2 || cpu.mode === Mode.Hyp || cpu.routesToHyp();
}

/**
 * Takes a synchronous abort of the instruction at cpu.pc to Hyp mode: HSR EC 0x20/0x24 from
 * another mode, 0x21/0x25 from Hyp mode, with the long-descriptor fault status whatever the
 * translation format (B3.13.6); the virtual address in HIFAR or HDFAR; for a stage 2 fault the
 * IPA[39:12] in HPFAR[31:4] (B4.1.70). A stage 2 fault on a stage 1 table walk sets S1PTW and
 * has no instruction syndrome (QEMU merge_syn_data_abort).
 */
export function takeAbortToHyp(cpu: Cpu, abort: GuestAbort): void {
  const fromHyp = cpu.mode === Mode.Hyp;
  const status = longDescriptorStatus(abort.faultStatus, abort.level);
  const cp15 = cpu.cp15;
  if (abort.stage2) cp15.hpfar = (Math.floor(abort.ipa / 0x1000) << 4) & ~0xf;
  if (abort.isPrefetch) {
    cp15.hifar = abort.address;
    cpu.takeHypException(HypVector.PrefetchAbort, hsrPrefetchAbort(fromHyp, abort.s1ptw, status), cpu.pc);
  } else {
    cp15.hdfar = abort.address;
    const instruction = abort.s1ptw ? 0 : loadStoreSyndrome(cpu);
    cpu.takeHypException(HypVector.DataAbort, hsrDataAbort(fromHyp, instruction, abort.s1ptw, abort.isWrite, status), cpu.pc);
  }
}
