import { SeededEntropySource } from '../hw/virtio/entropy-source.js';
import { FdtNode, FdtValue } from './fdt/fdt-tree.js';
import { serializeFdt } from './fdt/fdt-writer.js';
import { addGuestLoaderNodes, type GuestLoaderModule } from './guest-loader.js';
import { PSCI_FN } from './psci.js';
import {
  POWER_BUTTON_GPIO, VIRT_MEMORY_MAP, VIRT_PPI, VIRT_SPI, VIRTIO_TRANSPORT_COUNT, VIRTIO_TRANSPORT_SIZE,
} from './virt-memory-map.js';

/**
 * The device tree of the `virt` board, node for node and property for property (and in QEMU's
 * order) as QEMU 7.2 builds it for `-M virt -cpu cortex-a15` (hw/arm/virt.c create_fdt,
 * fdt_add_*, create_*): the whole tree, every device QEMU describes. Each node's device is
 * modelled by the board (src/hw), with two exceptions that behave as under QEMU without one:
 *
 * - /pcie@10000000 (gpex): its ECAM is at 0x40_1000_0000, above 4 GiB. The Debian armmp kernel
 *   is not LPAE, so pci-host-generic truncates that address to 0x10000000, finds it inside the
 *   host's own MMIO window and fails ("can't claim ECAM area ... address conflict") before it
 *   touches the hardware, exactly as under QEMU; a 32-bit board bus could not map the ECAM anyway.
 * - /pmu is empty, as QEMU writes it for an ARMv7 processor (fdt_add_pmu_nodes names a
 *   compatible and PPI 7 only for ARMv8), so no driver binds to it; the processor's PMU
 *   registers are CP15 c9 (src/arch/arm).
 *
 * /chosen's rng-seed (32 bytes) and kaslr-seed (8 bytes) are host randomness under QEMU; here
 * they come from a seeded deterministic generator (`seed`), so runs stay reproducible.
 */

export interface VirtDeviceTreeOptions {
  readonly ramBytes: number;
  /** Number of processors, 1 to 4 (QEMU's virt allows 8 with GICv2; Partita's SMP will use up to 4). */
  readonly cpuCount?: number;
  /** Kernel command line (/chosen bootargs); omitted when empty, as QEMU. */
  readonly bootArgs?: string;
  /** Initrd placement (/chosen linux,initrd-start/-end). */
  readonly initrd?: { readonly start: number; readonly end: number };
  /**
   * `-M virt,virtualization=on`: the GIC node gains the GICH/GICV regions and the maintenance
   * interrupt, and PSCI moves to the SMC conduit (QEMU virt.c: vms->virt).
   */
  readonly virtualization?: boolean;
  /** Seeds the generator of /chosen's rng-seed and kaslr-seed (default DEFAULT_DTB_SEED). */
  readonly seed?: number;
  /** `-device guest-loader` modules: their /chosen/module@... nodes. */
  readonly guestLoaderModules?: readonly GuestLoaderModule[];
}

/** The default seed of /chosen's rng-seed and kaslr-seed. */
export const DEFAULT_DTB_SEED = 0x5eed;

/** QEMU's size for a generated blob (device_tree.c create_device_tree: FDT_MAX_SIZE). */
export const VIRT_DTB_SIZE = 0x100000;

/** The APB peripheral clock (hw/arm/virt.c create_fdt: a 24 MHz fixed clock, "clk24mhz"). */
const APB_CLOCK_HZ = 24_000_000;

/** GIC binding interrupt specifier cells (arm,gic.yaml): type, number, flags. */
const GIC_SPI = 0;
const GIC_PPI = 1;
const IRQ_EDGE_RISING = 1;
const IRQ_LEVEL_HIGH = 4;

/** QEMU's phandles start at 0x8000 (device_tree.c qemu_fdt_alloc_phandle). */
const FIRST_PHANDLE = 0x8000;

/** linux/input-event-codes.h KEY_POWER. */
const KEY_POWER = 116;
/** virt.c virt_flash_fdt: the pflash banks are 4 bytes wide. */
const FLASH_BANK_WIDTH = 4;
/** Sizes of /chosen's seeds (virt.c create_randomness). */
const RNG_SEED_BYTES = 32;
const KASLR_SEED_BYTES = 8;
/** PCI bus binding: phys.hi space codes of I/O, 32-bit and 64-bit memory; INTA-INTD; 1 MiB of ECAM per bus. */
const PCI_SPACE_IO = 0x01000000;
const PCI_SPACE_MEM32 = 0x02000000;
const PCI_SPACE_MEM64 = 0x03000000;
const PCI_INTX_PINS = 4;
const PCI_ECAM_BYTES_PER_BUS = 1 << 20;

const regionCells = (base: number, size: number): number[] => [...FdtValue.u64(base), ...FdtValue.u64(size)];
const hexUnit = (address: number): string => (address >>> 0).toString(16);

export function buildVirtDeviceTree(options: VirtDeviceTreeOptions): FdtNode {
  const cpuCount = options.cpuCount ?? 1;
  if (!Number.isInteger(cpuCount) || cpuCount < 1 || cpuCount > 4) throw new RangeError(`cpuCount ${cpuCount} is not 1 to 4`);
  const map = VIRT_MEMORY_MAP;
  // Allocated in QEMU's order: the clock, the processors from the last to the first, the GIC,
  // the GICv2m frame (create_v2m), the PL061 (create_gpio_devices).
  const clockPhandle = FIRST_PHANDLE;
  const cpuPhandle = (i: number): number => FIRST_PHANDLE + cpuCount - i;
  const gicPhandle = FIRST_PHANDLE + cpuCount + 1;
  const msiPhandle = gicPhandle + 1;
  const gpioPhandle = gicPhandle + 2;

  const root = new FdtNode('');
  root
    .setCells('interrupt-parent', gicPhandle)
    .setString('model', 'linux,dummy-virt')
    .setCells('#size-cells', 2)
    .setCells('#address-cells', 2)
    .setString('compatible', 'linux,dummy-virt');

  addPsciNode(root, options.virtualization ? 'smc' : 'hvc');

  root
    .addChild(`memory@${hexUnit(map.ram.base)}`)
    .setCells('reg', ...regionCells(map.ram.base, options.ramBytes))
    .setString('device_type', 'memory');

  // create_platform_bus: an empty simple-bus for dynamic sysbus devices (none on this board).
  root
    .addChild(`platform-bus@${hexUnit(map.platformBus.base)}`)
    .setCells('interrupt-parent', gicPhandle)
    .setCells('ranges', 0, 0, map.platformBus.base, map.platformBus.size)
    .setCells('#address-cells', 1)
    .setCells('#size-cells', 1)
    .setStrings('compatible', 'qemu,platform', 'simple-bus');

  // create_fw_cfg.
  root
    .addChild(`fw-cfg@${hexUnit(map.fwCfg.base)}`)
    .setEmpty('dma-coherent')
    .setCells('reg', ...regionCells(map.fwCfg.base, map.fwCfg.size))
    .setString('compatible', 'qemu,fw-cfg-mmio');

  // create_virtio_devices: one transport per SPI, edge-triggered.
  for (let i = 0; i < VIRTIO_TRANSPORT_COUNT; i++) {
    const base = map.virtio.base + i * VIRTIO_TRANSPORT_SIZE;
    root
      .addChild(`virtio_mmio@${hexUnit(base)}`)
      .setEmpty('dma-coherent')
      .setCells('interrupts', GIC_SPI, VIRT_SPI.virtio + i, IRQ_EDGE_RISING)
      .setCells('reg', ...regionCells(base, VIRTIO_TRANSPORT_SIZE))
      .setString('compatible', 'virtio,mmio');
  }

  // create_gpio_keys and create_gpio_devices: the power button (KEY_POWER) on PL061 line 3.
  root
    .addChild('gpio-keys')
    .setString('compatible', 'gpio-keys')
    .addChild('poweroff')
    .setCells('gpios', gpioPhandle, POWER_BUTTON_GPIO, 0)
    .setCells('linux,code', KEY_POWER)
    .setString('label', 'GPIO Key Poweroff');
  root
    .addChild(`pl061@${hexUnit(map.gpio.base)}`)
    .setCells('phandle', gpioPhandle)
    .setString('clock-names', 'apb_pclk')
    .setCells('clocks', clockPhandle)
    .setCells('interrupts', GIC_SPI, VIRT_SPI.gpio, IRQ_LEVEL_HIGH)
    .setEmpty('gpio-controller')
    .setCells('#gpio-cells', 2)
    .setStrings('compatible', 'arm,pl061', 'arm,primecell')
    .setCells('reg', ...regionCells(map.gpio.base, map.gpio.size));

  addPcieNode(root, gicPhandle, msiPhandle);

  root
    .addChild(`pl031@${hexUnit(map.rtc.base)}`)
    .setString('clock-names', 'apb_pclk')
    .setCells('clocks', clockPhandle)
    .setCells('interrupts', GIC_SPI, VIRT_SPI.rtc, IRQ_LEVEL_HIGH)
    .setCells('reg', ...regionCells(map.rtc.base, map.rtc.size))
    .setStrings('compatible', 'arm,pl031', 'arm,primecell');

  const uartPath = `/pl011@${hexUnit(map.uart.base)}`;
  root
    .addChild(uartPath.slice(1))
    .setStrings('clock-names', 'uartclk', 'apb_pclk')
    .setCells('clocks', clockPhandle, clockPhandle)
    .setCells('interrupts', GIC_SPI, VIRT_SPI.uart, IRQ_LEVEL_HIGH)
    .setCells('reg', ...regionCells(map.uart.base, map.uart.size))
    .setStrings('compatible', 'arm,pl011', 'arm,primecell');

  // fdt_add_pmu_nodes: for an ARMv7 processor with a PMU, the node alone.
  root.addChild('pmu');

  // fdt_add_gic_node (GICv2), with fdt_add_v2m_gic_node's MSI frame.
  const gic = root.addChild(`intc@${hexUnit(map.gicDistributor.base)}`).setCells('phandle', gicPhandle);
  const gicRegions: { base: number; size: number }[] = [map.gicDistributor, map.gicCpuInterface];
  if (options.virtualization) gicRegions.push(map.gicHypervisor, map.gicVirtualCpu);
  if (options.virtualization) gic.setCells('interrupts', GIC_PPI, VIRT_PPI.gicMaintenance, IRQ_LEVEL_HIGH);
  gic.setCells('reg', ...gicRegions.flatMap((r) => regionCells(r.base, r.size)));
  gic
    .setString('compatible', 'arm,cortex-a15-gic')
    .setEmpty('ranges')
    .setCells('#size-cells', 2)
    .setCells('#address-cells', 2)
    .setEmpty('interrupt-controller')
    .setCells('#interrupt-cells', 3);
  gic
    .addChild(`v2m@${hexUnit(map.gicV2m.base)}`)
    .setCells('phandle', msiPhandle)
    .setCells('reg', ...regionCells(map.gicV2m.base, map.gicV2m.size))
    .setEmpty('msi-controller')
    .setString('compatible', 'arm,gic-v2m-frame');

  // virt_flash_fdt: both banks in one node.
  const bank = map.flash.size / 2;
  root
    .addChild(`flash@${hexUnit(map.flash.base)}`)
    .setCells('bank-width', FLASH_BANK_WIDTH)
    .setCells('reg', ...regionCells(map.flash.base, bank), ...regionCells(map.flash.base + bank, bank))
    .setString('compatible', 'cfi-flash');

  // fdt_add_cpu_nodes, with the cpu-map topology QEMU 7.2 adds.
  const cpus = root.addChild('cpus').setCells('#size-cells', 0).setCells('#address-cells', 1);
  const cluster = cpus.addChild('cpu-map').addChild('socket0').addChild('cluster0');
  for (let i = 0; i < cpuCount; i++) cluster.addChild(`core${i}`).setCells('cpu', cpuPhandle(i));
  for (let i = 0; i < cpuCount; i++) {
    const cpu = cpus.addChild(`cpu@${i}`).setCells('phandle', cpuPhandle(i)).setCells('reg', i);
    if (cpuCount > 1) cpu.setString('enable-method', 'psci');
    cpu.setString('compatible', 'arm,cortex-a15').setString('device_type', 'cpu');
  }

  // fdt_add_timer_nodes: secure, non-secure, virtual, hypervisor timer PPIs, level-high, with
  // the GICv2 CPU target mask in flags bits [15:8].
  const timerFlags = (((1 << cpuCount) - 1) << 8) | IRQ_LEVEL_HIGH;
  const timerPpis = [VIRT_PPI.secureTimer, VIRT_PPI.physicalTimer, VIRT_PPI.virtualTimer, VIRT_PPI.hypTimer];
  root
    .addChild('timer')
    .setCells('interrupts', ...timerPpis.flatMap((ppi) => [GIC_PPI, ppi, timerFlags]))
    .setEmpty('always-on')
    .setString('compatible', 'arm,armv7-timer');

  root
    .addChild('apb-pclk')
    .setCells('phandle', clockPhandle)
    .setString('clock-output-names', 'clk24mhz')
    .setCells('clock-frequency', APB_CLOCK_HZ)
    .setCells('#clock-cells', 0)
    .setString('compatible', 'fixed-clock');

  // create_randomness (from the seed rather than the host) and create_uart's stdout-path.
  const random = new SeededEntropySource(options.seed ?? DEFAULT_DTB_SEED);
  const rngSeed = new Uint8Array(RNG_SEED_BYTES);
  const kaslrSeed = new Uint8Array(KASLR_SEED_BYTES);
  random.fill(rngSeed);
  random.fill(kaslrSeed);
  root.addChild('chosen').setString('stdout-path', uartPath).set('rng-seed', rngSeed).set('kaslr-seed', kaslrSeed);
  addGuestLoaderNodes(root, options.guestLoaderModules ?? []);
  applyBootArguments(root, options.bootArgs, options.initrd);
  return root;
}

/**
 * The gpex host bridge node as create_pcie writes it with highmem (the default): the ECAM and
 * 64-bit window above 4 GiB, the 32-bit MMIO and I/O windows, INTx swizzled over SPIs 3-6 by
 * slot, and MSIs through the GICv2m frame. See the header for why no ECAM is modelled.
 */
function addPcieNode(root: FdtNode, gicPhandle: number, msiPhandle: number): void {
  const map = VIRT_MEMORY_MAP;
  const interruptMap: number[] = [];
  // create_pcie_irq_map: for devfn slot s, pin p (INTA = 1), SPI pcie + (p + s) % 4.
  for (let slot = 0; slot < PCI_INTX_PINS; slot++) {
    for (let pin = 0; pin < PCI_INTX_PINS; pin++) {
      const spi = VIRT_SPI.pcie + ((pin + slot) % PCI_INTX_PINS);
      interruptMap.push(slot << 11, 0, 0, pin + 1, gicPhandle, 0, 0, GIC_SPI, spi, IRQ_LEVEL_HIGH);
    }
  }
  const window = (space: number, pciAddress: number, cpuAddress: number, size: number): number[] =>
    [space, ...FdtValue.u64(pciAddress), ...FdtValue.u64(cpuAddress), ...FdtValue.u64(size)];
  const ecam = map.pcieHighEcam;
  root
    .addChild(`pcie@${hexUnit(map.pcieMmio.base)}`)
    .setCells('interrupt-map-mask', 0x1800, 0, 0, 7)
    .setCells('interrupt-map', ...interruptMap)
    .setCells('#interrupt-cells', 1)
    .setCells(
      'ranges',
      ...window(PCI_SPACE_IO, 0, map.pciePio.base, map.pciePio.size),
      ...window(PCI_SPACE_MEM32, map.pcieMmio.base, map.pcieMmio.base, map.pcieMmio.size),
      ...window(PCI_SPACE_MEM64, map.pcieHighMmio.base, map.pcieHighMmio.base, map.pcieHighMmio.size),
    )
    .setCells('reg', ...regionCells(ecam.base, ecam.size))
    .setCells('msi-map', 0, msiPhandle, 0, 0x10000)
    .setEmpty('dma-coherent')
    .setCells('bus-range', 0, ecam.size / PCI_ECAM_BYTES_PER_BUS - 1)
    .setCells('linux,pci-domain', 0)
    .setCells('#size-cells', 2)
    .setCells('#address-cells', 3)
    .setString('device_type', 'pci')
    .setString('compatible', 'pci-host-ecam-generic');
}

/**
 * The /psci node as QEMU 7.2's boot.c fdt_add_psci_node writes it, into generated and user trees
 * alike (replacing any existing one): PSCI 1.0+ compatibles (QEMU 7.2 implements 1.1) and the
 * 0.1-style function properties naming the 0.2 IDs.
 */
function addPsciNode(root: FdtNode, method: 'hvc' | 'smc'): void {
  const index = root.children.findIndex((c) => c.name === 'psci');
  if (index >= 0) root.children.splice(index, 1);
  root
    .addChild('psci')
    .setCells('migrate', PSCI_FN.migrate)
    .setCells('cpu_on', PSCI_FN.cpuOn)
    .setCells('cpu_off', PSCI_FN.cpuOff)
    .setCells('cpu_suspend', PSCI_FN.cpuSuspend)
    .setString('method', method)
    .setStrings('compatible', 'arm,psci-1.0', 'arm,psci-0.2', 'arm,psci');
}

/**
 * Writes /chosen's bootargs and initrd range as QEMU's arm_load_dtb does (hw/arm/boot.c): it
 * creates /chosen when missing, sets bootargs only for a non-empty command line, and writes
 * linux,initrd-start/-end as single cells. New properties go first, as libfdt's fdt_setprop
 * adds them, so the blob's order is QEMU's.
 */
export function applyBootArguments(root: FdtNode, bootArgs: string | undefined, initrd: { start: number; end: number } | undefined): void {
  const chosen = root.childOrNew('chosen');
  if (bootArgs !== undefined && bootArgs !== '') chosen.setFirst('bootargs', FdtValue.string(bootArgs));
  if (initrd !== undefined) {
    chosen.setFirst('linux,initrd-start', FdtValue.cells(initrd.start));
    chosen.setFirst('linux,initrd-end', FdtValue.cells(initrd.end));
  }
}

/**
 * Patches a user-supplied tree (`--dtb`) as QEMU's arm_load_dtb does: every root-level
 * /memory or /memory@... node is replaced by one for the board's RAM (sized by the root's
 * #address-cells/#size-cells), /psci is replaced by the firmware's own, then /chosen gets the
 * command line and initrd.
 * Returns an error message when the tree cannot describe the RAM.
 */
export function patchUserDeviceTree(
  root: FdtNode,
  ramBytes: number,
  bootArgs: string | undefined,
  initrd: { start: number; end: number } | undefined,
  psciMethod: 'hvc' | 'smc' = 'hvc',
): string | undefined {
  const cells = (name: string): number | undefined => {
    const p = root.property(name);
    return p === undefined || p.value.length !== 4 ? undefined : new DataView(p.value.buffer, p.value.byteOffset).getUint32(0, false);
  };
  const addressCells = cells('#address-cells');
  const sizeCells = cells('#size-cells');
  if (!addressCells || !sizeCells) return 'dtb file invalid (#address-cells or #size-cells 0)';
  if (addressCells > 2 || sizeCells > 2) return `dtb #address-cells ${addressCells} / #size-cells ${sizeCells} are not supported (at most 2)`;
  for (let i = root.children.length - 1; i >= 0; i--) {
    const name = root.children[i]!.name;
    if (name === 'memory' || name.startsWith('memory@')) root.children.splice(i, 1);
  }
  const base = VIRT_MEMORY_MAP.ram.base;
  const sized = (value: number, n: number): number[] => (n === 2 ? FdtValue.u64(value) : [value >>> 0]);
  root
    .addChild(`memory@${hexUnit(base)}`)
    .setString('device_type', 'memory')
    .setCells('reg', ...sized(base, addressCells), ...sized(ramBytes, sizeCells));
  addPsciNode(root, psciMethod);
  applyBootArguments(root, bootArgs, initrd);
  return undefined;
}

/** The board's generated blob, padded to QEMU's 1 MiB size. */
export function virtDeviceTreeBlob(options: VirtDeviceTreeOptions): Uint8Array {
  return serializeFdt(buildVirtDeviceTree(options), { totalSize: VIRT_DTB_SIZE });
}
