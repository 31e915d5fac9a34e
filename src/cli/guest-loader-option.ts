import type { GuestLoaderModule } from '../board/guest-loader.js';
import { parseQemuProperties } from './qemu-options.js';
import { UserError } from './user-error.js';

/**
 * `--guest-loader addr=A,kernel=F[,bootargs=S]` and `--guest-loader addr=A,initrd=F`: QEMU 7.2's
 * `-device guest-loader,...` properties (hw/core/guest-loader.c), checked as its realize checks
 * them, with its messages. `--device guest-loader,...` is the same thing spelled as in QEMU.
 */

/** The device name QEMU gives it, as the first part of a `--device` specification. */
export const GUEST_LOADER_DEVICE = 'guest-loader';

const PROPERTIES = ['addr', 'kernel', 'initrd', 'bootargs'] as const;

export interface GuestLoaderSpec {
  readonly address: number;
  readonly kind: 'kernel' | 'initrd';
  readonly file: string;
  readonly bootArgs: string | undefined;
}

/**
 * A uint64 property as QEMU reads it (qemu_strtou64, base 0): decimal, 0x hexadecimal or 0 octal.
 * The board's physical addresses are below 2^32, so larger values are refused here.
 */
function parseAddress(text: string, spec: string): number {
  const match = /^(?:0[xX]([0-9a-fA-F]+)|(0[0-7]*)|([1-9][0-9]*))$/.exec(text.trim());
  const value = match === null ? NaN : match[1] !== undefined ? parseInt(match[1], 16) : match[2] !== undefined ? parseInt(match[2], 8) : Number(match[3]);
  if (!Number.isFinite(value)) throw new UserError(`--guest-loader '${spec}': Parameter 'addr' expects integer`);
  if (value > 0xffffffff) throw new UserError(`--guest-loader '${spec}': addr=${text} is beyond the board's 32-bit physical address space`);
  return value;
}

/** Parses one specification (without the leading "guest-loader,"). */
export function parseGuestLoaderSpec(spec: string): GuestLoaderSpec {
  const p = parseQemuProperties(spec, '--guest-loader', PROPERTIES);
  const kernel = p.get('kernel');
  const initrd = p.get('initrd');
  const addr = p.get('addr');
  const bootArgs = p.get('bootargs');
  const fail = (why: string): never => {
    throw new UserError(`--guest-loader '${spec}': ${why}`);
  };
  if (kernel !== undefined && initrd !== undefined) fail('Cannot specify a kernel and initrd in same stanza');
  const file = kernel ?? initrd;
  if (file === undefined || file === '') return fail('Need to specify a kernel or initrd image');
  // QEMU's addr defaults to 0, which it takes for "not given".
  const address = addr === undefined ? 0 : parseAddress(addr, spec);
  if (address === 0) fail('Need to specify the address of guest blob');
  if (bootArgs !== undefined && kernel === undefined) fail('Boot args only relevant to kernel blobs');
  return { address, kind: kernel !== undefined ? 'kernel' : 'initrd', file, bootArgs };
}

/** Parses every specification and reads its file (`read` reports a missing file as a UserError). */
export function guestLoaderModules(specs: readonly string[], read: (path: string, what: string) => Uint8Array): GuestLoaderModule[] {
  return specs.map((spec) => {
    const { address, kind, file, bootArgs } = parseGuestLoaderSpec(spec);
    return { address, kind, name: file, data: read(file, `--guest-loader ${kind}`), bootArgs };
  });
}
