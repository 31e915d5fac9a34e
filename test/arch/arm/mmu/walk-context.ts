import { Cp15 } from '../../../../src/arch/arm/cp15.js';
import type { WalkContext } from '../../../../src/arch/arm/mmu/walk.js';

/** Physical memory for walk tests: 1 MiB at `base`, words written little-endian. */
export class TestWalkContext implements WalkContext {
  readonly cp15 = new Cp15({ hasEl2: false, hasEl3: false, hasNeon: false });
  readonly words = new Map<number, number>();

  constructor(readonly base = 0x40000000, readonly size = 1 << 20) {}

  readPhysicalWord(address: number): number | undefined {
    if (address < this.base || address >= this.base + this.size) return undefined;
    return this.words.get(address) ?? 0;
  }

  write(address: number, value: number): void {
    this.words.set(address, value | 0);
  }

  write64(address: number, low: number, high: number): void {
    this.write(address, low);
    this.write(address + 4, high);
  }
}
