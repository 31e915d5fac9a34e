/**
 * The GICH frame (virtual interface control, ARM IHI 0048B 5.3) of the physical CPU the
 * hypervisor is running on, word accesses by offset (`Gich`). The vGIC reaches the list
 * registers only through this, as a hypervisor on silicon reaches them through its GICH mapping.
 */
export interface GichPort {
  read(offset: number): number;
  write(offset: number, value: number): void;
}
