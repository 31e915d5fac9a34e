import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Gic, GicDistributor } from '../../../src/hw/gic/index.js';
import { GICD_ISENABLER, GICD_IPRIORITYR, GICD_ITARGETSR, GICD_TYPER, vm } from './physical-gic.js';

test('vgic: GICD_TYPER reports the VM\'s vCPU count and interrupt lines', () => {
  assert.equal(vm(3, 288).gicd(0).read(GICD_TYPER), (288 / 32 - 1) | ((3 - 1) << 5));
  assert.equal(vm(1, 64).gicd(0).read(GICD_TYPER), 1);
});

test('vgic: trapped GICD accesses (ISENABLER, IPRIORITYR, ITARGETSR) behave as the hardware distributor, banked per vCPU', () => {
  const { gicd } = vm(3, 288);
  const reference = new GicDistributor(new Gic(3, 288, []));
  let cpu = 0;
  reference.currentCpu = () => cpu;
  const both = (vcpu: number, offset: number, value: number, size: 1 | 4 = 4) => {
    cpu = vcpu;
    reference.write(offset, size, value);
    if (size === 4) gicd(vcpu).write(offset, value);
    else gicd(vcpu).writeByte(offset, value);
  };
  both(0, GICD_ISENABLER, 0xffff0000); // PPIs of vCPU 0 (SGIs are enabled already)
  both(1, GICD_ISENABLER, 1 << 27);
  both(2, GICD_ISENABLER + 4, 0x80000101);
  both(2, GICD_ISENABLER + 32, 0xffffffff); // beyond 288 interrupts: ignored
  both(0, GICD_IPRIORITYR + 27, 0xa0, 1);
  both(1, GICD_IPRIORITYR + 24, 0x40302010);
  both(0, GICD_IPRIORITYR + 40, 0xf8e8d8c8);
  both(0, GICD_ITARGETSR + 40, 0x04020103);
  both(1, GICD_ITARGETSR + 0, 0xffffffff); // SGI targets are read-only
  for (let vcpu = 0; vcpu < 3; vcpu++) {
    cpu = vcpu;
    for (const [base, words] of [[GICD_ISENABLER, 10], [GICD_IPRIORITYR, 72], [GICD_ITARGETSR, 72]] as const) {
      for (let word = 0; word < words; word++) {
        const offset = base + 4 * word;
        assert.equal(gicd(vcpu).read(offset), reference.read(offset, 4), `vCPU ${vcpu} offset 0x${offset.toString(16)}`);
      }
    }
  }
  assert.equal(gicd(2).read(GICD_ITARGETSR), 0x04040404, 'SGI/PPI targets read as the accessing vCPU');
  assert.equal(gicd(0).read(GICD_ITARGETSR + 40), 0x04020103);
  assert.equal(gicd(1).read(GICD_IPRIORITYR + 24), 0x40302010);
  assert.equal(gicd(0).read(GICD_IPRIORITYR + 24), 0xa0000000, 'vCPU 0\'s own PPI 27 priority');
});
