import assert from 'node:assert/strict';
import { test } from 'node:test';
import { propertyCells, propertyStrings } from '../../src/board/fdt/fdt-tree.js';
import { parseSystemDescription } from '../../src/hypervisor/config/index.js';
import { vmSharedWindows } from '../../src/hypervisor/devices/shared-memory-windows.js';
import { HYPERVISOR_RESERVE_BYTES } from '../../src/hypervisor/host-placement.js';
import { vmDeviceTree } from '../../src/hypervisor/vm-device-tree.js';

const SYSTEM = `
board: { cpus: 2, memory: 128M }
vms:
  - name: a
    cpus: [0]
    memory: [{ base: 0x40000000, size: 32M }]
    kernel: k
    devices:
      - { type: virtio-blk, file: disk.img }
      - { type: virtio-rng }
      - { type: passthrough, base: 0x09010000, size: 0x1000, interrupts: [2] }
      - { type: passthrough, base: 0x09100000, size: 0x2000, interrupts: [60, 61] }
  - { name: b, cpus: [1], memory: [{ base: 0x40000000, size: 16M }], kernel: k }
shared-memory:
  - { name: telemetry, size: 64K, peers: [{ vm: b, base: 0x50000000, doorbell: 40 }, { vm: a, base: 0x60000000, doorbell: 41 }] }
`;

const system = parseSystemDescription(SYSTEM, { resolveImage: (r) => ({ path: r }), resolvePath: (p) => p, fileExists: () => true, hypervisorReserveBytes: HYPERVISOR_RESERVE_BYTES });
const treeOf = (vm: number) => vmDeviceTree(system.vms[vm]!, undefined, vmSharedWindows(system, vm));
const names = (vm: number): string[] => treeOf(vm).children.map((n) => n.name);
const cells = (vm: number, node: string, property: string): number[] => propertyCells(treeOf(vm).child(node)!.property(property)!);

test('vm device tree: exactly the VM\'s virtio transports, in order from 0x0a000000 with SPIs 16 up', () => {
  assert.deepEqual(names(0).filter((n) => n.startsWith('virtio_mmio')), ['virtio_mmio@a000000', 'virtio_mmio@a000200']);
  assert.deepEqual(cells(0, 'virtio_mmio@a000200', 'interrupts'), [0, 17, 1]);
  assert.deepEqual(names(1).filter((n) => n.startsWith('virtio_mmio')), []);
});

test('vm device tree: a passthrough board device keeps its board node; another region gets a partita,passthrough node', () => {
  assert.ok(names(0).includes('pl031@9010000'));
  assert.ok(!names(1).includes('pl031@9010000'));
  assert.ok(!names(0).includes('pl061@9030000'), 'board devices not passed through are not the VM\'s');
  const node = treeOf(0).child('passthrough@9100000')!;
  assert.deepEqual(propertyStrings(node.property('compatible')!), ['partita,passthrough']);
  assert.deepEqual(propertyCells(node.property('reg')!), [0, 0x09100000, 0, 0x2000]);
  assert.deepEqual(propertyCells(node.property('interrupts')!), [0, 60, 4, 0, 61, 4]);
});

test('vm device tree: each peer has a partita,shared-memory node with its region, doorbell page, SPI and peer index', () => {
  const a = treeOf(0).child('shared-memory@60000000')!;
  assert.deepEqual(propertyStrings(a.property('compatible')!), ['partita,shared-memory']);
  assert.deepEqual(propertyCells(a.property('reg')!), [0, 0x60000000, 0, 0x10000, 0, 0x0c000000, 0, 0x1000]);
  assert.deepEqual(propertyStrings(a.property('reg-names')!), ['memory', 'doorbell']);
  assert.deepEqual(propertyCells(a.property('interrupts')!), [0, 41, 4]);
  assert.deepEqual(propertyStrings(a.property('label')!), ['telemetry']);
  assert.deepEqual(propertyCells(a.property('partita,peer')!), [1]);
  assert.deepEqual(cells(1, 'shared-memory@50000000', 'partita,peer'), [0]);
});
