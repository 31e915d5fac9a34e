/**
 * A writer for the cpio "newc" (SVR4, no CRC) archive format, the format Linux unpacks as an
 * initramfs (Documentation/driver-api/early-userspace/buffer-format.rst). Platform neutral: it
 * takes and returns bytes.
 *
 * The output is a pure function of the entries: mtime, uid and gid are 0, inode numbers are
 * 1, 2, 3, … in entry order, so the same entries always give the same bytes.
 */

export type CpioEntry =
  | { readonly kind: 'directory'; readonly path: string; readonly mode?: number }
  | { readonly kind: 'file'; readonly path: string; readonly data: Uint8Array; readonly mode?: number }
  | { readonly kind: 'symlink'; readonly path: string; readonly target: string }
  | { readonly kind: 'char-device'; readonly path: string; readonly major: number; readonly minor: number; readonly mode?: number };

const S_IFDIR = 0o040000;
const S_IFREG = 0o100000;
const S_IFLNK = 0o120000;
const S_IFCHR = 0o020000;

const MAGIC = '070701';
const HEADER_SIZE = 110;
const TRAILER_NAME = 'TRAILER!!!';

interface HeaderFields {
  readonly ino: number;
  readonly mode: number;
  readonly nlink: number;
  readonly fileSize: number;
  readonly rdevMajor: number;
  readonly rdevMinor: number;
  readonly nameSize: number;
}

const encoder = new TextEncoder();

function hex8(value: number, what: string): string {
  if (!Number.isInteger(value) || value < 0 || value > 0xffffffff) throw new RangeError(`cpio: ${what} ${value} does not fit in 32 bits`);
  return value.toString(16).toUpperCase().padStart(8, '0');
}

/** The 110-byte ASCII header: magic, then 13 fields of 8 hex digits (buffer-format.rst). */
function header(fields: HeaderFields): string {
  return (
    MAGIC +
    hex8(fields.ino, 'inode') +
    hex8(fields.mode, 'mode') +
    hex8(0, 'uid') +
    hex8(0, 'gid') +
    hex8(fields.nlink, 'nlink') +
    hex8(0, 'mtime') +
    hex8(fields.fileSize, 'file size') +
    hex8(0, 'dev major') +
    hex8(0, 'dev minor') +
    hex8(fields.rdevMajor, 'rdev major') +
    hex8(fields.rdevMinor, 'rdev minor') +
    hex8(fields.nameSize, 'name size') +
    hex8(0, 'check')
  );
}

const pad4 = (n: number): number => (4 - (n % 4)) % 4;

/** Archive member names are relative ("bin/busybox"), as the kernel's gen_init_cpio writes them. */
function memberName(path: string): string {
  const name = path.replace(/^\/+/, '');
  if (name === '' || name.includes('\0')) throw new RangeError(`cpio: bad member name ${JSON.stringify(path)}`);
  return name;
}

function entryParts(entry: CpioEntry): { mode: number; nlink: number; data: Uint8Array; rdevMajor: number; rdevMinor: number } {
  switch (entry.kind) {
    case 'directory':
      return { mode: S_IFDIR | (entry.mode ?? 0o755), nlink: 2, data: new Uint8Array(0), rdevMajor: 0, rdevMinor: 0 };
    case 'file':
      return { mode: S_IFREG | (entry.mode ?? 0o644), nlink: 1, data: entry.data, rdevMajor: 0, rdevMinor: 0 };
    case 'symlink':
      // A symlink's data is its target, without a terminating NUL.
      return { mode: S_IFLNK | 0o777, nlink: 1, data: encoder.encode(entry.target), rdevMajor: 0, rdevMinor: 0 };
    case 'char-device':
      return { mode: S_IFCHR | (entry.mode ?? 0o600), nlink: 1, data: new Uint8Array(0), rdevMajor: entry.major, rdevMinor: entry.minor };
  }
}

/**
 * Writes the entries, in the order given, followed by the TRAILER!!! entry. Each header plus name
 * and each file body is padded to a multiple of 4 bytes. Parents must come before their children
 * (the kernel does not create missing directories); duplicate names are rejected.
 */
export function writeCpioNewc(entries: readonly CpioEntry[]): Uint8Array {
  const chunks: Uint8Array[] = [];
  let total = 0;
  const push = (bytes: Uint8Array): void => {
    chunks.push(bytes);
    total += bytes.length;
  };
  const pushMember = (fields: Omit<HeaderFields, 'nameSize' | 'fileSize'>, name: string, data: Uint8Array): void => {
    const nameBytes = encoder.encode(name);
    const nameSize = nameBytes.length + 1; // with its terminating NUL
    push(encoder.encode(header({ ...fields, fileSize: data.length, nameSize })));
    const namePart = new Uint8Array(nameSize + pad4(HEADER_SIZE + nameSize));
    namePart.set(nameBytes);
    push(namePart);
    if (data.length > 0) {
      push(data);
      if (pad4(data.length) > 0) push(new Uint8Array(pad4(data.length)));
    }
  };

  const seen = new Set<string>();
  entries.forEach((entry, index) => {
    const name = memberName(entry.path);
    if (seen.has(name)) throw new RangeError(`cpio: duplicate member ${name}`);
    seen.add(name);
    const parts = entryParts(entry);
    pushMember({ ino: index + 1, mode: parts.mode, nlink: parts.nlink, rdevMajor: parts.rdevMajor, rdevMinor: parts.rdevMinor }, name, parts.data);
  });
  pushMember({ ino: 0, mode: 0, nlink: 1, rdevMajor: 0, rdevMinor: 0 }, TRAILER_NAME, new Uint8Array(0));

  const archive = new Uint8Array(total);
  let at = 0;
  for (const chunk of chunks) {
    archive.set(chunk, at);
    at += chunk.length;
  }
  return archive;
}
