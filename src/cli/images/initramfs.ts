import type { CpioEntry } from './cpio-newc.js';

/**
 * The initramfs of the Debian guest image: busybox, an /init that loads the virtio modules and
 * starts a shell on the console, and nothing else. Platform neutral: bytes in, cpio entries out.
 */

/** The line /init prints once the modules are loaded, just before the shell starts. */
export const INITRAMFS_READY_MARKER = 'partita: initramfs ready';

/**
 * The modules for the devices of QEMU's virt (and Partita's board), in load order. virtio_mmio
 * first: it is the transport that finds the devices in the device tree.
 */
export const VIRTIO_MODULES: readonly string[] = ['virtio_mmio', 'virtio_blk', 'virtio_net', 'virtio_console', 'virtio-rng'];

export interface InitramfsModule {
  /** Path below /lib/modules/<release>, e.g. "kernel/drivers/virtio/virtio_mmio.ko". */
  readonly path: string;
  readonly data: Uint8Array;
}

export interface InitramfsContents {
  /** bin/busybox from busybox-static (a static binary: no libraries needed). */
  readonly busybox: Uint8Array;
  /** The kernel release, e.g. "6.1.0-50-armmp". */
  readonly kernelRelease: string;
  /** The modules to insmod, in load order (dependencies first). */
  readonly modules: readonly InitramfsModule[];
}

/**
 * /init: mounts proc, sysfs and devtmpfs, installs the busybox applet links, loads the modules,
 * prints the marker and runs an interactive shell with job control (setsid gives it a new
 * session, cttyhack opens the real console device, /sys/class/tty/console/active, as its
 * controlling terminal). When the shell ends (exit, or the end of piped input) the machine powers
 * off rather than letting init die into a kernel panic. It prints nothing else, so a boot's output
 * is deterministic.
 * Kernel cmdline has no say here: the shell reads its commands from the console.
 */
export function initScript(kernelRelease: string, modulePaths: readonly string[]): string {
  return [
    '#!/bin/busybox sh',
    '# Written by `partita images fetch debian`.',
    'export PATH=/sbin:/usr/sbin:/bin:/usr/bin HOME=/root',
    '/bin/busybox mount -t proc proc /proc',
    '/bin/busybox mount -t sysfs sysfs /sys',
    '/bin/busybox mount -t devtmpfs devtmpfs /dev',
    '/bin/busybox --install -s',
    ...modulePaths.map((path) => `insmod /lib/modules/${kernelRelease}/${path}`),
    `echo '${INITRAMFS_READY_MARKER}'`,
    'cd /root',
    'setsid cttyhack sh',
    'poweroff -f',
    '',
  ].join('\n');
}

const BASE_DIRECTORIES: ReadonlyArray<readonly [string, number]> = [
  ['bin', 0o755], ['dev', 0o755], ['etc', 0o755], ['lib', 0o755], ['mnt', 0o755], ['proc', 0o555], ['root', 0o700],
  ['sbin', 0o755], ['sys', 0o555], ['tmp', 0o1777], ['usr', 0o755], ['usr/bin', 0o755], ['usr/sbin', 0o755],
];

/**
 * Every entry of the archive, sorted by path so each directory comes before what it holds (a
 * parent's path is a prefix of its children's) and the order never depends on the host.
 */
export function initramfsEntries(contents: InitramfsContents): CpioEntry[] {
  const entries = new Map<string, CpioEntry>();
  const addDirectory = (path: string, mode = 0o755): void => {
    if (!entries.has(path)) entries.set(path, { kind: 'directory', path, mode });
  };
  const addParents = (path: string): void => {
    const parts = path.split('/');
    for (let i = 1; i < parts.length; i++) addDirectory(parts.slice(0, i).join('/'));
  };
  for (const [path, mode] of BASE_DIRECTORIES) addDirectory(path, mode);
  entries.set('dev/console', { kind: 'char-device', path: 'dev/console', major: 5, minor: 1, mode: 0o600 });
  entries.set('dev/null', { kind: 'char-device', path: 'dev/null', major: 1, minor: 3, mode: 0o666 });
  entries.set('bin/busybox', { kind: 'file', path: 'bin/busybox', data: contents.busybox, mode: 0o755 });
  const modulePaths = contents.modules.map((module) => module.path);
  const script = new TextEncoder().encode(initScript(contents.kernelRelease, modulePaths));
  entries.set('init', { kind: 'file', path: 'init', data: script, mode: 0o755 });
  for (const module of contents.modules) {
    const path = `lib/modules/${contents.kernelRelease}/${module.path}`;
    addParents(path);
    entries.set(path, { kind: 'file', path, data: module.data, mode: 0o644 });
  }
  return [...entries.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
