import { LoopbackNetwork, SeededEntropySource, VirtioBlock, VirtioConsole, VirtioNet, VirtioRng, type ByteSink, type VirtioDevice } from '../hw/virtio/index.js';
import { openDiskImage, type NodeFileBlockBackend } from './host/node-file-block-backend.js';
import { NodeCryptoEntropySource } from './host/node-entropy-source.js';
import { parseQemuProperties } from './qemu-options.js';
import { UserError } from './user-error.js';

/**
 * `--drive` and `--device` as QEMU spells them for the virt board's virtio-mmio bus:
 *   --drive file=disk.img[,format=raw][,if=virtio|none][,id=ID][,readonly=on|off]
 *   --device virtio-blk-device,drive=ID | virtio-rng-device | virtio-net-device[,mac=52:54:00:12:34:56]
 *          | virtio-serial-device
 * A drive with if=virtio (the default on virt, as QEMU's block_default_type) becomes a virtio-blk
 * device by itself; if=none waits for a virtio-blk-device naming it.
 */

function onOff(value: string | undefined, what: string): boolean {
  if (value === undefined || value === 'off') return false;
  if (value === 'on') return true;
  throw new UserError(`${what} must be on or off, not '${value}'`);
}

interface Drive {
  readonly backend: NodeFileBlockBackend;
  readonly readOnly: boolean;
  readonly id: string | undefined;
  claimed: boolean;
}

/** The virtio devices of a run, in the order they take transports, and the host resources to release. */
export interface VirtioSetup {
  readonly devices: VirtioDevice[];
  /** Closes disk images (after their last flush). */
  close(): void;
}

export interface VirtioHost {
  /** Where a virtio console writes. */
  readonly consoleOutput: ByteSink;
  /** Host randomness for virtio-rng instead of a fixed seed (wall-clock runs). */
  readonly hostEntropy: boolean;
  readonly log: (line: string) => void;
}

function openDrive(spec: string, log: (line: string) => void): Drive & { attachNow: boolean } {
  const p = parseQemuProperties(spec, '--drive', ['file', 'format', 'if', 'id', 'readonly', 'media', 'cache']);
  const file = p.get('file');
  if (file === undefined || file === '') throw new UserError(`--drive '${spec}': needs file=<image>`);
  const format = p.get('format') ?? 'raw';
  if (format !== 'raw') throw new UserError(`--drive '${spec}': format '${format}' is not supported (raw images only)`);
  const iface = p.get('if') ?? 'virtio';
  if (iface !== 'virtio' && iface !== 'none') throw new UserError(`--drive '${spec}': if=${iface} does not exist on the virt board (virtio or none)`);
  if (iface === 'none' && p.get('id') === undefined) throw new UserError(`--drive '${spec}': if=none needs id=<name> for a --device virtio-blk-device,drive=<name>`);
  const readOnly = onOff(p.get('readonly'), '--drive readonly');
  return { backend: openDiskImage(file, readOnly, log), readOnly, id: p.get('id'), claimed: false, attachNow: iface === 'virtio' };
}

function parseMac(text: string): Uint8Array {
  const parts = text.split(':');
  if (parts.length !== 6 || parts.some((x) => !/^[0-9a-fA-F]{2}$/.test(x))) throw new UserError(`mac '${text}' is not six hex bytes (52:54:00:12:34:56)`);
  return Uint8Array.from(parts.map((x) => parseInt(x, 16)));
}

/** QEMU's default MAC for the first NIC. */
const DEFAULT_MAC = '52:54:00:12:34:56';

export function createVirtioDevices(driveSpecs: readonly string[], deviceSpecs: readonly string[], host: VirtioHost): VirtioSetup {
  const drives: Drive[] = [];
  const devices: VirtioDevice[] = [];
  const close = (): void => drives.forEach((d) => d.backend.close());
  try {
    for (const spec of driveSpecs) {
      const drive = openDrive(spec, host.log);
      drives.push(drive);
      if (drive.attachNow) {
        drive.claimed = true;
        devices.push(new VirtioBlock(drive.backend, { readOnly: drive.readOnly }));
      }
    }
    for (const spec of deviceSpecs) {
      const model = spec.split(',')[0]!;
      switch (model) {
        case 'virtio-blk-device': {
          const p = parseQemuProperties(spec, '--device', ['drive', 'serial'], 'driver');
          const id = p.get('drive');
          const drive = drives.find((d) => d.id !== undefined && d.id === id);
          if (drive === undefined) throw new UserError(`--device '${spec}': no --drive with id=${id ?? '(missing drive=)'}`);
          if (drive.claimed) throw new UserError(`--device '${spec}': drive '${id}' is already attached`);
          drive.claimed = true;
          devices.push(new VirtioBlock(drive.backend, { readOnly: drive.readOnly, serial: p.get('serial') }));
          break;
        }
        case 'virtio-rng-device':
          parseQemuProperties(spec, '--device', [], 'driver');
          devices.push(new VirtioRng(host.hostEntropy ? new NodeCryptoEntropySource() : new SeededEntropySource()));
          break;
        case 'virtio-net-device': {
          const p = parseQemuProperties(spec, '--device', ['mac'], 'driver');
          devices.push(new VirtioNet(parseMac(p.get('mac') ?? DEFAULT_MAC), new LoopbackNetwork()));
          break;
        }
        case 'virtio-serial-device':
          parseQemuProperties(spec, '--device', [], 'driver');
          devices.push(new VirtioConsole(host.consoleOutput));
          break;
        default:
          throw new UserError(
            `--device '${model}' is not a device of this board (virtio-blk-device, virtio-rng-device, virtio-net-device, virtio-serial-device)`,
          );
      }
    }
    const unclaimed = drives.find((d) => !d.claimed);
    if (unclaimed !== undefined) throw new UserError(`--drive id=${unclaimed.id}: no --device virtio-blk-device,drive=${unclaimed.id} uses it`);
  } catch (error) {
    close();
    throw error;
  }
  return { devices, close };
}
