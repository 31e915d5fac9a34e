/** Reads a cpio newc archive back (for tests): every member up to TRAILER!!!, with its raw header fields. */
export interface CpioMember {
  readonly name: string;
  readonly ino: number;
  readonly mode: number;
  readonly uid: number;
  readonly gid: number;
  readonly nlink: number;
  readonly mtime: number;
  readonly rdevMajor: number;
  readonly rdevMinor: number;
  readonly check: number;
  readonly data: Uint8Array;
  /** Offset of the header in the archive. */
  readonly offset: number;
}

export function readCpioNewc(archive: Uint8Array): { members: CpioMember[]; trailer: CpioMember; end: number } {
  const decoder = new TextDecoder('latin1');
  const members: CpioMember[] = [];
  let at = 0;
  for (;;) {
    const text = decoder.decode(archive.subarray(at, at + 110));
    if (text.slice(0, 6) !== '070701') throw new Error(`bad magic at ${at}: ${JSON.stringify(text.slice(0, 6))}`);
    const field = (i: number) => parseInt(text.slice(6 + i * 8, 14 + i * 8), 16);
    const nameSize = field(11);
    const fileSize = field(6);
    const nameStart = at + 110;
    if (archive[nameStart + nameSize - 1] !== 0) throw new Error(`name at ${nameStart} is not NUL-terminated`);
    const name = decoder.decode(archive.subarray(nameStart, nameStart + nameSize - 1));
    const dataStart = (nameStart + nameSize + 3) & ~3;
    const member: CpioMember = {
      name, ino: field(0), mode: field(1), uid: field(2), gid: field(3), nlink: field(4), mtime: field(5),
      rdevMajor: field(9), rdevMinor: field(10), check: field(12), data: archive.subarray(dataStart, dataStart + fileSize), offset: at,
    };
    at = (dataStart + fileSize + 3) & ~3;
    if (name === 'TRAILER!!!') return { members, trailer: member, end: at };
    members.push(member);
  }
}
