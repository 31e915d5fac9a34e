import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ImageError } from '../../../src/board/elf-image.js';
import { findElfSection } from '../../../src/cli/images/elf-sections.js';
import {
  modinfoDependencies, moduleLoadOrder, moduleName, parseModulesBuiltin, readModinfo, type ModuleCatalog,
} from '../../../src/cli/images/kernel-modules.js';
import { UserError } from '../../../src/cli/user-error.js';
import { syntheticElf, syntheticModule } from './synthetic-module.js';

test('elf sections: finds a section by name through the section name table', () => {
  const data = new Uint8Array([9, 8, 7]);
  const elf = syntheticElf([{ name: '.text', data: new Uint8Array(4) }, { name: '.modinfo', data }, { name: '.modinfo2', data: new Uint8Array(1) }]);
  assert.deepEqual(findElfSection(elf, '.modinfo'), data);
  assert.equal(findElfSection(elf, '.modin'), undefined, 'a prefix of a name is not a match');
  assert.equal(findElfSection(elf, '.data'), undefined);
});

test('elf sections: a truncated or non-ELF file is an ImageError naming the file', () => {
  const elf = syntheticModule('x', []);
  assert.throws(() => findElfSection(elf.subarray(0, elf.length - 10), '.modinfo', 'x.ko'), (e: unknown) => e instanceof ImageError && /^x\.ko: .*truncated/.test(e.message));
  assert.throws(() => findElfSection(new Uint8Array(64), '.modinfo', 'y.ko'), /y\.ko: not an ELF file/);
});

test('modinfo: depends= lists the dependencies, with - and _ taken as the same', () => {
  assert.deepEqual(modinfoDependencies(syntheticModule('virtio_net', ['net_failover', 'virtio-ring'])), ['net_failover', 'virtio_ring']);
  assert.deepEqual(modinfoDependencies(syntheticModule('virtio_blk', [])), []);
  assert.ok(readModinfo(syntheticModule('m', [])).includes('name=m'));
});

test('modinfo: a file without .modinfo is not a kernel module (UserError)', () => {
  assert.throws(() => modinfoDependencies(syntheticElf([{ name: '.text', data: new Uint8Array(4) }]), 'a.ko'), (e: unknown) => e instanceof UserError && /a\.ko: not a kernel module/.test(e.message));
});

test('module names: path, .ko and dashes are normalized', () => {
  assert.equal(moduleName('kernel/drivers/char/hw_random/virtio-rng.ko'), 'virtio_rng');
  assert.equal(moduleName('virtio-rng'), 'virtio_rng');
  assert.deepEqual([...parseModulesBuiltin('kernel/drivers/virtio/virtio.ko\nkernel/drivers/virtio/virtio_ring.ko\n\n')], ['virtio', 'virtio_ring']);
});

function catalog(modules: Record<string, readonly string[]>, builtin: readonly string[] = []): ModuleCatalog {
  return { isBuiltin: (name) => builtin.includes(name), dependencies: (name) => modules[name] };
}

test('module order: dependencies first, each module once, built-in modules skipped', () => {
  const modules = {
    virtio_mmio: ['virtio', 'virtio_ring'], virtio_blk: [], virtio_net: ['net_failover'], net_failover: ['failover'], failover: [],
    virtio_console: [], virtio_rng: [], other: ['failover'],
  };
  assert.deepEqual(
    moduleLoadOrder(['virtio_mmio', 'virtio_blk', 'virtio_net', 'other', 'virtio_console', 'virtio-rng'], catalog(modules, ['virtio', 'virtio_ring'])),
    ['virtio_mmio', 'virtio_blk', 'failover', 'net_failover', 'virtio_net', 'other', 'virtio_console', 'virtio_rng'],
  );
});

test('module order: an unknown module or a cycle is a UserError naming it', () => {
  assert.throws(() => moduleLoadOrder(['a'], catalog({ a: ['b'] })), /kernel module b \(needed by a\) is neither a module file nor built in/);
  assert.throws(() => moduleLoadOrder(['a'], catalog({ a: ['b'], b: ['a'] })), /cycle: a -> b -> a/);
});
