import assert from 'node:assert/strict';
import { test } from 'node:test';
import { VmControlKeys, type VmControl } from '../../../src/cli/up/vm-control-keys.js';

/** A hypervisor that records the calls and lets only `running` VMs pause. */
function fakeControl(): VmControl & { calls: string[] } {
  const calls: string[] = [];
  const vms = [{ name: 'linux', state: 'running' }, { name: 'rt', state: 'running' }];
  const record = (what: string) => (vm: string): boolean => {
    calls.push(`${what} ${vm}`);
    return vms.find((v) => v.name === vm)!.state === 'running';
  };
  return { vms, calls, startVm: record('start'), stopVm: record('stop'), resetVm: record('reset'), pauseVm: record('pause'), resumeVm: record('resume') };
}

const key = (c: string): number => c.charCodeAt(0);

test('vm-control-keys: p r s b t act on the focused VM, digits change the focus', () => {
  const control = fakeControl();
  const echoed: string[] = [];
  const keys = new VmControlKeys(control, 1, (t) => echoed.push(t));
  for (const c of 'prsbt') assert.equal(keys.run(key(c)), true);
  assert.deepEqual(control.calls, ['pause rt', 'resume rt', 'stop rt', 'start rt', 'reset rt']);
  assert.equal(keys.run(key('1')), true);
  assert.equal(keys.focusedVm, 'linux');
  keys.run(key('p'));
  assert.equal(control.calls.at(-1), 'pause linux');
  assert.equal(keys.run(key('3')), false, 'no third VM');
  assert.equal(keys.run(key('q')), false, 'not a command');
  assert.match(echoed.join(''), /commands act on linux/);
  assert.match(keys.help, /C-a p {6}pause the focused VM/);
  assert.match(keys.help, /C-a 1-2 {4}focus VM 1-2 \(linux, rt\)/);
});

test('vm-control-keys: a command the VM is not in the state for says so', () => {
  const control = fakeControl();
  (control.vms[0] as { state: string }).state = 'stopped';
  const echoed: string[] = [];
  new VmControlKeys(control, 0, (t) => echoed.push(t)).run(key('p'));
  assert.deepEqual(echoed, ['partita: linux: cannot pause (it is stopped)\r\n']);
});
