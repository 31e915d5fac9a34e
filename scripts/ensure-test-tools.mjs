#!/usr/bin/env node
// Makes sure the Debian packages Partita uses are installed: by default all the tests need (the
// ARM cross compiler with newlib to build guests/, QEMU as the reference, dtc, cpio); given
// package names, only those (`npm start` needs just the compiler). Installs them with apt-get
// when this user may (root, or passwordless sudo); otherwise says exactly what to run.
import { execFileSync, spawnSync } from 'node:child_process';

// ipxe-qemu holds the option ROM (efi-virtio.rom) of the NIC QEMU's virt machine adds by default.
const ALL_PACKAGES = ['gcc-arm-none-eabi', 'libnewlib-arm-none-eabi', 'qemu-system-arm', 'ipxe-qemu', 'device-tree-compiler', 'cpio'];
const PACKAGES = process.argv.length > 2 ? process.argv.slice(2) : ALL_PACKAGES;

function installed(pkg) {
  return spawnSync('dpkg-query', ['-W', '-f=${Status}', pkg], { encoding: 'utf8' }).stdout?.includes('install ok installed') ?? false;
}

const missing = PACKAGES.filter((p) => !installed(p));
if (missing.length === 0) process.exit(0);

const isRoot = process.getuid?.() === 0;
const canSudo = !isRoot && spawnSync('sudo', ['-n', 'true']).status === 0;
if (!isRoot && !canSudo) {
  console.error(`partita needs: ${missing.join(' ')}\nInstall them with: sudo apt-get install -y ${missing.join(' ')}`);
  process.exit(1);
}
function run(args) {
  const [command, ...rest] = isRoot ? args : ['sudo', '-n', ...args];
  execFileSync(command, rest, { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
}
console.error(`partita: installing ${missing.join(' ')} (apt-get)`);
run(['apt-get', 'update', '-qq']);
run(['apt-get', 'install', '-y', '-qq', '--no-install-recommends', ...missing]);
