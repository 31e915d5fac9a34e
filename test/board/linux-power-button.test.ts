import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { VirtBoard } from '../../src/board/virt-board.js';
import { prepareLinuxBoot } from '../../src/board/virt-linux.js';
import { QEMU } from '../support/emulators.js';
import { debianImage, initramfsRunning, QUIET_CONSOLE, withoutKernelLog } from '../support/linux-guest.js';

/**
 * The power button as Linux sees it: gpio-keys requests the PL061's line 3 as a both-edges
 * interrupt, and a press (QEMU's gpio-key holds the line high for 100 ms) interrupts twice, on
 * the rising and the falling edge; the key reports KEY_POWER to the input layer. (This
 * initramfs has no evdev module, so user space cannot read the event itself; the init waits for
 * the two interrupts, then shows the line's state and powers off, standing in for the daemon that
 * would.) Under QEMU the press is the monitor's system_powerdown; under Partita,
 * VirtBoard.pressPowerButton.
 */
const INIT = `#!/bin/busybox sh
/bin/busybox mount -t proc proc /proc
/bin/busybox mount -t sysfs sysfs /sys
/bin/busybox mount -t devtmpfs devtmpfs /dev
/bin/busybox --install -s
mount -t debugfs debugfs /sys/kernel/debug
cat /sys/class/input/input0/name
grep -A1 'gpio-keys' /proc/bus/input/devices | tail -1
grep 'GPIO Key Poweroff' /proc/interrupts
echo '== waiting for the power button'
until [ "$(awk '/GPIO Key Poweroff/ { print $2 }' /proc/interrupts)" = 2 ]; do sleep 1; done
grep 'GPIO Key Poweroff' /proc/interrupts
grep -i 'poweroff' /sys/kernel/debug/gpio
echo '== end'
poweroff -f
`;
const WAITING = '== waiting for the power button';

/** The console between the first script line and '== end'. */
const scriptOutput = (console: string): string => {
  const text = withoutKernelLog(console);
  return text.slice(text.indexOf('gpio-keys'), text.indexOf('== end') + '== end'.length);
};

async function underQemu(kernel: string, initrd: string): Promise<string> {
  const qemu = spawn(QEMU, ['-M', 'virt', '-cpu', 'cortex-a15', '-m', '256', '-nographic', '-kernel', kernel, '-initrd', initrd, '-append', QUIET_CONSOLE]);
  let out = '';
  let pressed = false;
  qemu.stdout.on('data', (chunk: Buffer) => {
    out += chunk.toString('latin1');
    if (!pressed && out.includes(WAITING)) {
      pressed = true;
      qemu.stdin.write('\x01csystem_powerdown\n\x01c'); // Ctrl-A c: the monitor, and back to the console
    }
  });
  const timer = setTimeout(() => qemu.kill(), 120_000);
  await new Promise((resolve) => qemu.on('close', resolve));
  clearTimeout(timer);
  return out.replace(/QEMU [\d.]+ monitor[^\n]*\n/g, '').replace(/\(qemu\)[^\n]*\n?/g, '');
}

test('linux: the power button reaches Linux as KEY_POWER from gpio-keys on PL061 line 3, as under QEMU\'s system_powerdown', async () => {
  const { kernel, initrd } = await debianImage();
  const dir = mkdtempSync(join(tmpdir(), 'partita-power-button-'));
  const image = initramfsRunning(initrd, INIT, join(dir, 'init.cpio.gz'));
  const reference = scriptOutput(await underQemu(kernel, image));
  assert.match(reference, /9030000\.pl061 +3 Edge +GPIO Key Poweroff\n[\s\S]*== waiting[^\n]*\n *31: +2 /, `QEMU: ${reference}`);

  const ramBytes = 256 << 20;
  const bytes: number[] = [];
  const board = new VirtBoard({ ramBytes, uartOutput: (b) => bytes.push(b) });
  const boot = prepareLinuxBoot(ramBytes, {
    kernel: { name: kernel, data: readFileSync(kernel) },
    initrd: { name: image, data: readFileSync(image) },
    bootArgs: QUIET_CONSOLE,
  });
  boot.load(board.bus, board.cpu);
  let pressed = false;
  for (;;) {
    const stop = board.run(board.instructionCount + 20_000_000);
    if (!pressed && Buffer.from(bytes).toString('latin1').includes(WAITING)) {
      pressed = true;
      board.pressPowerButton();
    }
    if (stop.kind === 'power') {
      assert.equal(stop.event, 'off');
      break;
    }
    assert.equal(stop.kind, 'instruction-limit', JSON.stringify(stop));
    assert.ok(board.instructionCount < 20_000_000_000, 'Linux did not power off');
  }
  const ours = scriptOutput(Buffer.from(bytes).toString('latin1'));
  assert.equal(ours, reference);
});
