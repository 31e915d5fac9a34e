import { CP15, PAR_REGISTER, type Pl2Port } from '../../arch/arm/hyp/pl2-port.js';
import { isT32Wide } from '../../arch/arm/thumb-width.js';
import type { HostMemory } from '../host-memory.js';
import type { VmRegion } from '../vm.js';
import { decodeA32, decodeT16, decodeT32, type MmioInstruction } from './mmio-instruction.js';

const CPSR_T = 1 << 5;
/** PAR.F (B4.1.112): the translation faulted. */
const PAR_F = 1;
const TWO_32 = 2 ** 32;

/**
 * The host-physical address of guest virtual address `va` read at PL1, by the guest's stage 1
 * and its VM's stage 2 (ATS12NSOPR, B4.2.4), or -1 when either faults. PAR then has the 64-bit
 * format (stage 2 is on while a guest runs): PA[39:12] in bits [39:12] (B4.1.112). The guest's
 * own PAR is put back, as the operation is the hypervisor's, not the guest's.
 */
export function translateGuestRead(port: Pl2Port, va: number): number {
  const [guestLow, guestHigh] = port.readCp15Pair(PAR_REGISTER);
  port.writeCp15(...CP15.ATS12NSOPR, va);
  const [low, high] = port.readCp15Pair(PAR_REGISTER);
  port.writeCp15Pair(PAR_REGISTER, guestLow, guestHigh);
  if ((low & PAR_F) !== 0) return -1;
  return (high & 0xff) * TWO_32 + ((low & 0xfffff000) >>> 0) + (va & 0xfff);
}

/**
 * The load or store that took a data abort without a syndrome, read back from the guest's memory
 * as a Hyp-mode hypervisor does: at ELR_hyp (the preferred return address of a data abort is the
 * instruction itself, B1.8.3), Thumb when SPSR_hyp.T; undefined when it is not in the VM's RAM
 * or is not a form decoded here (mmio-instruction.ts).
 */
export function decodeTrappedInstruction(port: Pl2Port, memory: HostMemory, regions: readonly VmRegion[]): MmioInstruction | undefined {
  const va = port.elr;
  const read = (address: number, size: 2 | 4): number | undefined => {
    const pa = translateGuestRead(port, address);
    if (pa < 0 || !regions.some((r) => pa >= r.hostBase && pa + size <= r.hostBase + r.size)) return undefined;
    return size === 4 ? memory.read32(pa) : memory.read16(pa);
  };
  if ((port.spsr & CPSR_T) === 0) {
    const word = read(va, 4);
    return word === undefined ? undefined : decodeA32(word);
  }
  const hw1 = read(va, 2);
  if (hw1 === undefined) return undefined;
  if (!isT32Wide(hw1)) return decodeT16(hw1);
  // The second halfword may be on the next page: translated on its own.
  const hw2 = read(va + 2, 2);
  return hw2 === undefined ? undefined : decodeT32((hw1 << 16) | hw2);
}
